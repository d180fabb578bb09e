/**
 * Node and pod resource usage from cgroups: the kubelet's stats Summary, which `kubectl top` reads through
 * metrics-server.
 *
 * @example
 * ```ts
 * import { detectCgroupMounts, StatsSampler, summaryStats } from "./mod.ts";
 * const summary = await summaryStats({ runtime, nodeName, nodeStartTime, memoryCapacity,
 *   mounts: detectCgroupMounts(), driver: "cgroupfs", sampler: new StatsSampler() });
 * ```
 *
 * @module
 */
export { type CgroupMounts, cgroupPath, type CgroupUsage, detectCgroupMounts, readCgroupUsage } from "./cgroup.ts";
export {
  type ContainerStatsSummary,
  type CPUStats,
  type MemoryStats,
  type PodStats,
  StatsSampler,
  type Summary,
  type SummaryOptions,
  summaryStats,
} from "./summary.ts";
