/**
 * The replica arithmetic of a rollout, after kube's `deployment/util` and `rolling.go`: how far a
 * RollingUpdate may surge the new ReplicaSet and shrink the old ones. Pure functions over counts, so
 * the controller only reads the cache and writes the plan.
 *
 * @module
 */

/** An `intstr`: a count or a percentage such as `"25%"`. */
export type IntOrPercent = number | string;

/**
 * Kube's `GetScaledValueFromIntOrPercent`: a count as is, a percentage of `total` rounded up or down.
 *
 * @example
 * ```ts
 * scaledValue("25%", 10, true); // 3
 * scaledValue("25%", 10, false); // 2
 * scaledValue(4, 10, true); // 4
 * ```
 */
export function scaledValue(value: IntOrPercent | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) value = "25%";
  if (typeof value === "number") return value;
  const match = /^(\d+)%$/.exec(value.trim());
  if (!match) {
    const n = Number(value);
    if (Number.isInteger(n)) return n;
    throw new Error(`invalid value for IntOrString: ${JSON.stringify(value)}`);
  }
  const exact = (Number(match[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** `spec.strategy` of a Deployment. */
export interface Strategy {
  type?: string;
  rollingUpdate?: { maxSurge?: IntOrPercent; maxUnavailable?: IntOrPercent };
}

/**
 * Kube's `ResolveFenceposts`: maxSurge (rounded up) and maxUnavailable (rounded down) as counts. Both
 * zero would let nothing move, so maxUnavailable becomes 1 then. Recreate allows neither.
 *
 * @example
 * ```ts
 * fenceposts({ type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } }, 10);
 * // { maxSurge: 3, maxUnavailable: 2 }
 * ```
 */
export function fenceposts(
  strategy: Strategy | undefined,
  replicas: number,
): { maxSurge: number; maxUnavailable: number } {
  if (strategy?.type === "Recreate") return { maxSurge: 0, maxUnavailable: 0 };
  const maxSurge = scaledValue(strategy?.rollingUpdate?.maxSurge, replicas, true);
  let maxUnavailable = scaledValue(strategy?.rollingUpdate?.maxUnavailable, replicas, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  // Kube caps maxUnavailable at the desired count: more cannot be missing than are wanted.
  return { maxSurge, maxUnavailable: Math.min(maxUnavailable, replicas) };
}

/** One ReplicaSet as the arithmetic sees it: wanted (`spec.replicas`) and available pods. */
export interface Counts {
  replicas: number;
  available: number;
}

/**
 * Kube's `NewRSNewReplicas` for RollingUpdate: the new ReplicaSet's size, grown as far as
 * `replicas + maxSurge` pods in total allow (and shrunk straight to `replicas` if above it).
 *
 * @example
 * ```ts
 * newReplicaSetSize(4, { maxSurge: 1, maxUnavailable: 1 }, { replicas: 0, available: 0 }, [{ replicas: 4, available: 0 }]); // 1
 * ```
 */
export function newReplicaSetSize(
  replicas: number,
  posts: { maxSurge: number },
  newRs: Counts,
  olds: Counts[],
): number {
  if (newRs.replicas >= replicas) return replicas;
  const current = newRs.replicas + sum(olds.map((o) => o.replicas));
  const maxTotal = replicas + posts.maxSurge;
  if (current >= maxTotal) return newRs.replicas;
  return newRs.replicas + Math.min(maxTotal - current, replicas - newRs.replicas);
}

/**
 * Kube's `reconcileOldReplicaSets`: new sizes for the old ReplicaSets (oldest first in `olds`), keeping
 * at least `replicas - maxUnavailable` pods available. Unhealthy old pods go first, since removing them
 * costs no availability; then available ones, as far as the surplus over the minimum allows.
 *
 * @example
 * ```ts
 * oldReplicaSetSizes(4, { maxUnavailable: 1 }, { replicas: 1, available: 0 }, [{ replicas: 4, available: 0 }]); // [3]
 * ```
 */
export function oldReplicaSetSizes(
  replicas: number,
  posts: { maxUnavailable: number },
  newRs: Counts,
  olds: Counts[],
): number[] {
  const sizes = olds.map((o) => o.replicas);
  if (sum(sizes) === 0) return sizes;
  const minAvailable = replicas - posts.maxUnavailable;
  const all = newRs.replicas + sum(sizes);
  const newUnavailable = newRs.replicas - newRs.available;
  const maxScaledDown = all - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return sizes;

  // cleanupUnhealthyReplicas: old pods that are not available anyway.
  let cleaned = 0;
  olds.forEach((old, i) => {
    if (cleaned >= maxScaledDown || sizes[i] === old.available) return;
    const down = Math.min(maxScaledDown - cleaned, sizes[i] - old.available);
    sizes[i] -= down;
    cleaned += down;
  });

  // scaleDownOldReplicaSetsForRollingUpdate: available pods above the minimum.
  const available = newRs.available + sum(olds.map((o, i) => Math.min(o.available, sizes[i])));
  if (available <= minAvailable) return sizes;
  let budget = available - minAvailable;
  sizes.forEach((size, i) => {
    const down = Math.min(size, budget);
    sizes[i] -= down;
    budget -= down;
  });
  return sizes;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
