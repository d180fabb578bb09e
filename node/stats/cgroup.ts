/**
 * CPU and memory usage of one cgroup, read from the kernel the way cAdvisor does for the kubelet: cumulative CPU time
 * (`cpuacct.usage` on v1, `cpu.stat` `usage_usec` on v2) and memory usage with its working set (usage less inactive
 * file pages, the number the kubelet evicts and `kubectl top` reports by).
 *
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { CgroupDriver } from "../kubelet/resources.ts";

/** Where the cgroup filesystems are mounted, and which version they are. */
export interface CgroupMounts {
  root: string;
  version: 1 | 2;
}

/** One reading of a cgroup. */
export interface CgroupUsage {
  /** Cumulative CPU time, in nanoseconds. */
  cpuNanoseconds: number;
  memoryUsageBytes: number;
  memoryWorkingSetBytes: number;
  /** Anonymous and swap-cache memory (`rss` on v1, `anon` on v2). */
  memoryRSSBytes: number;
}

/**
 * The host's cgroup mounts: v2 when the unified hierarchy is mounted at the root, else v1's per-controller mounts.
 *
 * @example
 * ```ts
 * detectCgroupMounts(); // { root: "/sys/fs/cgroup", version: 1 } on this machine
 * ```
 */
export function detectCgroupMounts(root = "/sys/fs/cgroup"): CgroupMounts {
  return { root, version: existsSync(join(root, "cgroup.controllers")) ? 2 : 1 };
}

/**
 * The filesystem path, under a hierarchy, of a cgroup parent the kubelet names: plain paths as they are, systemd slice
 * names expanded the way systemd nests them (`kubepods-burstable-podX.slice` lives in `kubepods.slice/
 * kubepods-burstable.slice/`).
 *
 * @example
 * ```ts
 * cgroupPath("kubepods-besteffort-pod1.slice", "systemd");
 * // "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1.slice"
 * ```
 */
export function cgroupPath(parent: string, driver: CgroupDriver): string {
  if (driver !== "systemd" || !parent.endsWith(".slice")) return parent;
  const parts = parent.slice(0, -".slice".length).split("-");
  return parts.map((_, i) => `/${parts.slice(0, i + 1).join("-")}.slice`).join("");
}

/**
 * The usage of the cgroup at `path` (as {@linkcode cgroupPath} gives it), or undefined when it does not exist (a pod
 * whose sandbox is gone).
 *
 * @example
 * ```ts
 * readCgroupUsage(detectCgroupMounts(), "/kubepods/besteffort/pod1234")?.memoryWorkingSetBytes;
 * ```
 */
export function readCgroupUsage(mounts: CgroupMounts, path: string): CgroupUsage | undefined {
  try {
    return mounts.version === 2 ? readV2(join(mounts.root, path)) : readV1(mounts.root, path);
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return undefined;
    throw error;
  }
}

function readV1(root: string, path: string): CgroupUsage {
  const cpuNanoseconds = Number(readFileSync(join(root, "cpuacct", path, "cpuacct.usage"), "utf8"));
  const memory = join(root, "memory", path);
  const usage = Number(readFileSync(join(memory, "memory.usage_in_bytes"), "utf8"));
  const stat = keyedValues(readFileSync(join(memory, "memory.stat"), "utf8"));
  // The total_ values count the whole subtree (a pod's containers), the plain ones only the cgroup itself.
  const inactiveFile = stat.get("total_inactive_file") ?? stat.get("inactive_file") ?? 0;
  return {
    cpuNanoseconds,
    memoryUsageBytes: usage,
    memoryWorkingSetBytes: Math.max(0, usage - inactiveFile),
    memoryRSSBytes: stat.get("total_rss") ?? stat.get("rss") ?? 0,
  };
}

function readV2(dir: string): CgroupUsage {
  const cpu = keyedValues(readFileSync(join(dir, "cpu.stat"), "utf8"));
  const usage = Number(readFileSync(join(dir, "memory.current"), "utf8"));
  const stat = keyedValues(readFileSync(join(dir, "memory.stat"), "utf8"));
  return {
    cpuNanoseconds: (cpu.get("usage_usec") ?? 0) * 1000,
    memoryUsageBytes: usage,
    memoryWorkingSetBytes: Math.max(0, usage - (stat.get("inactive_file") ?? 0)),
    memoryRSSBytes: stat.get("anon") ?? 0,
  };
}

/** `key value` lines as a map of numbers. */
function keyedValues(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split("\n")) {
    const [key, value] = line.split(" ");
    if (key && value !== undefined) values.set(key, Number(value));
  }
  return values;
}
