/**
 * A container's environment: `env`, `envFrom` and service links, resolved as the kubelet does.
 *
 * @example
 * ```ts
 * import { containerEnv } from "./mod.ts";
 * const envs = await containerEnv(pod, container, { client, nodeName, nodeIP, podIPs });
 * ```
 *
 * @module
 */
export { containerEnv, type EnvDeps, EnvError, podField, resourceField } from "./container_env.ts";
export { expand } from "./expand.ts";
export { type LinkedService, serviceEnv } from "./service_links.ts";
