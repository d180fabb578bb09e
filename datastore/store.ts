/**
 * The Store: a revisioned key/value log with kine's (and so etcd's) semantics.
 *
 * Every write gets the next value of one global, monotonic revision; that revision is what
 * Kubernetes calls `resourceVersion`. Keys are byte-ordered strings such as
 * `/registry/pods/default/web-0`, values are opaque bytes.
 *
 * @module
 */

/** One stored version of a key. */
export interface KeyValue {
  key: string;
  value: Uint8Array;
  /** Revision of the write that created this key (since its last deletion). */
  createRevision: number;
  /** Revision of the write that produced this version. */
  modRevision: number;
  /** Time-to-live in seconds this version was written with; 0 when it never expires. */
  lease: number;
}

/** A change to one key, as a watch delivers it. */
export interface WatchEvent {
  type: "create" | "update" | "delete";
  /** The key after the change; for `delete`, the deleted version with `modRevision` set to the delete's revision. */
  kv: KeyValue;
  /** The version before the change (absent for `create`). */
  prevKv?: KeyValue;
}

/** Options for {@linkcode Store.get}. */
export interface GetOptions {
  /** Read as of this revision instead of the current one. */
  revision?: number;
}

/** Options for {@linkcode Store.list}. */
export interface ListOptions {
  /** Read as of this revision; pass the revision of the first page to keep pages consistent. */
  revision?: number;
  /** At most this many keys; 0 or absent means all. */
  limit?: number;
  /** Start at this key (inclusive) instead of at the prefix; used to continue a paged list. */
  startKey?: string;
}

/** Options for writes. */
export interface WriteOptions {
  /** Time-to-live in seconds; the key is deleted once it has not been written for that long. */
  ttl?: number;
}

/** A page of a list. */
export interface ListResult {
  /** The revision the list was read at. */
  revision: number;
  kvs: KeyValue[];
  /** True when keys remain after the last one returned. */
  more: boolean;
}

/** Options for {@linkcode Store.watch}. */
export interface WatchOptions {
  /** Deliver every change with a revision at or after this one (etcd's `start_revision`); 0 means "from now". */
  fromRevision?: number;
  /** Stop the watch. */
  signal?: AbortSignal;
}

/**
 * The datastore contract shared by every backend (SQLite, PostgreSQL, MySQL/MariaDB, etcd).
 *
 * @example
 * ```ts
 * const store = await openStore("sqlite:///tmp/state.db");
 * const { revision } = await store.create("/registry/configmaps/default/a", new TextEncoder().encode("{}"));
 * for await (const events of store.watch("/registry/configmaps/", { fromRevision: revision })) console.log(events);
 * ```
 */
export interface Store {
  /** The name of the backend, e.g. `sqlite`. */
  readonly backend: string;
  /** The newest revision. */
  currentRevision(): Promise<number>;
  /** The revision at or below which history has been compacted away (0 when nothing has). */
  compactRevision(): Promise<number>;
  /** The key's version at the current (or given) revision, or undefined. */
  get(key: string, options?: GetOptions): Promise<{ revision: number; kv?: KeyValue }>;
  /** Keys starting with `prefix`, in byte order. */
  list(prefix: string, options?: ListOptions): Promise<ListResult>;
  /** How many keys start with `prefix`. */
  count(prefix: string, options?: GetOptions): Promise<{ revision: number; count: number }>;
  /** Create `key`; throws {@linkcode KeyExistsError} if it exists. Resolves to the new version. */
  create(key: string, value: Uint8Array, options?: WriteOptions): Promise<KeyValue>;
  /**
   * Replace `key` if its mod revision is still `expectedRevision`; throws {@linkcode ConflictError}
   * (carrying the current version) otherwise, or {@linkcode KeyNotFoundError} if the key is gone.
   */
  update(key: string, value: Uint8Array, expectedRevision: number, options?: WriteOptions): Promise<KeyValue>;
  /**
   * Delete `key`, if given only while its mod revision is still `expectedRevision`. Resolves to the
   * deleted version and the revision of the delete.
   */
  delete(key: string, expectedRevision?: number): Promise<{ revision: number; prevKv: KeyValue }>;
  /**
   * Changes under `prefix`, in revision order, without gaps or duplicates, batched as they arrive.
   * Throws {@linkcode CompactedError} when `fromRevision` has been compacted away.
   */
  watch(prefix: string, options?: WatchOptions): AsyncIterable<WatchEvent[]>;
  /** Drop history at and below `revision` (never the current version of a key). */
  compact(revision: number): Promise<void>;
  /** Bytes the backend uses on disk, where it can tell. */
  size(): Promise<number>;
  close(): Promise<void>;
}

/** Base class of every error the Store raises on purpose. */
export class StoreError extends Error {
  override name = "StoreError";
}

/** `create` of a key that already exists. */
export class KeyExistsError extends StoreError {
  override name = "KeyExistsError";
  constructor(readonly key: string) {
    super(`key already exists: ${key}`);
  }
}

/** A read or conditional write of a key that does not exist. */
export class KeyNotFoundError extends StoreError {
  override name = "KeyNotFoundError";
  constructor(readonly key: string) {
    super(`key not found: ${key}`);
  }
}

/** A conditional write whose expected revision is no longer the key's mod revision. */
export class ConflictError extends StoreError {
  override name = "ConflictError";
  constructor(readonly key: string, readonly expectedRevision: number, readonly current?: KeyValue) {
    super(
      `revision conflict on ${key}: expected mod revision ${expectedRevision}, found ${
        current ? current.modRevision : "no key"
      }`,
    );
  }
}

/** A read or watch at a revision that compaction has already removed. */
export class CompactedError extends StoreError {
  override name = "CompactedError";
  constructor(readonly requestedRevision: number, readonly compactRevision: number) {
    super(`required revision ${requestedRevision} has been compacted (compacted up to ${compactRevision})`);
  }
}

/** A read at a revision newer than the store has. */
export class FutureRevisionError extends StoreError {
  override name = "FutureRevisionError";
  constructor(readonly requestedRevision: number, readonly currentRevision: number) {
    super(`required revision ${requestedRevision} is a future revision (current is ${currentRevision})`);
  }
}

/** The backend could not be reached or failed; the operation may be retried. */
export class UnavailableError extends StoreError {
  override name = "UnavailableError";
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** The first key after every key that starts with `prefix` (etcd's range end for a prefix). */
export function prefixEnd(prefix: string): string {
  // Keys are compared as UTF-8 bytes; bumping the last code unit is enough for the ASCII keys Kubernetes uses.
  if (prefix === "") return "\u{10FFFF}";
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}
