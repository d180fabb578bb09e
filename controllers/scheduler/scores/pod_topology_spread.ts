/**
 * Kube's PodTopologySpread score for `whenUnsatisfiable: ScheduleAnyway`: prefer nodes whose domains hold
 * fewer matching pods, each constraint weighted by the log of its number of domains. Kube's system default
 * constraints (for pods of Services and workloads without their own) are not applied.
 *
 * @module
 */
import { MAX_NODE_SCORE, type ScorePlugin } from "../framework.ts";
import {
  countMatching,
  countsToward,
  domainKey,
  hasTopologyKeys,
  LABEL_HOSTNAME,
  spreadConstraints,
} from "../topology_spread.ts";

/** Marks a node missing a topology label; it scores 0. */
const IGNORED = -1;

/**
 * The PodTopologySpread score (weight 2 in kube's default profile).
 *
 * @example
 * ```ts
 * const scorer = podTopologySpreadScore.preScore(pod, feasible, snapshot); // undefined without ScheduleAnyway constraints
 * ```
 */
export const podTopologySpreadScore: ScorePlugin = {
  name: "PodTopologySpread",
  weight: 2,
  preScore(pod, feasible, snapshot) {
    const constraints = spreadConstraints(pod, "ScheduleAnyway");
    if (constraints.length === 0 || snapshot.nodes.length === 0) return undefined;
    const ignored = new Set<string>();
    // Matching pods per domain, only for domains some feasible node is in (hostname is counted per node).
    const counts = new Map<string, number>();
    const domains = constraints.map(() => 0);
    for (const node of feasible) {
      if (!hasTopologyKeys(node.labels, constraints)) {
        ignored.add(node.name);
        continue;
      }
      constraints.forEach((c, i) => {
        if (c.topologyKey === LABEL_HOSTNAME) return;
        const key = domainKey(c.topologyKey, node.labels[c.topologyKey]);
        if (!counts.has(key)) {
          counts.set(key, 0);
          domains[i]++;
        }
      });
    }
    const weights = constraints.map((c, i) =>
      Math.log((c.topologyKey === LABEL_HOSTNAME ? feasible.length - ignored.size : domains[i]) + 2)
    );
    for (const node of snapshot.nodes) {
      if (!hasTopologyKeys(node.labels, constraints)) continue;
      for (const c of constraints) {
        if (!countsToward(c, pod, node)) continue;
        const key = domainKey(c.topologyKey, node.labels[c.topologyKey]);
        const count = counts.get(key);
        if (count === undefined) continue;
        counts.set(key, count + countMatching(node, c.selector, pod.namespace));
      }
    }
    return {
      score: (node) => {
        if (ignored.has(node.name)) return IGNORED;
        let score = 0;
        constraints.forEach((c, i) => {
          const value = node.labels[c.topologyKey];
          if (value === undefined) return;
          const count = c.topologyKey === LABEL_HOSTNAME
            ? countMatching(node, c.selector, pod.namespace)
            : counts.get(domainKey(c.topologyKey, value))!;
          score += count * weights[i] + (c.maxSkew - 1);
        });
        return Math.round(score);
      },
      normalize: (scores) => {
        let min = Infinity;
        let max = 0;
        for (const s of scores) {
          if (s === IGNORED) continue;
          min = Math.min(min, s);
          max = Math.max(max, s);
        }
        for (let i = 0; i < scores.length; i++) {
          if (scores[i] === IGNORED) scores[i] = 0;
          else if (max === 0) scores[i] = MAX_NODE_SCORE;
          else scores[i] = Math.trunc((MAX_NODE_SCORE * (max + min - scores[i])) / max);
        }
      },
    };
  },
};
