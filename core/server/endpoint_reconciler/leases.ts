/**
 * kube-apiserver's "master leases": each API server keeps the key `/registry/masterleases/<its IP>` alive with a TTL,
 * so the set of live keys is the set of live servers. The value is an Endpoints object naming the IP, as upstream
 * stores it; nothing serves these keys over the API.
 *
 * @module
 */
import { ConflictError, KeyExistsError, KeyNotFoundError, type Store } from "../../../datastore/mod.ts";
import { decodeObject, encodeObject, type KubeObject } from "../../api/storage.ts";

/** Where the leases live (kube-apiserver's `/masterleases/` under the `/registry` prefix). */
export const MASTER_LEASES_PREFIX = "/registry/masterleases/";

interface LeaseRecord extends KubeObject {
  subsets?: { addresses?: { ip?: string }[] }[];
}

/**
 * The leases of every API server sharing the Store (upstream's `storageLeases`).
 *
 * @example
 * ```ts
 * const leases = new MasterLeases(store, 15);
 * await leases.updateLease("10.0.0.5");
 * await leases.listLeases(); // ["10.0.0.5", …every other live server]
 * ```
 */
export class MasterLeases {
  /** `ttl`: seconds a lease lives unless refreshed. */
  constructor(private readonly store: Store, private readonly ttl: number) {}

  /** The IPs of the live leases, in key order. */
  async listLeases(): Promise<string[]> {
    const { kvs } = await this.store.list(MASTER_LEASES_PREFIX);
    const ips: string[] = [];
    for (const kv of kvs) {
      const ip = (decodeObject(kv) as LeaseRecord).subsets?.[0]?.addresses?.[0]?.ip;
      if (ip) ips.push(ip);
    }
    return ips;
  }

  /** Create or refresh `ip`'s lease, restarting its TTL. */
  async updateLease(ip: string): Promise<void> {
    const key = MASTER_LEASES_PREFIX + ip;
    // GuaranteedUpdate: another server, or the TTL reaper, may write or delete the key between our read and write.
    while (true) {
      const { kv } = await this.store.get(key);
      const current = kv ? decodeObject(kv) as LeaseRecord : undefined;
      // The generation changes on every refresh, as upstream's does, so each refresh is a real write.
      const lease: LeaseRecord = {
        apiVersion: "v1",
        kind: "Endpoints",
        metadata: { generation: (current?.metadata?.generation ?? 0) + 1 },
        subsets: [{ addresses: [{ ip }] }],
      };
      try {
        if (kv) await this.store.update(key, encodeObject(lease), kv.modRevision, { ttl: this.ttl });
        else await this.store.create(key, encodeObject(lease), { ttl: this.ttl });
        return;
      } catch (error) {
        if (error instanceof ConflictError || error instanceof KeyExistsError || error instanceof KeyNotFoundError) {
          continue;
        }
        throw error;
      }
    }
  }

  /** Delete `ip`'s lease; one already expired is no error. */
  async removeLease(ip: string): Promise<void> {
    try {
      await this.store.delete(MASTER_LEASES_PREFIX + ip);
    } catch (error) {
      if (!(error instanceof KeyNotFoundError)) throw error;
    }
  }
}
