/**
 * A pod's volumes on the node, as the kubelet's volume manager sets them up before the sandbox starts: each under
 * `<rootDir>/pods/<uid>/volumes/<plugin>/<name>`, then bind-mounted into containers by the runtime. ConfigMap,
 * Secret, downward API and projected volumes are rewritten atomically on `refresh()`, so updates reach running
 * containers as upstream's periodic resync does.
 *
 * @module
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { type Client, isNotFound } from "../../core/client/mod.ts";
import { quantityValue } from "../../controllers/scheduler/resources.ts";
import type { Mount, MountPropagation } from "../cri/mod.ts";
import { expand } from "../env/mod.ts";
import type { Container, Pod, Volume } from "../kubelet/pod.ts";
import { type Payload, writeAtomically } from "./atomic_writer.ts";
import { checkHostPath, type HostPathType } from "./host_path.ts";
import {
  DEFAULT_MODE,
  downwardFiles,
  type DownwardItem,
  keyFiles,
  type KeySource,
  type ProjectionDeps,
  tokenFile,
} from "./projections.ts";
import { VolumeError } from "./errors.ts";

const run = promisify(execFile);

/** What setting up volumes needs. */
export interface VolumeDeps {
  client: Client;
  rootDir: string;
  nodeName: string;
  nodeIP: string;
  /** The pod's IPs, for downward API files; empty before the sandbox has them. */
  podIPs?: string[];
}

/** A pod's volumes, set up. */
export interface PodVolumes {
  /** The CRI mounts of `container`, `env` expanding its `subPathExpr`s. */
  mountsFor(container: Container, env?: Map<string, string>): Mount[];
  /** Re-read the API objects behind ConfigMap, Secret, downward API and projected volumes. */
  refresh(podIPs?: string[]): Promise<void>;
}

/**
 * `<rootDir>/pods/<uid>`: the pod's directory on the node.
 *
 * @example
 * ```ts
 * podDir("/var/lib/kubelet", "0f…"); // "/var/lib/kubelet/pods/0f…"
 * ```
 */
export function podDir(rootDir: string, uid: string): string {
  return join(rootDir, "pods", uid);
}

const PLUGIN: Record<string, string> = {
  emptyDir: "kubernetes.io~empty-dir",
  configMap: "kubernetes.io~configmap",
  secret: "kubernetes.io~secret",
  projected: "kubernetes.io~projected",
  downwardAPI: "kubernetes.io~downward-api",
};

const PROPAGATION: Record<string, MountPropagation> = {
  None: "PROPAGATION_PRIVATE",
  HostToContainer: "PROPAGATION_HOST_TO_CONTAINER",
  Bidirectional: "PROPAGATION_BIDIRECTIONAL",
};

/**
 * Set up every volume of `pod`; throws {@linkcode VolumeError} naming what is missing.
 *
 * @example
 * ```ts
 * const volumes = await setUpPodVolumes(pod, { client, rootDir: "/var/lib/kubelet", nodeName: "n1", nodeIP: "10.0.0.2" });
 * const mounts = volumes.mountsFor(pod.spec.containers[0]);
 * ```
 */
export async function setUpPodVolumes(pod: Pod, deps: VolumeDeps): Promise<PodVolumes> {
  const paths = new Map<string, string>();
  const readOnly = new Set<string>();
  const refreshers: ((projection: ProjectionDeps) => Promise<void>)[] = [];
  const base = join(podDir(deps.rootDir, pod.metadata.uid), "volumes");
  const projection = (podIPs: string[]): ProjectionDeps => ({ ...deps, podIPs });
  for (const volume of pod.spec.volumes ?? []) {
    const kind = Object.keys(volume).find((key) => key !== "name")!;
    const source = volume[kind] as Record<string, unknown>;
    if (kind === "hostPath") {
      const hostPath = source as { path: string; type?: HostPathType };
      await checkHostPath(hostPath.path, hostPath.type ?? "");
      paths.set(volume.name, hostPath.path);
      continue;
    }
    if (kind === "persistentVolumeClaim") {
      const claim = source as { claimName: string; readOnly?: boolean };
      paths.set(volume.name, await claimPath(pod, claim.claimName, deps.client));
      if (claim.readOnly) readOnly.add(volume.name);
      continue;
    }
    const plugin = PLUGIN[kind];
    if (!plugin) throw new VolumeError(`volume "${volume.name}": ${kind} volumes are not supported on this node`);
    const dir = join(base, plugin, volume.name);
    paths.set(volume.name, dir);
    if (kind === "emptyDir") {
      await setUpEmptyDir(dir, source as { medium?: string; sizeLimit?: string });
      continue;
    }
    // Files of these kinds are API data: read-only in containers, as upstream mounts them.
    readOnly.add(volume.name);
    const write = async (p: ProjectionDeps) => {
      await writeAtomically(dir, await volumeFiles(pod, volume, kind, p));
    };
    await write(projection(deps.podIPs ?? []));
    refreshers.push(write);
  }
  return {
    mountsFor(container, env = new Map()) {
      return (container.volumeMounts ?? []).map((m): Mount => {
        const root = paths.get(m.name);
        if (!root) throw new VolumeError(`unable to find volume "${m.name}" for container ${container.name}`);
        const sub = m.subPathExpr ? expand(m.subPathExpr, (name) => env.get(name)) : m.subPath;
        let hostPath = root;
        if (sub) {
          if (sub.split("/").includes("..")) throw new VolumeError(`subPath "${sub}" must not contain '..'`);
          hostPath = join(root, sub);
          // A missing subPath of a writable volume is created as a directory, as the kubelet does.
          if (!existsSync(hostPath) && !readOnly.has(m.name)) mkdirSync(hostPath, { recursive: true });
        }
        return {
          container_path: m.mountPath,
          host_path: hostPath,
          readonly: (m.readOnly ?? false) || readOnly.has(m.name),
          propagation: PROPAGATION[m.mountPropagation ?? "None"] ?? "PROPAGATION_PRIVATE",
        };
      });
    },
    async refresh(podIPs = deps.podIPs ?? []) {
      for (const write of refreshers) await write(projection(podIPs));
    },
  };
}

