/**
 * What the node is, read from the machine as the kubelet's cadvisor-backed setters read it: CPUs, memory, disk of
 * the kubelet's root directory, and the identity fields of `status.nodeInfo`.
 *
 * @module
 */
import { readFileSync, statfsSync } from "node:fs";
import { availableParallelism, release } from "node:os";
import process from "node:process";

/** Node.js's names for CPU architectures, in Go's (and so Kubernetes') words. */
const ARCH: Record<string, string> = { x64: "amd64", arm64: "arm64", arm: "arm", ppc64: "ppc64le", s390x: "s390x" };

/**
 * The machine's architecture in Kubernetes' words.
 *
 * @example
 * ```ts
 * goArch(); // "amd64"
 * ```
 */
export function goArch(): string {
  return ARCH[process.arch] ?? process.arch;
}

function read(path: string): string {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return "";
  }
}

/** Bytes of `MemTotal` in /proc/meminfo. */
function memoryBytes(): number {
  const kb = /^MemTotal:\s+(\d+) kB/m.exec(read("/proc/meminfo"))?.[1];
  return Number(kb ?? 0) * 1024;
}

/** The machine's resources, as `status.capacity`. */
export interface Capacity {
  cpu: number;
  memoryBytes: number;
  ephemeralStorageBytes: number;
  pods: number;
}

/**
 * The node's capacity: CPU count, memory, and the size of the filesystem holding `rootDir`.
 *
 * @example
 * ```ts
 * machineCapacity("/var/lib/kubelet", 110).cpu; // 2
 * ```
 */
export function machineCapacity(rootDir: string, maxPods: number): Capacity {
  let ephemeral = 0;
  try {
    const fs = statfsSync(rootDir);
    ephemeral = Number(fs.blocks) * Number(fs.bsize);
  } catch {
    // The root directory is made later; its filesystem is unknown until then.
  }
  return { cpu: availableParallelism(), memoryBytes: memoryBytes(), ephemeralStorageBytes: ephemeral, pods: maxPods };
}

/**
 * `status.nodeInfo` without the runtime and kubelet versions.
 *
 * @example
 * ```ts
 * machineInfo().kernelVersion; // "6.1.0-…"
 * ```
 */
export function machineInfo(): Record<string, string> {
  const osRelease = read("/etc/os-release");
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(osRelease)?.[1] ?? "Linux";
  return {
    machineID: read("/etc/machine-id"),
    systemUUID: read("/sys/class/dmi/id/product_uuid").toLowerCase() || read("/etc/machine-id"),
    bootID: read("/proc/sys/kernel/random/boot_id"),
    kernelVersion: release(),
    osImage: pretty,
    operatingSystem: "linux",
    architecture: goArch(),
  };
}
