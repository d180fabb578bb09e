/**
 * Encryption at rest as a Store in front of the Store: values under the encrypted prefixes (K3s encrypts
 * Secrets only: `/registry/secrets/`) pass through the current {@linkcode ValueTransformer} on every write,
 * and back on every read — get, list, watch events (and their previous versions), deletes and the current
 * version a conflict carries — so everything above (REST, watch, informers) sees plain objects and only the
 * datastore holds ciphertext.
 *
 * @module
 */
import {
  ConflictError,
  type KeyValue,
  type ListResult,
  type Store,
  type WatchEvent,
  type WriteOptions,
} from "../../datastore/mod.ts";
import type { ValueTransformer } from "./transformer.ts";

/** The key prefix of Secrets, the one resource K3s encrypts. */
export const SECRETS_PREFIX = "/registry/secrets/";

/** Where the transformer comes from: read on every call, so a reloaded configuration applies at once. */
export interface TransformerSource {
  readonly transformer: ValueTransformer;
}

/**
 * `store` with values under `prefixes` encrypted by `source.transformer`.
 *
 * @example
 * ```ts
 * const encryption = await SecretsEncryption.load(dataDir);
 * const rest = new Rest(encryptingStore(store, encryption), strategy);
 * ```
 */
export function encryptingStore(store: Store, source: TransformerSource, prefixes = [SECRETS_PREFIX]): Store {
  const covered = (key: string) => prefixes.some((prefix) => key.startsWith(prefix));
  // Empty values (a tombstone without its old value) were never transformed.
  const read = (kv: KeyValue): KeyValue =>
    covered(kv.key) && kv.value.length ? { ...kv, value: source.transformer.fromStorage(kv.value, kv.key).data } : kv;
  const readOptional = (kv: KeyValue | undefined) => kv && read(kv);
  const write = (key: string, value: Uint8Array) => covered(key) ? source.transformer.toStorage(value, key) : value;
  const conflict = (error: unknown): never => {
    if (error instanceof ConflictError && error.current) {
      throw new ConflictError(error.key, error.expectedRevision, read(error.current));
    }
    throw error;
  };
  return {
    get backend() {
      return store.backend;
    },
    currentRevision: () => store.currentRevision(),
    compactRevision: () => store.compactRevision(),
    async get(key, options) {
      const result = await store.get(key, options);
      return { ...result, kv: readOptional(result.kv) };
    },
    async list(prefix, options): Promise<ListResult> {
      const result = await store.list(prefix, options);
      return { ...result, kvs: result.kvs.map(read) };
    },
    count: (prefix, options) => store.count(prefix, options),
    async create(key, value, options?: WriteOptions) {
      return { ...await store.create(key, write(key, value), options), value };
    },
    async update(key, value, expectedRevision, options?: WriteOptions) {
      return { ...await store.update(key, write(key, value), expectedRevision, options).catch(conflict), value };
    },
    async delete(key, expectedRevision) {
      const result = await store.delete(key, expectedRevision).catch(conflict);
      return { ...result, prevKv: read(result.prevKv) };
    },
    async *watch(prefix, options): AsyncIterable<WatchEvent[]> {
      for await (const batch of store.watch(prefix, options)) {
        yield batch.map((event) => ({ ...event, kv: read(event.kv), prevKv: readOptional(event.prevKv) }));
      }
    },
    compact: (revision) => store.compact(revision),
    size: () => store.size(),
    close: () => store.close(),
  };
}
