/**
 * Deletes keys whose TTL has run out (Events, Leases), as kine's TTL loop does: a key written with a
 * TTL of N seconds is deleted N seconds after this process last saw it written, and only if it has
 * not been written again since.
 *
 * @module
 */
import { ConflictError, KeyNotFoundError, type KeyValue, type Store, StoreError } from "../store.ts";

interface Due {
  at: number;
  key: string;
  revision: number;
}

/** A min-heap of deadlines, so one timer serves every leased key. */
class DeadlineHeap {
  #items: Due[] = [];
  get size(): number {
    return this.#items.length;
  }
  peek(): Due | undefined {
    return this.#items[0];
  }
  push(item: Due): void {
    const a = this.#items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent].at <= a[i].at) break;
      [a[parent], a[i]] = [a[i], a[parent]];
      i = parent;
    }
  }
  pop(): Due | undefined {
    const a = this.#items;
    const top = a[0];
    const last = a.pop();
    if (a.length && last) {
      a[0] = last;
      let i = 0;
      while (true) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < a.length && a[l].at < a[m].at) m = l;
        if (r < a.length && a[r].at < a[m].at) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}

/**
 * Watches every key and deletes leased ones when they expire.
 *
 * @example
 * ```ts
 * const reaper = new LeaseReaper(store);
 * await reaper.start(await store.currentRevision(), leasedKeys);
 * ```
 */
export class LeaseReaper {
  #heap = new DeadlineHeap();
  /** The revision each leased key is expected to still have when its deadline comes. */
  #expected = new Map<string, number>();
  #timer?: ReturnType<typeof setTimeout>;
  #abort = new AbortController();

  constructor(private readonly store: Store) {}

  /** Schedule `leased` (keys live at `revision`) and follow every write after it. */
  start(revision: number, leased: KeyValue[]): Promise<void> {
    for (const kv of leased) this.#schedule(kv);
    this.#follow(revision);
    return Promise.resolve();
  }

  stop(): void {
    this.#abort.abort();
    clearTimeout(this.#timer);
  }

  async #follow(revision: number): Promise<void> {
    let from = revision + 1;
    while (!this.#abort.signal.aborted) {
      try {
        for await (const batch of this.store.watch("", { fromRevision: from, signal: this.#abort.signal })) {
          for (const event of batch) {
            from = event.kv.modRevision + 1;
            if (event.type === "delete") this.#expected.delete(event.kv.key);
            else if (event.kv.lease > 0) this.#schedule(event.kv);
            else this.#expected.delete(event.kv.key);
          }
        }
      } catch (error) {
        if (this.#abort.signal.aborted) return;
        console.warn(`datastore lease reaper: watch ended (${error}); resuming`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  #schedule(kv: KeyValue): void {
    this.#expected.set(kv.key, kv.modRevision);
    this.#heap.push({ at: Date.now() + kv.lease * 1000, key: kv.key, revision: kv.modRevision });
    this.#arm();
  }

  #arm(): void {
    clearTimeout(this.#timer);
    const next = this.#heap.peek();
    if (!next || this.#abort.signal.aborted) return;
    this.#timer = setTimeout(() => this.#expire(), Math.max(0, next.at - Date.now()));
  }

  async #expire(): Promise<void> {
    const now = Date.now();
    const due: Due[] = [];
    while (this.#heap.size && this.#heap.peek()!.at <= now) due.push(this.#heap.pop()!);
    await Promise.all(due.map(async (d) => {
      if (this.#expected.get(d.key) !== d.revision) return; // written again or deleted since
      try {
        await this.store.delete(d.key, d.revision);
        this.#expected.delete(d.key);
      } catch (error) {
        if (error instanceof ConflictError || error instanceof KeyNotFoundError) return;
        if (error instanceof StoreError && this.#abort.signal.aborted) return;
        // The database is away: try again shortly.
        this.#heap.push({ at: Date.now() + 1000, key: d.key, revision: d.revision });
      }
    }));
    this.#arm();
  }
}
