/**
 * The kubelet's pod lifecycle on CRI: sandboxes, init containers, sidecars, restarts with back-off, probes, volumes,
 * graceful termination and the pod status.
 *
 * @example
 * ```ts
 * import { startKubelet } from "./mod.ts";
 * const kubelet = await startKubelet(options);
 * await kubelet.stopped;
 * ```
 *
 * @module
 */
export { type Kubelet, type KubeletOptions, startKubelet } from "./kubelet.ts";
export { normalizeImage } from "./images.ts";
export type { Container, Pod } from "./pod.ts";
export { type CgroupDriver, podCgroupParent } from "./resources.ts";
export {
  CONTAINER_NAME_LABEL,
  POD_NAME_LABEL,
  POD_NAMESPACE_LABEL,
  POD_UID_LABEL,
  podLogDirectory,
  RESTART_COUNT_ANNOTATION,
} from "./sandbox_config.ts";
