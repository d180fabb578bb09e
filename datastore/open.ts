/**
 * Opening the store a `--datastore-endpoint` names, retrying while the database is unreachable.
 *
 * @module
 */
import { type Endpoint, parseEndpoint, redact } from "./endpoint.ts";
import { type Store, UnavailableError } from "./store.ts";
import { SqlLog } from "./sql/log.ts";
import { sqliteDialect } from "./sql/sqlite.ts";
import { postgresDialect } from "./sql/postgres.ts";
import { mysqlDialect } from "./sql/mysql.ts";

/** Options for {@linkcode openStore}. */
export interface OpenStoreOptions {
  /** Where the embedded SQLite database lives when the endpoint is empty. */
  defaultSqlitePath: string;
  /** `--datastore-cafile`, `--datastore-certfile`, `--datastore-keyfile` contents (PEM). */
  tls?: { ca?: string; cert?: string; key?: string };
  /** Give up waiting for an unreachable database. */
  signal?: AbortSignal;
  /** Told about each failed attempt before the next one (default: a warning on the console). */
  onRetry?: (error: Error, attempt: number, delayMs: number) => void;
  /** Stop after this many attempts (default: keep trying, as K3s does). */
  maxAttempts?: number;
}

/**
 * Open the datastore for `endpoint` (empty: embedded SQLite). A malformed endpoint throws an
 * `EndpointError` at once; an unreachable database is retried with exponential back-off.
 *
 * @example
 * ```ts
 * const store = await openStore("postgres://k3s:pw@127.0.0.1:5432/kine", {
 *   defaultSqlitePath: "/var/lib/rancher/k3s/server/db/state.db",
 * });
 * ```
 */
export async function openStore(endpoint: string, options: OpenStoreOptions): Promise<Store> {
  const parsed = parseEndpoint(endpoint, options.defaultSqlitePath);
  let delay = 500;
  for (let attempt = 1;; attempt++) {
    try {
      return await openOnce(parsed, options);
    } catch (error) {
      if (!(error instanceof UnavailableError)) throw error;
      if (options.maxAttempts && attempt >= options.maxAttempts) throw error;
      if (options.signal?.aborted) throw error;
      (options.onRetry ?? warn)(error, attempt, delay);
      await sleep(delay, options.signal);
      delay = Math.min(delay * 2, 15_000);
    }
  }

  function warn(error: Error, attempt: number, delayMs: number) {
    console.warn(
      `datastore ${redact(endpoint) || "sqlite"} unreachable (attempt ${attempt}): ${error.message}; ` +
        `retrying in ${delayMs / 1000}s`,
    );
  }
}

function openOnce(endpoint: Endpoint, options: OpenStoreOptions): Promise<Store> {
  switch (endpoint.backend) {
    case "sqlite":
      return SqlLog.open(sqliteDialect(endpoint.path));
    case "postgres":
      return SqlLog.open(postgresDialect({ ...endpoint, tls: options.tls }));
    case "mysql":
      return SqlLog.open(mysqlDialect({ ...endpoint, tls: options.tls }));
    case "etcd":
      // Loaded on demand: the gRPC stack costs start-up time and memory that SQL users need not pay.
      return import("./etcd/mod.ts").then(({ openEtcdStore }) =>
        openEtcdStore(endpoint.endpoints, { tls: options.tls, signal: options.signal })
      );
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
