/**
 * Pod facts the Job controller counts by: active, terminating, failed (as the replacement policy sees it), when a pod
 * finished, whether it still carries the tracking finalizer, its index and failure counts, and which pods go first.
 *
 * @module
 */
import type { KubeObject, OwnerReference } from "../../core/operator/mod.ts";
import { deletionOrder } from "../replicaset/mod.ts";
import {
  COMPLETION_INDEX,
  INDEX_FAILURE_COUNT,
  INDEX_IGNORED_FAILURE_COUNT,
  isIndexed,
  type Job,
  onlyReplaceFailedPods,
  TRACKING_FINALIZER,
} from "./job.ts";

/** A container's status as far as the Job controller reads it. */
export interface ContainerStatus {
  name: string;
  restartCount?: number;
  state?: { terminated?: { exitCode: number; finishedAt?: string } };
}

/** The parts of a Pod the Job controller reads. */
export interface Pod extends KubeObject {
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    deletionGracePeriodSeconds?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
    ownerReferences?: OwnerReference[];
  };
  spec?: { nodeName?: string; [field: string]: unknown };
  status?: {
    phase?: string;
    conditions?: { type: string; status: string; lastTransitionTime?: string }[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

/**
 * Whether the pod still carries `batch.kubernetes.io/job-tracking` (it is not counted in the Job's status yet).
 *
 * @example
 * ```ts
 * hasTrackingFinalizer(pod); // true until the controller counts it
 * ```
 */
export function hasTrackingFinalizer(pod: Pod): boolean {
  return (pod.metadata.finalizers ?? []).includes(TRACKING_FINALIZER);
}

/**
 * Whether the pod is being deleted but has not finished (kube's `IsPodTerminating`).
 *
 * @example
 * ```ts
 * const terminating = pods.filter(isTerminating).length;
 * ```
 */
export function isTerminating(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return Boolean(pod.metadata.deletionTimestamp) && phase !== "Succeeded" && phase !== "Failed";
}

/**
 * Kube's `isPodFailed`: phase Failed; or, unless only failed pods are replaced, deleted before it succeeded (a pod
 * that never gets to run to the end counts as a failure).
 *
 * @example
 * ```ts
 * isPodFailed(deletedPendingPod, job); // true with the default podReplacementPolicy
 * ```
 */
export function isPodFailed(pod: Pod, job: Job): boolean {
  const phase = pod.status?.phase;
  if (phase === "Failed") return true;
  if (onlyReplaceFailedPods(job)) return false;
  return Boolean(pod.metadata.deletionTimestamp) && phase !== "Succeeded";
}

/**
 * The pod's completion index, or undefined when it has none (or not a valid one).
 *
 * @example
 * ```ts
 * completionIndex(pod); // 3 for annotation batch.kubernetes.io/job-completion-index: "3"
 * ```
 */
export function completionIndex(pod: Pod): number | undefined {
  const value = pod.metadata.annotations?.[COMPLETION_INDEX];
  if (value === undefined || !/^[+-]?\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n >= 0 && Number.isSafeInteger(n) ? n : undefined;
}

function time(text: string | undefined): number | undefined {
  const t = Date.parse(text ?? "");
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Kube's `getFinishedTime`: the last container's finish, else when Ready turned False, else the deletion time minus
 * its grace period, else the creation time.
 *
 * @example
 * ```ts
 * finishedTime(failedPod); // ms of its container's terminated.finishedAt
 * ```
 */
export function finishedTime(pod: Pod): number {
  const statuses = pod.status?.containerStatuses ?? [];
  let latest: number | undefined;
  for (const c of statuses) {
    const t = time(c.state?.terminated?.finishedAt);
    if (t === undefined) {
      latest = undefined;
      break;
    }
    latest = Math.max(latest ?? t, t);
  }
  if (latest !== undefined) return latest;
  const ready = pod.status?.conditions?.find((c) => c.type === "Ready");
  const readyFalse = ready?.status === "False" ? time(ready.lastTransitionTime) : undefined;
  if (readyFalse !== undefined) return readyFalse;
  const deleted = time(pod.metadata.deletionTimestamp);
  if (deleted !== undefined) return deleted - (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
  return time(pod.metadata.creationTimestamp) ?? 0;
}

/**
 * Container restarts of a pod still Pending or Running (kube's `pastBackoffLimitOnFailure` sums these).
 *
 * @example
 * ```ts
 * restartsWhileRunning(pod); // 2
 * ```
 */
export function restartsWhileRunning(pod: Pod): number {
  const phase = pod.status?.phase;
  if (phase !== "Running" && phase !== "Pending") return 0;
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]
    .reduce((n, c) => n + (c.restartCount ?? 0), 0);
}

/**
 * A count kept in a pod annotation (an index's failures); 0 when absent, malformed or beyond int32.
 *
 * @example
 * ```ts
 * annotationCount(pod, INDEX_FAILURE_COUNT); // 1
 * ```
 */
export function annotationCount(pod: Pod, annotation: string): number {
  const value = pod.metadata.annotations?.[annotation];
  const n = value !== undefined && /^\d+$/.test(value) ? Number(value) : 0;
  return n <= 2 ** 31 - 1 ? n : 0;
}

/**
 * Whether the pod still runs or may (not finished, not being deleted).
 *
 * @example
 * ```ts
 * isActive(pod); // true while Pending or Running
 * ```
 */
export function isActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return !pod.metadata.deletionTimestamp && phase !== "Succeeded" && phase !== "Failed";
}

/**
 * An Indexed pod's failures so far, counted and ignored ones together (backoffLimitPerIndex).
 *
 * @example
 * ```ts
 * absoluteFailureCount(pod); // 2
 * ```
 */
export function absoluteFailureCount(pod: Pod): number {
  return annotationCount(pod, INDEX_FAILURE_COUNT) + annotationCount(pod, INDEX_IGNORED_FAILURE_COUNT);
}

/**
 * Orders pods by completion index (pods without one first).
 *
 * @example
 * ```ts
 * pods.sort(byIndex);
 * ```
 */
export function byIndex(a: Pod, b: Pod): number {
  return (completionIndex(a) ?? -1) - (completionIndex(b) ?? -1);
}

/**
 * The pod's completion index if it is below `completions`, else undefined.
 *
 * @example
 * ```ts
 * validIndex(pod, job); // 3
 * ```
 */
export function validIndex(pod: Pod, job: Job): number | undefined {
  const ix = completionIndex(pod);
  return ix !== undefined && ix < (job.spec.completions ?? 0) ? ix : undefined;
}

/**
 * Kube's `activePodsForRemoval`: duplicate and out-of-range indexes first, then the most deletable pods.
 *
 * @example
 * ```ts
 * const victims = activePodsForRemoval(job, active, active.length - wanted);
 * ```
 */
export function activePodsForRemoval(job: Job, active: Pod[], atLeast: number): Pod[] {
  const remove: Pod[] = [];
  let left = active;
  if (isIndexed(job)) {
    left = [];
    const groups = new Map<number, Pod[]>();
    for (const pod of active) {
      const ix = validIndex(pod, job);
      if (ix === undefined) remove.push(pod);
      else groups.set(ix, [...(groups.get(ix) ?? []), pod]);
    }
    for (const group of groups.values()) {
      // The pod least worth deleting keeps the index.
      const ranked = [...group].sort(deletionOrder);
      remove.push(...ranked.slice(0, -1));
      left.push(ranked[ranked.length - 1]);
    }
  }
  if (remove.length < atLeast) remove.push(...[...left].sort(deletionOrder).slice(0, atLeast - remove.length));
  return remove;
}

/**
 * Kube's `pastBackoffLimitOnFailure`: with restartPolicy OnFailure, container restarts count against the limit.
 *
 * @example
 * ```ts
 * if (pastBackoffLimitOnFailure(job, active)) fail("BackoffLimitExceeded");
 * ```
 */
export function pastBackoffLimitOnFailure(job: Job, pods: Pod[]): boolean {
  if (job.spec.template.spec?.restartPolicy !== "OnFailure") return false;
  const restarts = pods.reduce((n, p) => n + restartsWhileRunning(p), 0);
  const limit = job.spec.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}
