/**
 * The agent's container runtime: Debian's containerd supervised as a child process with K3s's paths and
 * config, or an existing runtime named by `--container-runtime-endpoint`.
 *
 * @example
 * ```ts
 * import { connectContainerRuntime, startContainerd } from "./node/containerd/mod.ts";
 * const runtime = endpoint
 *   ? await connectContainerRuntime(endpoint)
 *   : await startContainerd({ dataDir, pauseImage });
 * ```
 *
 * @module
 */
export * from "./binary.ts";
export * from "./config.ts";
export * from "./paths.ts";
export * from "./ready.ts";
export * from "./runtime.ts";
export * from "./supervisor.ts";
