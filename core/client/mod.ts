/**
 * The Kubernetes client: one typed {@linkcode Client}, an in-process transport for controllers in the
 * server, and an HTTPS transport (or one from a kubeconfig) for everything else.
 *
 * @example
 * ```ts
 * import { ApiClient, inProcessTransport, isNotFound } from "./core/client/mod.ts";
 * const client = new ApiClient(inProcessTransport(server.router), server.registry);
 * ```
 *
 * @module
 */
export * from "./client.ts";
export * from "./errors.ts";
export * from "./https.ts";
export * from "./in_process.ts";
export * from "./kubeconfig.ts";
export * from "./transport.ts";
export * from "./watch.ts";
