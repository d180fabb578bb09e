/**
 * `persistentVolumeClaim` volumes on this node: the claim must be Bound, and its PersistentVolume a `hostPath` or
 * `local` one, whose path is what containers mount.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { type Client, isNotFound } from "../../core/client/mod.ts";
import type { Pod } from "../kubelet/pod.ts";
import { VolumeError } from "./errors.ts";
import { checkHostPath, type HostPathType } from "./host_path.ts";

/**
 * The path of the PersistentVolume bound to `claimName`: a `hostPath` or `local` volume on this node.
 *
 * @example
 * ```ts
 * await claimPath(pod, "data", client); // "/srv/pv1"
 * ```
 */
export async function claimPath(pod: Pod, claimName: string, client: Client): Promise<string> {
  const ns = pod.metadata.namespace;
  let claim: { spec?: { volumeName?: string }; status?: { phase?: string } };
  try {
    claim = await client.get({ apiVersion: "v1", kind: "PersistentVolumeClaim" }, ns, claimName);
  } catch (error) {
    if (isNotFound(error)) throw new VolumeError(`persistentvolumeclaim "${claimName}" not found`);
    throw error;
  }
  const volumeName = claim.spec?.volumeName;
  if (!volumeName || claim.status?.phase !== "Bound") {
    throw new VolumeError(`persistentvolumeclaim "${claimName}" is not bound`);
  }
  const pv = await client.get<
    { spec?: { hostPath?: { path: string; type?: HostPathType }; local?: { path: string } } }
  >(
    { apiVersion: "v1", kind: "PersistentVolume" },
    undefined,
    volumeName,
  );
  if (pv.spec?.hostPath) {
    await checkHostPath(pv.spec.hostPath.path, pv.spec.hostPath.type ?? "");
    return pv.spec.hostPath.path;
  }
  if (pv.spec?.local) {
    if (!existsSync(pv.spec.local.path)) throw new VolumeError(`path "${pv.spec.local.path}" does not exist`);
    return pv.spec.local.path;
  }
  throw new VolumeError(`persistentvolume "${volumeName}": only hostPath and local volumes are supported on this node`);
}
