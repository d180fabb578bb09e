/**
 * The work queue between informers and reconcilers, with client-go's guarantees: a key waiting in the
 * queue is queued once however often it is added; a key being processed is never handed out again
 * until `done`, and if it was added meanwhile it comes back after `done`; failures back off
 * exponentially per key up to a cap, under an overall rate limit.
 *
 * @module
 */

/**
 * How long a key should wait before its next try.
 *
 * @example
 * ```ts
 * const limiter: RateLimiter = { when: () => 100, forget: () => {}, failures: () => 0 };
 * ```
 */
export interface RateLimiter {
  /** The delay for this retry of `key`; counts the failure. */
  when(key: string): number;
  /** Clear the failure history of `key` (it succeeded). */
  forget(key: string): void;
  /** How many times `key` has failed since it was last forgotten. */
  failures(key: string): number;
}

/**
 * Per-key exponential back-off: `baseMs * 2^failures`, capped at `maxMs`.
 *
 * @example
 * ```ts
 * const backoff = new ExponentialBackoff(5, 1000);
 * backoff.when("a"); // 5, then 10, 20, … 1000
 * ```
 */
export class ExponentialBackoff implements RateLimiter {
  readonly #failures = new Map<string, number>();
  constructor(readonly baseMs = 5, readonly maxMs = 1000_000) {}

  when(key: string): number {
    const n = this.#failures.get(key) ?? 0;
    this.#failures.set(key, n + 1);
    // Past ~2^30 the product overflows any sane cap anyway; clamping the exponent keeps it finite.
    return Math.min(this.baseMs * 2 ** Math.min(n, 30), this.maxMs);
  }

  forget(key: string): void {
    this.#failures.delete(key);
  }

  failures(key: string): number {
    return this.#failures.get(key) ?? 0;
  }
}

/**
 * An overall token bucket (`qps` tokens a second, `burst` at most), so a storm of failing keys
 * cannot hammer the API even when each key's own back-off is short.
 *
 * @example
 * ```ts
 * const bucket = new BucketRateLimiter(10, 100);
 * ```
 */
export class BucketRateLimiter implements RateLimiter {
  #tokens: number;
  #last = performance.now();
  constructor(readonly qps = 10, readonly burst = 100) {
    this.#tokens = burst;
  }

  when(_key: string): number {
    const now = performance.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#last) / 1000) * this.qps);
    this.#last = now;
    // Reserve a token even when it is not there yet: the debt is the delay.
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : (-this.#tokens / this.qps) * 1000;
  }

  forget(_key: string): void {}

  failures(_key: string): number {
    return 0;
  }
}

/**
 * The longest delay of several limiters (client-go's default: per-key back-off and a bucket).
 *
 * @example
 * ```ts
 * const limiter = new MaxOfRateLimiter(new ExponentialBackoff(5, 1000_000), new BucketRateLimiter(10, 100));
 * ```
 */
export class MaxOfRateLimiter implements RateLimiter {
  readonly #limiters: RateLimiter[];
  constructor(...limiters: RateLimiter[]) {
    this.#limiters = limiters;
  }

