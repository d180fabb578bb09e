/**
 * The shape of kube-scheduler's plugins, reduced to what the default profile needs. A filter plugin looks at
 * the pod once (PreFilter) and hands back a check to run per node; a score plugin looks at the pod and the
 * feasible nodes once (PreScore) and hands back a per-node scorer with its normalization. Closures carry the
 * per-pod state kube keeps in its `CycleState`.
 *
 * @module
 */
import type { Snapshot } from "./cache.ts";
import type { NodeInfo } from "./node_info.ts";
import type { PodInfo } from "./pod_info.ts";

/** Kube's highest node score. */
export const MAX_NODE_SCORE = 100;

/**
 * Why a node was rejected. `Unschedulable` might be fixed by preempting pods there;
 * `UnschedulableAndUnresolvable` cannot (a label, a taint, a missing topology).
 */
export interface Status {
  readonly code: "Unschedulable" | "UnschedulableAndUnresolvable";
  readonly reasons: readonly string[];
}

/**
 * A rejection that preemption might resolve.
 *
 * @example
 * ```ts
 * const TOO_MANY_PODS = unschedulable("Too many pods");
 * ```
 */
export function unschedulable(...reasons: string[]): Status {
  return { code: "Unschedulable", reasons };
}

/**
 * A rejection that preemption cannot resolve.
 *
 * @example
 * ```ts
 * const UNSCHEDULABLE_NODE = unresolvable("node(s) were unschedulable");
 * ```
 */
export function unresolvable(...reasons: string[]): Status {
  return { code: "UnschedulableAndUnresolvable", reasons };
}

/** One node's check for the pod being scheduled; undefined means it passes. */
export type NodeFilter = (node: NodeInfo) => Status | undefined;

/** What a filter plugin's PreFilter decides for a pod. */
export interface PreFilterResult {
  /** The per-node check; absent when the plugin has nothing to check for this pod. */
  filter?: NodeFilter;
  /** Only these nodes can fit (a DaemonSet pod's `matchFields` on `metadata.name`). */
  nodeNames?: ReadonlySet<string>;
}

/** A filter plugin; its PreFilter may reject the pod outright with a Status. */
export interface FilterPlugin {
  readonly name: string;
  preFilter(pod: PodInfo, snapshot: Snapshot): PreFilterResult | Status;
}

/** Scores the feasible nodes for one pod. */
export interface NodeScorer {
  /** The raw score of one node. */
  score(node: NodeInfo): number;
  /** Rescale the raw scores (aligned with `nodes`) into 0..MAX_NODE_SCORE in place. */
  normalize?(scores: number[], nodes: readonly NodeInfo[]): void;
}

/** A score plugin; PreScore returns undefined when it has nothing to say about this pod (kube's Skip). */
export interface ScorePlugin {
  readonly name: string;
  readonly weight: number;
  preScore(pod: PodInfo, feasible: readonly NodeInfo[], snapshot: Snapshot): NodeScorer | undefined;
}

/**
 * Kube's `DefaultNormalizeScore`: scale scores so the highest becomes `MAX_NODE_SCORE`; `reverse` makes fewer
 * better (untolerated soft taints). All zeros stay zeros, or all become the maximum when reversed.
 *
 * @example
 * ```ts
 * const scores = [0, 2, 4];
 * defaultNormalize(scores, false); // [0, 50, 100]
 * ```
 */
export function defaultNormalize(scores: number[], reverse: boolean): void {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  if (max === 0) {
    if (reverse) scores.fill(MAX_NODE_SCORE);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    const s = Math.trunc((MAX_NODE_SCORE * scores[i]) / max);
    scores[i] = reverse ? MAX_NODE_SCORE - s : s;
  }
}
