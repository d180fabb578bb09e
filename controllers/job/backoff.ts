/**
 * The pod-failure back-off: after consecutive failures a Job waits before creating replacement pods, 10 s after the
 * first and doubling per further failure up to a cap (kube 1.32: 10 min); a success resets it. Kept in memory per Job,
 * as kube keeps it, and counted from the times pods finished.
 *
 * @module
 */
import { finishedTime, type Pod } from "./pods.ts";

/** Consecutive failures since the last success, and when the last one finished. */
export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureTime?: number;
}

/** Kube's `DefaultJobPodFailureBackOff`. */
export const DEFAULT_BACKOFF_BASE_MS = 10_000;
/** Kube's `MaxJobPodFailureBackOff`. */
export const DEFAULT_BACKOFF_MAX_MS = 10 * 60_000;

/**
 * Kube's `getRemainingTimeForFailuresCount`: how long until `failures` consecutive failures, the last at
 * `lastFailure`, allow a new pod.
 *
 * @example
 * ```ts
 * remainingBackoff(3, Date.now(), Date.now(), 10_000, 600_000); // 40_000
 * ```
 */
export function remainingBackoff(
  failures: number,
  lastFailure: number | undefined,
  now: number,
  baseMs: number,
  maxMs: number,
): number {
  if (failures === 0 || lastFailure === undefined) return 0;
  let backoff = baseMs;
  for (let i = 1; i < failures; i++) {
    backoff *= 2;
    if (backoff >= maxMs) {
      backoff = maxMs;
      break;
    }
  }
  return Math.max(0, backoff - (now - lastFailure));
}

/**
 * Back-off records per Job key.
 *
 * @example
 * ```ts
 * const record = backoffs.next(key, newlySucceeded, newlyFailed);
 * const wait = remainingBackoff(record.failuresAfterLastSuccess, record.lastFailureTime, Date.now(), 10_000, 600_000);
 * ```
 */
export class BackoffStore {
  readonly #records = new Map<string, BackoffRecord>();

  /**
   * Kube's `newBackoffRecord`: the record once these newly finished pods are counted (kept by `update` once they are).
   * Failures after the latest new success count; a success with none after it resets the count.
   */
  next(key: string, newSucceeded: Pod[], newFailed: Pod[]): BackoffRecord {
    const old = this.#records.get(key) ?? { failuresAfterLastSuccess: 0 };
    const failedTimes = newFailed.map(finishedTime).sort((a, b) => a - b);
    if (newSucceeded.length === 0) {
      if (failedTimes.length === 0) return { ...old };
      return {
        failuresAfterLastSuccess: old.failuresAfterLastSuccess + failedTimes.length,
        lastFailureTime: failedTimes[failedTimes.length - 1],
      };
    }
    const lastSuccess = Math.max(...newSucceeded.map(finishedTime));
    const after = failedTimes.filter((t) => t > lastSuccess);
    return after.length === 0
      ? { failuresAfterLastSuccess: 0 }
      : { failuresAfterLastSuccess: after.length, lastFailureTime: after[after.length - 1] };
  }

  /** Keep `record` for `key`. */
  update(key: string, record: BackoffRecord): void {
    this.#records.set(key, record);
  }

  /** Forget `key` (its Job finished or is gone). */
  remove(key: string): void {
    this.#records.delete(key);
  }
}
