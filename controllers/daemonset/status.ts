/**
 * A DaemonSet's `status`, after kube's `updateDaemonSetStatus`: per node that wants the daemon, whether
 * its oldest pod exists, is ready, available and updated; pods on nodes that do not want it are
 * misscheduled. `kubectl rollout status ds/…` waits on these numbers.
 *
 * @module
 */
import { isReady, type Pod, untilAvailable } from "../replicaset/pods.ts";
import { byCreationTimestampAndPhase, type DaemonSet, type DaemonSetStatus, isPodUpdated } from "./daemonset.ts";

/** One node as the status sees it. */
export interface NodeState {
  shouldRun: boolean;
  /** The daemon pods targeting it. */
  pods: readonly Pod[];
}

/**
 * The status the nodes imply, and how long until a ready pod turns available (if minReadySeconds holds
 * one back).
 *
 * @example
 * ```ts
 * const { status } = daemonSetStatus(ds, nodes, hash, templateGeneration(ds), 0, Date.now());
 * ```
 */
export function daemonSetStatus(
  ds: DaemonSet,
  nodes: readonly NodeState[],
  hash: string,
  generation: number | undefined,
  collisionCount: number,
  now: number,
): { status: DaemonSetStatus; recheckMs?: number } {
  let desired = 0, scheduled = 0, misscheduled = 0, ready = 0, available = 0, updated = 0;
  let recheckMs: number | undefined;
  for (const node of nodes) {
    if (!node.shouldRun) {
      if (node.pods.length > 0) misscheduled++;
      continue;
    }
    desired++;
    if (node.pods.length === 0) continue;
    scheduled++;
    const [pod] = [...node.pods].sort(byCreationTimestampAndPhase);
    if (isReady(pod)) {
      ready++;
      const wait = untilAvailable(pod, ds.spec.minReadySeconds ?? 0, now)!;
      if (wait === 0) available++;
      else recheckMs = Math.min(recheckMs ?? wait, wait);
    }
    if (isPodUpdated(pod, hash, generation)) updated++;
  }
  const status: DaemonSetStatus = {
    ...ds.status,
    observedGeneration: ds.metadata.generation,
    desiredNumberScheduled: desired,
    currentNumberScheduled: scheduled,
    numberMisscheduled: misscheduled,
    numberReady: ready,
    updatedNumberScheduled: updated,
    numberAvailable: available,
    numberUnavailable: desired - available,
    ...(collisionCount > 0 || ds.status?.collisionCount !== undefined ? { collisionCount } : {}),
  };
  return { status, recheckMs };
}

const FIELDS = [
  "observedGeneration",
  "desiredNumberScheduled",
  "currentNumberScheduled",
  "numberMisscheduled",
  "numberReady",
  "updatedNumberScheduled",
  "numberAvailable",
  "numberUnavailable",
  "collisionCount",
] as const;

/**
 * Whether `status` differs from what the DaemonSet shows.
 *
 * @example
 * ```ts
 * if (statusChanged(ds, status)) await client.updateStatus({ ...ds, status });
 * ```
 */
export function statusChanged(ds: DaemonSet, status: DaemonSetStatus): boolean {
  return FIELDS.some((f) => (ds.status?.[f] ?? 0) !== (status[f] ?? 0));
}
