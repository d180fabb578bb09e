/**
 * One pass of kube's `updateStatefulSet`: bring the set's pods towards `replicas` pods at the right
 * revisions. Pods within the ordinal range are created (OrderedReady: one at a time, each only once its
 * predecessors are Running, Ready and available; Parallel: all at once), finished ones deleted to be made
 * again, pods beyond the range deleted highest ordinal first, and then — RollingUpdate — the highest
 * ordinal not at the update revision and at or above the partition is deleted, one per pass, waiting for
 * the replacement to be healthy. OnDelete leaves updates to whoever deletes pods.
 *
 * @module
 */
import type { PodTemplate } from "../history/mod.ts";
import { identityMatches, newStatefulSetPod, ordinalOf, revisionOf, storageMatches } from "./identity.ts";
import { isFinished, isHealthy, isRunningAndAvailable, isRunningAndReady, isTerminating, type Pod } from "./pods.ts";
import { isMonotonic, replicasOf, startOrdinal, type StatefulSet, type StatefulSetStatus } from "./statefulset.ts";
import { statusFor } from "./status.ts";

/** Kube's `MaxBatchSize`: Parallel creations in flight at once. */
const MAX_BATCH = 500;
/** How soon to look again while a pod waits for a stale claim to be collected. */
const STALE_CLAIM_RECHECK_MS = 1_000;

/** A revision as far as creating pods goes: its name (the pods' label) and template. */
export interface RevisionTemplate {
  name: string;
  template: PodTemplate | undefined;
}

/** What a pass works on. */
export interface UpdateInput {
  set: StatefulSet;
  /** The pods the set controls (from the cache), whatever their state. */
  pods: readonly Pod[];
  current: RevisionTemplate;
  update: RevisionTemplate;
  collisionCount: number;
  now: number;
}

/** What a pass found: the status to record, and when to look again if nothing else will prompt it. */
export interface UpdateResult {
  status: StatefulSetStatus;
  recheckMs?: number;
  /** A write that failed; the status is still worth recording, as kube does. */
  error?: unknown;
}

/** The writes a pass makes (kube's `StatefulPodControl`). */
export interface StatefulPodControl {
  /** Create the pod's missing claims, then the pod. */
  create(pod: Pod): Promise<void>;
  delete(pod: Pod): Promise<void>;
  /** Whether a claim of this (not yet created) pod still belongs to an earlier pod of its name. */
  claimIsStale(pod: Pod): boolean;
  /** Create whichever of the pod's claims are missing. */
  createClaims(pod: Pod): Promise<void>;
  /** Whether the pod's claims carry the ownerReferences the retention policy asks for. */
  claimsMatchPolicy(pod: Pod): boolean;
  /** Give the pod's claims the ownerReferences the retention policy asks for. */
  fixClaimOwners(pod: Pod): Promise<void>;
  /** Restore the pod's identity labels. */
  relabel(pod: Pod): Promise<void>;
}

/**
 * Run one pass; see the module doc.
 *
 * @example
 * ```ts
 * const { status, error } = await updateStatefulSet({ set, pods, current, update, collisionCount: 0, now: Date.now() }, control);
 * ```
 */
