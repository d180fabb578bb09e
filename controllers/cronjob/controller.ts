/**
 * The CronJob controller, as kube-controller-manager's (v2): at each scheduled time it creates a Job from the job
 * template, honours suspend, the starting deadline and the concurrency policy (Allow, Forbid, Replace), runs only the
 * most recent of several missed times, keeps `status.active`, `lastScheduleTime` and `lastSuccessfulTime`, deletes
 * finished Jobs beyond the history limits, and looks at each CronJob again exactly when its next run is due.
 *
 * @module
 */
import { type Client, isAlreadyExists, isConflict, isNotFound } from "../../core/client/mod.ts";
import { parseCronSchedule } from "../../core/admission/cron.ts";
import {
  type Controller,
  controller,
  errorMessage,
  eventRecorder,
  type Manager,
  NAMESPACE_INDEX,
  type Result,
} from "../../core/operator/mod.ts";
import type { Registry } from "../../core/registry/registry.ts";
import {
  byStartTime,
  type CronJob,
  finishedAs,
  type Job,
  jobFromTemplate,
  jobName,
  type ObjectReference,
} from "./jobs.ts";
import { mostRecentScheduleTime, type Scheduled, untilNextSchedule, Zone } from "./schedule.ts";

/** Options of {@linkcode cronJobController}. */
export interface CronJobControllerOptions {
  /** The clock schedules are read against (tests move it); the wall clock by default. */
  now?: () => Date;
}

const JOB = { apiVersion: "batch/v1", kind: "Job" };
const CRONJOB = { apiVersion: "batch/v1", kind: "CronJob" };

function controlledBy(job: Job, cj: CronJob): boolean {
  return (job.metadata.ownerReferences ?? []).some((r) => r.controller && r.uid === cj.metadata.uid);
}

function referenceTo(job: Job): ObjectReference {
  return {
    kind: "Job",
    namespace: job.metadata.namespace,
    name: job.metadata.name,
    uid: job.metadata.uid,
    apiVersion: "batch/v1",
    resourceVersion: job.metadata.resourceVersion,
  };
}

/** metav1.Time: RFC 3339 in UTC, whole seconds. */
function metaTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Go's `time.RFC1123Z` in UTC, as kube words a missed start. */
function rfc1123z(ms: number): string {
  const [day, date, month, year, time] = new Date(ms).toUTCString().replace(",", "").split(" ");
  return `${day}, ${date} ${month} ${year} ${time} +0000`;
}

/**
 * The controller, for `batch/v1` CronJobs owning Jobs.
 *
 * @example
 * ```ts
 * manager.add(cronJobController({ client, registry, manager }));
 * manager.add(cronJobController(deps, { now: () => fakeClock })); // a test's clock
 * ```
 */
