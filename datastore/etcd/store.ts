/**
 * The Store on etcd: etcd's own revisions are the Store's revisions, conditional writes are etcd
 * transactions on a key's mod revision, and a TTL is an etcd lease.
 *
 * @module
 */

import {
  CompactedError,
  ConflictError,
  FutureRevisionError,
  type GetOptions,
  KeyExistsError,
  KeyNotFoundError,
  type KeyValue,
  type ListOptions,
  type ListResult,
  prefixEnd,
  type Store,
  StoreError,
  type WatchEvent,
  type WatchOptions,
  type WriteOptions,
} from "../store.ts";
import { type EtcdClient, EtcdRevisionError } from "./client.ts";
import { ALL_KEYS, keyBytes } from "./kv.ts";
import { Leases } from "./lease.ts";
import type { PbCompare, PbRangeRequest, PbRangeResponse, PbRequestOp, PbTxnResponse } from "./proto.ts";
import { EtcdWatch, type WatchRange } from "./watch.ts";

/** A Store backed by an etcd cluster; see {@linkcode openEtcdStore} to get one. */
export class EtcdStore implements Store {
  readonly backend = "etcd";
  #client: EtcdClient;
  #leases: Leases;
  #watches = new Set<EtcdWatch>();
  /**
   * A revision etcd's compact revision is known to be at or above (this process compacted there, or
   * etcd said so); it makes {@linkcode EtcdStore.compactRevision} usually a single probe.
   */
  #compactFloor = 0;
  #closed = false;

  /**
   * Wrap a connected client; the store owns it from now on and closes it in {@linkcode EtcdStore.close}.
   *
   * @example
   * ```ts
   * const client = new EtcdClient(["http://127.0.0.1:2379"]);
   * const store = new EtcdStore(client);
   * ```
   */
  constructor(client: EtcdClient) {
    this.#client = client;
    this.#leases = new Leases(client);
  }

  /**
   * The newest revision (a linearizable read, so it includes every write acknowledged before the call).
   *
   * @example
   * ```ts
   * const revision = await store.currentRevision();
   * ```
   */
  async currentRevision(): Promise<number> {
    const response = await this.#client.range({ key: ALL_KEYS, limit: 1, count_only: true });
    return Number(response.header.revision);
  }

  /**
   * etcd's compact revision. etcd does not report it anywhere cheap, but a read at revision r fails
   * exactly when r is below it, so it is found by probing reads: one probe at the known floor when no
   * other client compacted further, else a binary search up to the current revision. Reads *at* the
   * compact revision still work (etcd keeps the state there), but a watch must start after it: a delete
   * at exactly that revision is gone from etcd's history.
   *
   * @example
   * ```ts
   * const compacted = await store.compactRevision(); // 0 before the first compaction
   * ```
   */
  async compactRevision(): Promise<number> {
    if (this.#compactFloor > 0 && await this.#readable(this.#compactFloor)) return this.#compactFloor;
    let below = this.#compactFloor; // a revision known to be compacted away, or 0
    if (below === 0) {
      // Revision 1 is etcd's empty initial state; compacting it changes nothing, so report it as 0.
      if (await this.#readable(1)) return 0;
      below = 1;
    }
    let readable = await this.currentRevision();
    while (readable - below > 1) {
      const middle = Math.floor((below + readable) / 2);
      if (await this.#readable(middle)) readable = middle;
      else below = middle;
    }
    this.#compactFloor = Math.max(this.#compactFloor, readable);
    return readable;
  }

  /**
   * The key's version at the current (or given) revision.
   *
   * @example
   * ```ts
   * const { revision, kv } = await store.get("/registry/namespaces/default");
   * ```
   */
  async get(key: string, options: GetOptions = {}): Promise<{ revision: number; kv?: KeyValue }> {
    const response = await this.#range({ key: keyBytes(key), revision: options.revision });
    const [kv] = await this.#leases.toKeyValues(response.kvs);
    return { revision: readRevision(response, options.revision), kv };
  }

  /**
   * Keys under `prefix` in byte order, a page at a time when `limit` is set.
   *
   * @example
   * ```ts
   * const first = await store.list("/registry/pods/", { limit: 500 });
   * const next = await store.list("/registry/pods/", {
   *   limit: 500,
   *   revision: first.revision,
   *   startKey: first.kvs.at(-1)!.key + "\0",
   * });
   * ```
   */
  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    const range = prefixRange(prefix);
    const start = options.startKey !== undefined && options.startKey > prefix ? keyBytes(options.startKey) : range.key;
    const response = await this.#range({
      key: start,
      range_end: range.rangeEnd,
      limit: options.limit || undefined,
      revision: options.revision,
    });
    return {
      revision: readRevision(response, options.revision),
      kvs: await this.#leases.toKeyValues(response.kvs),
      more: response.more,
    };
  }

