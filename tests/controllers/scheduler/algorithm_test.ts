// One scheduling cycle: how many nodes it looks at, where it starts, and how it picks among equals.
import assert from "node:assert/strict";
import { Algorithm, numFeasibleNodesToFind } from "../../../controllers/scheduler/algorithm.ts";
import { DEFAULT_PROFILE } from "../../../controllers/scheduler/profile.ts";
import { cacheWith, node, pod } from "./objects.ts";

Deno.test("algorithm: large clusters are sampled with kube's adaptive percentageOfNodesToScore", () => {
  assert.equal(numFeasibleNodesToFind(0, 50), 50);
  assert.equal(numFeasibleNodesToFind(0, 100), 100);
  assert.equal(numFeasibleNodesToFind(0, 1000), 420);
  assert.equal(numFeasibleNodesToFind(0, 5000), 500);
  assert.equal(numFeasibleNodesToFind(0, 100_000), 5000);
  assert.equal(numFeasibleNodesToFind(10, 500), 100);
  assert.equal(numFeasibleNodesToFind(100, 500), 500);
});

Deno.test("algorithm: each cycle starts looking where the previous one stopped", () => {
  const nodes = Array.from({ length: 200 }, (_, i) => node(`n${String(i).padStart(3, "0")}`));
  const cache = cacheWith(nodes);
  // The first feasible node wins every tie, so the pick shows where the search began.
  const algorithm = new Algorithm(DEFAULT_PROFILE, { percentageOfNodesToScore: 50, random: () => 0.99 });
  const first = algorithm.schedule(pod("a"), cache);
  const second = algorithm.schedule(pod("b"), cache);
  assert.deepEqual(first, { kind: "scheduled", node: "n000" });
  assert.deepEqual(second, { kind: "scheduled", node: "n100" });
});

Deno.test("algorithm: ties between equally good nodes are broken at random", () => {
  const cache = cacheWith([node("a"), node("b"), node("c")]);
  const pick = (r: number) => new Algorithm(DEFAULT_PROFILE, { random: () => r }).schedule(pod("p"), cache);
  assert.deepEqual(pick(0.99), { kind: "scheduled", node: "a" });
  assert.deepEqual(pick(0), { kind: "scheduled", node: "c" });
});

Deno.test("algorithm: an empty cluster is its own outcome", () => {
  assert.deepEqual(new Algorithm(DEFAULT_PROFILE).schedule(pod("p"), cacheWith([])), { kind: "noNodes" });
});

Deno.test("algorithm: the plugins that rejected a pod are recorded for requeueing", () => {
  const cache = cacheWith([
    node("tainted", { taints: [{ key: "k", effect: "NoSchedule" }] }),
    node("full", { cpu: "1" }),
  ]);
  const decision = new Algorithm(DEFAULT_PROFILE).schedule(pod("p", {}, { cpu: "2" }), cache);
  assert.equal(decision.kind, "unschedulable");
  if (decision.kind === "unschedulable") {
    assert.deepEqual(decision.diagnosis.unschedulablePlugins, new Set(["TaintToleration", "NodeResourcesFit"]));
  }
});
