/**
 * A pod's volumes on the node, as the kubelet's volume manager sets them up before the sandbox starts: each under
 * `<rootDir>/pods/<uid>/volumes/<plugin>/<name>`, then bind-mounted into containers by the runtime. ConfigMap,
 * Secret, downward API and projected volumes are rewritten atomically on `refresh()`, so updates reach running
 * containers as upstream's periodic resync does.
 *
 * @module
 */
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import type { Client } from "../../core/client/mod.ts";
import type { Mount, MountPropagation } from "../cri/mod.ts";
import { expand } from "../env/mod.ts";
import type { Container, Pod, Volume } from "../kubelet/pod.ts";
import { type Payload, writeAtomically } from "./atomic_writer.ts";
import { setUpEmptyDir, tearDownEmptyDirs } from "./empty_dir.ts";
import { checkHostPath, type HostPathType } from "./host_path.ts";
import { claimPath } from "./persistent_claim.ts";
import {
  DEFAULT_MODE,
  downwardFiles,
  type DownwardItem,
  type IssuedToken,
  keyFiles,
  type KeySource,
  type ProjectionDeps,
  tokenFile,
} from "./projections.ts";
import { VolumeError } from "./errors.ts";

/** What setting up volumes needs. */
export interface VolumeDeps {
  client: Client;
  rootDir: string;
  nodeName: string;
  nodeIP: string;
  /** The pod's IPs, for downward API files; empty before the sandbox has them. */
  podIPs?: string[];
  /** The node's allocatable CPU (cores) and memory (bytes): downward API limits a container leaves unset. */
  nodeAllocatable?: { cpu: number; memory: number };
}

/** A pod's volumes, set up. */
export interface PodVolumes {
  /** The CRI mounts of `container`, `env` expanding its `subPathExpr`s; throws {@linkcode VolumeError}. */
  mountsFor(container: Container, env?: Map<string, string>): Mount[];
  /**
   * Re-read the API objects behind ConfigMap, Secret, downward API and projected volumes; `pod` is the pod as it is
   * now, so downward API files follow label and annotation changes.
   */
  refresh(podIPs?: string[], pod?: Pod): Promise<void>;
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
  const refreshers: ((current: Pod, projection: ProjectionDeps) => Promise<void>)[] = [];
  const base = join(podDir(deps.rootDir, pod.metadata.uid), "volumes");
  const tokens = new Map<string, IssuedToken>();
  const projection = (podIPs: string[]): ProjectionDeps => ({ ...deps, podIPs, tokens });
  for (const volume of pod.spec.volumes ?? []) {
    try {
      await setUpVolume(volume);
    } catch (error) {
      if (error instanceof VolumeError) error.volume ??= volume.name;
      throw error;
    }
  }
  async function setUpVolume(volume: Volume): Promise<void> {
    const kind = Object.keys(volume).find((key) => key !== "name")!;
    const source = volume[kind] as Record<string, unknown>;
    if (kind === "hostPath") {
      const hostPath = source as { path: string; type?: HostPathType };
      await checkHostPath(hostPath.path, hostPath.type ?? "");
      paths.set(volume.name, hostPath.path);
      return;
    }
    if (kind === "persistentVolumeClaim") {
      const claim = source as { claimName: string; readOnly?: boolean };
      paths.set(volume.name, await claimPath(pod, claim.claimName, deps.client));
      if (claim.readOnly) readOnly.add(volume.name);
      return;
    }
    const plugin = PLUGIN[kind];
    if (!plugin) throw new VolumeError(`volume "${volume.name}": ${kind} volumes are not supported on this node`);
    const dir = join(base, plugin, volume.name);
    paths.set(volume.name, dir);
    if (kind === "emptyDir") {
      await setUpEmptyDir(dir, source as { medium?: string; sizeLimit?: string });
      return;
    }
    // Files of these kinds are API data: read-only in containers, as upstream mounts them.
    readOnly.add(volume.name);
    const write = async (current: Pod, p: ProjectionDeps) => {
      try {
        await writeAtomically(dir, await volumeFiles(current, volume, kind, p));
      } catch (error) {
        if (error instanceof VolumeError) error.volume ??= volume.name;
        throw error;
      }
    };
    await write(pod, projection(deps.podIPs ?? []));
    refreshers.push(write);
  }
  return {
    mountsFor(container, env = new Map()) {
      return (container.volumeMounts ?? []).map((m): Mount => {
        const root = paths.get(m.name);
        if (!root) throw new VolumeError(`cannot find volume "${m.name}" to mount into container "${container.name}"`);
        const sub = m.subPathExpr ? expandSubPath(m.subPathExpr, env) : m.subPath;
        let hostPath = root;
        if (sub) {
          if (isAbsolute(sub)) throw new VolumeError(`error SubPath \`${sub}\` must not be an absolute path`);
          if (sub.split("/").includes("..")) {
            throw new VolumeError(`unable to provision SubPath \`${sub}\`: must not contain '..'`);
          }
          hostPath = join(root, sub);
          // Created now with the volume's mode, so the runtime does not make it later with the wrong one.
          if (!existsSync(hostPath)) {
            mkdirSync(hostPath, { recursive: true, mode: statSync(root).mode & 0o7777 });
          }
        }
        return {
          container_path: m.mountPath,
          host_path: hostPath,
          readonly: (m.readOnly ?? false) || readOnly.has(m.name),
          propagation: PROPAGATION[m.mountPropagation ?? "None"] ?? "PROPAGATION_PRIVATE",
        };
      });
    },
    async refresh(podIPs = deps.podIPs ?? [], current = pod) {
      // One volume whose source went missing keeps its old files and must not hold back the others' updates.
      const results = await Promise.allSettled(refreshers.map((write) => write(current, projection(podIPs))));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failed) throw failed.reason;
    },
  };
}

/** `subPathExpr` expansion: unlike `env`, a variable that is missing or empty is an error. */
function expandSubPath(expression: string, env: Map<string, string>): string {
  const missing = new Set<string>();
  const expanded = expand(expression, (name) => {
    const value = env.get(name);
    if (!value) missing.add(name);
    return value ?? "";
  });
  if (missing.size > 0) throw new VolumeError(`missing value for ${[...missing].sort().join(", ")}`);
  return expanded;
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
  await tearDownEmptyDirs(join(dir, "volumes", PLUGIN.emptyDir));
  if (existsSync(dir) && statSync(dir).isDirectory()) rmSync(dir, { recursive: true, force: true });
}
