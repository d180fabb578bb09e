/**
 * A Store watch on an etcd Watch stream that survives etcd restarts: when the stream breaks it is
 * reopened from the revision after the last event delivered, so the consumer sees neither a gap nor a
 * duplicate (or a {@linkcode CompactedError} if that revision was compacted in the meantime).
 *
 * @module
 */

import * as grpc from "@grpc/grpc-js";
import { CompactedError, StoreError, type WatchEvent } from "../store.ts";
import type { EtcdClient, WatchStream } from "./client.ts";
import type { Leases } from "./lease.ts";
import type { PbEvent, PbKeyValue, PbWatchResponse } from "./proto.ts";

/** Codes after which reopening the stream cannot help. */
const FATAL = new Set([
  grpc.status.INVALID_ARGUMENT,
  grpc.status.PERMISSION_DENIED,
  grpc.status.UNAUTHENTICATED,
  grpc.status.UNIMPLEMENTED,
]);

/** Past this many undelivered batches the stream is paused, so a slow consumer holds etcd back rather than memory. */
const HIGH_WATER = 64;
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 2_000;
const CONNECT_TIMEOUT_MS = 5_000;

/** What a watch needs from the store that owns it. */
export interface WatchContext {
  client: EtcdClient;
  leases: Leases;
  /**
   * The error for a watch from `revision` if history at `revision` is already compacted away. etcd itself
   * only refuses revisions *below* its compact revision, but a delete at exactly that revision is gone too.
   */
  compactedFrom(revision: number): Promise<CompactedError | undefined>;
  /** Called once the watch has ended, however it ended. */
  onEnd(watch: EtcdWatch): void;
}

/** A range of keys to watch: etcd's key and range end. */
export interface WatchRange {
  key: Uint8Array;
  rangeEnd: Uint8Array;
}

/**
 * One Store watch: an async iterator of event batches, backed by its own etcd Watch stream.
 *
 * @example
 * ```ts
 * const watch = new EtcdWatch(context, { key, rangeEnd }, 42, signal);
 * for await (const events of watch) console.log(events);
 * ```
 */
export class EtcdWatch implements AsyncIterableIterator<WatchEvent[]> {
  #context: WatchContext;
  #range: WatchRange;
  #signal?: AbortSignal;
  #onAbort = () => this.end();
  /** The revision the current stream was asked to start at (0: from now). */
  #startRevision: number;
  /** Highest revision handed to the queue; events at or below it are duplicates after a resume. */
  #lastRevision = 0;
  /** Where "from now" began, once etcd has told us; the resume point while no event has arrived. */
  #createdRevision = 0;
  #stream?: WatchStream;
  #queue: WatchEvent[][] = [];
  #waiter?: { resolve(result: IteratorResult<WatchEvent[]>): void; reject(error: unknown): void };
  #failure?: Error;
  #ended = false;
  #retryMs = FIRST_RETRY_MS;
  #retryTimer?: ReturnType<typeof setTimeout>;
  /** Responses are converted in order even though a lease lookup may make one conversion wait. */
  #converting: Promise<void> = Promise.resolve();

