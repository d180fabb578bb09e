/**
 * A Deployment's `status`, after kube's `calculateStatus` and `syncRolloutStatus`: counts summed over
 * its ReplicaSets plus the `Available` and `Progressing` conditions.
 *
 * @module
 */
import type { Deployment, OwnedReplicaSet } from "./controller.ts";
import { fenceposts } from "./rolling.ts";

/** One entry of `status.conditions`. */
export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

/** `status` as this controller writes it. */
export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: Condition[];
  [field: string]: unknown;
}

const sum = (rss: OwnedReplicaSet[], f: (rs: OwnedReplicaSet) => number | undefined) =>
  rss.reduce((n, rs) => n + (f(rs) ?? 0), 0);

/**
 * The status a Deployment should have given its new and old ReplicaSets and what this sync did
 * (`created` the new ReplicaSet, `scaled` one, or `none`); `now` stamps changed conditions.
 *
 * @example
 * ```ts
 * const status = statusFor(deployment, newRs, olds, "created", new Date().toISOString());
 * status.conditions?.find((c) => c.type === "Progressing")?.reason; // "NewReplicaSetCreated"
 * ```
 */
export function statusFor(
  d: Deployment,
  newRs: OwnedReplicaSet,
  olds: OwnedReplicaSet[],
  action: "created" | "scaled" | "none",
  now: string,
): DeploymentStatus {
  const all = [newRs, ...olds];
  const replicas = d.spec.replicas ?? 1;
  const available = sum(all, (rs) => rs.status?.availableReplicas);
  const status: DeploymentStatus = {
    ...d.status,
    observedGeneration: d.metadata.generation,
    replicas: sum(all, (rs) => rs.status?.replicas),
    updatedReplicas: newRs.status?.replicas ?? 0,
    readyReplicas: sum(all, (rs) => rs.status?.readyReplicas),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, sum(all, (rs) => rs.spec.replicas) - available),
  };

  const { maxUnavailable } = fenceposts(d.spec.strategy, replicas);
  const minimumMet = available >= replicas - maxUnavailable;
  let conditions = setCondition(d.status?.conditions, {
    type: "Available",
    status: minimumMet ? "True" : "False",
    reason: minimumMet ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
    message: minimumMet ? "Deployment has minimum availability." : "Deployment does not have minimum availability.",
  }, now);

  const name = newRs.metadata.name;
  const complete = status.updatedReplicas === replicas && status.replicas === replicas && available === replicas &&
    (newRs.spec.replicas ?? 0) === replicas && olds.every((rs) => (rs.status?.replicas ?? 0) === 0);
  const previous = d.status?.conditions?.find((c) => c.type === "Progressing");
  let progressing: Omit<Condition, "lastUpdateTime" | "lastTransitionTime"> | undefined;
  if (complete) {
    progressing = {
      type: "Progressing",
      status: "True",
      reason: "NewReplicaSetAvailable",
      message: `ReplicaSet "${name}" has successfully progressed.`,
    };
  } else if (action === "created") {
    progressing = {
      type: "Progressing",
      status: "True",
      reason: "NewReplicaSetCreated",
      message: `Created new replica set "${name}"`,
    };
  } else if (action === "scaled") {
    progressing = {
      type: "Progressing",
      status: "True",
      reason: "ReplicaSetUpdated",
      message: `ReplicaSet "${name}" is progressing.`,
    };
  } else if (!previous || previous.reason === "NewReplicaSetAvailable") {
    progressing = {
      type: "Progressing",
      status: "True",
      reason: "FoundNewReplicaSet",
      message: `Found new replica set "${name}"`,
    };
  }
  if (progressing) conditions = setCondition(conditions, progressing, now);
  status.conditions = conditions;
  return status;
}

/** Replaces the condition of the same type, keeping its timestamps when nothing about it changed. */
function setCondition(
  conditions: Condition[] | undefined,
  next: Omit<Condition, "lastUpdateTime" | "lastTransitionTime">,
  now: string,
): Condition[] {
  const current = conditions?.find((c) => c.type === next.type);
  const others = (conditions ?? []).filter((c) => c.type !== next.type);
  if (current && current.status === next.status && current.reason === next.reason && current.message === next.message) {
    return [...others, current];
  }
  const transition = current && current.status === next.status ? current.lastTransitionTime : now;
  return [...others, { ...next, lastUpdateTime: now, lastTransitionTime: transition }];
}

/**
 * Whether writing `next` would change nothing that matters (so the write is skipped).
 *
 * @example
 * ```ts
 * unchangedStatus({ replicas: 1 }, { replicas: 1 }); // true
 * ```
 */
export function unchangedStatus(current: DeploymentStatus | undefined, next: DeploymentStatus): boolean {
  const fields = [
    "observedGeneration",
    "replicas",
    "updatedReplicas",
    "readyReplicas",
    "availableReplicas",
    "unavailableReplicas",
  ];
  if (fields.some((f) => (current?.[f] ?? 0) !== (next[f] ?? 0))) return false;
  const key = (cs: Condition[] | undefined) =>
    JSON.stringify(
      [...(cs ?? [])].sort((a, b) => (a.type < b.type ? -1 : 1)).map((c) => [c.type, c.status, c.reason, c.message]),
    );
  return key(current?.conditions) === key(next.conditions);
}
