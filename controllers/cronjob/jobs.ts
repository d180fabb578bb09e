/**
 * The Jobs a CronJob runs: made from its job template under a name fixed by the scheduled minute (so one run is never
 * created twice), and read back for whether and how they finished.
 *
 * @module
 */
import type { KubeObject, OwnerReference } from "../../core/operator/mod.ts";
import type { Zone } from "./schedule.ts";

/** The annotation carrying a Job's scheduled time (kube's `CronJobScheduledTimestampAnnotation`). */
export const SCHEDULED_TIMESTAMP_ANNOTATION = "batch.kubernetes.io/cronjob-scheduled-timestamp";

interface JobCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
}

/** The parts of a Job the CronJob controller reads. */
export interface Job extends KubeObject {
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    resourceVersion?: string;
    ownerReferences?: OwnerReference[];
  };
  status?: { startTime?: string; completionTime?: string; conditions?: JobCondition[] };
}

/** The parts of a CronJob the controller reads. */
export interface CronJob extends KubeObject {
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    creationTimestamp: string;
    resourceVersion?: string;
    deletionTimestamp?: string;
  };
  spec: {
    schedule: string;
    timeZone?: string;
    startingDeadlineSeconds?: number;
    concurrencyPolicy?: "Allow" | "Forbid" | "Replace";
    suspend?: boolean;
    successfulJobsHistoryLimit?: number;
    failedJobsHistoryLimit?: number;
    jobTemplate: {
      metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
      spec?: Record<string, unknown>;
    };
  };
  status?: CronJobStatus;
}

/** A reference in `status.active`. */
export interface ObjectReference {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  resourceVersion?: string;
}

/** `status` of a CronJob. */
export interface CronJobStatus {
  active?: ObjectReference[];
  lastScheduleTime?: string;
  lastSuccessfulTime?: string;
}

/**
 * How a Job finished: `Complete` or `Failed` (a True condition of that type), or undefined while it runs.
 *
 * @example
 * ```ts
 * finishedAs(job); // "Complete"
 * ```
 */
export function finishedAs(job: Job): "Complete" | "Failed" | undefined {
  const c = job.status?.conditions?.find((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True");
  return c?.type as "Complete" | "Failed" | undefined;
}

/**
 * The Job name of a run: the CronJob's name and the scheduled time in minutes since the epoch.
 *
 * @example
 * ```ts
 * jobName("hello", Date.parse("2024-01-01T00:00:00Z")); // "hello-28401120"
 * ```
 */
export function jobName(cronJobName: string, scheduledMs: number): string {
  return `${cronJobName}-${Math.floor(scheduledMs / 60_000)}`;
}

/**
 * `ms` as RFC 3339 on `zone`'s clock (Go's `time.RFC3339`): "Z" in UTC, the offset elsewhere.
 *
 * @example
 * ```ts
 * rfc3339(Date.parse("2024-01-01T00:00:00Z"), new Zone("Asia/Tokyo")); // "2024-01-01T09:00:00+09:00"
 * ```
 */
export function rfc3339(ms: number, zone: Zone): string {
  const offset = zone.offset(ms);
  const local = new Date(Math.floor(ms / 1000) * 1000 + offset).toISOString().slice(0, 19);
  if (offset === 0) return `${local}Z`;
  const minutes = Math.abs(offset) / 60_000;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${local}${offset < 0 ? "-" : "+"}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/**
 * Kube's `getJobFromTemplate2`: the Job of the run scheduled at `scheduledMs`, controlled by the CronJob.
 *
 * @example
 * ```ts
 * await client.create(jobFromTemplate(cronJob, scheduled, zone));
 * ```
 */
export function jobFromTemplate(
  cj: CronJob,
  scheduledMs: number,
  zone: Zone,
): KubeObject & { apiVersion: string; kind: string } {
  const template = cj.spec.jobTemplate;
  const labels = template.metadata?.labels ?? {};
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name: jobName(cj.metadata.name, scheduledMs),
      namespace: cj.metadata.namespace,
      ...(Object.keys(labels).length ? { labels: { ...labels } } : {}),
      annotations: { ...template.metadata?.annotations, [SCHEDULED_TIMESTAMP_ANNOTATION]: rfc3339(scheduledMs, zone) },
      ownerReferences: [{
        apiVersion: "batch/v1",
        kind: "CronJob",
        name: cj.metadata.name,
        uid: cj.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      }],
    },
    spec: structuredClone(template.spec ?? {}),
  };
}

function startTime(job: Job): number | undefined {
  const t = Date.parse(job.status?.startTime ?? "");
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Kube's `byJobStartTime`: oldest start first, Jobs not started last, names breaking ties.
 *
 * @example
 * ```ts
 * const oldestFirst = [...jobs].sort(byStartTime);
 * ```
 */
export function byStartTime(a: Job, b: Job): number {
  const ta = startTime(a), tb = startTime(b);
  if (ta === undefined || tb === undefined) return ta === tb ? 0 : ta === undefined ? 1 : -1;
  if (ta !== tb) return ta - tb;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}