  /**
   * Start watching right away (so "from now" means the time of the call, not of the first `next()`);
   * with `failure`, the watch only throws that.
   *
   * @example
   * ```ts
   * const watch = new EtcdWatch(context, { key, rangeEnd }, 0);
   * ```
   */
  constructor(
    context: WatchContext,
    range: WatchRange,
    fromRevision: number,
    signal?: AbortSignal,
    failure?: Error,
  ) {
    this.#context = context;
    this.#range = range;
    this.#startRevision = fromRevision;
    this.#signal = signal;
    if (failure || signal?.aborted) {
      this.#ended = true;
      this.#failure = failure;
      return;
    }
    signal?.addEventListener("abort", this.#onAbort, { once: true });
    this.#start();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /**
   * The next batch of events; waits for one. Throws the watch's failure after the batches before it.
   *
   * @example
   * ```ts
   * const { value, done } = await watch.next();
   * ```
   */
  next(): Promise<IteratorResult<WatchEvent[]>> {
    const batch = this.#queue.shift();
    if (batch) {
      if (this.#queue.length < HIGH_WATER / 2 && this.#stream?.isPaused()) this.#stream.resume();
      return Promise.resolve({ value: batch, done: false });
    }
    if (this.#failure) {
      const failure = this.#failure;
      this.#failure = undefined;
      return Promise.reject(failure);
    }
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => this.#waiter = { resolve, reject });
  }

  /**
   * Stop the watch (a `break` out of `for await` calls this).
   *
   * @example
   * ```ts
   * await watch.return();
   * ```
   */
  return(): Promise<IteratorResult<WatchEvent[]>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  /**
   * End the watch cleanly: undelivered events are dropped and a waiting `next()` reports done.
   *
   * @example
   * ```ts
   * watch.end();
   * ```
   */
  end(): void {
    if (this.#ended) return;
    this.#queue = [];
    this.#finish();
    this.#waiter?.resolve({ value: undefined, done: true });
    this.#waiter = undefined;
  }

  #finish(): void {
    this.#ended = true;
    clearTimeout(this.#retryTimer);
    this.#signal?.removeEventListener("abort", this.#onAbort);
    const stream = this.#stream;
    this.#stream = undefined;
    stream?.cancel();
    this.#context.onEnd(this);
  }

  #fail(error: Error): void {
    if (this.#ended) return;
    this.#finish();
    if (this.#waiter) {
      this.#waiter.reject(error);
      this.#waiter = undefined;
    } else {
      this.#failure = error;
    }
  }

  #deliver(batch: WatchEvent[]): void {
    if (this.#ended) return;
    if (this.#waiter) {
      this.#waiter.resolve({ value: batch, done: false });
      this.#waiter = undefined;
      return;
    }
    this.#queue.push(batch);
    if (this.#queue.length >= HIGH_WATER) this.#stream?.pause();
  }

  /** Open a stream from where the consumer's events left off, after checking that history is still there. */
  async #start(): Promise<void> {
    const from = this.#lastRevision > 0
      ? this.#lastRevision + 1
      : this.#createdRevision > 0
      ? this.#createdRevision + 1
      : this.#startRevision;
    this.#startRevision = from;
    let compacted: CompactedError | undefined;
    try {
      if (from > 0) compacted = await this.#context.compactedFrom(from);
    } catch {
      // etcd is unreachable; keep trying until it is back.
      this.#reopenLater();
      return;
    }
    if (this.#ended) return;
    if (compacted) {
      this.#fail(compacted);
      return;
    }
    try {
      this.#open(from);
    } catch (error) {
      this.#fail(error as Error);
    }
  }

  #open(from: number): void {
    const stream = this.#context.client.watchStream();
    this.#stream = stream;
    const endpoint = this.#context.client.endpoint;
    let broken = false;
    const broke = (error?: grpc.ServiceError) => {
      if (broken || this.#stream !== stream) return;
      broken = true;
      this.#stream = undefined;
      stream.cancel();
      // Converting the error also moves the client to the next endpoint when this one is unreachable.
      const failure = error && this.#context.client.toStoreError(error, endpoint);
      if (failure && FATAL.has(error.code)) this.#fail(failure);
      else this.#reopenLater();
    };
    stream.on("data", (response: PbWatchResponse) => {
      if (this.#stream !== stream) return;
      this.#converting = this.#converting.then(() => this.#handle(response, stream)).catch((error) =>
        this.#fail(error)
      );
    });
    stream.on("error", (error: grpc.ServiceError) => broke(error));
    // etcd never ends a watch stream on its own; an end means the connection went away.
    stream.on("end", () => broke());
    stream.write({
      create_request: {
        key: this.#range.key,
        range_end: this.#range.rangeEnd,
        start_revision: from,
        prev_kv: true,
      },
    });
  }

  async #handle(response: PbWatchResponse, stream: WatchStream): Promise<void> {
    if (this.#stream !== stream) return;
    if (response.compact_revision !== "0") {
      this.#fail(new CompactedError(this.#startRevision, Number(response.compact_revision)));
      return;
    }
    if (response.canceled) {
      this.#fail(new StoreError(`etcd cancelled the watch: ${response.cancel_reason || "no reason given"}`));
      return;
    }
    if (response.created) {
      this.#retryMs = FIRST_RETRY_MS;
      if (this.#startRevision === 0 && response.header) this.#createdRevision = Number(response.header.revision);
    }
    const fresh = response.events.filter((event) => Number(event.kv?.mod_revision ?? 0) > this.#lastRevision);
    if (fresh.length === 0) return;
    const batch = await this.#toWatchEvents(fresh);
    if (this.#ended) return;
    // etcd sends events in revision order, so the last one is the newest.
    this.#lastRevision = batch[batch.length - 1].kv.modRevision;
    this.#deliver(batch);
  }

  async #toWatchEvents(events: PbEvent[]): Promise<WatchEvent[]> {
    // Convert every KeyValue in one go so unknown leases are looked up together.
    const raw: PbKeyValue[] = [];
    for (const event of events) raw.push(event.kv!, event.prev_kv ?? event.kv!);
    const kvs = await this.#context.leases.toKeyValues(raw);
    return events.map((event, index) => {
      const kv = kvs[2 * index];
      const prevKv = event.prev_kv ? kvs[2 * index + 1] : undefined;
      if (event.type === "DELETE") {
        // etcd's delete event carries only the key and the delete's revision; the Store wants the deleted value.
        const deleted = prevKv ?? kv;
        return { type: "delete", kv: { ...deleted, modRevision: kv.modRevision }, prevKv };
      }
      if (kv.createRevision === kv.modRevision) return { type: "create", kv };
      return { type: "update", kv, prevKv };
    });
  }

  #reopenLater(): void {
    if (this.#ended) return;
    const delay = this.#retryMs;
    this.#retryMs = Math.min(this.#retryMs * 2, MAX_RETRY_MS);
    this.#retryTimer = setTimeout(async () => {
      if (this.#ended) return;
      try {
        await this.#context.client.ready(Date.now() + CONNECT_TIMEOUT_MS, this.#signal);
      } catch {
        this.#reopenLater();
        return;
      }
      if (!this.#ended) this.#start();
    }, delay);
  }
}
