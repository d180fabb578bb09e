/**
 * Kube's TaintToleration score: fewer `PreferNoSchedule` taints the pod does not tolerate is better.
 *
 * @module
 */
import { defaultNormalize, type ScorePlugin } from "../framework.ts";
import { tolerates } from "../node_fit.ts";

/**
 * The TaintToleration score (weight 3 in kube's default profile).
 *
 * @example
 * ```ts
 * const scorer = taintTolerationScore.preScore(pod, feasible, snapshot)!;
 * scorer.score(nodeWithTwoSoftTaints); // 2, before normalizing (reversed)
 * ```
 */
export const taintTolerationScore: ScorePlugin = {
  name: "TaintToleration",
  weight: 3,
  preScore(pod) {
    const tolerations = (pod.pod.spec.tolerations ?? []).filter((t) => !t.effect || t.effect === "PreferNoSchedule");
    return {
      score: (node) => {
        let count = 0;
        for (const taint of node.taints) {
          if (taint.effect === "PreferNoSchedule" && !tolerations.some((t) => tolerates(t, taint))) count++;
        }
        return count;
      },
      normalize: (scores) => defaultNormalize(scores, true),
    };
  },
};
