/**
 * What kube's DefaultPreemption PostFilter reports when a pod fits nowhere. Preemption itself is out of scope
 * here — no pod is ever evicted to make room — but its verdict is part of the `FailedScheduling` message, so
 * it is worked out as kube does: only nodes rejected for reasons preemption could resolve are candidates, and
 * on each the pods of lower priority are taken away to see whether the pod would then fit.
 *
 * @module
 */
import { type Diagnosis, fitErrorMessage } from "./messages.ts";
import type { Snapshot } from "./cache.ts";
import { type Status, unresolvable } from "./framework.ts";
import type { NodeInfo } from "./node_info.ts";
import type { PodInfo } from "./pod_info.ts";

/** Kube's reason for nodes preemption cannot help on. */
const PREEMPTION_NOT_HELPFUL = "Preemption is not helpful for scheduling";
/** Kube's reason for a candidate node with nothing of lower priority on it. */
const NO_VICTIMS = "No preemption victims found for incoming pod";

const NOT_HELPFUL = unresolvable(PREEMPTION_NOT_HELPFUL);
const NOTHING_TO_PREEMPT = unresolvable(NO_VICTIMS);

/**
 * The PostFilter message for an unschedulable pod ("preemption: …"), or "" where kube's preemption would
 * find victims to evict (it would then nominate a node, and its message carries no PostFilter part).
 * `filter` is the scheduling cycle's own node check, run on a node stripped of lower-priority pods.
 *
 * @example
 * ```ts
 * preemptionMessage(pod, diagnosis, snapshot, check);
 * // "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
 * ```
 */
export function preemptionMessage(
  pod: PodInfo,
  diagnosis: Diagnosis,
  snapshot: Snapshot,
  filter: (node: NodeInfo) => Status | undefined,
): string {
  if (pod.pod.spec.preemptionPolicy === "Never") return "preemption: not eligible due to preemptionPolicy=Never.";
  const statuses = new Map<string, Status>();
  for (const [name, status] of diagnosis.statuses) {
    const node = snapshot.get(name);
    if (status.code !== "Unschedulable" || !node) continue;
    if (!node.hasPodsBelow(pod.priority)) {
      statuses.set(name, NOTHING_TO_PREEMPT);
      continue;
    }
    const rejected = filter(node.without([...node.pods.values()].filter((p) => p.priority < pod.priority)));
    if (!rejected) return "";
    statuses.set(name, rejected);
  }
  const numAllNodes = snapshot.nodes.length;
  const message = fitErrorMessage(numAllNodes, { statuses, absent: NOT_HELPFUL, unschedulablePlugins: new Set() });
  return `preemption: ${message}`;
}
