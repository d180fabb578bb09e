/**
 * Kube's NodeResourcesBalancedAllocation score: prefer nodes where, with the pod, CPU and memory would be
 * used in similar proportions (one minus the standard deviation of the requested fractions).
 *
 * @module
 */
import { MAX_NODE_SCORE, type ScorePlugin } from "../framework.ts";

/**
 * The balance of resource fractions, 0..100 (kube's `balancedResourceScorer` for two resources).
 *
 * @example
 * ```ts
 * balance([0.5, 0.5]); // 100
 * balance([1, 0]); // 50
 * ```
 */
export function balance(fractions: number[]): number {
  let std = 0;
  if (fractions.length === 2) return balance2(fractions[0], fractions[1]);
  if (fractions.length > 2) {
    const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
    std = Math.sqrt(fractions.reduce((a, f) => a + (f - mean) ** 2, 0) / fractions.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

/** `balance` of two fractions, the usual CPU-and-memory case, without building an array per node. */
function balance2(a: number, b: number): number {
  return Math.trunc((1 - Math.abs((a - b) / 2)) * MAX_NODE_SCORE);
}

/**
 * The NodeResourcesBalancedAllocation score (weight 1 in kube's default profile).
 *
 * @example
 * ```ts
 * balancedAllocationScore.preScore(pod, feasible, snapshot)!.score(node);
 * ```
 */
export const balancedAllocationScore: ScorePlugin = {
  name: "NodeResourcesBalancedAllocation",
  weight: 1,
  preScore(pod) {
    return {
      score: (node) => {
        const cpu = node.allocatable.milliCPU;
        const memory = node.allocatable.memory;
        const cpuFraction = Math.min(1, (node.requested.milliCPU + pod.requests.milliCPU) / cpu);
        const memoryFraction = Math.min(1, (node.requested.memory + pod.requests.memory) / memory);
        if (cpu > 0 && memory > 0) return balance2(cpuFraction, memoryFraction);
        return balance(cpu > 0 ? [cpuFraction] : memory > 0 ? [memoryFraction] : []);
      },
    };
  },
};
