/**
 * Pacing the replacement of failed daemon pods per (DaemonSet, node), after the DaemonSet controller's
 * `failedPodsBackoff` (client-go `flowcontrol.Backoff`, 1 s doubling to 15 min): a kubelet that rejects
 * a pod would otherwise have the controller delete and recreate it in a hot loop.
 *
 * @module
 */

interface Entry {
  delayMs: number;
  lastUpdate: number;
}

/**
 * Per-key exponential back-off measured from the last step.
 *
 * @example
 * ```ts
 * const backoff = new FailedPodsBackoff();
 * if (backoff.inBackoff(key, now)) return { requeueAfterMs: backoff.delay(key) };
 * backoff.next(key, now);
 * ```
 */
export class FailedPodsBackoff {
  readonly #entries = new Map<string, Entry>();

  constructor(readonly initialMs = 1_000, readonly maxMs = 15 * 60_000) {}

  /** Whether `key` stepped less than its delay ago. */
  inBackoff(key: string, now: number): boolean {
    const entry = this.#entries.get(key);
    return entry !== undefined && !this.#expired(entry, now) && now - entry.lastUpdate < entry.delayMs;
  }

  /** The current delay of `key` (0 when it has none). */
  delay(key: string): number {
    return this.#entries.get(key)?.delayMs ?? 0;
  }

  /** Step `key`: start at the initial delay, or double it (up to the maximum). */
  next(key: string, now: number): void {
    for (const [k, entry] of this.#entries) if (this.#expired(entry, now)) this.#entries.delete(k);
    const entry = this.#entries.get(key);
    const delayMs = entry ? Math.min(entry.delayMs * 2, this.maxMs) : this.initialMs;
    this.#entries.set(key, { delayMs, lastUpdate: now });
  }

  /** An entry untouched for twice the maximum starts over, as in client-go. */
  #expired(entry: Entry, now: number): boolean {
    return now - entry.lastUpdate > 2 * this.maxMs;
  }
}
