/**
 * One poller per store that reads new rows in revision order and fans them out to watchers.
 *
 * Local writes wake it at once; writes by other servers sharing the database arrive through the
 * dialect's notifications (PostgreSQL) or the periodic poll.
 *
 * @module
 */
import { UnavailableError, type WatchEvent } from "../store.ts";

/** Events a watcher may have queued before it is cut off as too slow (it must re-watch). */
const MAX_QUEUED_EVENTS = 100_000;

/** A watcher's view of the hub: every batch after {@linkcode Subscription.startRevision}. */
export interface Subscription extends AsyncIterable<WatchEvent[]> {
  /** The last revision the hub had read when the watcher joined; later events all come after it. */
  readonly startRevision: number;
  close(): void;
}

class Subscriber implements Subscription {
  #queue: WatchEvent[][] = [];
  #queued = 0;
  #wakeup?: () => void;
  #done = false;
  #error?: Error;

  constructor(
    readonly prefix: string,
    readonly startRevision: number,
    private readonly onClose: (s: Subscriber) => void,
    signal?: AbortSignal,
  ) {
    signal?.addEventListener("abort", () => this.close(), { once: true });
    if (signal?.aborted) this.close();
  }

  push(events: WatchEvent[]): void {
    if (this.#done) return;
    const mine = this.prefix === "" ? events : events.filter((e) => e.kv.key.startsWith(this.prefix));
    if (mine.length === 0) return;
    this.#queue.push(mine);
    this.#queued += mine.length;
    if (this.#queued > MAX_QUEUED_EVENTS) {
      this.fail(new UnavailableError(`watcher of ${this.prefix} fell too far behind; watch again`));
    }
    this.#wakeup?.();
  }

  fail(error: Error): void {
    this.#error = error;
    this.close();
  }

  close(): void {
    if (this.#done) return;
    this.#done = true;
    this.onClose(this);
    this.#wakeup?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<WatchEvent[]> {
    while (true) {
      const batch = this.#queue.shift();
      if (batch) {
        this.#queued -= batch.length;
        yield batch;
        continue;
      }
      if (this.#done) {
        if (this.#error) throw this.#error;
        return;
      }
      await new Promise<void>((resolve) => this.#wakeup = resolve);
      this.#wakeup = undefined;
    }
  }
}

/**
 * Polls `read(after)` for events and hands them to subscribers.
 *
 * @example
 * ```ts
 * const hub = new WatchHub((after) => readEventsAfter(after), 0, 1000);
 * hub.start(await currentRevision());
 * for await (const batch of hub.subscribe("/registry/pods/")) console.log(batch);
 * ```
 */
export class WatchHub {
  #last: number;
  #subscribers = new Set<Subscriber>();
  #running = false;
  #dirty = false;
  #wakeup?: () => void;
  #timer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly read: (after: number) => Promise<WatchEvent[]>,
    start: number,
    private readonly intervalMs: number,
  ) {
    this.#last = start;
  }

  /** The last revision read. */
  get revision(): number {
    return this.#last;
  }

  /** Begin polling after `revision`. */
  start(revision: number): void {
    this.#last = revision;
    this.#running = true;
    this.#loop();
  }

  /** Poll now (something was just written). */
  wake(): void {
    this.#dirty = true;
    this.#wakeup?.();
  }

  /** Receive every event under `prefix` after the hub's current revision. */
  subscribe(prefix: string, signal?: AbortSignal): Subscription {
    const subscriber = new Subscriber(prefix, this.#last, (s) => this.#subscribers.delete(s), signal);
    this.#subscribers.add(subscriber);
    return subscriber;
  }

  stop(): void {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#wakeup?.();
    for (const s of [...this.#subscribers]) s.close();
  }

  async #loop(): Promise<void> {
    let backoff = 0;
    let reported = false;
    while (this.#running) {
      if (!this.#dirty || backoff) await this.#sleep(backoff || this.intervalMs);
      if (!this.#running) return;
      this.#dirty = false;
      try {
        while (this.#running) {
          const events = await this.read(this.#last);
          if (events.length === 0) break;
          this.#last = events[events.length - 1].kv.modRevision;
          for (const s of this.#subscribers) s.push(events);
        }
        if (reported) console.info(`datastore watch poller recovered at revision ${this.#last}`);
        backoff = 0;
        reported = false;
      } catch (error) {
        if (!this.#running) return; // closed while a read was in flight
        // The database is away (restart, network): keep the position and retry; watchers just wait.
        backoff = Math.min(backoff ? backoff * 2 : 250, 5000);
        if (!reported) {
          console.warn(`datastore watch poller cannot read after revision ${this.#last}: ${error}; retrying`);
          reported = true;
        }
      }
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(this.#timer);
        this.#wakeup = undefined;
        resolve();
      };
      this.#timer = setTimeout(done, ms);
      this.#wakeup = done;
    });
  }
}
