/**
 * What the scheduler tells users, in kube-scheduler's exact words: the `FailedScheduling` message (a
 * histogram of the reasons nodes were rejected, sorted as Go's `sort.Strings` sorts "<count> <reason>"
 * strings, then what preemption found), the message when there are no nodes at all, and the `Scheduled` one.
 *
 * @module
 */
import type { Status } from "./framework.ts";

/** Kube's `ErrNoNodesAvailable`: the message when the cluster has no nodes. */
export const NO_NODES_AVAILABLE = "no nodes available to schedule pods";

/** Kube's `NoteLengthLimit`: Event messages longer than this are cut. */
const NOTE_LENGTH_LIMIT = 1024;

/** Why each node was rejected in one scheduling cycle (kube's `Diagnosis`). */
export interface Diagnosis {
  /** Rejected nodes by name. */
  statuses: Map<string, Status>;
  /** The status of nodes not looked at (left out by PreFilter), counted for the nodes not in `statuses`. */
  absent?: Status;
  /** When a PreFilter plugin rejected the pod outright, its message (and nodes are not itemized). */
  preFilterMessage?: string;
  /** The plugins that rejected the pod somewhere, for requeueing on the events that concern them. */
  unschedulablePlugins: Set<string>;
}

/**
 * Kube's `FitError.Error()`: "0/N nodes are available: <reasons>." followed by the PostFilter (preemption)
 * message when there is one.
 *
 * @example
 * ```ts
 * fitErrorMessage(3, diagnosis, "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
 * // "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: infra}, 2 Insufficient cpu. preemption: …"
 * ```
 */
export function fitErrorMessage(numAllNodes: number, diagnosis: Diagnosis, postFilterMessage = ""): string {
  let message = `0/${numAllNodes} nodes are available:`;
  if (diagnosis.preFilterMessage) {
    message += ` ${diagnosis.preFilterMessage}.`;
  } else {
    const counts = new Map<string, number>();
    for (const status of diagnosis.statuses.values()) {
      for (const reason of status.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
    }
    const absent = numAllNodes - diagnosis.statuses.size;
    if (absent > 0) {
      for (const reason of diagnosis.absent?.reasons ?? []) counts.set(reason, (counts.get(reason) ?? 0) + absent);
    }
    // Go sorts the "<count> <reason>" strings byte-wise, so "10 …" comes before "2 …".
    const histogram = [...counts].map(([reason, n]) => `${n} ${reason}`).sort();
    if (histogram.length > 0) message += ` ${histogram.join(", ")}.`;
  }
  if (postFilterMessage) message += ` ${postFilterMessage}`;
  return message;
}

/**
 * A message cut to what an Event may carry, as kube-scheduler cuts it.
 *
 * @example
 * ```ts
 * truncateMessage("x".repeat(2000)).length; // 1024, ending in " ..."
 * ```
 */
export function truncateMessage(message: string): string {
  if (message.length <= NOTE_LENGTH_LIMIT) return message;
  return `${message.slice(0, NOTE_LENGTH_LIMIT - 4)} ...`;
}

/**
 * The `Scheduled` Event's message.
 *
 * @example
 * ```ts
 * scheduledMessage("default", "web-1", "node-a"); // "Successfully assigned default/web-1 to node-a"
 * ```
 */
export function scheduledMessage(namespace: string, name: string, node: string): string {
  return `Successfully assigned ${namespace}/${name} to ${node}`;
}
