/**
 * Kube's NodeResourcesFit score with its default `LeastAllocated` strategy: the more CPU and memory a node
 * would have left after the pod, the better. Pods that request nothing count as 100m CPU and 200Mi memory
 * here, so they spread instead of piling onto one node.
 *
 * @module
 */
import { MAX_NODE_SCORE, type ScorePlugin } from "../framework.ts";

/**
 * One resource's share left free, 0..100 (kube's `leastRequestedScore`).
 *
 * @example
 * ```ts
 * leastRequested(1000, 4000); // 75
 * ```
 */
export function leastRequested(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/**
 * The NodeResourcesFit score (weight 1 in kube's default profile; CPU and memory weigh 1 each).
 *
 * @example
 * ```ts
 * leastAllocatedScore.preScore(pod, feasible, snapshot)!.score(emptyNode); // close to 100
 * ```
 */
export const leastAllocatedScore: ScorePlugin = {
  name: "NodeResourcesFit",
  weight: 1,
  preScore(pod) {
    return {
      score: (node) => {
        let sum = 0;
        let weights = 0;
        if (node.allocatable.milliCPU > 0) {
          sum += leastRequested(node.nonZeroCPU + pod.nonZeroCPU, node.allocatable.milliCPU);
          weights++;
        }
        if (node.allocatable.memory > 0) {
          sum += leastRequested(node.nonZeroMemory + pod.nonZeroMemory, node.allocatable.memory);
          weights++;
        }
        return weights === 0 ? 0 : Math.trunc(sum / weights);
      },
    };
  },
};
