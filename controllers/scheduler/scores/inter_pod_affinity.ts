/**
 * Kube's InterPodAffinity score: every domain gains the weight of the pod's preferred affinity terms its pods
 * match (and loses it for anti-affinity), plus what existing pods' terms say about the new pod — their
 * required affinity at weight 1, their preferred terms at their weights. Scores are rescaled between the
 * worst and best node.
 *
 * @module
 */
import { type AffinityTerm, termMatches } from "../affinity_terms.ts";
import { MAX_NODE_SCORE, type ScorePlugin } from "../framework.ts";
import type { NodeInfo } from "../node_info.ts";
import type { PodInfo } from "../pod_info.ts";
import { domainKey } from "../topology_spread.ts";

/** Kube's default `hardPodAffinityWeight`. */
const HARD_POD_AFFINITY_WEIGHT = 1;

/**
 * The InterPodAffinity score (weight 2 in kube's default profile).
 *
 * @example
 * ```ts
 * interPodAffinityScore.preScore(podPreferringCache, feasible, snapshot)?.score(nodeNextToCache); // > 0
 * ```
 */
export const interPodAffinityScore: ScorePlugin = {
  name: "InterPodAffinity",
  weight: 2,
  preScore(pod, _feasible, snapshot) {
    const hasPreferences = pod.preferredAffinityTerms.length > 0 || pod.preferredAntiAffinityTerms.length > 0;
    const ownNamespace = snapshot.namespaceLabels(pod.namespace);
    const domains = new Map<string, number>();
    type Labels = Record<string, string> | undefined;
    const add = (term: AffinityTerm, weight: number, candidate: PodInfo, labels: Labels, node: NodeInfo) => {
      if (!termMatches(term, candidate, labels)) return;
      const value = node.labels[term.topologyKey];
      if (value === undefined) return;
      const key = domainKey(term.topologyKey, value);
      domains.set(key, (domains.get(key) ?? 0) + weight);
    };
    // Without preferences of its own, only pods with affinity can say anything about the new pod.
    if (!hasPreferences && snapshot.podsWithAffinity === 0) return undefined;
    for (const node of snapshot.nodes) {
      const others = hasPreferences ? node.pods : node.podsWithAffinity;
      if (others.size === 0) continue;
      for (const other of others.values()) {
        const otherNamespace = snapshot.namespaceLabels(other.namespace);
        for (const t of pod.preferredAffinityTerms) add(t, t.weight, other, otherNamespace, node);
        for (const t of pod.preferredAntiAffinityTerms) add(t, -t.weight, other, otherNamespace, node);
        for (const t of other.requiredAffinityTerms) add(t, HARD_POD_AFFINITY_WEIGHT, pod, ownNamespace, node);
        for (const t of other.preferredAffinityTerms) add(t, t.weight, pod, ownNamespace, node);
        for (const t of other.preferredAntiAffinityTerms) add(t, -t.weight, pod, ownNamespace, node);
      }
    }
    if (domains.size === 0) return undefined;
    const keys = new Set([...domains.keys()].map((k) => k.slice(0, k.indexOf("\x00"))));
    return {
      score: (node) => {
        let score = 0;
        for (const key of keys) {
          const value = node.labels[key];
          if (value !== undefined) score += domains.get(domainKey(key, value)) ?? 0;
        }
        return score;
      },
      normalize: (scores) => {
        const min = Math.min(...scores);
        const diff = Math.max(...scores) - min;
        for (let i = 0; i < scores.length; i++) {
          scores[i] = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((scores[i] - min) / diff)) : 0;
        }
      },
    };
  },
};
