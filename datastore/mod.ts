/**
 * The kine-like datastore: one {@linkcode Store} interface over SQLite, PostgreSQL, MySQL/MariaDB and etcd.
 *
 * @example
 * ```ts
 * import { openStore } from "./datastore/mod.ts";
 * const store = await openStore("", { defaultSqlitePath: "/tmp/k3s/server/db/state.db" });
 * ```
 *
 * @module
 */
export * from "./store.ts";
export { type Endpoint, ENDPOINT_FORMS, EndpointError, parseEndpoint, redact } from "./endpoint.ts";
export { openStore, type OpenStoreOptions } from "./open.ts";
export { type CompactorOptions, startCompactor } from "./compactor.ts";
