/**
 * Conversions between the Store's strings and numbers and etcd's bytes and int64 strings.
 *
 * @module
 */

import type { KeyValue } from "../store.ts";
import type { PbKeyValue } from "./proto.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** etcd's "\0" range end: every key from the start key on. */
export const ALL_KEYS = new Uint8Array([0]);

/**
 * A key as the UTF-8 bytes etcd stores.
 *
 * @example
 * ```ts
 * keyBytes("/registry/pods/default/web-0");
 * ```
 */
export function keyBytes(key: string): Uint8Array {
  return encoder.encode(key);
}

/**
 * An etcd KeyValue as the Store's, with the lease already resolved to its TTL in seconds.
 *
 * @example
 * ```ts
 * toKeyValue(response.kvs[0], 0);
 * ```
 */
export function toKeyValue(kv: PbKeyValue, leaseSeconds: number): KeyValue {
  return {
    key: decoder.decode(kv.key),
    // A copy, so callers get a plain Uint8Array that does not pin the whole response buffer.
    value: new Uint8Array(kv.value),
    createRevision: Number(kv.create_revision),
    modRevision: Number(kv.mod_revision),
    lease: leaseSeconds,
  };
}
