/**
 * The Job controller, as kube-controller-manager 1.32's: it runs a Job's pods to `completions` successes
 * (`min(parallelism, remaining)` at a time; NonIndexed or Indexed), replaces failed ones after an exponential back-off,
 * and fails the Job on its back-off limit, active deadline or pod failure policy; it deletes the pods of a suspended
 * Job. Every pod carries the `batch.kubernetes.io/job-tracking` finalizer until it is counted: finished pods first go
 * into `status.uncountedTerminatedPods`, then lose the finalizer, then move into `succeeded` / `failed`, so a pod
 * deleted at any point is counted exactly once. A finishing Job first gets `SuccessCriteriaMet` / `FailureTarget`, and
 * `Complete` / `Failed` once no pod is left terminating.
 *
 * @module
 */
import { type Client, isConflict, isNotFound } from "../../core/client/mod.ts";
import { matchesSelector } from "../../core/api/label_selector.ts";
import {
  claimObjects,
  type Controller,
  controller,
  CONTROLLER_INDEX,
  controllerRef,
  errorMessage,
  eventRecorder,
  type KubeObject,
  type Manager,
  NAMESPACE_INDEX,
  objectKey,
  orphansOf,
  type Result,
} from "../../core/operator/mod.ts";
import type { Registry } from "../../core/registry/registry.ts";
import { isReady, podExpectations } from "../replicaset/mod.ts";
import { BackoffStore, DEFAULT_BACKOFF_BASE_MS, DEFAULT_BACKOFF_MAX_MS, remainingBackoff } from "./backoff.ts";
import { FinalizerRemovals, removeTrackingFinalizer } from "./finalizer_removals.ts";
import { firstPendingIndexes, OrderedIntervals } from "./indexes.ts";
import {
  cleanStatus,
  ensureCondition,
  hasBackoffLimitPerIndex,
  INDEX_FAILURE_COUNT,
  INDEX_IGNORED_FAILURE_COUNT,
  isFinished,
  isIndexed,
  type Job,
  JOB_CONTROLLER_NAME,
  type JobStatus,
  metaTime,
  newCondition,
  onlyReplaceFailedPods,
  TRACKING_FINALIZER,
  trueCondition,
} from "./job.ts";
import { matchPodFailurePolicy } from "./pod_failure_policy.ts";
import { type IndexFailures, podFromTemplate } from "./pod_template.ts";
import {
  absoluteFailureCount,
  activePodsForRemoval,
  annotationCount,
  byIndex,
  completionIndex,
  finishedTime,
  hasTrackingFinalizer,
  isActive,
  isPodFailed,
  isTerminating,
  pastBackoffLimitOnFailure,
  type Pod,
  validIndex,
} from "./pods.ts";
import { matchSuccessPolicy } from "./success_policy.ts";
import type { SyncContext } from "./sync_context.ts";

/** Options of {@linkcode jobController}. */
export interface JobControllerOptions {
  /** The first pod-failure back-off (kube: 10 s); each further consecutive failure doubles it. */
  backoffBaseMs?: number;
  /** The back-off's cap (kube 1.32: 10 min). */
  backoffMaxMs?: number;
}

/** Kube's `MaxPodCreateDeletePerSync`. */
const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
/** Kube's `MaxUncountedPods`: keeps `status.uncountedTerminatedPods` small. */
const MAX_UNCOUNTED_PODS = 500;
/** How soon to look again while the cache has not caught up with this controller's own pod writes. */
const EXPECTATION_RECHECK_MS = 200;
const POD = { apiVersion: "v1", kind: "Pod" };
const JOB_REF = { apiVersion: "batch/v1", kind: "Job" };

/**
 * The controller syncing `batch/v1` Jobs with the `v1` Pods they own (kube's `syncJob` loop).
 *
 * @example
 * ```ts
 * manager.add(jobSyncController({ client, registry, manager }));
 * jobSyncController(deps, { backoffBaseMs: 100 }); // fast back-off for tests
 * ```
 */