async function volumeFiles(
  pod: Pod,
  volume: Volume,
  kind: string,
  deps: ProjectionDeps,
): Promise<Record<string, Payload>> {
  const source = volume[kind] as Record<string, unknown>;
  if (kind === "configMap") return await keyFiles("ConfigMap", pod, source as KeySource, deps);
  if (kind === "secret") return await keyFiles("Secret", pod, source as KeySource, deps);
  if (kind === "downwardAPI") {
    const api = source as { items?: DownwardItem[]; defaultMode?: number };
    return downwardFiles(pod, api.items ?? [], api.defaultMode ?? DEFAULT_MODE, deps);
  }
  const projected = source as { sources?: Record<string, unknown>[]; defaultMode?: number };
  const mode = projected.defaultMode ?? DEFAULT_MODE;
  let files: Record<string, Payload> = {};
  for (const s of projected.sources ?? []) {
    if (s.configMap) files = { ...files, ...await keyFiles("ConfigMap", pod, s.configMap as KeySource, deps, mode) };
    else if (s.secret) files = { ...files, ...await keyFiles("Secret", pod, s.secret as KeySource, deps, mode) };
    else if (s.downwardAPI) {
      files = {
        ...files,
        ...downwardFiles(pod, (s.downwardAPI as { items?: DownwardItem[] }).items ?? [], mode, deps),
      };
    } else if (s.serviceAccountToken) {
      files = { ...files, ...await tokenFile(pod, s.serviceAccountToken as { path: string }, mode, deps) };
    }
  }
  return files;
}

async function setUpEmptyDir(dir: string, source: { medium?: string; sizeLimit?: string }): Promise<void> {
  mkdirSync(dir, { recursive: true, mode: 0o777 });
  if (source.medium !== "Memory" || isMountPoint(dir)) return;
  const size = source.sizeLimit ? `,size=${quantityValue(source.sizeLimit)}` : "";
  try {
    await run("mount", ["-t", "tmpfs", "-o", `mode=0777${size}`, "tmpfs", dir]);
  } catch (error) {
    throw new VolumeError(`mount of tmpfs on ${dir} failed: ${(error as { stderr?: string }).stderr ?? error}`);
  }
}

function isMountPoint(dir: string): boolean {
  try {
    return readFileSync("/proc/self/mountinfo", "utf8").split("\n").some((line) => line.split(" ")[4] === dir);
  } catch {
    return false;
  }
}

/** The path of the PersistentVolume bound to `claimName`: a `hostPath` or `local` volume on this node. */
async function claimPath(pod: Pod, claimName: string, client: Client): Promise<string> {
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

/**
 * Remove the pod's directory, unmounting its memory-backed emptyDirs first.
 *
 * @example
 * ```ts
 * await tearDownPodVolumes("/var/lib/kubelet", pod.metadata.uid);
 * ```
 */
export async function tearDownPodVolumes(rootDir: string, uid: string): Promise<void> {
  const dir = podDir(rootDir, uid);
  const emptyDirs = join(dir, "volumes", PLUGIN.emptyDir);
  if (existsSync(emptyDirs)) {
    for (const name of readdirSync(emptyDirs)) {
      const path = join(emptyDirs, name);
      if (isMountPoint(path)) await run("umount", [path]).catch(() => {});
    }
  }
  if (existsSync(dir) && statSync(dir).isDirectory()) rmSync(dir, { recursive: true, force: true });
}
