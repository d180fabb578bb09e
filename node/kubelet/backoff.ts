/**
 * The kubelet's restart back-off (`CrashLoopBackOff`, `ImagePullBackOff`): the first retry is immediate, then 10 s
 * doubling up to 5 minutes; a key left alone for longer than twice the cap starts over.
 *
 * @module
 */

/** The first delay. */
export const INITIAL_BACKOFF_MS = 10_000;
/** The cap. */
export const MAX_BACKOFF_MS = 300_000;

/**
 * Back-off per key (a container name).
 *
 * @example
 * ```ts
 * const backoff = new Backoff();
 * if (backoff.inBackoff("web")) waiting("CrashLoopBackOff", backoff.message("web", pod));
 * else { backoff.next("web"); restart(); }
 * ```
 */
export class Backoff {
  readonly #entries = new Map<string, { delay: number; until: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Whether `key` must still wait. */
  inBackoff(key: string): boolean {
    const entry = this.#entry(key);
    return entry !== undefined && this.now() < entry.until;
  }

  /** The current delay of `key` in seconds (0 without one). */
  delaySeconds(key: string): number {
    return Math.round((this.#entry(key)?.delay ?? 0) / 1000);
  }

  /** Record a retry now: the next one waits 10 s, then twice as long as the last, up to 5 minutes. */
  next(key: string): void {
    const entry = this.#entry(key);
    const delay = entry ? Math.min(entry.delay * 2, MAX_BACKOFF_MS) : INITIAL_BACKOFF_MS;
    this.#entries.set(key, { delay, until: this.now() + delay });
  }

  /** Forget `key` (it ran long enough to count as healthy). */
  reset(key: string): void {
    this.#entries.delete(key);
  }

  #entry(key: string) {
    const entry = this.#entries.get(key);
    if (entry && this.now() - entry.until > 2 * MAX_BACKOFF_MS) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }
}
