/**
 * Kube's NodeAffinity score: the sum of the weights of the pod's preferred node affinity terms the node
 * matches, scaled so the best node gets the maximum.
 *
 * @module
 */
import { defaultNormalize, type ScorePlugin } from "../framework.ts";
import { matchesNodeSelectorTerm } from "../node_fit.ts";

/**
 * The NodeAffinity score (weight 2 in kube's default profile).
 *
 * @example
 * ```ts
 * nodeAffinityScore.preScore(podPreferringSsd, feasible, snapshot)?.score(ssdNode); // the term's weight
 * ```
 */
export const nodeAffinityScore: ScorePlugin = {
  name: "NodeAffinity",
  weight: 2,
  preScore(pod) {
    const preferred = (pod.pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [])
      .filter((t) => t.weight !== 0);
    if (preferred.length === 0) return undefined;
    return {
      score: (node) => {
        let sum = 0;
        for (const t of preferred) if (matchesNodeSelectorTerm(t.preference, node.node!)) sum += t.weight;
        return sum;
      },
      normalize: (scores) => defaultNormalize(scores, false),
    };
  },
};
