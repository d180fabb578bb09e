/**
 * Pod states the StatefulSet controller waits on, after kube's `stateful_set_utils.go`.
 *
 * @module
 */
import { isReady, type Pod, untilAvailable } from "../replicaset/pods.ts";

export type { Pod };

/**
 * Whether the pod has a deletionTimestamp.
 *
 * @example
 * ```ts
 * isTerminating({ metadata: { name: "web-0", deletionTimestamp: "2024-01-01T00:00:00Z" } }); // true
 * ```
 */
export function isTerminating(pod: Pod): boolean {
  return Boolean(pod.metadata.deletionTimestamp);
}

/**
 * Whether the pod ran to an end (Failed or Succeeded): a stateful pod is deleted and made again then.
 *
 * @example
 * ```ts
 * isFinished({ metadata: { name: "web-0" }, status: { phase: "Failed" } }); // true
 * ```
 */
export function isFinished(pod: Pod): boolean {
  return pod.status?.phase === "Failed" || pod.status?.phase === "Succeeded";
}

/**
 * Phase Running and condition Ready.
 *
 * @example
 * ```ts
 * isRunningAndReady({ metadata: { name: "web-0" }, status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] } }); // true
 * ```
 */
export function isRunningAndReady(pod: Pod): boolean {
  return pod.status?.phase === "Running" && isReady(pod);
}

/**
 * Kube's `isRunningAndAvailable` (`IsPodAvailable`): ready for at least `minReadySeconds`.
 *
 * @example
 * ```ts
 * isRunningAndAvailable(pod, 10, Date.now());
 * ```
 */
export function isRunningAndAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  return untilAvailable(pod, minReadySeconds, now) === 0;
}

/**
 * Running, ready and not terminating.
 *
 * @example
 * ```ts
 * const firstUnhealthy = replicas.find((p) => !isHealthy(p));
 * ```
 */
export function isHealthy(pod: Pod): boolean {
  return isRunningAndReady(pod) && !isTerminating(pod);
}
