/**
 * The kubelet's stats Summary (`stats.k8s.io/v1alpha1`, served at `/stats/summary`, what metrics-server scrapes for
 * `kubectl top`): CPU and memory of the node and of each running pod and container, from their cgroups. CPU rates
 * (`usageNanoCores`) need two readings, so a {@linkcode StatsSampler} keeps the previous one per cgroup.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { CriClient } from "../cri/mod.ts";
import { CONTAINER_NAME_LABEL, POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL } from "../kubelet/mod.ts";
import type { CgroupDriver } from "../kubelet/resources.ts";
import { type CgroupMounts, cgroupPath, type CgroupUsage, readCgroupUsage } from "./cgroup.ts";

/** `CPUStats`. */
export interface CPUStats {
  time: string;
  usageNanoCores?: number;
  usageCoreNanoSeconds: number;
}

/** `MemoryStats`. */
export interface MemoryStats {
  time: string;
  availableBytes?: number;
  usageBytes: number;
  workingSetBytes: number;
  rssBytes: number;
}

/** `ContainerStats`. */
export interface ContainerStatsSummary {
  name: string;
  startTime: string;
  cpu: CPUStats;
  memory: MemoryStats;
}

/** `PodStats`. */
export interface PodStats {
  podRef: { name: string; namespace: string; uid: string };
  startTime: string;
  containers: ContainerStatsSummary[];
  cpu: CPUStats;
  memory: MemoryStats;
}

/** `Summary`. */
export interface Summary {
  node: { nodeName: string; startTime: string; cpu: CPUStats; memory: MemoryStats };
  pods: PodStats[];
}

/**
 * Remembers each cgroup's last CPU reading to turn cumulative CPU time into a rate, as cAdvisor's housekeeping does.
 *
 * @example
 * ```ts
 * const sampler = new StatsSampler();
 * sampler.cpu("/kubepods", usage, Date.now()).usageCoreNanoSeconds;
 * ```
 */
export class StatsSampler {
  #last = new Map<string, { nanoseconds: number; at: number }>();

  /** The CPU stats of `key` at `at` (ms since the epoch), with a rate once an earlier reading exists. */
  cpu(key: string, usage: CgroupUsage, at: number): CPUStats {
    const last = this.#last.get(key);
    this.#last.set(key, { nanoseconds: usage.cpuNanoseconds, at });
    const stats: CPUStats = { time: new Date(at).toISOString(), usageCoreNanoSeconds: usage.cpuNanoseconds };
    if (last && at > last.at && usage.cpuNanoseconds >= last.nanoseconds) {
      stats.usageNanoCores = Math.round((usage.cpuNanoseconds - last.nanoseconds) / ((at - last.at) / 1000));
    }
    return stats;
  }

  /** Forget cgroups not read in the last pass, so deleted pods do not pile up. */
  retain(keys: Set<string>): void {
    for (const key of this.#last.keys()) if (!keys.has(key)) this.#last.delete(key);
  }
}

/** What {@linkcode summaryStats} reads. */
export interface SummaryOptions {
  runtime: CriClient;
  nodeName: string;
  /** When the node (the agent) started. */
  nodeStartTime: Date;
  /** The node's memory capacity, for `availableBytes`. */
  memoryCapacity: number;
  mounts: CgroupMounts;
  driver: CgroupDriver;
  /** The cgroupfs parent of the QoS tiers (the kubelet's `--cgroup-root` plus `kubepods`); default `/kubepods`. */
  kubepods?: string;
  sampler: StatsSampler;
}

/**
 * The Summary of the node and its running pods now.
 *
 * @example
 * ```ts
 * const summary = await summaryStats({ runtime, nodeName, nodeStartTime, memoryCapacity, mounts, driver, sampler });
 * summary.pods[0].memory.workingSetBytes;
 * ```
 */
export async function summaryStats(options: SummaryOptions): Promise<Summary> {
  const { mounts, driver, sampler } = options;
  const at = Date.now();
  const seen = new Set<string>();
  const read = (path: string) => {
    const usage = readCgroupUsage(mounts, path);
    if (!usage) return undefined;
    seen.add(path);
    return { cpu: sampler.cpu(path, usage, at), memory: memoryStats(usage, at) };
  };

  const root = read("/");
  if (!root) throw new Error(`cannot read the root cgroup under ${mounts.root}`);
  root.memory.availableBytes = Math.max(0, options.memoryCapacity - root.memory.workingSetBytes);

  const sandboxes = await options.runtime.listPodSandbox({ state: { state: "SANDBOX_READY" } });
  const containers = await options.runtime.listContainers({ state: { state: "CONTAINER_RUNNING" } });
  const pods: PodStats[] = [];
  for (const sandbox of sandboxes) {
    const uid = sandbox.labels[POD_UID_LABEL];
    const parent = uid && podCgroup(mounts, driver, options.kubepods ?? "/kubepods", uid);
    const pod = parent && read(parent);
    if (!pod) continue;
    const own = containers.filter((c) => c.pod_sandbox_id === sandbox.id && c.labels[CONTAINER_NAME_LABEL]);
    const stats: ContainerStatsSummary[] = [];
    for (const container of own) {
      const usage = read(containerCgroup(parent, driver, container.id));
      if (!usage) continue;
      stats.push({
        name: container.labels[CONTAINER_NAME_LABEL],
        startTime: nanosToISO(container.created_at),
        ...usage,
      });
    }
    pods.push({
      podRef: { name: sandbox.labels[POD_NAME_LABEL], namespace: sandbox.labels[POD_NAMESPACE_LABEL], uid },
      startTime: nanosToISO(sandbox.created_at),
      containers: stats,
      ...pod,
    });
  }
  sampler.retain(seen);
  return {
    node: { nodeName: options.nodeName, startTime: options.nodeStartTime.toISOString(), ...root },
    pods,
  };
}

/** The pod's cgroup: its QoS class is not in the runtime's records, so look under each class's parent. */
function podCgroup(mounts: CgroupMounts, driver: CgroupDriver, kubepods: string, uid: string): string | undefined {
  const candidates = driver === "systemd"
    ? ["", "burstable-", "besteffort-"].map((tier) =>
      cgroupPath(`kubepods-${tier}pod${uid.replaceAll("-", "_")}.slice`, driver)
    )
    : ["", "/burstable", "/besteffort"].map((tier) => `${kubepods}${tier}/pod${uid}`);
  const probe = mounts.version === 2 ? mounts.root : join(mounts.root, "memory");
  return candidates.find((path) => existsSync(join(probe, path)));
}

/** Where containerd's runc puts a container: `<parent>/<id>`, or a `cri-containerd-<id>.scope` under systemd. */
function containerCgroup(podPath: string, driver: CgroupDriver, id: string): string {
  return driver === "systemd" ? `${podPath}/cri-containerd-${id}.scope` : `${podPath}/${id}`;
}

function memoryStats(usage: CgroupUsage, at: number): MemoryStats {
  return {
    time: new Date(at).toISOString(),
    usageBytes: usage.memoryUsageBytes,
    workingSetBytes: usage.memoryWorkingSetBytes,
    rssBytes: usage.memoryRSSBytes,
  };
}

function nanosToISO(nanoseconds: number): string {
  return new Date(Math.floor(nanoseconds / 1e6)).toISOString();
}
