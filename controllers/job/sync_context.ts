/**
 * The state one sync of one Job works with (kube's `syncJobCtx`): the pods found, the counts and indexes being
 * built, and when to look again.
 *
 * @module
 */
import type { BackoffRecord } from "./backoff.ts";
import type { OrderedIntervals } from "./indexes.ts";
import type { Job, JobCondition } from "./job.ts";
import type { Pod } from "./pods.ts";

/** Everything one sync of one Job works with (kube's `syncJobCtx`). */
export interface SyncContext {
  key: string;
  now: Date;
  /** The working copy; replaced by the API's answer after each status write. */
  job: Job;
  pods: Pod[];
  active: Pod[];
  ready: number;
  terminating: number;
  succeeded: number;
  failed: number;
  /** `status.uncountedTerminatedPods` as the sync found it. */
  uncounted: { succeeded: Set<string>; failed: Set<string> };
  /** Pods whose finalizer removal the cache does not show yet: already counted. */
  removing: Set<string>;
  finished?: JobCondition;
  prevSucceededIndexes: OrderedIntervals;
  succeededIndexes: OrderedIntervals;
  failedIndexes?: OrderedIntervals;
  /** Per index, the failed pod kept until its replacement carries its failure count (backoffLimitPerIndex). */
  delayedDeletion: Map<number, Pod>;
  backoff: BackoffRecord;
  requeueMs?: number;
}
