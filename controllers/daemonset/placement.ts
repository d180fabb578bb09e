/**
 * Where a daemon pod belongs, after kube's `NodeShouldRunDaemonPod` and `daemon/util`: a node is eligible
 * when the pod template (with the tolerations every daemon pod gets) passes its node selector, required
 * node affinity and taints. Pods are pinned to their node through a required node affinity on
 * `metadata.name`, leaving the binding itself to the scheduler.
 *
 * @module
 */
import {
  matchesNodeSelector,
  type NodeLike,
  type NodeSelectorTerm,
  type PodSpecLike,
  type Toleration,
  untoleratedTaint,
} from "../scheduler/node_fit.ts";
import type { Pod } from "../replicaset/pods.ts";
import type { DaemonSet } from "./daemonset.ts";

/** A pod spec as far as placement goes. */
export type DaemonPodSpec = PodSpecLike & { nodeName?: string; hostNetwork?: boolean; [field: string]: unknown };

/** Kube's `AddOrUpdateDaemonPodTolerations`: daemons keep running through node trouble and cordons. */
const DAEMON_TOLERATIONS: readonly Toleration[] = [
  { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
  { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
  { key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
];
/** Host-network daemons (often the network plugin itself) must run before the network is up. */
const HOST_NETWORK_TOLERATION: Toleration = {
  key: "node.kubernetes.io/network-unavailable",
  operator: "Exists",
  effect: "NoSchedule",
};

function sameToleration(a: Toleration, b: Toleration): boolean {
  return (a.key ?? "") === (b.key ?? "") && (a.operator ?? "") === (b.operator ?? "") &&
    (a.value ?? "") === (b.value ?? "") && (a.effect ?? "") === (b.effect ?? "");
}

/**
 * The spec with the daemon tolerations added, each replacing a toleration of the same key, operator,
 * value and effect (kube's `AddOrUpdateTolerationInPodSpec`, which drops e.g. a `tolerationSeconds`).
 *
 * @example
 * ```ts
 * withDaemonTolerations({ containers: [] }).tolerations!.length; // 6
 * ```
 */
export function withDaemonTolerations<T extends DaemonPodSpec>(spec: T): T {
  const wanted = spec.hostNetwork ? [...DAEMON_TOLERATIONS, HOST_NETWORK_TOLERATION] : DAEMON_TOLERATIONS;
  let tolerations = [...(spec.tolerations ?? [])];
  for (const toleration of wanted) {
    const i = tolerations.findIndex((t) => sameToleration(t, toleration));
    if (i < 0) tolerations = [...tolerations, { ...toleration }];
    else tolerations[i] = { ...toleration };
  }
  return { ...spec, tolerations };
}

/** Whether a daemon pod should be made on a node, and whether one already there may stay. */
export interface NodeVerdict {
  shouldRun: boolean;
  shouldContinueRunning: boolean;
}

/**
 * Kube's `NodeShouldRunDaemonPod`. A taint the daemon does not tolerate stops new pods; only a NoExecute
 * one also evicts the pod already there.
 *
 * @example
 * ```ts
 * nodeShouldRunDaemonPod(node, ds); // { shouldRun: false, shouldContinueRunning: true } on a newly NoSchedule-tainted node
 * ```
 */
export function nodeShouldRunDaemonPod(node: NodeLike, ds: DaemonSet): NodeVerdict {
  const spec = withDaemonTolerations((ds.spec.template?.spec ?? {}) as DaemonPodSpec);
  if (spec.nodeName && spec.nodeName !== node.metadata?.name) return { shouldRun: false, shouldContinueRunning: false };
  if (!matchesNodeSelector(spec, node)) return { shouldRun: false, shouldContinueRunning: false };
  const taints = node.spec?.taints;
  if (untoleratedTaint(taints, spec.tolerations, ["NoSchedule", "NoExecute"])) {
    return { shouldRun: false, shouldContinueRunning: !untoleratedTaint(taints, spec.tolerations, ["NoExecute"]) };
  }
  return { shouldRun: true, shouldContinueRunning: true };
}

/**
 * Kube's `ReplaceDaemonSetPodNodeNameNodeAffinity`: the affinity with its required node selector replaced
 * by the one term `metadata.name In [node]` (the node already passed the old terms; preferences stay).
 *
 * @example
 * ```ts
 * nodeNameAffinity(undefined, "n1");
 * // { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [
 * //   { matchFields: [{ key: "metadata.name", operator: "In", values: ["n1"] }] }] } } }
 * ```
 */
export function nodeNameAffinity(affinity: DaemonPodSpec["affinity"], node: string): DaemonPodSpec["affinity"] {
  const term: NodeSelectorTerm = { matchFields: [{ key: "metadata.name", operator: "In", values: [node] }] };
  const nodeAffinity = affinity?.nodeAffinity;
  return {
    ...affinity,
    nodeAffinity: {
      ...nodeAffinity,
      requiredDuringSchedulingIgnoredDuringExecution: {
        ...nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
        nodeSelectorTerms: [term],
      },
    },
  };
}

/**
 * Kube's `GetTargetNodeName`: the node a daemon pod is bound to, or pinned to by its affinity.
 *
 * @example
 * ```ts
 * targetNodeName(pod); // "n1"
 * ```
 */
export function targetNodeName(pod: Pod): string | undefined {
  const spec = (pod.spec ?? {}) as DaemonPodSpec;
  if (spec.nodeName) return spec.nodeName;
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    for (const field of term.matchFields ?? []) {
      if (field.key === "metadata.name" && field.operator === "In") {
        return field.values?.length === 1 ? field.values[0] : undefined;
      }
    }
  }
  return undefined;
}
