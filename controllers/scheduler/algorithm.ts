/**
 * One scheduling cycle's decision (kube's `schedulePod`): run the PreFilters, check nodes until enough
 * feasible ones are found — a share of the cluster that shrinks as it grows (`percentageOfNodesToScore`),
 * starting where the previous cycle stopped so every node gets its turn — score those, and pick the best,
 * breaking ties at random.
 *
 * @module
 */
import type { Snapshot } from "./cache.ts";
import { type FilterPlugin, type ScorePlugin, type Status, unresolvable } from "./framework.ts";
import type { Diagnosis } from "./messages.ts";
import type { NodeInfo } from "./node_info.ts";
import type { PodInfo } from "./pod_info.ts";

/** Below this many nodes every node is checked; above, at least this many feasible ones are looked for. */
const MIN_FEASIBLE_NODES_TO_FIND = 100;
/** The least share of nodes the adaptive percentage goes down to. */
const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/**
 * How many feasible nodes a cycle looks for before it stops filtering (kube's `numFeasibleNodesToFind`);
 * `percentage` 0 means kube's adaptive default, 50% less 1% per 125 nodes, at least 5%.
 *
 * @example
 * ```ts
 * numFeasibleNodesToFind(0, 1000); // 420
 * numFeasibleNodesToFind(0, 50); // 50
 * ```
 */
export function numFeasibleNodesToFind(percentage: number, nodes: number): number {
  if (nodes < MIN_FEASIBLE_NODES_TO_FIND) return nodes;
  let p = percentage;
  if (p === 0) p = Math.max(50 - Math.trunc(nodes / 125), MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND);
  return Math.max(Math.trunc((nodes * p) / 100), MIN_FEASIBLE_NODES_TO_FIND);
}

/** How a cycle ended. */
export type Decision =
  | { kind: "scheduled"; node: string }
  | { kind: "noNodes" }
  | {
    kind: "unschedulable";
    numAllNodes: number;
    diagnosis: Diagnosis;
    /** The cycle's node check, for preemption's dry run. */
    filter(node: NodeInfo): Status | undefined;
  };

/** The plugins of a profile, in kube's default order. */
export interface Profile {
  filters: readonly FilterPlugin[];
  scores: readonly ScorePlugin[];
}

/** Options of an {@linkcode Algorithm}. */
export interface AlgorithmOptions {
  /** Kube's `percentageOfNodesToScore`; 0 (default) is adaptive. */
  percentageOfNodesToScore?: number;
  /** Random numbers in [0, 1) for tie-breaks. */
  random?: () => number;
}

/**
 * The filter-and-score algorithm, with the one piece of state kube keeps between cycles: where the next
 * cycle starts looking.
 *
 * @example
 * ```ts
 * const algorithm = new Algorithm(DEFAULT_PROFILE);
 * const decision = algorithm.schedule(podInfo(pod), cache);
 * if (decision.kind === "scheduled") cache.assume(info, decision.node);
 * ```
 */
export class Algorithm {
  #nextStartNodeIndex = 0;

  constructor(readonly profile: Profile, readonly options: AlgorithmOptions = {}) {}

  /** Decide where `pod` goes. */
  schedule(pod: PodInfo, snapshot: Snapshot): Decision {
    const all = snapshot.nodes;
    if (all.length === 0) return { kind: "noNodes" };
    const diagnosis: Diagnosis = { statuses: new Map(), unschedulablePlugins: new Set() };
    const checks: { plugin: string; filter: (node: NodeInfo) => Status | undefined }[] = [];
    let nodeNames: ReadonlySet<string> | undefined;
    const narrowing: string[] = [];
    for (const plugin of this.profile.filters) {
      const result = plugin.preFilter(pod, snapshot);
      if ("code" in result) {
        diagnosis.preFilterMessage = result.reasons.join(", ");
        diagnosis.absent = result;
        diagnosis.unschedulablePlugins.add(plugin.name);
        return { kind: "unschedulable", numAllNodes: all.length, diagnosis, filter: () => result };
      }
      if (result.nodeNames) {
        const names = result.nodeNames;
        nodeNames = nodeNames ? new Set([...nodeNames].filter((n) => names.has(n))) : names;
        narrowing.push(plugin.name);
      }
      if (result.filter) checks.push({ plugin: plugin.name, filter: result.filter });
    }
    const rejection = (node: NodeInfo) => {
      for (const check of checks) {
        const status = check.filter(node);
        if (status) return { status, plugin: check.plugin };
      }
      return undefined;
    };
    let nodes = all;
    if (nodeNames) {
      nodes = [...nodeNames].map((n) => snapshot.get(n)).filter((n): n is NodeInfo => n !== undefined);
      diagnosis.absent = unresolvable(`node(s) didn't satisfy plugin(s) [${narrowing.sort().join(" ")}]`);
      for (const name of narrowing) diagnosis.unschedulablePlugins.add(name);
    }
    const wanted = numFeasibleNodesToFind(this.options.percentageOfNodesToScore ?? 0, nodes.length);
    const feasible: NodeInfo[] = [];
    let processed = 0;
    for (; processed < nodes.length && feasible.length < wanted; processed++) {
      const node = nodes[(this.#nextStartNodeIndex + processed) % nodes.length];
      const rejected = rejection(node);
      if (!rejected) {
        feasible.push(node);
        continue;
      }
      diagnosis.statuses.set(node.name, rejected.status);
      diagnosis.unschedulablePlugins.add(rejected.plugin);
    }
    this.#nextStartNodeIndex = (this.#nextStartNodeIndex + processed) % all.length;
    if (feasible.length === 0) {
      return { kind: "unschedulable", numAllNodes: all.length, diagnosis, filter: (n) => rejection(n)?.status };
    }
    if (feasible.length === 1) return { kind: "scheduled", node: feasible[0].name };
    return { kind: "scheduled", node: feasible[this.#best(pod, feasible, snapshot)].name };
  }

  /** The index of the best-scoring node, a random one among equals (kube's reservoir sampling). */
  #best(pod: PodInfo, feasible: NodeInfo[], snapshot: Snapshot): number {
    const totals = new Array<number>(feasible.length).fill(0);
    for (const plugin of this.profile.scores) {
      const scorer = plugin.preScore(pod, feasible, snapshot);
      if (!scorer) continue;
      const scores = feasible.map((node) => scorer.score(node));
      scorer.normalize?.(scores, feasible);
      for (let i = 0; i < scores.length; i++) totals[i] += scores[i] * plugin.weight;
    }
    const random = this.options.random ?? Math.random;
    let best = 0;
    let ties = 1;
    for (let i = 1; i < totals.length; i++) {
      if (totals[i] > totals[best]) {
        best = i;
        ties = 1;
      } else if (totals[i] === totals[best] && random() * ++ties < 1) {
        best = i;
      }
    }
    return best;
  }
}