export async function updateStatefulSet(input: UpdateInput, control: StatefulPodControl): Promise<UpdateResult> {
  const { set, pods, current, update, now } = input;
  const start = startOrdinal(set), count = replicasOf(set);
  const minReady = set.spec.minReadySeconds ?? 0;
  const monotonic = isMonotonic(set);
  const replicas: (Pod | undefined)[] = Array.from({ length: count }, () => undefined);
  const condemned: Pod[] = [];
  for (const pod of pods) {
    const ordinal = ordinalOf(pod);
    if (ordinal >= start && ordinal < start + count) replicas[ordinal - start] = pod;
    else if (ordinal >= 0) condemned.push(pod);
  }
  condemned.sort((a, b) => ordinalOf(b) - ordinalOf(a));
  // Only an unhealthy condemned pod that is the first unhealthy of all may be deleted while unhealthy.
  const firstUnhealthyCondemned = replicas.every((p) => p && isHealthy(p))
    ? condemned.findLast((p) => !isHealthy(p))
    : undefined;
  const result: UpdateResult = {
    status: statusFor(
      set,
      pods,
      { current: current.name, update: update.name, collisionCount: input.collisionCount },
      now,
    ),
  };

  /** Kube's `newVersionedStatefulSetPod`: below the partition a pod is remade at the current revision. */
  function revisionFor(ordinal: number): RevisionTemplate {
    const strategy = set.spec.updateStrategy;
    const useCurrent = strategy?.rollingUpdate
      ? ordinal < start + (strategy.rollingUpdate.partition ?? 0)
      : (strategy?.type ?? "RollingUpdate") === "RollingUpdate" && ordinal < start + (set.status?.currentReplicas ?? 0);
    return useCurrent ? current : update;
  }

  /** Kube's `processReplica`; true means "stop here" (honoured in OrderedReady mode only). */
  async function processReplica(i: number): Promise<boolean> {
    const pod = replicas[i];
    if (!pod) {
      const ordinal = start + i;
      const revision = revisionFor(ordinal);
      const fresh = newStatefulSetPod(set, revision.template, ordinal, revision.name);
      if (control.claimIsStale(fresh)) {
        result.recheckMs = STALE_CLAIM_RECHECK_MS;
        return true;
      }
      await control.create(fresh);
      return monotonic;
    }
    if (isFinished(pod)) {
      // The replacement is made once the API no longer has this pod.
      if (!isTerminating(pod)) await control.delete(pod);
      return true;
    }
    if (pod.status?.phase === "Pending") {
      await control.createClaims(pod);
      if (!control.claimsMatchPolicy(pod)) await control.fixClaimOwners(pod);
    }
    if (monotonic && (isTerminating(pod) || !isRunningAndReady(pod) || !isRunningAndAvailable(pod, minReady, now))) {
      return true;
    }
    if (!identityMatches(set, pod)) await control.relabel(pod);
    if (!storageMatches(set, pod)) await control.createClaims(pod);
    if (!control.claimsMatchPolicy(pod)) await control.fixClaimOwners(pod);
    return false;
  }

  /** Kube's `processCondemned`. */
  async function processCondemned(i: number): Promise<boolean> {
    const pod = condemned[i];
    if (isTerminating(pod)) return monotonic;
    if (monotonic && !isHealthy(pod) && pod !== firstUnhealthyCondemned) return true;
    if (monotonic && !isRunningAndAvailable(pod, minReady, now) && pod !== firstUnhealthyCondemned) return true;
    await control.delete(pod);
    return true;
  }

  async function fixCondemnedClaims(i: number): Promise<boolean> {
    if (!control.claimsMatchPolicy(condemned[i])) await control.fixClaimOwners(condemned[i]);
    return false;
  }

  try {
    if (set.metadata.deletionTimestamp) return result;
    if (await runForAll(count, processReplica, monotonic)) return result;
    if (await runForAll(condemned.length, fixCondemnedClaims, monotonic)) return result;
    if (await runForAll(condemned.length, processCondemned, monotonic)) return result;
    if (set.spec.updateStrategy?.type === "OnDelete") return result;
    const partition = set.spec.updateStrategy?.rollingUpdate?.partition ?? 0;
    for (let target = count - 1; target >= partition; target--) {
      const pod = replicas[target];
      if (!pod) return result;
      if (revisionOf(pod) !== update.name && !isTerminating(pod)) {
        await control.delete(pod);
        result.status.currentReplicas = (result.status.currentReplicas ?? 0) - 1;
        return result;
      }
      if (!isHealthy(pod)) return result;
    }
    return result;
  } catch (error) {
    result.error = error;
    return result;
  }
}

/**
 * Kube's `runForAll`: in order, stopping at the first "stop" (OrderedReady), or all at once in slow-start
 * batches, stopping at the first failed batch (Parallel). Returns whether to stop.
 */
async function runForAll(count: number, fn: (i: number) => Promise<boolean>, monotonic: boolean): Promise<boolean> {
  if (monotonic) {
    for (let i = 0; i < count; i++) if (await fn(i)) return true;
    return false;
  }
  for (let next = 0, batch = Math.min(1, count); next < count; batch = Math.min(2 * batch, count - next, MAX_BATCH)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, (_, k) => fn(next + k)));
    next += batch;
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
  }
  return false;
}
