/**
 * k3s in TypeScript, as a library: start a server in-process, and the datastore beneath it.
 *
 * @example
 * ```ts
 * import { startServer } from "./mod.ts";
 * const server = await startServer({ dataDir: "/tmp/k3s" });
 * await server.store.create("/registry/example", new TextEncoder().encode("{}"));
 * await server.stop();
 * ```
 *
 * @module
 */
export * from "./datastore/mod.ts";
export {
  ApiClient,
  ApiError,
  type Client,
  httpsTransport,
  inProcessTransport,
  isAlreadyExists,
  isConflict,
  isExpired,
  isInvalid,
  isNotFound,
  type KubeList,
  type Ref,
  type Transport,
  transportFromKubeconfig,
} from "./core/client/mod.ts";
export {
  controller,
  type Informer,
  LeaderElector,
  leaseClientFor,
  listWatcherFor,
  Manager,
  type ReconcileFunc,
  type Request as ReconcileRequest,
  type Result as ReconcileResult,
  WorkQueue,
} from "./core/operator/mod.ts";
export { type Server, type ServerOptions, startServer } from "./core/server/start.ts";
export { defaultDataDir } from "./core/server/paths.ts";
export { K3S_VERSION, KUBERNETES_VERSION } from "./core/version.ts";
