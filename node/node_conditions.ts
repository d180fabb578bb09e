/**
 * The node conditions a kubelet posts — the pressure conditions and Ready — shared by the real agent and the
 * simulated nodes, with transition times kept while a condition's status stays.
 *
 * @module
 */
import { apiTime } from "./pod_status.ts";

/** `v1.NodeCondition`. */
export interface NodeCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** How the runtime is doing, as the Ready condition says it. */
export interface Readiness {
  ready: boolean;
  /** Why not, in the kubelet's words. */
  message?: string;
}

/**
 * The conditions for `readiness`, keeping transition times from `old` while statuses stay.
 *
 * @example
 * ```ts
 * nodeConditions({ ready: true }, [], new Date()).find((c) => c.type === "Ready")?.reason; // "KubeletReady"
 * ```
 */
export function nodeConditions(
  readiness: Readiness,
  old: { type: string; status: string; lastTransitionTime?: string }[],
  now: Date,
): NodeCondition[] {
  const stamp = apiTime(now);
  const wanted: [string, NodeCondition["status"], string, string][] = [
    ["MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"],
    ["DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"],
    ["PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"],
    readiness.ready
      ? ["Ready", "True", "KubeletReady", "kubelet is posting ready status"]
      : ["Ready", "False", "KubeletNotReady", readiness.message ?? "container runtime is not ready"],
  ];
  return wanted.map(([type, status, reason, message]) => {
    const previous = old.find((c) => c.type === type);
    return {
      type,
      status,
      lastHeartbeatTime: stamp,
      lastTransitionTime: previous?.status === status && previous.lastTransitionTime
        ? previous.lastTransitionTime
        : stamp,
      reason,
      message,
    };
  });
}
