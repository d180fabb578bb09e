/**
 * Starting a server in-process: today the datastore and its compactor; the API server, controllers
 * and agent join it as their issues land.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { openStore, parseEndpoint, redact, startCompactor, type Store } from "../../datastore/mod.ts";
import { sqlitePath } from "./paths.ts";

/** What `k3s server` is told. */
export interface ServerOptions {
  dataDir: string;
  /** `--datastore-endpoint`; empty for the embedded SQLite database. */
  datastoreEndpoint?: string;
  datastoreCAFile?: string;
  datastoreCertFile?: string;
  datastoreKeyFile?: string;
  /** Progress and status lines (default: the console). */
  log?: (line: string) => void;
  signal?: AbortSignal;
}

/** A running server. */
export interface Server {
  store: Store;
  stop(): Promise<void>;
}

/**
 * Open the datastore (waiting for it while unreachable) and keep it compacted.
 *
 * @example
 * ```ts
 * const server = await startServer({ dataDir: "/tmp/k3s" });
 * await server.stop();
 * ```
 */
export async function startServer(options: ServerOptions): Promise<Server> {
  const log = options.log ?? ((line: string) => console.log(line));
  const endpoint = options.datastoreEndpoint ?? "";
  const read = (path?: string) => path ? readFileSync(path, "utf8") : undefined;
  parseEndpoint(endpoint, sqlitePath(options.dataDir)); // a malformed endpoint fails before anything starts
  const where = endpoint ? redact(endpoint) : `sqlite ${sqlitePath(options.dataDir)}`;
  log(`Starting datastore: ${where}`);
  const store = await openStore(endpoint, {
    defaultSqlitePath: sqlitePath(options.dataDir),
    tls: {
      ca: read(options.datastoreCAFile),
      cert: read(options.datastoreCertFile),
      key: read(options.datastoreKeyFile),
    },
    signal: options.signal,
    onRetry: (error, attempt, delay) =>
      log(`Datastore not reachable yet (attempt ${attempt}): ${error.message}; retrying in ${delay / 1000}s`),
  });
  log(`Datastore ready: ${store.backend} at revision ${await store.currentRevision()}`);
  const stopCompactor = startCompactor(store, {
    onCompact: (from, to, ms) => log(`Compacted datastore revisions ${from}..${to} in ${ms.toFixed(0)}ms`),
  });
  return {
    store,
    async stop() {
      stopCompactor();
      await store.close();
    },
  };
}
