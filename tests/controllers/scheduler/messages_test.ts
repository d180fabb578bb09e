// kube-scheduler's wording: the FailedScheduling histogram, its order, and what preemption adds.
import assert from "node:assert/strict";
import { Algorithm, type Decision } from "../../../controllers/scheduler/algorithm.ts";
import { unresolvable, unschedulable } from "../../../controllers/scheduler/framework.ts";
import {
  type Diagnosis,
  fitErrorMessage,
  scheduledMessage,
  truncateMessage,
} from "../../../controllers/scheduler/messages.ts";
import { preemptionMessage } from "../../../controllers/scheduler/preemption.ts";
import { DEFAULT_PROFILE } from "../../../controllers/scheduler/profile.ts";
import type { PodInfo } from "../../../controllers/scheduler/pod_info.ts";
import type { Cache } from "../../../controllers/scheduler/cache.ts";
import { boundTo, cacheWith, node, pod } from "./objects.ts";

function diagnosis(statuses: Record<string, ReturnType<typeof unschedulable>>): Diagnosis {
  return { statuses: new Map(Object.entries(statuses)), unschedulablePlugins: new Set() };
}

/** The full FailedScheduling message the scheduler would write for `p`. */
function failure(p: PodInfo, cache: Cache): string {
  const decision = new Algorithm(DEFAULT_PROFILE).schedule(p, cache) as Extract<Decision, { kind: "unschedulable" }>;
  assert.equal(decision.kind, "unschedulable");
  const post = preemptionMessage(p, decision.diagnosis, cache, decision.filter);
  return fitErrorMessage(decision.numAllNodes, decision.diagnosis, post);
}

Deno.test("messages: reasons are counted and sorted as Go sorts the '<count> <reason>' strings", () => {
  const taint = unresolvable("node(s) had untolerated taint {dedicated: infra}");
  const selector = unresolvable("node(s) didn't match Pod's node affinity/selector");
  const statuses: Record<string, typeof taint> = { infra: taint };
  for (let i = 0; i < 10; i++) statuses[`n${i}`] = selector;
  statuses.small = unschedulable("Insufficient cpu", "Insufficient memory");
  statuses.small2 = unschedulable("Insufficient cpu");
  assert.equal(
    fitErrorMessage(13, diagnosis(statuses)),
    "0/13 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint {dedicated: infra}, " +
      "10 node(s) didn't match Pod's node affinity/selector, 2 Insufficient cpu.",
  );
});

Deno.test("messages: a PreFilter rejection replaces the per-node reasons", () => {
  const d: Diagnosis = {
    statuses: new Map(),
    preFilterMessage: "pod affinity terms conflict",
    unschedulablePlugins: new Set(),
  };
  assert.equal(
    fitErrorMessage(3, d, "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."),
    "0/3 nodes are available: pod affinity terms conflict. " +
      "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
  );
});

Deno.test("messages: long messages are cut as Event notes are", () => {
  const cut = truncateMessage("x".repeat(2000));
  assert.equal(cut.length, 1024);
  assert.ok(cut.endsWith("x ..."));
  assert.equal(truncateMessage("short"), "short");
  assert.equal(scheduledMessage("default", "web-1", "node-a"), "Successfully assigned default/web-1 to node-a");
});

Deno.test("messages: taints and selectors cannot be preempted away", () => {
  const cache = cacheWith([
    node("infra", { taints: [{ key: "dedicated", value: "infra", effect: "NoSchedule" }] }),
    node("a"),
    node("b"),
  ]);
  assert.equal(
    failure(pod("picky", { nodeSelector: { disk: "ssd" } }), cache),
    "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: infra}, " +
      "2 node(s) didn't match Pod's node affinity/selector. " +
      "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
  );
});

Deno.test("messages: full nodes with nothing of lower priority have no preemption victims", () => {
  const cache = cacheWith([node("a", { cpu: "1" }), node("b", { cpu: "1" })], [
    boundTo(pod("x", {}, { cpu: "800m" }), "a"),
    boundTo(pod("y", {}, { cpu: "800m" }), "b"),
  ]);
  assert.equal(
    failure(pod("z", {}, { cpu: "500m" }), cache),
    "0/2 nodes are available: 2 Insufficient cpu. " +
      "preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.",
  );
});

Deno.test("messages: victims that would not free enough leave the node's own reason", () => {
  const cache = cacheWith([node("a", { cpu: "1" })], [
    boundTo(pod("big", { priority: 100 }, { cpu: "800m" }), "a"),
    boundTo(pod("small", { priority: 0 }, { cpu: "100m" }), "a"),
  ]);
  assert.equal(
    failure(pod("urgent", { priority: 10 }, { cpu: "500m" }), cache),
    "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu.",
  );
});

Deno.test("messages: where preemption would make room, kube adds no preemption part", () => {
  const cache = cacheWith([node("a", { cpu: "1" })], [boundTo(pod("low", {}, { cpu: "800m" }), "a")]);
  assert.equal(
    failure(pod("high", { priority: 1000 }, { cpu: "500m" }), cache),
    "0/1 nodes are available: 1 Insufficient cpu.",
  );
});

Deno.test("messages: a pod that never preempts says so", () => {
  const cache = cacheWith([node("a", { cpu: "1" })], [boundTo(pod("low", {}, { cpu: "800m" }), "a")]);
  assert.equal(
    failure(pod("polite", { priority: 1000, preemptionPolicy: "Never" }, { cpu: "500m" }), cache),
    "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.",
  );
});

Deno.test("messages: nodes a DaemonSet pod does not target are reported as not satisfying NodeAffinity", () => {
  const cache = cacheWith(
    [node("n1", { cpu: "1" }), node("n2"), node("n3"), node("n4")],
    [boundTo(pod("hog", {}, { cpu: "1" }), "n1")],
  );
  const daemon = pod("ds-n1", {
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: ["n1"] }] }],
        },
      },
    },
  }, { cpu: "100m" });
  assert.equal(
    failure(daemon, cache),
    "0/4 nodes are available: 1 Insufficient cpu, 3 node(s) didn't satisfy plugin(s) [NodeAffinity]. " +
      "preemption: 0/4 nodes are available: 1 No preemption victims found for incoming pod, " +
      "3 Preemption is not helpful for scheduling.",
  );
});