  /**
   * How many keys are under `prefix`.
   *
   * @example
   * ```ts
   * const { count } = await store.count("/registry/pods/");
   * ```
   */
  async count(prefix: string, options: GetOptions = {}): Promise<{ revision: number; count: number }> {
    const range = prefixRange(prefix);
    const response = await this.#range({
      key: range.key,
      range_end: range.rangeEnd,
      revision: options.revision,
      count_only: true,
    });
    return { revision: readRevision(response, options.revision), count: Number(response.count) };
  }

  /**
   * Create `key`, failing with {@linkcode KeyExistsError} if it exists.
   *
   * @example
   * ```ts
   * const kv = await store.create("/registry/events/default/e1", value, { ttl: 3600 });
   * ```
   */
  async create(key: string, value: Uint8Array, options: WriteOptions = {}): Promise<KeyValue> {
    const bytes = keyBytes(key);
    const lease = options.ttl ? await this.#leases.grant(options.ttl) : "0";
    const response = await this.#txn(
      [{ result: "EQUAL", target: "MOD", key: bytes, mod_revision: 0 }],
      { request_put: { key: bytes, value, lease } },
      bytes,
    );
    if (!response.succeeded) {
      this.#leases.discard(lease);
      throw new KeyExistsError(key);
    }
    const revision = Number(response.header.revision);
    return { key, value, createRevision: revision, modRevision: revision, lease: leaseSeconds(options.ttl) };
  }

  /**
   * Replace `key` if its mod revision is still `expectedRevision`.
   *
   * @example
   * ```ts
   * const updated = await store.update(kv.key, newValue, kv.modRevision);
   * ```
   */
  async update(
    key: string,
    value: Uint8Array,
    expectedRevision: number,
    options: WriteOptions = {},
  ): Promise<KeyValue> {
    const bytes = keyBytes(key);
    const lease = options.ttl ? await this.#leases.grant(options.ttl) : "0";
    const response = await this.#txn(
      [...exists(bytes), { result: "EQUAL", target: "MOD", key: bytes, mod_revision: expectedRevision }],
      { request_put: { key: bytes, value, lease, prev_kv: true } },
      bytes,
    );
    if (!response.succeeded) {
      this.#leases.discard(lease);
      throw await this.#writeFailure(key, expectedRevision, response);
    }
    const revision = Number(response.header.revision);
    const previous = response.responses[0].response_put?.prev_kv;
    return {
      key,
      value,
      createRevision: previous ? Number(previous.create_revision) : revision,
      modRevision: revision,
      lease: leaseSeconds(options.ttl),
    };
  }

  /**
   * Delete `key`, if `expectedRevision` is given only while that is still its mod revision.
   *
   * @example
   * ```ts
   * const { revision, prevKv } = await store.delete(kv.key, kv.modRevision);
   * ```
   */
  async delete(key: string, expectedRevision?: number): Promise<{ revision: number; prevKv: KeyValue }> {
    const bytes = keyBytes(key);
    const compare = exists(bytes);
    if (expectedRevision !== undefined) {
      compare.push({ result: "EQUAL", target: "MOD", key: bytes, mod_revision: expectedRevision });
    }
    const response = await this.#txn(compare, { request_delete_range: { key: bytes, prev_kv: true } }, bytes);
    if (!response.succeeded) throw await this.#writeFailure(key, expectedRevision ?? 0, response);
    const [prevKv] = await this.#leases.toKeyValues(response.responses[0].response_delete_range?.prev_kvs ?? []);
    return { revision: Number(response.header.revision), prevKv };
  }

  /**
   * Changes under `prefix` from `fromRevision` on (or from now), until the signal aborts or the store closes.
   *
   * @example
   * ```ts
   * for await (const events of store.watch("/registry/pods/", { fromRevision: list.revision + 1, signal })) {
   *   for (const event of events) console.log(event.type, event.kv.key);
   * }
   * ```
   */
  watch(prefix: string, options: WatchOptions = {}): AsyncIterable<WatchEvent[]> {
    const context = {
      client: this.#client,
      leases: this.#leases,
      compactedFrom: (revision: number) => this.#compactedFrom(revision),
      onEnd: (watch: EtcdWatch) => this.#watches.delete(watch),
    };
    const from = options.fromRevision ?? 0;
    // When the answer is already known, fail before etcd is asked: the caller may abort right away.
    const failure = this.#closed
      ? new StoreError("etcd store is closed")
      : from > 0 && from <= this.#compactFloor
      ? new CompactedError(from, this.#compactFloor)
      : undefined;
    const watch = new EtcdWatch(context, prefixRange(prefix), from, options.signal, failure);
    if (!failure) this.#watches.add(watch);
    return watch;
  }

  /**
   * Compact etcd's history at `revision`. Compacting at or below the current compact revision is a no-op.
   *
   * @example
   * ```ts
   * await store.compact((await store.currentRevision()) - 1000);
   * ```
   */
  async compact(revision: number): Promise<void> {
    try {
      await this.#client.compact(revision);
    } catch (error) {
      if (error instanceof EtcdRevisionError && error.kind === "compacted") return;
      if (error instanceof EtcdRevisionError) throw new FutureRevisionError(revision, await this.currentRevision());
      throw error;
    }
    this.#compactFloor = Math.max(this.#compactFloor, revision);
  }

  /**
   * The size of the active member's database file, in bytes.
   *
   * @example
   * ```ts
   * const bytes = await store.size();
   * ```
   */
  async size(): Promise<number> {
    return Number((await this.#client.status()).dbSize);
  }

  /**
   * End every watch and close the connection.
   *
   * @example
   * ```ts
   * await store.close();
   * ```
   */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    for (const watch of [...this.#watches]) watch.end();
    this.#client.close();
    return Promise.resolve();
  }

  async #range(request: PbRangeRequest): Promise<PbRangeResponse> {
    try {
      return await this.#client.range(request);
    } catch (error) {
      if (!(error instanceof EtcdRevisionError) || !request.revision) throw error;
      if (error.kind === "future") throw new FutureRevisionError(request.revision, await this.currentRevision());
      this.#compactFloor = Math.max(this.#compactFloor, request.revision + 1);
      throw new CompactedError(request.revision, await this.compactRevision());
    }
  }

  #txn(compare: PbCompare[], success: PbRequestOp, key: Uint8Array): Promise<PbTxnResponse> {
    return this.#client.txn({
      compare,
      success: [success],
      // On failure read the key back, so the error can say what is there instead.
      failure: [{ request_range: { key } }],
    });
  }

  async #writeFailure(key: string, expectedRevision: number, response: PbTxnResponse): Promise<Error> {
    const [current] = await this.#leases.toKeyValues(response.responses[0].response_range?.kvs ?? []);
    if (!current) return new KeyNotFoundError(key);
    return new ConflictError(key, expectedRevision, current);
  }

  async #compactedFrom(revision: number): Promise<CompactedError | undefined> {
    if (revision <= this.#compactFloor) return new CompactedError(revision, this.#compactFloor);
    // History from `revision` on is intact when the state just before it can still be read.
    if (revision <= 1 || await this.#readable(revision - 1, true)) return undefined;
    return new CompactedError(revision, await this.compactRevision());
  }

  async #readable(revision: number, futureIsReadable = false): Promise<boolean> {
    try {
      await this.#client.range({ key: ALL_KEYS, limit: 1, count_only: true, revision });
      return true;
    } catch (error) {
      if (error instanceof EtcdRevisionError && error.kind === "compacted") return false;
      if (error instanceof EtcdRevisionError && futureIsReadable) return true;
      throw error;
    }
  }
}

/** The etcd key range of every key under `prefix`; the empty prefix is every key. */
function prefixRange(prefix: string): WatchRange {
  if (prefix === "") return { key: ALL_KEYS, rangeEnd: ALL_KEYS };
  return { key: keyBytes(prefix), rangeEnd: keyBytes(prefixEnd(prefix)) };
}

/** etcd's header carries the current revision even for a read at an older one; the Store reports the one read at. */
function readRevision(response: PbRangeResponse, requested?: number): number {
  return requested || Number(response.header.revision);
}

/** A compare that holds while the key exists (its version counts writes since its creation). */
function exists(key: Uint8Array): PbCompare[] {
  return [{ result: "GREATER", target: "VERSION", key, version: 0 }];
}

function leaseSeconds(ttl: number | undefined): number {
  return ttl ? Math.max(1, Math.ceil(ttl)) : 0;
}
