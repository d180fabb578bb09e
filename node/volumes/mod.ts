/**
 * Pod volumes on the node: emptyDir (also memory-backed), configMap, secret, downwardAPI, projected (with service
 * account tokens), hostPath and persistentVolumeClaim bound to hostPath/local volumes.
 *
 * @example
 * ```ts
 * import { setUpPodVolumes, tearDownPodVolumes } from "./mod.ts";
 * const volumes = await setUpPodVolumes(pod, { client, rootDir, nodeName, nodeIP });
 * await tearDownPodVolumes(rootDir, pod.metadata.uid);
 * ```
 *
 * @module
 */
export { type Payload, writeAtomically } from "./atomic_writer.ts";
export { VolumeError } from "./errors.ts";
export { checkHostPath, type HostPathType } from "./host_path.ts";
export { podDir, type PodVolumes, setUpPodVolumes, tearDownPodVolumes, type VolumeDeps } from "./pod_volumes.ts";
