/**
 * Kube's InterPodAffinity filter: the pod's required affinity must find matching pods in the node's topology
 * domain (a pod that would be the first of a group matching its own terms may go anywhere with the labels);
 * its required anti-affinity must find none there; and no pod already placed may have required anti-affinity
 * that the new pod matches within that domain.
 *
 * @module
 */
import { matchesAllTerms, termMatches } from "../affinity_terms.ts";
import { type FilterPlugin, unresolvable, unschedulable } from "../framework.ts";
import { domainKey } from "../topology_spread.ts";

/** Kube's `ErrReasonAffinityRulesNotMatch`. */
const ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules";
/** Kube's `ErrReasonAntiAffinityRulesNotMatch`. */
const ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod anti-affinity rules";
/** Kube's `ErrReasonExistingAntiAffinityRulesNotMatch`. */
const ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't satisfy existing pods anti-affinity rules";

const AFFINITY = unresolvable(ERR_REASON_AFFINITY_RULES_NOT_MATCH);
const ANTI_AFFINITY = unschedulable(ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
const EXISTING_ANTI_AFFINITY = unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH);

function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/**
 * The InterPodAffinity filter.
 *
 * @example
 * ```ts
 * const { filter } = interPodAffinity.preFilter(pod, snapshot) as PreFilterResult;
 * filter?.(nodeInAnotherZone)?.reasons; // ["node(s) didn't match pod affinity rules"]
 * ```
 */
export const interPodAffinity: FilterPlugin = {
  name: "InterPodAffinity",
  preFilter(pod, snapshot) {
    const ownNamespace = snapshot.namespaceLabels(pod.namespace);
    // Domains holding a pod whose required anti-affinity the new pod matches.
    const existing = new Map<string, number>();
    for (const node of snapshot.podsWithRequiredAntiAffinity > 0 ? snapshot.nodes : []) {
      if (node.podsWithRequiredAntiAffinity.size === 0) continue;
      for (const other of node.podsWithRequiredAntiAffinity) {
        for (const term of other.requiredAntiAffinityTerms) {
          const value = node.labels[term.topologyKey];
          if (value !== undefined && termMatches(term, pod, ownNamespace)) {
            bump(existing, domainKey(term.topologyKey, value));
          }
        }
      }
    }
    const affinityTerms = pod.requiredAffinityTerms;
    const antiTerms = pod.requiredAntiAffinityTerms;
    if (existing.size === 0 && affinityTerms.length === 0 && antiTerms.length === 0) return {};
    // Domains holding pods the new pod's required (anti-)affinity selects.
    const affinity = new Map<string, number>();
    const anti = new Map<string, number>();
    if (affinityTerms.length > 0 || antiTerms.length > 0) {
      for (const node of snapshot.nodes) {
        for (const other of node.pods.values()) {
          const labels = snapshot.namespaceLabels(other.namespace);
          if (matchesAllTerms(affinityTerms, other, labels)) {
            for (const t of affinityTerms) {
              const value = node.labels[t.topologyKey];
              if (value !== undefined) bump(affinity, domainKey(t.topologyKey, value));
            }
          }
          for (const t of antiTerms) {
            const value = node.labels[t.topologyKey];
            if (value !== undefined && termMatches(t, other, labels)) bump(anti, domainKey(t.topologyKey, value));
          }
        }
      }
    }
    // The first pod of a group with affinity to itself has nothing to join yet; it must not wait forever.
    const firstOfItsGroup = affinity.size === 0 && matchesAllTerms(affinityTerms, pod, ownNamespace);
    return {
      filter: (node) => {
        let found = true;
        for (const t of affinityTerms) {
          const value = node.labels[t.topologyKey];
          if (value === undefined) return AFFINITY;
          if (!affinity.get(domainKey(t.topologyKey, value))) found = false;
        }
        if (!found && !firstOfItsGroup) return AFFINITY;
        if (anti.size > 0) {
          for (const t of antiTerms) {
            const value = node.labels[t.topologyKey];
            if (value !== undefined && anti.get(domainKey(t.topologyKey, value))) return ANTI_AFFINITY;
          }
        }
        if (existing.size > 0) {
          for (const [key, value] of Object.entries(node.labels)) {
            if (existing.get(domainKey(key, value))) return EXISTING_ANTI_AFFINITY;
          }
        }
        return undefined;
      },
    };
  },
};
