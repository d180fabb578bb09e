/**
 * Which cluster changes can make an unschedulable pod schedulable (kube's `EventsToRegister` and queueing
 * hints): each plugin that rejected the pod says whether a given change concerns it. A node's heartbeat
 * concerns nobody; a new node does, if the pod could live with its labels and taints; a deleted pod frees
 * resources and ports; any placed pod can change affinity and spreading.
 *
 * @module
 */
import type { Node, NodeInfo } from "./node_info.ts";
import { matchesNodeSelector, tolerates, untoleratedTaint } from "./node_fit.ts";
import type { PodInfo } from "./pod_info.ts";

/** A change in the cluster the scheduler reacts to. */
export type ClusterEvent =
  | { kind: "NodeAdd"; node: NodeInfo }
  | { kind: "NodeUpdate"; node: NodeInfo; change: NodeChange }
  | { kind: "AssignedPodAdd" | "AssignedPodUpdate" | "AssignedPodDelete"; pod: PodInfo };

/** What changed in a Node, as far as scheduling cares. */
export interface NodeChange {
  labels: boolean;
  /** Taints, or `spec.unschedulable` (kube counts it as a taint change). */
  taints: boolean;
  allocatable: boolean;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The scheduling-relevant difference between two versions of a Node; undefined when there is none (a
 * heartbeat, a condition, an annotation).
 *
 * @example
 * ```ts
 * nodeChange(oldNode, newNode); // { labels: true, taints: false, allocatable: false }
 * ```
 */
export function nodeChange(old: Node, node: Node): NodeChange | undefined {
  const change = {
    labels: !same(old.metadata.labels, node.metadata.labels),
    taints: !same(old.spec?.taints, node.spec?.taints) ||
      Boolean(old.spec?.unschedulable) !== Boolean(node.spec?.unschedulable),
    allocatable: !same(old.status?.allocatable, node.status?.allocatable),
  };
  return change.labels || change.taints || change.allocatable ? change : undefined;
}

const UNSCHEDULABLE_TAINT = { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" };

type Hint = (event: ClusterEvent, pod: PodInfo) => boolean;

const nodeEvent = (event: ClusterEvent, fits: (node: NodeInfo) => boolean, concerns: (c: NodeChange) => boolean) =>
  event.kind === "NodeAdd"
    ? fits(event.node)
    : event.kind === "NodeUpdate" && concerns(event.change) && fits(event.node);

const HINTS: Record<string, Hint> = {
  NodeUnschedulable: (event, pod) =>
    nodeEvent(
      event,
      (node) => !node.unschedulable || (pod.pod.spec.tolerations ?? []).some((t) => tolerates(t, UNSCHEDULABLE_TAINT)),
      (c) => c.taints,
    ),
  TaintToleration: (event, pod) =>
    nodeEvent(
      event,
      (node) => !untoleratedTaint(node.taints, pod.pod.spec.tolerations, ["NoSchedule", "NoExecute"]),
      (c) => c.taints,
    ),
  NodeAffinity: (event, pod) =>
    nodeEvent(event, (node) => matchesNodeSelector(pod.pod.spec, node.node!), (c) => c.labels),
  NodePorts: (event) =>
    event.kind === "NodeAdd" || (event.kind === "AssignedPodDelete" && event.pod.hostPorts.length > 0),
  NodeResourcesFit: (event) =>
    event.kind === "NodeAdd" || event.kind === "AssignedPodDelete" ||
    (event.kind === "NodeUpdate" && event.change.allocatable),
  PodTopologySpread: (event) => event.kind !== "NodeUpdate" || event.change.labels || event.change.taints,
  InterPodAffinity: (event) => event.kind !== "NodeUpdate" || event.change.labels,
};

/**
 * Whether `event` may help a pod the given plugins rejected.
 *
 * @example
 * ```ts
 * queue.moveAll((q) => mayHelp(event, q.info, q.unschedulablePlugins));
 * ```
 */
export function mayHelp(event: ClusterEvent, pod: PodInfo, plugins: ReadonlySet<string>): boolean {
  for (const plugin of plugins) {
    const hint = HINTS[plugin];
    // A plugin without a hint is not known to be indifferent: give the pod another try.
    if (!hint || hint(event, pod)) return true;
  }
  return false;
}
