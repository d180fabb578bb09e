/**
 * Admin kubeconfigs in K3s's format and location.
 *
 * @example
 * ```ts
 * import { defaultKubeconfigPath, renderKubeconfig, writeKubeconfig } from "./core/kubeconfig/mod.ts";
 * await writeKubeconfig(defaultKubeconfigPath(), renderKubeconfig({ server, caPem, certPem, keyPem }));
 * ```
 *
 * @module
 */
export { type KubeconfigOptions, renderKubeconfig } from "./render.ts";
export { DEFAULT_KUBECONFIG_MODE, defaultKubeconfigPath, parseFileMode, writeKubeconfig } from "./write.ts";
