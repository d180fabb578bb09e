/**
 * How long a pod may stay on a node with NoExecute taints: kube's `GetMatchingTolerations` and
 * `getMinTolerationTime`.
 *
 * @module
 */
import { type Taint, tolerates, type Toleration } from "../scheduler/node_fit.ts";

/**
 * For each taint the first toleration that tolerates it, or `undefined` when some taint is not tolerated
 * (the pod must go at once).
 *
 * @example
 * ```ts
 * matchingTolerations([{ key: "k", effect: "NoExecute" }], [{ key: "k", operator: "Exists", tolerationSeconds: 60 }]);
 * // [{ key: "k", operator: "Exists", tolerationSeconds: 60 }]
 * ```
 */
export function matchingTolerations(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
): Toleration[] | undefined {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const toleration = tolerations.find((t) => tolerates(t, taint));
    if (!toleration) return undefined;
    used.push(toleration);
  }
  return used;
}

/**
 * The shortest `tolerationSeconds` of `tolerations`, in milliseconds; 0 when one is zero or negative, -1 when
 * none is bounded (the pod may stay for ever).
 *
 * @example
 * ```ts
 * minTolerationMs([{ operator: "Exists", tolerationSeconds: 300 }, { operator: "Exists", tolerationSeconds: 2 }]); // 2000
 * minTolerationMs([{ operator: "Exists" }]); // -1
 * ```
 */
export function minTolerationMs(tolerations: readonly Toleration[]): number {
  const bounded = tolerations.map((t) => t.tolerationSeconds).filter((s): s is number => typeof s === "number");
  if (bounded.length === 0) return -1;
  return Math.max(0, Math.min(...bounded)) * 1000;
}
