/**
 * The Job as its controller reads and writes it: spec and status fields, the condition types and reasons of
 * batch/v1 (1.32: `SuccessCriteriaMet` / `FailureTarget` come before `Complete` / `Failed`), and condition helpers.
 *
 * @module
 */
import type { KubeObject, OwnerReference } from "../../core/operator/mod.ts";
import type { LabelSelector } from "../../core/api/label_selector.ts";

/** The finalizer on every pod a Job creates, removed once the pod is counted in the Job's status. */
export const TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
/** The annotation (and label) holding an Indexed Job pod's completion index. */
export const COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";
/** Failures an index has counted so far (backoffLimitPerIndex). */
export const INDEX_FAILURE_COUNT = "batch.kubernetes.io/job-index-failure-count";
/** Failures an index has ignored through the pod failure policy (backoffLimitPerIndex). */
export const INDEX_IGNORED_FAILURE_COUNT = "batch.kubernetes.io/job-index-ignored-failure-count";
/** `spec.managedBy` value meaning this controller. */
export const JOB_CONTROLLER_NAME = "kubernetes.io/job-controller";

/** A `status.conditions` entry. */
export interface JobCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastProbeTime?: string;
  lastTransitionTime?: string;
}

/** A pod failure policy rule (batch/v1 `PodFailurePolicyRule`). */
export interface PodFailurePolicyRule {
  action: "FailJob" | "FailIndex" | "Ignore" | "Count";
  onExitCodes?: { containerName?: string; operator: "In" | "NotIn"; values: number[] };
  onPodConditions?: { type: string; status?: string }[];
}

/** A success policy rule (batch/v1 `SuccessPolicyRule`). */
export interface SuccessPolicyRule {
  succeededIndexes?: string;
  succeededCount?: number;
}

/** `status` of a Job. */
export interface JobStatus {
  conditions?: JobCondition[];
  startTime?: string;
  completionTime?: string;
  active?: number;
  succeeded?: number;
  failed?: number;
  terminating?: number;
  ready?: number;
  completedIndexes?: string;
  failedIndexes?: string;
  uncountedTerminatedPods?: { succeeded?: string[]; failed?: string[] };
}

/** The parts of a Job the controller reads (after the API server's defaults). */
export interface Job extends KubeObject {
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    resourceVersion?: string;
    generation?: number;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    ownerReferences?: OwnerReference[];
  };
  spec: {
    parallelism?: number;
    completions?: number;
    completionMode?: "NonIndexed" | "Indexed";
    backoffLimit?: number;
    backoffLimitPerIndex?: number;
    maxFailedIndexes?: number;
    activeDeadlineSeconds?: number;
    suspend?: boolean;
    managedBy?: string;
    podReplacementPolicy?: "TerminatingOrFailed" | "Failed";
    podFailurePolicy?: { rules: PodFailurePolicyRule[] };
    successPolicy?: { rules: SuccessPolicyRule[] };
    selector?: LabelSelector;
    ttlSecondsAfterFinished?: number;
    template: {
      metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[] };
      spec?: { restartPolicy?: string; [field: string]: unknown };
    };
  };
  status?: JobStatus;
}

/**
 * A condition as kube's `newCondition` makes it, both times set to `now`.
 *
 * @example
 * ```ts
 * newCondition("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit", new Date());
 * ```
 */
export function newCondition(type: string, reason: string, message: string, now: Date, status = "True"): JobCondition {
  const time = metaTime(now);
  return { type, status, lastProbeTime: time, lastTransitionTime: time, reason, message };
}

/**
 * metav1.Time: RFC 3339 in UTC, whole seconds.
 *
 * @example
 * ```ts
 * metaTime(new Date("2024-01-01T10:00:00.750Z")); // "2024-01-01T10:00:00Z"
 * ```
 */
export function metaTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * The condition of `type` with status True, if any.
 *
 * @example
 * ```ts
 * trueCondition(job, "FailureTarget")?.reason; // "PodFailurePolicy"
 * ```
 */
export function trueCondition(job: Job, type: string): JobCondition | undefined {
  return job.status?.conditions?.find((c) => c.type === type && c.status === "True");
}

/**
 * Whether the Job has finished: a True `Complete` or `Failed` condition.
 *
 * @example
 * ```ts
 * if (isFinished(job)) return;
 * ```
 */
export function isFinished(job: Job): boolean {
  return Boolean(trueCondition(job, "Complete") ?? trueCondition(job, "Failed"));
}

/**
 * Kube's `ensureJobConditionStatus`: sets condition `type` to `status`, replacing it if status, reason or message
 * differ; a False condition is never added where none was. Returns whether the list changed.
 *
 * @example
 * ```ts
 * if (ensureCondition(job.status, "Suspended", "True", "JobSuspended", "Job suspended", now)) emitSuspended();
 * ```
 */
export function ensureCondition(
  status: JobStatus,
  type: string,
  value: "True" | "False",
  reason: string,
  message: string,
  now: Date,
): boolean {
  const conditions = status.conditions ?? [];
  const i = conditions.findIndex((c) => c.type === type);
  if (i >= 0) {
    const c = conditions[i];
    if (c.status === value && (c.reason ?? "") === reason && (c.message ?? "") === message) return false;
    conditions[i] = newCondition(type, reason, message, now, value);
  } else {
    if (value === "False") return false;
    conditions.push(newCondition(type, reason, message, now, value));
  }
  status.conditions = conditions;
  return true;
}

/**
 * Whether the Job is Indexed.
 *
 * @example
 * ```ts
 * isIndexed({ ...job, spec: { ...job.spec, completionMode: "Indexed" } }); // true
 * ```
 */
export function isIndexed(job: Job): boolean {
  return job.spec.completionMode === "Indexed";
}

/**
 * Whether only pods that reached the Failed phase are replaced (kube's `onlyReplaceFailedPods`): with
 * `podReplacementPolicy: Failed`, which a pod failure policy implies.
 *
 * @example
 * ```ts
 * onlyReplaceFailedPods(job); // true when spec.podFailurePolicy is set
 * ```
 */
export function onlyReplaceFailedPods(job: Job): boolean {
  return job.spec.podReplacementPolicy === "Failed" || job.spec.podFailurePolicy !== undefined;
}

/**
 * Whether the Job counts failures per index (`backoffLimitPerIndex` on an Indexed Job).
 *
 * @example
 * ```ts
 * hasBackoffLimitPerIndex(job); // false for NonIndexed Jobs
 * ```
 */
export function hasBackoffLimitPerIndex(job: Job): boolean {
  return job.spec.backoffLimitPerIndex !== undefined && isIndexed(job);
}

/**
 * The status as kube serialises it: zero counters and empty lists left out.
 *
 * @example
 * ```ts
 * await client.updateStatus({ ...job, status: cleanStatus(status) });
 * ```
 */
export function cleanStatus(status: JobStatus): JobStatus {
  const out: JobStatus = { ...status };
  for (const field of ["active", "succeeded", "failed"] as const) if (!out[field]) delete out[field];
  if (!out.completedIndexes) delete out.completedIndexes;
  const uncounted = { ...out.uncountedTerminatedPods };
  if (!uncounted.succeeded?.length) delete uncounted.succeeded;
  if (!uncounted.failed?.length) delete uncounted.failed;
  out.uncountedTerminatedPods = uncounted;
  return out;
}
