/**
 * Pod topology spread constraints as kube's PodTopologySpread reads them: the selector (with `matchLabelKeys`
 * folded in from the pod's labels), the inclusion policies that say which nodes count, and how many matching
 * pods a node holds. Shared by the filter (`DoNotSchedule`) and the score (`ScheduleAnyway`).
 *
 * @module
 */
import { type LabelSelector, matchesSelector } from "../../core/api/label_selector.ts";
import { matchesNodeSelector, untoleratedTaint } from "./node_fit.ts";
import type { NodeInfo } from "./node_info.ts";
import type { PodInfo } from "./pod_info.ts";

/** The well-known hostname label: a domain per node. */
export const LABEL_HOSTNAME = "kubernetes.io/hostname";

/** A constraint ready to evaluate. */
export interface SpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  selector?: LabelSelector;
  minDomains: number;
  /** Count only nodes the pod's node affinity / selector allow (default) … */
  honorNodeAffinity: boolean;
  /** … and, when asked, only nodes whose taints the pod tolerates. */
  honorNodeTaints: boolean;
}

function selectorOf(selector: LabelSelector | undefined, keys: string[] | undefined, labels: Record<string, string>) {
  const extra: Record<string, string> = {};
  for (const key of keys ?? []) if (key in labels) extra[key] = labels[key];
  if (Object.keys(extra).length === 0) return selector;
  // As kube, a missing selector plus label keys selects by those keys alone.
  return { ...selector, matchLabels: { ...selector?.matchLabels, ...extra } };
}

/**
 * The pod's constraints of one kind (`DoNotSchedule` for filtering, `ScheduleAnyway` for scoring).
 *
 * @example
 * ```ts
 * spreadConstraints(pod, "DoNotSchedule"); // [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", … }]
 * ```
 */
export function spreadConstraints(pod: PodInfo, whenUnsatisfiable: string): SpreadConstraint[] {
  return (pod.pod.spec.topologySpreadConstraints ?? [])
    .filter((c) => c.whenUnsatisfiable === whenUnsatisfiable)
    .map((c) => ({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector: selectorOf(c.labelSelector, c.matchLabelKeys, pod.labels),
      minDomains: c.minDomains ?? 1,
      honorNodeAffinity: (c.nodeAffinityPolicy ?? "Honor") === "Honor",
      honorNodeTaints: c.nodeTaintsPolicy === "Honor",
    }));
}

/**
 * Whether the node carries every constraint's topology label.
 *
 * @example
 * ```ts
 * if (!hasTopologyKeys(node.labels, constraints)) continue;
 * ```
 */
export function hasTopologyKeys(labels: Record<string, string>, constraints: readonly SpreadConstraint[]): boolean {
  return constraints.every((c) => c.topologyKey in labels);
}

/**
 * Whether a node counts toward a constraint's domains under its inclusion policies.
 *
 * @example
 * ```ts
 * if (!countsToward(c, pod, node)) continue;
 * ```
 */
export function countsToward(c: SpreadConstraint, pod: PodInfo, node: NodeInfo): boolean {
  if (c.honorNodeAffinity && !matchesNodeSelector(pod.pod.spec, node.node!)) return false;
  if (c.honorNodeTaints && untoleratedTaint(node.taints, pod.pod.spec.tolerations, ["NoSchedule", "NoExecute"])) {
    return false;
  }
  return true;
}

function isEmpty(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

/**
 * How many pods on `node` in `namespace` the selector picks, leaving out terminating ones. An empty
 * selector counts nothing, as kube's `countPodsMatchSelector` does.
 *
 * @example
 * ```ts
 * countMatching(node, { matchLabels: { app: "web" } }, "default"); // 2
 * ```
 */
export function countMatching(node: NodeInfo, selector: LabelSelector | undefined, namespace: string): number {
  if (!selector || isEmpty(selector)) return 0;
  let count = 0;
  for (const p of node.pods.values()) {
    if (p.terminating || p.namespace !== namespace) continue;
    if (matchesSelector(selector, p.labels)) count++;
  }
  return count;
}

/**
 * The key of a topology domain in count maps.
 *
 * @example
 * ```ts
 * domainKey("topology.kubernetes.io/zone", "a"); // "topology.kubernetes.io/zone\x00a"
 * ```
 */
export function domainKey(key: string, value: string): string {
  return `${key}\x00${value}`;
}