export function jobSyncController(
  deps: { client: Client; registry: Registry; manager: Manager },
  options: JobControllerOptions = {},
): Controller {
  const { client, registry, manager } = deps;
  const jobs = registry.resolve("batch", "v1", "jobs")!;
  const pods = registry.resolve("", "v1", "pods")!;
  const backoffBase = options.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS;
  const backoffMax = options.backoffMaxMs ?? DEFAULT_BACKOFF_MAX_MS;
  const events = eventRecorder(client, "job-controller");
  const jobCache = () => manager.cache(jobs);
  const expectations = podExpectations(manager, pods);
  const removals = new FinalizerRemovals();
  const backoffs = new BackoffStore();

  function requeueIn(ctx: SyncContext, ms: number): void {
    const bounded = Math.max(ms, 1);
    ctx.requeueMs = Math.min(ctx.requeueMs ?? bounded, bounded);
  }

  /** Orphan pods concern every Job in their namespace that selects them. */
  function selectingOrphan(pod: KubeObject): string[] {
    if (controllerRef(pod) || pod.metadata?.deletionTimestamp) return [];
    return (jobCache().byIndex(NAMESPACE_INDEX, pod.metadata?.namespace ?? "") as Job[])
      .filter((job) => job.spec?.selector && matchesSelector(job.spec.selector, pod.metadata?.labels))
      .map((job) => objectKey(job));
  }

  /** Kube's `getPodsForJob` / `ClaimPods`: owned pods that match, orphans adopted (with the finalizer), others released. */
  async function claimPods(job: Job): Promise<Pod[]> {
    const selector = job.spec.selector;
    const cache = manager.cache(pods);
    const candidates = [
      ...cache.byIndex(CONTROLLER_INDEX, job.metadata.uid),
      ...cache.byIndex(CONTROLLER_INDEX, orphansOf(job.metadata.namespace)),
    ] as Pod[];
    return await claimObjects(
      client,
      POD,
      { ...JOB_REF, metadata: job.metadata },
      candidates,
      (pod) => selector !== undefined && matchesSelector(selector, pod.metadata.labels),
      TRACKING_FINALIZER,
    );
  }

  /** Deletes pods and records it; `keepFinalizer` false first removes the tracking finalizer (the pod is not counted). */
  async function deletePods(
    ctx: SyncContext,
    victims: Pod[],
    keepFinalizer: boolean,
  ): Promise<{ deleted: number; deletedReady: number; error?: unknown }> {
    let deleted = 0, deletedReady = 0;
    let error: unknown;
    await Promise.all(victims.map(async (pod) => {
      try {
        if (!keepFinalizer && hasTrackingFinalizer(pod)) await removeTrackingFinalizer(client, pod);
        await client.delete(POD, pod.metadata.namespace, pod.metadata.name);
        events.event(ctx.job, "Normal", "SuccessfulDelete", `Deleted pod: ${pod.metadata.name}`);
      } catch (e) {
        if (!isNotFound(e)) {
          events.event(ctx.job, "Warning", "FailedDelete", `Error deleting: ${errorMessage(e)}`);
          error ??= e;
          return;
        }
      }
      if (!keepFinalizer) expectations.deleted(ctx.key, ctx.job.metadata.uid, pod.metadata.uid!);
      deleted++;
      if (isReady(pod)) deletedReady++;
    }));
    return { deleted, deletedReady, error };
  }

  /** Creates `count` pods (for `indexes` when Indexed) in slow-start batches; returns how many were created. */
  async function createPods(
    ctx: SyncContext,
    count: number,
    indexes: number[] | undefined,
  ): Promise<{ created: number; error?: unknown }> {
    const job = ctx.job;
    let created = 0;
    let batch = Math.min(count, 1);
    while (created < count) {
      const slots = Array.from({ length: batch }, (_, i) => indexes?.[created + i]);
      const results = await Promise.allSettled(slots.map(async (ix) => {
        const failures = ix !== undefined && hasBackoffLimitPerIndex(job)
          ? newIndexFailures(job, ctx.delayedDeletion.get(ix))
          : undefined;
        const pod = await client.create(podFromTemplate(job, ix, failures));
        expectations.created(ctx.key, job.metadata.uid, pod.metadata?.resourceVersion);
        events.event(job, "Normal", "SuccessfulCreate", `Created pod: ${pod.metadata?.name}`);
      }));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      created += results.filter((r) => r.status === "fulfilled").length;
      if (failed) {
        events.event(job, "Warning", "FailedCreate", `Error creating: ${errorMessage(failed.reason)}`);
        return { created, error: failed.reason };
      }
      batch = Math.min(2 * batch, count - created);
    }
    return { created };
  }

  /** Kube's `getNewIndexFailureCounts`: the failure counts a replacement inherits from the pod it replaces. */
  function newIndexFailures(job: Job, replaced: Pod | undefined): IndexFailures {
    if (!replaced) return { failed: 0, ignored: 0 };
    const failures = {
      failed: annotationCount(replaced, INDEX_FAILURE_COUNT),
      ignored: annotationCount(replaced, INDEX_IGNORED_FAILURE_COUNT),
    };
    if (matchPodFailurePolicy(job, replaced).countFailed) failures.failed++;
    else failures.ignored++;
    return failures;
  }

  /** Kube's `manageJob`: deletes surplus pods or creates missing ones; returns the active count afterwards. */
  async function manageJob(ctx: SyncContext): Promise<{ active: number; error?: unknown }> {
    const job = ctx.job;
    const active = ctx.active.length;
    if (job.spec.suspend) {
      const { deleted, deletedReady, error } = await deletePods(
        ctx,
        activePodsForRemoval(job, ctx.active, active),
        false,
      );
      ctx.terminating += deleted;
      ctx.ready -= deletedReady;
      return { active: active - deleted, error };
    }
    const parallelism = job.spec.parallelism ?? 1;
    const completions = job.spec.completions;
    // Without completions, any success means the work is done: leave what runs, start nothing new.
    const wantActive = completions === undefined
      ? (ctx.succeeded > 0 ? active : parallelism)
      : Math.max(0, Math.min(completions - ctx.succeeded, parallelism));
    const surplus = activePodsForRemoval(job, ctx.active, Math.max(0, active - wantActive))
      .slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
    if (surplus.length > 0) {
      // One sync either deletes or creates; deleting comes first.
      const { deleted, deletedReady, error } = await deletePods(ctx, surplus, false);
      ctx.terminating += deleted;
      ctx.ready -= deletedReady;
      return { active: active - deleted, error };
    }
    const terminating = onlyReplaceFailedPods(job) ? ctx.terminating : 0;
    let diff = Math.min(wantActive - terminating - active, MAX_POD_CREATE_DELETE_PER_SYNC);
    if (diff <= 0) return { active };
    if (!hasBackoffLimitPerIndex(job)) {
      const wait = remainingBackoff(
        ctx.backoff.failuresAfterLastSuccess,
        ctx.backoff.lastFailureTime,
        ctx.now.getTime(),
        backoffBase,
        backoffMax,
      );
      if (wait > 0) {
        requeueIn(ctx, wait);
        return { active };
      }
    }
    let indexes: number[] | undefined;
    if (isIndexed(job)) {
      let taken = ctx.succeededIndexes.withIndexes(ctx.active.map(completionIndex).filter((i) => i !== undefined));
      if (onlyReplaceFailedPods(job)) {
        taken = taken.withIndexes(ctx.pods.filter(isTerminating).map(completionIndex).filter((i) => i !== undefined));
      }
      if (ctx.failedIndexes) taken = taken.merge(ctx.failedIndexes);
      indexes = firstPendingIndexes(taken, diff, completions ?? 0);
      if (hasBackoffLimitPerIndex(job)) {
        const waits = indexes.map((ix) => remainingIndexBackoff(ctx, ix));
        const ready = indexes.filter((_, i) => waits[i] === 0);
        if (ready.length === 0 && indexes.length > 0) {
          requeueIn(ctx, Math.min(...waits));
          return { active };
        }
        indexes = ready;
      }
      diff = indexes.length;
    }
    const { created, error } = await createPods(ctx, diff, indexes);
    return { active: active + created, error };
  }

  /** Kube's `getRemainingTimePerIndex`, from the failed pod an index's next pod replaces. */
  function remainingIndexBackoff(ctx: SyncContext, ix: number): number {
    const last = ctx.delayedDeletion.get(ix);
    if (!last) return 0;
    return remainingBackoff(
      absoluteFailureCount(last) + 1,
      finishedTime(last),
      ctx.now.getTime(),
      backoffBase,
      backoffMax,
    );
  }

  /** Kube's `getValidPodsWithFilter`: uncounted pods with the finalizer (and a valid index, when Indexed). */
  function countable(ctx: SyncContext, skip: Set<string>, keep: (pod: Pod) => boolean): Pod[] {
    return ctx.pods.filter((p) => {
      const uid = p.metadata.uid!;
      if (!hasTrackingFinalizer(p) || skip.has(uid) || ctx.removing.has(uid)) return false;
      if (isIndexed(ctx.job) && validIndex(p, ctx.job) === undefined) return false;
      return keep(p);
    });
  }

  function isIndexFailed(job: Job, pod: Pod): boolean {
    if (!isPodFailed(pod, job)) return false;
    const match = matchPodFailurePolicy(job, pod);
    if (match.action === "FailIndex") return true;
    return match.countFailed && annotationCount(pod, INDEX_FAILURE_COUNT) >= (job.spec.backoffLimitPerIndex ?? 0);
  }

  /** Kube's `getPodsWithDelayedDeletionPerIndex`: per pending index, the latest failed pod, kept for its failure count. */
  function podsWithDelayedDeletion(ctx: SyncContext): Map<number, Pod> {
    const activeIndexes = new Set(ctx.active.map(completionIndex));
    const result = new Map<number, Pod>();
    for (const pod of countable(ctx, new Set(), (p) => isPodFailed(p, ctx.job))) {
      const ix = completionIndex(pod)!;
      if (ctx.succeededIndexes.has(ix) || ctx.failedIndexes?.has(ix) || activeIndexes.has(ix)) continue;
      const kept = result.get(ix);
      if (
        !kept || (absoluteFailureCount(kept) <= absoluteFailureCount(pod) && finishedTime(pod) >= finishedTime(kept))
      ) result.set(ix, pod);
    }
    return result;
  }

  /** Kube's `canRemoveFinalizer`. */
  function canRemoveFinalizer(ctx: SyncContext, pod: Pod, failed: boolean): boolean {
    if (ctx.job.metadata.deletionTimestamp || ctx.finished || pod.status?.phase === "Succeeded") return true;
    if (!failed) return false;
    const ix = completionIndex(pod);
    return !(hasBackoffLimitPerIndex(ctx.job) && ix !== undefined &&
      ctx.delayedDeletion.get(ix)?.metadata.uid === pod.metadata.uid);
  }

  /** Kube's `cleanUncountedPodsWithoutFinalizers`: uncounted pods that lost the finalizer move into the counters. */
  function countUncounted(status: JobStatus, withFinalizer: Set<string>): boolean {
    const uncounted = status.uncountedTerminatedPods ??= {};
    let changed = false;
    for (const [list, counter] of [["succeeded", "succeeded"], ["failed", "failed"]] as const) {
      const before = uncounted[list] ?? [];
      const still = before.filter((uid) => withFinalizer.has(uid));
      if (still.length !== before.length) {
        status[counter] = (status[counter] ?? 0) + before.length - still.length;
        uncounted[list] = still;
        changed = true;
      }
    }
    return changed;
  }

  async function writeStatus(ctx: SyncContext): Promise<void> {
    ctx.job = await client.updateStatus<Job>({ ...ctx.job, status: cleanStatus(ctx.job.status ?? {}) });
    ctx.job.status ??= {};
    ctx.job.status.uncountedTerminatedPods ??= {};
  }

  /** Kube's `trackJobStatusAndRemoveFinalizers` with `flushUncountedAndRemoveFinalizers` and `enactJobFinished`. */
  async function trackStatus(ctx: SyncContext, needsFlush: boolean): Promise<void> {
    const job = ctx.job;
    const status = job.status!;
    const indexed = isIndexed(job);
    const candidates = indexed ? [...ctx.pods].sort(byIndex) : ctx.pods;
    const withFinalizer = new Set(
      candidates.filter((p) => hasTrackingFinalizer(p) && !ctx.removing.has(p.metadata.uid!)).map((p) =>
        p.metadata.uid!
      ),
    );
    if (countUncounted(status, withFinalizer)) needsFlush = true;
    const uncounted = status.uncountedTerminatedPods!;
    uncounted.succeeded ??= [];
    uncounted.failed ??= [];
    const toRemove: Pod[] = [];
    const newSucceededIndexes: number[] = [];
    let reachedMax = false;
    for (const pod of candidates) {
      const uid = pod.metadata.uid!;
      if (!hasTrackingFinalizer(pod) || ctx.removing.has(uid)) continue;
      const failed = isPodFailed(pod, job);
      if (!canRemoveFinalizer(ctx, pod, failed)) continue;
      toRemove.push(pod);
      if (pod.status?.phase === "Succeeded" && !ctx.uncounted.failed.has(uid)) {
        if (indexed) {
          const ix = validIndex(pod, job);
          if (ix !== undefined && !ctx.prevSucceededIndexes.has(ix)) {
            newSucceededIndexes.push(ix);
            needsFlush = true;
          }
        } else if (!ctx.uncounted.succeeded.has(uid)) {
          uncounted.succeeded.push(uid);
          needsFlush = true;
        }
      } else if (failed || (ctx.finished && ctx.finished.type !== "SuccessCriteriaMet")) {
        // Once the Job fails, a pod that did not succeed counts as failed.
        const countsHere = !indexed || validIndex(pod, job) !== undefined;
        if (!ctx.uncounted.failed.has(uid) && countsHere && matchPodFailurePolicy(job, pod).countFailed) {
          uncounted.failed.push(uid);
          needsFlush = true;
        }
      }
      if (newSucceededIndexes.length + uncounted.succeeded.length + uncounted.failed.length >= MAX_UNCOUNTED_PODS) {
        // The rest wait for the next sync, which the status write brings.
        reachedMax = true;
        break;
      }
    }
    if (indexed) {
      ctx.succeededIndexes = ctx.succeededIndexes.withIndexes(newSucceededIndexes);
      const completed = ctx.succeededIndexes.toString();
      if (completed !== (status.completedIndexes ?? "")) needsFlush = true;
      status.succeeded = ctx.succeededIndexes.total();
      status.completedIndexes = completed;
      const failedIndexes = ctx.failedIndexes?.toString();
      if (failedIndexes !== status.failedIndexes) {
        if (failedIndexes === undefined) delete status.failedIndexes;
        else status.failedIndexes = failedIndexes;
        needsFlush = true;
      }
    }
    if (ctx.finished?.type === "FailureTarget") {
      status.conditions = [...(status.conditions ?? []), ctx.finished];
      needsFlush = true;
      ctx.finished = newCondition("Failed", ctx.finished.reason!, ctx.finished.message!, ctx.now);
    }
    if (ctx.finished?.type === "SuccessCriteriaMet") {
      if (!trueCondition(job, "SuccessCriteriaMet")) {
        status.conditions = [...(status.conditions ?? []), ctx.finished];
        needsFlush = true;
      }
      ctx.finished = newCondition("Complete", ctx.finished.reason!, ctx.finished.message!, ctx.now);
    }

    // Flush the uncounted pods before removing finalizers, so a removal is never lost.
    if (needsFlush) {
      await writeStatus(ctx);
      // The newly finished pods are on record now; the back-off counts them once.
      backoffs.update(ctx.key, ctx.backoff);
      needsFlush = false;
    }
    let removeError: unknown;
    if (toRemove.length > 0) {
      const { done, error } = await removals.remove(client, ctx.key, toRemove);
      toRemove.forEach((pod, i) => done[i] && withFinalizer.delete(pod.metadata.uid!));
      removeError = error;
    }
    if (countUncounted(ctx.job.status!, withFinalizer)) needsFlush = true;
    if (removeError) {
      if (needsFlush) await writeStatus(ctx);
      throw removeError;
    }
    const finished = !reachedMax && enactFinished(ctx);
    if (needsFlush || finished) await writeStatus(ctx);
    if (finished) recordFinished(ctx);
  }

  /** Kube's `enactJobFinished`: the terminal condition, once every pod is counted and none is terminating. */
  function enactFinished(ctx: SyncContext): boolean {
    const finished = ctx.finished;
    if (!finished) return false;
    const status = ctx.job.status!;
    const uncounted = status.uncountedTerminatedPods ?? {};
    if ((uncounted.succeeded?.length ?? 0) + (uncounted.failed?.length ?? 0) > 0) return false;
    if (ctx.terminating > 0) return false;
    ensureCondition(status, finished.type, "True", finished.reason ?? "", finished.message ?? "", ctx.now);
    if (finished.type === "Complete") status.completionTime = metaTime(ctx.now);
    return true;
  }

  function recordFinished(ctx: SyncContext): void {
    const { job, finished } = ctx;
    if (finished!.type === "Complete") {
      const completions = job.spec.completions;
      if (completions !== undefined && (job.status?.succeeded ?? 0) > completions) {
        events.event(
          job,
          "Warning",
          "TooManySucceededPods",
          "Too many succeeded pods running after completion count reached",
        );
      }
      events.event(job, "Normal", "Completed", "Job completed");
    } else {
      events.event(job, "Warning", finished!.reason ?? "", finished!.message ?? "");
    }
  }

  /** Kube's `syncJob`. */
  async function syncJob(key: string): Promise<Result | void> {
    const cached = jobCache().get(key) as Job | undefined;
    if (!cached) {
      expectations.forget(key);
      removals.forget(key);
      backoffs.remove(key);
      return;
    }
    if (cached.spec.managedBy !== undefined && cached.spec.managedBy !== JOB_CONTROLLER_NAME) return;
    if (isFinished(cached)) {
      backoffs.remove(key);
      return;
    }
    const mode = cached.spec.completionMode;
    if (mode !== undefined && mode !== "NonIndexed" && mode !== "Indexed") {
      events.event(cached, "Warning", "UnknownCompletionMode", "Skipped Job sync because completion mode is unknown");
      return;
    }
    const job = structuredClone(cached);
    job.status = { ...job.status, uncountedTerminatedPods: job.status?.uncountedTerminatedPods ?? {} };
    const status = job.status;
    const now = new Date();
    // Expectations are read before the pods, so a pod that lands in between is seen by the next sync, not lost.
    const satisfied = expectations.satisfied(key, job.metadata.uid);
    const owned = await claimPods(job);
    const active = owned.filter(isActive);
    const stillHasFinalizer = new Set(owned.filter(hasTrackingFinalizer).map((p) => p.metadata.uid));
    const ctx: SyncContext = {
      key,
      now,
      job,
      pods: owned,
      active,
      ready: active.filter(isReady).length,
      terminating: owned.filter(isTerminating).length,
      succeeded: 0,
      failed: 0,
      uncounted: {
        succeeded: new Set(status.uncountedTerminatedPods?.succeeded ?? []),
        failed: new Set(status.uncountedTerminatedPods?.failed ?? []),
      },
      removing: removals.pending(key, (uid) => stillHasFinalizer.has(uid)),
      prevSucceededIndexes: new OrderedIntervals(),
      succeededIndexes: new OrderedIntervals(),
      delayedDeletion: new Map(),
      backoff: { failuresAfterLastSuccess: 0 },
    };
    const newSucceeded = countable(ctx, ctx.uncounted.succeeded, (p) => p.status?.phase === "Succeeded");
    const newFailed = countable(ctx, ctx.uncounted.failed, (p) => isPodFailed(p, job));
    const newCountedFailures = newFailed.filter((p) => matchPodFailurePolicy(job, p).countFailed).length;
    ctx.succeeded = (status.succeeded ?? 0) + newSucceeded.length + ctx.uncounted.succeeded.size;
    ctx.failed = (status.failed ?? 0) + newCountedFailures + ctx.uncounted.failed.size;
    if (!status.startTime && !job.spec.suspend) status.startTime = metaTime(now);
    ctx.backoff = backoffs.next(key, newSucceeded, newFailed);

    ctx.finished = trueCondition(job, "SuccessCriteriaMet");
    if (!ctx.finished) {
      const target = trueCondition(job, "FailureTarget");
      const failJobMessage = target ? undefined : owned
        .filter((p) => isPodFailed(p, job))
        .map((p) => matchPodFailurePolicy(job, p).failJobMessage)
        .find((m) => m !== undefined);
      if (target) ctx.finished = newCondition("Failed", target.reason ?? "", target.message ?? "", now);
      else if (failJobMessage) ctx.finished = newCondition("FailureTarget", "PodFailurePolicy", failJobMessage, now);
    }
    if (!ctx.finished) {
      const deadline = job.spec.activeDeadlineSeconds;
      const elapsed = now.getTime() - Date.parse(status.startTime ?? "");
      if (ctx.failed > (job.spec.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, owned)) {
        ctx.finished = newCondition(
          "FailureTarget",
          "BackoffLimitExceeded",
          "Job has reached the specified backoff limit",
          now,
        );
      } else if (deadline !== undefined && status.startTime && !job.spec.suspend && elapsed >= deadline * 1000) {
        ctx.finished = newCondition(
          "FailureTarget",
          "DeadlineExceeded",
          "Job was active longer than specified deadline",
          now,
        );
      } else if (deadline !== undefined && status.startTime && !job.spec.suspend) {
        requeueIn(ctx, deadline * 1000 - elapsed);
      }
    }
    if (isIndexed(job)) {
      const completions = job.spec.completions ?? 0;
      ctx.prevSucceededIndexes = OrderedIntervals.parse(status.completedIndexes, completions);
      ctx.succeededIndexes = ctx.prevSucceededIndexes.withIndexes(
        owned.filter((p) => p.status?.phase === "Succeeded" && hasTrackingFinalizer(p))
          .map((p) => validIndex(p, job)).filter((i) => i !== undefined),
      );
      ctx.succeeded = ctx.succeededIndexes.total();
      if (hasBackoffLimitPerIndex(job)) {
        ctx.failedIndexes = OrderedIntervals.parse(status.failedIndexes, completions).withIndexes(
          owned.filter((p) => hasTrackingFinalizer(p) && isIndexFailed(job, p))
            .map((p) => validIndex(p, job)).filter((i) => i !== undefined),
        );
        const failedTotal = ctx.failedIndexes.total();
        if (!ctx.finished) {
          if (job.spec.maxFailedIndexes !== undefined && failedTotal > job.spec.maxFailedIndexes) {
            ctx.finished = newCondition(
              "FailureTarget",
              "MaxFailedIndexesExceeded",
              "Job has exceeded the specified maximal number of failed indexes",
              now,
            );
          } else if (failedTotal > 0 && failedTotal + ctx.succeededIndexes.total() >= completions) {
            ctx.finished = newCondition("FailureTarget", "FailedIndexes", "Job has failed indexes", now);
          }
        }
        ctx.delayedDeletion = podsWithDelayedDeletion(ctx);
      }
      if (!ctx.finished) {
        const matched = matchSuccessPolicy(job, ctx.succeededIndexes);
        if (matched) ctx.finished = newCondition("SuccessCriteriaMet", "SuccessPolicy", matched, now);
      }
    }

    let activeCount = active.length;
    let suspendChanged = false;
    let manageError: unknown;
    if (ctx.finished) {
      // The Job is done: stop what still runs. Their finalizers stay until they are counted.
      const { deleted, deletedReady, error } = await deletePods(ctx, active, true);
      // Finish only once every pod is seen: one not in the cache yet could still be counted.
      if (deleted !== activeCount || !satisfied) ctx.finished = undefined;
      activeCount -= deleted;
      ctx.terminating += deleted;
      ctx.ready -= deletedReady;
      manageError = error;
    } else {
      const managing = satisfied && !job.metadata.deletionTimestamp;
      if (managing) {
        const managed = await manageJob(ctx);
        activeCount = managed.active;
        manageError = managed.error;
      }
      const completions = job.spec.completions;
      const complete = completions === undefined
        ? ctx.succeeded > 0 && activeCount === 0
        : ctx.succeeded >= completions && activeCount === 0;
      if (complete) {
        ctx.finished = newCondition(
          "SuccessCriteriaMet",
          "CompletionsReached",
          "Reached expected number of succeeded pods",
          now,
        );
      } else if (managing && job.spec.suspend) {
        if (ensureCondition(status, "Suspended", "True", "JobSuspended", "Job suspended", now)) {
          suspendChanged = true;
          events.event(job, "Normal", "Suspended", "Job suspended");
        }
      } else if (managing && ensureCondition(status, "Suspended", "False", "JobResumed", "Job resumed", now)) {
        suspendChanged = true;
        events.event(job, "Normal", "Resumed", "Job resumed");
        // The active deadline counts from the resumption.
        status.startTime = metaTime(now);
      }
    }
    const needsStatusUpdate = suspendChanged || activeCount !== (status.active ?? 0) ||
      ctx.ready !== status.ready || ctx.terminating !== status.terminating;
    status.active = activeCount;
    status.ready = ctx.ready;
    status.terminating = ctx.terminating;
    await trackStatus(ctx, needsStatusUpdate);
    if (manageError) throw manageError;
    if (!satisfied) requeueIn(ctx, EXPECTATION_RECHECK_MS);
    if (ctx.requeueMs !== undefined) return { requeueAfterMs: ctx.requeueMs };
  }

  return controller("job")
    .for(jobs)
    .owns(pods)
    .watches(pods, selectingOrphan)
    .withOptions({ concurrency: 5 })
    .complete(async ({ key }) => {
      try {
        return await syncJob(key);
      } catch (error) {
        // A stale cached Job; its newer version is on its way and brings another sync.
        if (isConflict(error)) return { requeue: true };
        throw error;
      }
    });
}
