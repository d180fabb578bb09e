/**
 * Kube's NodeAffinity filter: `spec.nodeSelector` and required node affinity must match the node. When every
 * required term pins `metadata.name` (how DaemonSet pods target their node), PreFilter narrows the cycle to
 * those nodes, and the others are reported as not satisfying the plugin.
 *
 * @module
 */
import { type FilterPlugin, type NodeFilter, unresolvable } from "../framework.ts";
import { matchesNodeSelector } from "../node_fit.ts";

/** Kube's `ErrReasonPod`. */
const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
/** Kube's `errReasonConflict`: the terms pin node names that no single node has. */
const ERR_REASON_CONFLICT = "pod affinity terms conflict";

const REJECTED = unresolvable(ERR_REASON_POD);
const CONFLICT = unresolvable(ERR_REASON_CONFLICT);

/**
 * The NodeAffinity filter.
 *
 * @example
 * ```ts
 * const result = nodeAffinity.preFilter(daemonPod, snapshot); // { filter, nodeNames: Set { "n1" } }
 * ```
 */
export const nodeAffinity: FilterPlugin = {
  name: "NodeAffinity",
  preFilter(pod) {
    const spec = pod.pod.spec;
    const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (!required && !spec.nodeSelector) return {};
    const filter: NodeFilter = (node) => matchesNodeSelector(spec, node.node!) ? undefined : REJECTED;
    const terms = required?.nodeSelectorTerms ?? [];
    if (terms.length === 0) return { filter };
    // Terms are ORed and the requirements of a term ANDed: a term without a name pin lets every node through.
    let nodeNames: Set<string> | undefined;
    for (const term of terms) {
      let termNames: Set<string> | undefined;
      for (const r of term.matchFields ?? []) {
        if (r.key !== "metadata.name" || r.operator !== "In") continue;
        const values = new Set(r.values ?? []);
        termNames = termNames ? new Set([...termNames].filter((n) => values.has(n))) : values;
      }
      if (!termNames) return { filter };
      nodeNames = new Set([...(nodeNames ?? []), ...termNames]);
    }
    if (nodeNames!.size === 0) return CONFLICT;
    return { filter, nodeNames };
  },
};
