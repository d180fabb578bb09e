/**
 * TTLs as etcd leases. etcd keeps a lease *ID* on each key, while the Store reports the TTL in seconds,
 * so the IDs this backend chooses carry their TTL: bits 48–62 hold the tag 0x6b33 ("k3"), bits 24–47
 * are random, bits 0–23 the TTL. Every server sharing the etcd cluster can then read a key's TTL without
 * a lookup. A lease ID without the tag (granted by someone else, or a TTL too long to encode) is looked
 * up once with LeaseTimeToLive and remembered.
 *
 * @module
 */

import type { KeyValue } from "../store.ts";
import type { EtcdClient } from "./client.ts";
import { toKeyValue } from "./kv.ts";
import type { PbKeyValue } from "./proto.ts";

const TAG = 0x6b33n;
const TTL_BITS = 24n;
const RANDOM_BITS = 24n;
const MAX_ENCODED_TTL = (1 << 24) - 1;
const CACHE_LIMIT = 10_000;
const GRANT_ATTEMPTS = 5;

/**
 * The lease ID to grant for `ttl` seconds, or `"0"` (etcd chooses) when the TTL is too long to encode.
 *
 * @example
 * ```ts
 * leaseIdFor(60); // e.g. "7579745438712201276", and ttlOfLeaseId of it is 60
 * ```
 */
export function leaseIdFor(ttl: number): string {
  if (ttl > MAX_ENCODED_TTL) return "0";
  const random = BigInt(Math.floor(Math.random() * 2 ** Number(RANDOM_BITS)));
  return ((TAG << (RANDOM_BITS + TTL_BITS)) | (random << TTL_BITS) | BigInt(ttl)).toString();
}

/**
 * The TTL a lease ID of ours encodes; undefined for IDs without the tag.
 *
 * @example
 * ```ts
 * ttlOfLeaseId(leaseIdFor(30)); // 30
 * ttlOfLeaseId("0"); // undefined
 * ```
 */
export function ttlOfLeaseId(id: string): number | undefined {
  const value = BigInt(id);
  if (value >> (RANDOM_BITS + TTL_BITS) !== TAG) return undefined;
  return Number(value & ((1n << TTL_BITS) - 1n));
}

/** Grants leases for TTLs and turns lease IDs back into TTLs. */
export class Leases {
  #client: EtcdClient;
  #foreign = new Map<string, number>();

  /**
   * @example
   * ```ts
   * const leases = new Leases(client);
   * ```
   */
  constructor(client: EtcdClient) {
    this.#client = client;
  }

  /**
   * Grant a lease of `ttl` seconds (rounded up to whole seconds) and return its ID. etcd raises TTLs
   * below its minimum (about 2 s) but the ID still reports the TTL asked for.
   *
   * @example
   * ```ts
   * const lease = await leases.grant(30);
   * ```
   */
  async grant(ttl: number): Promise<string> {
    const seconds = Math.max(1, Math.ceil(ttl));
    for (let attempt = 1;; attempt++) {
      try {
        const response = await this.#client.leaseGrant(seconds, leaseIdFor(seconds));
        if (response.error) throw new Error(response.error);
        if (ttlOfLeaseId(response.ID) === undefined) this.#remember(response.ID, seconds);
        return response.ID;
      } catch (error) {
        // A random ID can collide with a live lease; another draw fixes that.
        if (attempt >= GRANT_ATTEMPTS || !String((error as Error).message).includes("lease already exists")) {
          throw error;
        }
      }
    }
  }

  /**
   * Revoke a lease nobody uses (a create that lost its race); failures are ignored, the lease expires anyway.
   *
   * @example
   * ```ts
   * leases.discard(lease);
   * ```
   */
  discard(id: string): void {
    if (id !== "0") this.#client.leaseRevoke(id).catch(() => {});
  }

  /**
   * Convert etcd KeyValues, resolving each lease to its TTL.
   *
   * @example
   * ```ts
   * const kvs = await leases.toKeyValues(response.kvs);
   * ```
   */
  async toKeyValues(kvs: PbKeyValue[]): Promise<KeyValue[]> {
    const unknown = new Set<string>();
    for (const kv of kvs) {
      if (kv.lease !== "0" && ttlOfLeaseId(kv.lease) === undefined && !this.#foreign.has(kv.lease)) {
        unknown.add(kv.lease);
      }
    }
    await Promise.all([...unknown].map((id) => this.#lookUp(id)));
    return kvs.map((kv) => toKeyValue(kv, this.#seconds(kv.lease)));
  }

  #seconds(id: string): number {
    if (id === "0") return 0;
    return ttlOfLeaseId(id) ?? this.#foreign.get(id) ?? 0;
  }

  async #lookUp(id: string): Promise<void> {
    const response = await this.#client.leaseTimeToLive(id);
    // An expired lease reports 0; its keys are about to vanish, so 0 is as good as any answer.
    this.#remember(id, Number(response.grantedTTL));
  }

  #remember(id: string, seconds: number): void {
    if (this.#foreign.size >= CACHE_LIMIT) this.#foreign.delete(this.#foreign.keys().next().value!);
    this.#foreign.set(id, seconds);
  }
}
