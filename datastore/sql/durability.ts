/**
 * Group fsync for a database whose commits return before they reach the disk (SQLite in WAL mode with
 * `synchronous=NORMAL`): one sync at a time, off the event loop, covering every commit made before it
 * started, so concurrent writers share it and the next batch commits while the disk works.
 *
 * Nothing newer than the last completed sync is let out: writes are acknowledged, reads answered and
 * watch events delivered only at revisions on disk — what `synchronous=FULL` promised, without making
 * every commit wait for the disk on the event loop.
 *
 * @module
 */

interface Waiter {
  revision: number;
  resolve(): void;
  reject(error: Error): void;
}

/**
 * The revisions this process committed, and how far they are on disk.
 *
 * @example
 * ```ts
 * const durability = new Durability(() => fsyncWal(), currentRevision, () => hub.wake());
 * durability.committed(revision);
 * await durability.until(revision); // on disk now
 * ```
 */
export class Durability {
  #committed: number;
  #durable: number;
  #syncing = false;
  #waiters: Waiter[] = [];

  /**
   * `sync` makes every commit made before it was called durable; `onDurable` hears of each new durable
   * revision. Everything up to `revision` is on disk already.
   */
  constructor(
    private readonly sync: () => Promise<void>,
    revision: number,
    private readonly onDurable: (revision: number) => void,
  ) {
    this.#committed = revision;
    this.#durable = revision;
  }

  /** The newest revision known to be on disk. */
  get revision(): number {
    return this.#durable;
  }

  /** A transaction up to `revision` committed: get it to disk. */
  committed(revision: number): void {
    if (revision <= this.#committed) return;
    this.#committed = revision;
    if (!this.#syncing) this.#run();
  }

  /** Resolves once every commit so far is on disk (or its sync failed). */
  drained(): Promise<void> {
    return this.until(this.#committed);
  }

  /** Resolves once `revision` is on disk; rejects if the sync that should have covered it failed. */
  until(revision: number): Promise<void> {
    if (revision <= this.#durable) return Promise.resolve();
    return new Promise((resolve, reject) => this.#waiters.push({ revision, resolve, reject }));
  }

  async #run(): Promise<void> {
    this.#syncing = true;
    // Commits made while one sync runs are covered by the next, which starts as soon as it ends.
    while (this.#committed > this.#durable) {
      const target = this.#committed;
      try {
        await this.sync();
      } catch (error) {
        // Whether these commits reached the disk is unknown: their writers and readers hear so.
        const failure = error instanceof Error ? error : new Error(String(error));
        // Whatever happened, the database shows them: watchers must not stall behind them.
        this.#durable = target;
        this.#settle(target, (w) => w.reject(failure));
        this.onDurable(target);
        continue;
      }
      this.#durable = target;
      this.#settle(target, (w) => w.resolve());
      this.onDurable(target);
    }
    this.#syncing = false;
  }

  #settle(revision: number, settle: (waiter: Waiter) => void): void {
    const due = this.#waiters.filter((w) => w.revision <= revision);
    if (due.length === 0) return;
    this.#waiters = this.#waiters.filter((w) => w.revision > revision);
    for (const waiter of due) settle(waiter);
  }
}
