// The score plugins on plain objects: raw scores and kube's normalizations.
import assert from "node:assert/strict";
import type { Snapshot } from "../../../controllers/scheduler/cache.ts";
import { defaultNormalize, type ScorePlugin } from "../../../controllers/scheduler/framework.ts";
import type { PodInfo } from "../../../controllers/scheduler/pod_info.ts";
import { balance, balancedAllocationScore } from "../../../controllers/scheduler/scores/balanced_allocation.ts";
import { interPodAffinityScore } from "../../../controllers/scheduler/scores/inter_pod_affinity.ts";
import { leastAllocatedScore, leastRequested } from "../../../controllers/scheduler/scores/least_allocated.ts";
import { nodeAffinityScore } from "../../../controllers/scheduler/scores/node_affinity.ts";
import { podTopologySpreadScore } from "../../../controllers/scheduler/scores/pod_topology_spread.ts";
import { taintTolerationScore } from "../../../controllers/scheduler/scores/taint_toleration.ts";
import { boundTo, cacheWith, node, pod } from "./objects.ts";

/** Normalized scores of every node of the snapshot, by name; undefined when the plugin skips the pod. */
function scores(plugin: ScorePlugin, p: PodInfo, snapshot: Snapshot): Record<string, number> | undefined {
  const nodes = snapshot.nodes;
  const scorer = plugin.preScore(p, nodes, snapshot);
  if (!scorer) return undefined;
  const raw = nodes.map((n) => scorer.score(n));
  scorer.normalize?.(raw, nodes);
  return Object.fromEntries(nodes.map((n, i) => [n.name, raw[i]]));
}

Deno.test("scores: kube's default normalization scales to 100, reversed for fewer-is-better", () => {
  const up = [0, 2, 4];
  defaultNormalize(up, false);
  assert.deepEqual(up, [0, 50, 100]);
  const down = [0, 1, 3];
  defaultNormalize(down, true);
  assert.deepEqual(down, [100, 67, 0]);
  const none = [0, 0];
  defaultNormalize(none, true);
  assert.deepEqual(none, [100, 100]);
});

Deno.test("scores: least allocated prefers the node with the most CPU and memory left", () => {
  assert.equal(leastRequested(1000, 4000), 75);
  assert.equal(leastRequested(5000, 4000), 0);
  const busy = boundTo(pod("busy", {}, { cpu: "2", memory: "4Gi" }), "busy");
  const snapshot = cacheWith([node("idle"), node("busy")], [busy]);
  const result = scores(leastAllocatedScore, pod("new", {}, { cpu: "1", memory: "2Gi" }), snapshot)!;
  assert.deepEqual(result, { idle: 75, busy: 25 });
});

Deno.test("scores: pods without requests still spread, counted as 100m and 200Mi each", () => {
  const snapshot = cacheWith([node("a"), node("b")], [boundTo(pod("x"), "a")]);
  const result = scores(leastAllocatedScore, pod("y"), snapshot)!;
  assert.ok(result.b > result.a);
});

Deno.test("scores: balanced allocation prefers even CPU and memory use", () => {
  assert.equal(balance([0.5, 0.5]), 100);
  assert.equal(balance([1, 0]), 50);
  const snapshot = cacheWith([node("n1")]);
  // 2 of 4 CPUs and 2Gi of 8Gi: fractions 0.5 and 0.25.
  const result = scores(balancedAllocationScore, pod("p", {}, { cpu: "2", memory: "2Gi" }), snapshot)!;
  assert.deepEqual(result, { n1: 87 });
});

Deno.test("scores: untolerated PreferNoSchedule taints count against a node", () => {
  const soft = (key: string) => ({ key, effect: "PreferNoSchedule" });
  const snapshot = cacheWith([
    node("clean"),
    node("one", { taints: [soft("spot")] }),
    node("two", { taints: [soft("spot"), soft("old")] }),
  ]);
  assert.deepEqual(scores(taintTolerationScore, pod("p"), snapshot), { clean: 100, one: 50, two: 0 });
  const tolerant = pod("q", { tolerations: [{ key: "spot", operator: "Exists", effect: "PreferNoSchedule" }] });
  assert.deepEqual(scores(taintTolerationScore, tolerant, snapshot), { clean: 100, one: 100, two: 0 });
});

Deno.test("scores: preferred node affinity adds the weights of matching terms", () => {
  const snapshot = cacheWith([
    node("ssd-a", { labels: { disk: "ssd", zone: "a" } }),
    node("ssd", { labels: { disk: "ssd" } }),
    node("plain"),
  ]);
  const prefers = pod("p", {
    affinity: {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 30, preference: { matchExpressions: [{ key: "disk", operator: "In", values: ["ssd"] }] } },
          { weight: 10, preference: { matchExpressions: [{ key: "zone", operator: "Exists" }] } },
        ],
      },
    },
  });
  assert.deepEqual(scores(nodeAffinityScore, prefers, snapshot), { "ssd-a": 100, ssd: 75, plain: 0 });
  assert.equal(scores(nodeAffinityScore, pod("q"), snapshot), undefined);
});

Deno.test("scores: soft topology spread prefers the emptier domains", () => {
  const labels = { app: "web" };
  const snapshot = cacheWith(
    [node("a1", { labels: { zone: "a" } }), node("b1", { labels: { zone: "b" } }), node("bare")],
    [boundTo(pod("w1", {}, { labels }), "a1"), boundTo(pod("w2", {}, { labels }), "a1")],
  );
  const spreading = pod("w3", {
    topologySpreadConstraints: [{
      maxSkew: 1,
      topologyKey: "zone",
      whenUnsatisfiable: "ScheduleAnyway",
      labelSelector: { matchLabels: labels },
    }],
  }, { labels });
  assert.deepEqual(scores(podTopologySpreadScore, spreading, snapshot), { a1: 0, b1: 100, bare: 0 });
  assert.equal(scores(podTopologySpreadScore, pod("plain"), snapshot), undefined);
});

Deno.test("scores: preferred pod affinity and existing pods' terms pull toward a domain", () => {
  const cache = { app: "cache" };
  const snapshot = cacheWith(
    [node("a1", { labels: { zone: "a" } }), node("b1", { labels: { zone: "b" } })],
    [boundTo(pod("redis", {}, { labels: cache }), "a1")],
  );
  const near = pod("web", {
    affinity: {
      podAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{
          weight: 50,
          podAffinityTerm: { labelSelector: { matchLabels: cache }, topologyKey: "zone" },
        }],
      },
    },
  });
  assert.deepEqual(scores(interPodAffinityScore, near, snapshot), { a1: 100, b1: 0 });
  assert.equal(scores(interPodAffinityScore, pod("plain"), snapshot), undefined);
  const away = pod("batch", {
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{
          weight: 50,
          podAffinityTerm: { labelSelector: { matchLabels: cache }, topologyKey: "zone" },
        }],
      },
    },
  });
  assert.deepEqual(scores(interPodAffinityScore, away, snapshot), { a1: 0, b1: 100 });
});
