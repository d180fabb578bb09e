/**
 * The etcd backend of the Store: `--datastore-endpoint=http(s)://host:2379[,…]`.
 *
 * @module
 */

import type { Store } from "../store.ts";
import { EtcdClient } from "./client.ts";
import type { EtcdTls } from "./tls.ts";
import { EtcdStore } from "./store.ts";

export { EtcdStore } from "./store.ts";
export type { EtcdTls } from "./tls.ts";

/** Options of {@linkcode openEtcdStore}. */
export interface EtcdStoreOptions {
  /** Client TLS for `https://` endpoints: PEM text or file paths. */
  tls?: EtcdTls;
  /** Abandons the connection attempt. */
  signal?: AbortSignal;
}

/** How long to wait for a first connection; the caller retries with back-off, so fail fast. */
const CONNECT_TIMEOUT_MS = 3_000;

/**
 * Connect to an etcd cluster and return it as a Store. Fails fast with an `UnavailableError` when
 * no endpoint answers within a few seconds.
 *
 * @example
 * ```ts
 * const store = await openEtcdStore(["https://10.0.0.5:2379"], {
 *   tls: { ca: "/etc/etcd/ca.crt", cert: "/etc/etcd/client.crt", key: "/etc/etcd/client.key" },
 * });
 * console.log(await store.currentRevision());
 * ```
 */
export async function openEtcdStore(endpoints: string[], options: EtcdStoreOptions = {}): Promise<Store> {
  const client = new EtcdClient(endpoints, options.tls);
  try {
    // A Status call, not just a connection: any HTTP/2 server accepts a connection, only etcd answers.
    await client.connect(Date.now() + CONNECT_TIMEOUT_MS, options.signal);
  } catch (error) {
    client.close();
    throw error;
  }
  return new EtcdStore(client);
}