  when(key: string): number {
    return Math.max(0, ...this.#limiters.map((l) => l.when(key)));
  }

  forget(key: string): void {
    for (const l of this.#limiters) l.forget(key);
  }

  failures(key: string): number {
    return Math.max(0, ...this.#limiters.map((l) => l.failures(key)));
  }
}

/**
 * client-go's default controller rate limiter: 5 ms doubling to 1000 s per key, 10 qps / 100 burst overall.
 *
 * @example
 * ```ts
 * const queue = new WorkQueue(defaultRateLimiter());
 * ```
 */
export function defaultRateLimiter(): RateLimiter {
  return new MaxOfRateLimiter(new ExponentialBackoff(5, 1000_000), new BucketRateLimiter(10, 100));
}

const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * A deduplicating, per-key serialized, rate-limited queue of string keys.
 *
 * @example
 * ```ts
 * const queue = new WorkQueue();
 * queue.add("default/a");
 * const key = await queue.get(); // "default/a"; undefined once shut down
 * try { await work(key); queue.forget(key); } catch { queue.addRateLimited(key); } finally { queue.done(key); }
 * ```
 */
export class WorkQueue {
  readonly #queue: string[] = [];
  /** Keys that need processing (queued, or added again while processing). */
  readonly #dirty = new Set<string>();
  readonly #processing = new Set<string>();
  /** Delayed adds; one timer per key, the earliest wins. */
  readonly #delayed = new Map<string, { at: number; timer: ReturnType<typeof setTimeout> }>();
  readonly #waiters: ((key: string | undefined) => void)[] = [];
  #shuttingDown = false;
  #waking = false;
  /** Keys queued so far (client-go's `workqueue_adds_total`). */
  adds = 0;

  constructor(readonly rateLimiter: RateLimiter = defaultRateLimiter()) {}

  /** Queue `key` unless it is already waiting. */
  add(key: string): void {
    if (this.#shuttingDown || this.#dirty.has(key)) return;
    this.#dirty.add(key);
    // A key in flight is re-queued by done(), which keeps one key from running twice at once.
    if (this.#processing.has(key)) return;
    this.#push(key);
  }

  /** Queue `key` after `ms`; an earlier pending delay for the same key wins. */
  addAfter(key: string, ms: number): void {
    if (this.#shuttingDown) return;
    if (ms <= 0) return this.add(key);
    const at = performance.now() + ms;
    const pending = this.#delayed.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    // setTimeout fires at once past 2^31-1 ms; a longer wait (a yearly CronJob) wakes early and re-waits.
    const timer = setTimeout(() => {
      this.#delayed.delete(key);
      const left = at - performance.now();
      if (left > 1) this.addAfter(key, left);
      else this.add(key);
    }, Math.min(ms, MAX_TIMEOUT_MS));
    this.#delayed.set(key, { at, timer });
  }

  /** Queue `key` after its rate-limited back-off (call after a failure). */
  addRateLimited(key: string): void {
    this.addAfter(key, this.rateLimiter.when(key));
  }

  /** Reset `key`'s back-off (call after a success). */
  forget(key: string): void {
    this.rateLimiter.forget(key);
  }

  /** How many times `key` failed since it was last forgotten. */
  failures(key: string): number {
    return this.rateLimiter.failures(key);
  }

  /** The next key to work on; waits for one; `undefined` once the queue is shut down. */
  get(): Promise<string | undefined> {
    if (this.#shuttingDown) return Promise.resolve(undefined);
    if (this.#queue.length > 0) return Promise.resolve(this.#take());
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Finish work on `key`; if it was added meanwhile, it is queued again now. */
  done(key: string): void {
    this.#processing.delete(key);
    if (this.#dirty.has(key) && !this.#shuttingDown) this.#push(key);
  }

  /** Keys waiting (not counting delayed ones or those in flight). */
  get length(): number {
    return this.#queue.length;
  }

  get shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /** Stop handing out keys (queued ones are dropped, so stopping never waits for a backlog); `get()` resolves to `undefined`. */
  shutDown(): void {
    this.#shuttingDown = true;
    for (const { timer } of this.#delayed.values()) clearTimeout(timer);
    this.#delayed.clear();
    for (const waiter of this.#waiters.splice(0)) waiter(undefined);
  }

  #push(key: string): void {
    this.adds++;
    this.#queue.push(key);
    // Hand keys to waiting workers in a microtask, after the caller's synchronous burst: an event
    // handler that adds one key twice must not see it taken in between and run it twice.
    if (this.#waiters.length > 0 && !this.#waking) {
      this.#waking = true;
      queueMicrotask(() => {
        this.#waking = false;
        while (this.#waiters.length > 0 && this.#queue.length > 0) this.#waiters.shift()!(this.#take());
      });
    }
  }

  #take(): string {
    const key = this.#queue.shift()!;
    this.#dirty.delete(key);
    this.#processing.add(key);
    return key;
  }
}
