/**
 * Pod facts the ReplicaSet controller counts and ranks by, after kube's `controller_utils.go` and
 * `podutil`.
 *
 * @module
 */
import type { KubeObject, OwnerReference } from "../../core/operator/mod.ts";

interface PodCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
}

/** The parts of a Pod the controller reads. */
export interface Pod extends KubeObject {
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: OwnerReference[];
  };
  spec?: { nodeName?: string; [field: string]: unknown };
  status?: {
    phase?: string;
    conditions?: PodCondition[];
    containerStatuses?: { restartCount?: number }[];
  };
}

/** Kube's annotation ranking pods for scale-down: lower cost goes first. */
export const POD_DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";

/**
 * Whether a pod counts towards replicas: not terminating and not finished.
 *
 * @example
 * ```ts
 * isActive({ metadata: { name: "a" }, status: { phase: "Pending" } }); // true
 * ```
 */
export function isActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return !pod.metadata.deletionTimestamp && phase !== "Succeeded" && phase !== "Failed";
}

function readyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === "Ready");
}

/**
 * Whether the pod's `Ready` condition is `True`.
 *
 * @example
 * ```ts
 * isReady({ metadata: { name: "a" }, status: { conditions: [{ type: "Ready", status: "True" }] } }); // true
 * ```
 */
export function isReady(pod: Pod): boolean {
  return readyCondition(pod)?.status === "True";
}

/**
 * How many milliseconds until a ready pod becomes available (0: it is; undefined: it is not ready).
 * A ready condition without a transition time counts as ready for ever, as kube does.
 *
 * @example
 * ```ts
 * untilAvailable(pod, 10, Date.now()); // e.g. 4_200 while the pod has been ready for 5.8 s
 * ```
 */
export function untilAvailable(pod: Pod, minReadySeconds: number, now: number): number | undefined {
  if (!isReady(pod)) return undefined;
  if (minReadySeconds <= 0) return 0;
  const since = Date.parse(readyCondition(pod)?.lastTransitionTime ?? "");
  if (Number.isNaN(since)) return 0;
  return Math.max(0, since + minReadySeconds * 1000 - now);
}

function phaseRank(pod: Pod): number {
  switch (pod.status?.phase) {
    case "Pending":
      return 0;
    case "Unknown":
      return 1;
    case "Running":
      return 2;
    default:
      return 3;
  }
}

function deletionCost(pod: Pod): number {
  const cost = Number(pod.metadata.annotations?.[POD_DELETION_COST]);
  return Number.isFinite(cost) ? cost : 0;
}

function restarts(pod: Pod): number {
  return (pod.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
}

function time(text: string | undefined): number {
  const t = Date.parse(text ?? "");
  return Number.isNaN(t) ? 0 : t;
}

/**
 * Orders pods most-deletable first, as kube's `ActivePods` ranking: unassigned before assigned, Pending
 * before Unknown before Running, not ready before ready, lower deletion cost, ready for less time, more
 * restarts, then newer before older.
 *
 * @example
 * ```ts
 * const victims = [...pods].sort(deletionOrder).slice(0, surplus);
 * ```
 */
export function deletionOrder(a: Pod, b: Pod): number {
  const assigned = Number(Boolean(a.spec?.nodeName)) - Number(Boolean(b.spec?.nodeName));
  if (assigned !== 0) return assigned;
  const phase = phaseRank(a) - phaseRank(b);
  if (phase !== 0) return phase;
  const ready = Number(isReady(a)) - Number(isReady(b));
  if (ready !== 0) return ready;
  const cost = deletionCost(a) - deletionCost(b);
  if (cost !== 0) return cost;
  if (isReady(a) && isReady(b)) {
    // Ready more recently means ready for less time: delete it first.
    const since = time(readyCondition(b)?.lastTransitionTime) - time(readyCondition(a)?.lastTransitionTime);
    if (since !== 0) return since;
  }
  const restart = restarts(b) - restarts(a);
  if (restart !== 0) return restart;
  return time(b.metadata.creationTimestamp) - time(a.metadata.creationTimestamp);
}
