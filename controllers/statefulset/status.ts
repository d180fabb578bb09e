/**
 * A StatefulSet's `status`, after kube's `computeReplicaStatus`, `completeRollingUpdate` and
 * `inconsistentStatus`: counts of the pods that exist, are ready, available, and at the current and
 * update revisions — what `kubectl rollout status sts/…` waits on.
 *
 * @module
 */
import { revisionOf } from "./identity.ts";
import { isRunningAndAvailable, isRunningAndReady, isTerminating, type Pod } from "./pods.ts";
import { replicasOf, type StatefulSet, type StatefulSetStatus } from "./statefulset.ts";

/** The revisions a status names. */
export interface Revisions {
  current: string;
  update: string;
  collisionCount: number;
}

/**
 * The status `pods` (the set's existing pods) imply.
 *
 * @example
 * ```ts
 * const status = statusFor(sts, pods, { current: "web-1a", update: "web-2b", collisionCount: 0 }, Date.now());
 * ```
 */
export function statusFor(
  set: StatefulSet,
  pods: readonly Pod[],
  revisions: Revisions,
  now: number,
): StatefulSetStatus {
  const minReady = set.spec.minReadySeconds ?? 0;
  let ready = 0, available = 0, current = 0, updated = 0;
  for (const pod of pods) {
    if (isRunningAndReady(pod)) {
      ready++;
      if (isRunningAndAvailable(pod, minReady, now)) available++;
    }
    if (isTerminating(pod)) continue;
    if (revisionOf(pod) === revisions.current) current++;
    if (revisionOf(pod) === revisions.update) updated++;
  }
  return {
    ...set.status,
    observedGeneration: set.metadata.generation,
    replicas: pods.length,
    readyReplicas: ready,
    currentReplicas: current,
    updatedReplicas: updated,
    availableReplicas: available,
    currentRevision: revisions.current,
    updateRevision: revisions.update,
    collisionCount: revisions.collisionCount,
  };
}

/**
 * Kube's `completeRollingUpdate`: once every wanted pod is updated and ready, the update revision becomes
 * the current one.
 *
 * @example
 * ```ts
 * const final = completeRollingUpdate(sts, status);
 * ```
 */
export function completeRollingUpdate(set: StatefulSet, status: StatefulSetStatus): StatefulSetStatus {
  const replicas = replicasOf(set);
  const rolling = (set.spec.updateStrategy?.type ?? "RollingUpdate") === "RollingUpdate";
  if (
    rolling && status.updatedReplicas === replicas && status.readyReplicas === replicas && status.replicas === replicas
  ) {
    return { ...status, currentReplicas: status.updatedReplicas, currentRevision: status.updateRevision };
  }
  return status;
}

const FIELDS = [
  "observedGeneration",
  "replicas",
  "readyReplicas",
  "currentReplicas",
  "updatedReplicas",
  "availableReplicas",
  "currentRevision",
  "updateRevision",
  "collisionCount",
] as const;

/**
 * Whether `status` differs from what the set shows (kube's `inconsistentStatus`, plus `collisionCount`).
 *
 * @example
 * ```ts
 * if (statusChanged(sts, status)) await client.updateStatus({ ...sts, status });
 * ```
 */
export function statusChanged(set: StatefulSet, status: StatefulSetStatus): boolean {
  return FIELDS.some((f) => (set.status?.[f] ?? 0) !== (status[f] ?? 0));
}
