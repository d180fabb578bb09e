/**
 * Pod resources in cgroup terms, as the kubelet's cgroupfs/systemd managers and `kuberuntime` compute them: the pod's
 * cgroup parent by QoS class, and each container's CPU shares, CFS quota, memory limit and OOM score.
 *
 * @module
 */
import { quantityValue } from "../../controllers/scheduler/resources.ts";
import type { LinuxContainerResources } from "../cri/mod.ts";
import type { Container, Pod } from "./pod.ts";

/** The CFS period the kubelet uses (100 ms). */
const CPU_PERIOD_US = 100_000;
/** The smallest CFS quota the kernel accepts (1 ms). */
const MIN_QUOTA_US = 1_000;
/** cgroup v1's smallest `cpu.shares`. */
const MIN_SHARES = 2;

/** How cgroups are named: plain paths, or systemd slices. */
export type CgroupDriver = "cgroupfs" | "systemd";

/**
 * The pod's cgroup, under `kubepods` by its QoS class (`Guaranteed` pods sit directly under it).
 *
 * @example
 * ```ts
 * podCgroupParent({ metadata: { uid: "u1" }, status: { qosClass: "BestEffort" } } as Pod, "cgroupfs");
 * // "/kubepods/besteffort/podu1"
 * ```
 */
export function podCgroupParent(pod: Pod, driver: CgroupDriver): string {
  const qos = pod.status?.qosClass ?? "BestEffort";
  const tier = qos === "Guaranteed" ? "" : qos.toLowerCase();
  if (driver === "systemd") {
    const uid = pod.metadata.uid.replaceAll("-", "_");
    return tier ? `kubepods-${tier}-pod${uid}.slice` : `kubepods-pod${uid}.slice`;
  }
  return tier ? `/kubepods/${tier}/pod${pod.metadata.uid}` : `/kubepods/pod${pod.metadata.uid}`;
}

/**
 * A container's Linux resources: shares from its CPU request, a CFS quota from its CPU limit, its memory limit, and
 * the OOM score its QoS class gets (the runtime clamps negative scores where the node cannot lower them).
 *
 * @example
 * ```ts
 * containerResources(pod, { name: "c", resources: { limits: { memory: "16Mi" } } }, 8 * 2 ** 30).memory_limit_in_bytes;
 * // 16777216
 * ```
 */
export function containerResources(pod: Pod, container: Container, memoryCapacity: number): LinuxContainerResources {
  const limits = container.resources?.limits ?? {};
  const requests = container.resources?.requests ?? {};
  const cpuRequest = requests.cpu ?? limits.cpu;
  const shares = cpuRequest === undefined
    ? MIN_SHARES
    : Math.max(MIN_SHARES, Math.floor(quantityValue(cpuRequest, true) * 1024 / 1000));
  const resources: LinuxContainerResources = {
    cpu_shares: shares,
    oom_score_adj: oomScoreAdj(pod, container, memoryCapacity),
  };
  if (limits.cpu !== undefined) {
    resources.cpu_period = CPU_PERIOD_US;
    resources.cpu_quota = Math.max(MIN_QUOTA_US, Math.floor(quantityValue(limits.cpu, true) * CPU_PERIOD_US / 1000));
  }
  if (limits.memory !== undefined) resources.memory_limit_in_bytes = quantityValue(limits.memory);
  return resources;
}

/** The kubelet's `GetContainerOOMScoreAdjust`. */
function oomScoreAdj(pod: Pod, container: Container, memoryCapacity: number): number {
  const qos = pod.status?.qosClass;
  if (qos === "Guaranteed") return -997;
  if (qos !== "Burstable") return 1000;
  const request = quantityValue(container.resources?.requests?.memory ?? 0);
  const score = 1000 - Math.floor(1000 * request / Math.max(1, memoryCapacity));
  return Math.min(999, Math.max(2, score));
}
