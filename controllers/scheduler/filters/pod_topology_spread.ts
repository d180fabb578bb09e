/**
 * Kube's PodTopologySpread filter for `whenUnsatisfiable: DoNotSchedule`: placing the pod in a node's domain
 * must not make that domain exceed the least-loaded one by more than `maxSkew`. Domains are counted once per
 * pod over every eligible node; with fewer than `minDomains` domains the minimum counts as zero.
 *
 * @module
 */
import { matchesSelector } from "../../../core/api/label_selector.ts";
import { type FilterPlugin, unresolvable, unschedulable } from "../framework.ts";
import { countMatching, countsToward, domainKey, hasTopologyKeys, spreadConstraints } from "../topology_spread.ts";

/** Kube's `ErrReasonConstraintsNotMatch`. */
const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
/** Kube's `ErrReasonNodeLabelNotMatch`. */
const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;

const SKEWED = unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
const MISSING_LABEL = unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);

/**
 * The PodTopologySpread filter.
 *
 * @example
 * ```ts
 * const { filter } = podTopologySpread.preFilter(pod, snapshot) as PreFilterResult;
 * filter?.(crowdedZoneNode)?.reasons; // ["node(s) didn't match pod topology spread constraints"]
 * ```
 */
export const podTopologySpread: FilterPlugin = {
  name: "PodTopologySpread",
  preFilter(pod, snapshot) {
    const constraints = spreadConstraints(pod, "DoNotSchedule");
    if (constraints.length === 0) return {};
    const matching = new Map<string, number>();
    for (const node of snapshot.nodes) {
      if (!hasTopologyKeys(node.labels, constraints)) continue;
      for (const c of constraints) {
        if (!countsToward(c, pod, node)) continue;
        const key = domainKey(c.topologyKey, node.labels[c.topologyKey]);
        matching.set(key, (matching.get(key) ?? 0) + countMatching(node, c.selector, pod.namespace));
      }
    }
    // The least-loaded domain and the number of domains, per topology key.
    const least = new Map<string, number>();
    const domains = new Map<string, number>();
    for (const [key, count] of matching) {
      const topologyKey = key.slice(0, key.indexOf("\x00"));
      least.set(topologyKey, Math.min(least.get(topologyKey) ?? Infinity, count));
      domains.set(topologyKey, (domains.get(topologyKey) ?? 0) + 1);
    }
    const selfMatch = constraints.map((c) => matchesSelector(c.selector, pod.labels) ? 1 : 0);
    return {
      filter: (node) => {
        for (let i = 0; i < constraints.length; i++) {
          const c = constraints[i];
          const value = node.labels[c.topologyKey];
          if (value === undefined) return MISSING_LABEL;
          let min = least.get(c.topologyKey) ?? Infinity;
          if ((domains.get(c.topologyKey) ?? 0) < c.minDomains) min = 0;
          const count = matching.get(domainKey(c.topologyKey, value)) ?? 0;
          if (count + selfMatch[i] - min > c.maxSkew) return SKEWED;
        }
        return undefined;
      },
    };
  },
};