export function cronJobController(
  deps: { client: Client; registry: Registry; manager: Manager },
  options: CronJobControllerOptions = {},
): Controller {
  const { client, registry, manager } = deps;
  const cronjobs = registry.resolve("batch", "v1", "cronjobs")!;
  const jobs = registry.resolve("batch", "v1", "jobs")!;
  const clock = options.now ?? (() => new Date());
  const now = () => clock().getTime();
  const events = eventRecorder(client, "cronjob-controller");

  async function getJob(namespace: string, name: string): Promise<Job | undefined> {
    try {
      return await client.get<Job>(JOB, namespace, name);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  function removeActive(cj: CronJob, uid: string): void {
    const active = (cj.status?.active ?? []).filter((r) => r.uid !== uid);
    const { active: _, ...rest } = cj.status ?? {};
    cj.status = active.length ? { ...rest, active } : rest;
  }

  /** Deletes a Job (its pods follow in the background) and its active entry; false when the delete failed. */
  async function deleteJob(cj: CronJob, job: Job): Promise<boolean> {
    try {
      await client.delete(JOB, job.metadata.namespace, job.metadata.name, { propagationPolicy: "Background" });
    } catch (error) {
      events.event(cj, "Warning", "FailedDelete", `Deleted job: ${errorMessage(error)}`);
      return false;
    }
    removeActive(cj, job.metadata.uid);
    events.event(cj, "Normal", "SuccessfulDelete", `Deleted job ${job.metadata.name}`);
    return true;
  }

  /** Kube's `cleanupFinishedJobs`: the oldest finished Jobs beyond each history limit go. */
  async function cleanupFinishedJobs(cj: CronJob, owned: Job[]): Promise<boolean> {
    let changed = false;
    const limits = [
      ["Complete", cj.spec.successfulJobsHistoryLimit],
      ["Failed", cj.spec.failedJobsHistoryLimit],
    ] as const;
    for (const [outcome, limit] of limits) {
      if (limit === undefined) continue;
      const finished = owned.filter((j) => finishedAs(j) === outcome).sort(byStartTime);
      for (const job of finished.slice(0, Math.max(0, finished.length - limit))) {
        if (await deleteJob(cj, job)) changed = true;
      }
    }
    return changed;
  }

  /** Reconciles `status.active` with the Jobs that exist; returns the (possibly re-read) CronJob and whether it changed. */
  async function syncActive(cj: CronJob, owned: Job[]): Promise<{ cj: CronJob; changed: boolean }> {
    let changed = false;
    for (const job of owned) {
      const listed = (cj.status?.active ?? []).some((r) => r.uid === job.metadata.uid);
      const outcome = finishedAs(job);
      if (!listed && !outcome) {
        // The status may lag this controller's own write of it: trust a fresh read before complaining.
        const fresh = await client.get<CronJob>(CRONJOB, cj.metadata.namespace, cj.metadata.name);
        if ((fresh.status?.active ?? []).some((r) => r.uid === job.metadata.uid)) {
          cj = fresh;
          continue;
        }
        events.event(
          cj,
          "Warning",
          "UnexpectedJob",
          `Saw a job that the controller did not create or forgot: ${job.metadata.name}`,
        );
      } else if (listed && outcome) {
        removeActive(cj, job.metadata.uid);
        events.event(cj, "Normal", "SawCompletedJob", `Saw completed job: ${job.metadata.name}, status: ${outcome}`);
        changed = true;
      } else if (outcome === "Complete") {
        const completed = job.status?.completionTime;
        const last = cj.status?.lastSuccessfulTime;
        if (completed && (!last || Date.parse(completed) > Date.parse(last))) {
          cj.status = { ...cj.status, lastSuccessfulTime: completed };
          changed = true;
        }
      }
    }
    const present = new Set(owned.map((j) => j.metadata.uid));
    for (const ref of [...(cj.status?.active ?? [])]) {
      if (present.has(ref.uid!)) continue;
      // The Job cache may lag; only a Job the API does not have is missing.
      if (await getJob(ref.namespace ?? cj.metadata.namespace, ref.name ?? "")) continue;
      events.event(cj, "Normal", "MissingJob", `Active job went missing: ${ref.name}`);
      removeActive(cj, ref.uid!);
      changed = true;
    }
    return { cj, changed };
  }

  /** The schedule as kube's `formatSchedule` reads it, or undefined (with a Warning) when it cannot run. */
  function scheduleOf(cj: CronJob, zone: Zone): Scheduled | undefined {
    const raw = cj.spec.schedule;
    if (raw.includes("TZ")) {
      events.event(
        cj,
        "Warning",
        "UnsupportedSchedule",
        `CRON_TZ or TZ used in schedule "${raw}" is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`,
      );
    }
    try {
      return {
        schedule: parseCronSchedule(raw),
        zone,
        earliest: Date.parse(cj.status?.lastScheduleTime ?? cj.metadata.creationTimestamp),
        startingDeadlineSeconds: cj.spec.startingDeadlineSeconds,
      };
    } catch (error) {
      events.event(cj, "Warning", "UnparseableSchedule", `unparseable schedule: "${raw}" : ${errorMessage(error)}`);
      return undefined;
    }
  }

  function requeueAt(scheduled: Scheduled, at: number): Result | undefined {
    const ms = untilNextSchedule(scheduled, at);
    return ms === undefined ? undefined : { requeueAfterMs: Math.max(ms, 1) };
  }

  /** Kube's `syncCronJob` past the status bookkeeping: start the run that is due, if any. */
  async function startDueRun(cj: CronJob): Promise<{ result?: Result; changed: boolean }> {
    const at = now();
    let zone: Zone;
    try {
      zone = new Zone(cj.spec.timeZone);
    } catch {
      const tz = cj.spec.timeZone;
      events.event(cj, "Warning", "UnknownTimeZone", `invalid timeZone: "${tz}": unknown time zone ${tz}`);
      return { changed: false };
    }
    if (cj.spec.suspend) return { changed: false };
    const scheduled = scheduleOf(cj, zone);
    if (!scheduled) return { changed: false };
    let due: number | undefined;
    try {
      const found = mostRecentScheduleTime(scheduled, at, true);
      due = found.mostRecent;
      if (due !== undefined && found.missed === "many") {
        events.event(
          cj,
          "Warning",
          "TooManyMissedTimes",
          "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew",
        );
      }
    } catch (error) {
      events.event(cj, "Warning", "InvalidSchedule", `invalid schedule: ${cj.spec.schedule} : ${errorMessage(error)}`);
      return { changed: false };
    }
    const later = requeueAt(scheduled, at);
    if (due === undefined) return { result: later, changed: false };
    const deadline = cj.spec.startingDeadlineSeconds;
    if (deadline !== undefined && due + deadline * 1000 < at) {
      events.event(cj, "Warning", "MissSchedule", `Missed scheduled time to start a job: ${rfc1123z(due)}`);
      return { result: later, changed: false };
    }
    const name = jobName(cj.metadata.name, due);
    const active = cj.status?.active ?? [];
    const lastSchedule = Date.parse(cj.status?.lastScheduleTime ?? "");
    if (active.some((r) => r.name === name) || lastSchedule === due) return { result: later, changed: false };
    if (cj.spec.concurrencyPolicy === "Forbid" && active.length > 0) {
      events.event(
        cj,
        "Normal",
        "JobAlreadyActive",
        "Not starting job because prior execution is running and concurrency policy is Forbid",
      );
      return { result: later, changed: false };
    }
    let changed = false;
    if (cj.spec.concurrencyPolicy === "Replace") {
      for (const ref of [...active]) {
        let job: Job | undefined;
        try {
          job = await client.get<Job>(JOB, ref.namespace ?? cj.metadata.namespace, ref.name ?? "");
        } catch (error) {
          events.event(cj, "Warning", "FailedGet", `Get job: ${errorMessage(error)}`);
          throw error;
        }
        if (!await deleteJob(cj, job)) throw new Error(`could not replace job ${ref.namespace}/${ref.name}`);
        changed = true;
      }
    }
    let created: Job;
    try {
      created = await client.create(jobFromTemplate(cj, due, zone)) as Job;
      events.event(cj, "Normal", "SuccessfulCreate", `Created job ${created.metadata.name}`);
    } catch (error) {
      if (!isAlreadyExists(error)) {
        events.event(cj, "Warning", "FailedCreate", `Error creating job: ${errorMessage(error)}`);
        throw error;
      }
      // Created earlier, but the status write that should have recorded it was lost (or someone else made it).
      const existing = await client.get<Job>(JOB, cj.metadata.namespace, name);
      const listed = (cj.status?.active ?? []).some((r) => r.uid === existing.metadata.uid);
      if (!controlledBy(existing, cj) || listed) return { changed };
      created = existing;
    }
    cj.status = {
      ...cj.status,
      active: [...(cj.status?.active ?? []), referenceTo(created)],
      lastScheduleTime: metaTime(due),
    };
    return { result: later, changed: true };
  }

  return controller("cronjob")
    .for(cronjobs)
    .owns(jobs)
    .withOptions({ concurrency: 5 })
    .complete(async ({ key, namespace }) => {
      const cached = manager.cache(cronjobs).get(key) as CronJob | undefined;
      if (!cached) return;
      const owned = (manager.cache(jobs).byIndex(NAMESPACE_INDEX, namespace!) as Job[])
        .filter((j) =>
          (j.metadata.ownerReferences ?? []).some((r) =>
            r.controller && r.kind === "CronJob" && r.name === cached.metadata.name
          )
        );
      let cj = structuredClone(cached);
      const cleaned = await cleanupFinishedJobs(cj, owned);
      const synced = await syncActive(cj, owned);
      cj = synced.cj;
      let changed = cleaned || synced.changed;
      let result: Result | undefined;
      let failure: unknown;
      if (!cj.metadata.deletionTimestamp) {
        try {
          const started = await startDueRun(cj);
          result = started.result;
          changed ||= started.changed;
        } catch (error) {
          failure = error;
        }
      }
      if (changed) {
        try {
          await client.updateStatus(cj);
        } catch (error) {
          // The cached CronJob is stale; its newer version is on its way and brings another sync.
          if (isConflict(error)) return { requeue: true };
          throw error;
        }
      }
      if (failure && !result) throw failure;
      return result;
    });
}
