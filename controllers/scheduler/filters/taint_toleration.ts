/**
 * Kube's TaintToleration filter: a node with a `NoSchedule` or `NoExecute` taint the pod does not tolerate is
 * out, and the reason names the first such taint. Not-ready and unreachable nodes are kept off this way too:
 * kube 1.32 checks no Ready condition, the node lifecycle controller taints such nodes instead.
 *
 * @module
 */
import { type FilterPlugin, type Status, unresolvable } from "../framework.ts";
import { type Taint, untoleratedTaint } from "../node_fit.ts";

const DO_NOT_SCHEDULE = ["NoSchedule", "NoExecute"] as const;

/**
 * Kube's reason for an untolerated taint.
 *
 * @example
 * ```ts
 * untoleratedTaintReason({ key: "dedicated", value: "infra", effect: "NoSchedule" }); // "node(s) had untolerated taint {dedicated: infra}"
 * ```
 */
function untoleratedTaintReason(taint: Taint): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ""}}`;
}

/**
 * The TaintToleration filter.
 *
 * @example
 * ```ts
 * const { filter } = taintToleration.preFilter(pod, snapshot) as PreFilterResult;
 * filter?.(taintedNode)?.reasons; // ["node(s) had untolerated taint {dedicated: infra}"]
 * ```
 */
export const taintToleration: FilterPlugin = {
  name: "TaintToleration",
  preFilter(pod) {
    const tolerations = pod.pod.spec.tolerations;
    // Taints repeat across nodes; one Status per distinct taint keeps rejections allocation-free.
    const statuses = new Map<string, Status>();
    return {
      filter: (node) => {
        if (node.taints.length === 0) return undefined;
        const taint = untoleratedTaint(node.taints, tolerations, DO_NOT_SCHEDULE);
        if (!taint) return undefined;
        const reason = untoleratedTaintReason(taint);
        let status = statuses.get(reason);
        if (!status) statuses.set(reason, status = unresolvable(reason));
        return status;
      },
    };
  },
};
