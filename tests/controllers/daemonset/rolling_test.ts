// The arithmetic of a DaemonSet rollout: bounds, and which pods go or come in one round.
import assert from "node:assert/strict";
import { rollingUpdate, rolloutBounds } from "../../../controllers/daemonset/rolling.ts";
import type { DaemonSet } from "../../../controllers/daemonset/mod.ts";
import type { Pod } from "../../../controllers/replicaset/pods.ts";

const ds = (rollingUpdate: Record<string, unknown>): DaemonSet => ({
  metadata: { name: "agent", namespace: "default", uid: "u", generation: 2 },
  spec: { updateStrategy: { type: "RollingUpdate", rollingUpdate } },
});

const pod = (name: string, hash: string, ready: boolean): Pod => ({
  metadata: {
    name,
    labels: { "controller-revision-hash": hash, "pod-template-generation": hash === "new" ? "2" : "1" },
  },
  status: ready ? { phase: "Running", conditions: [{ type: "Ready", status: "True" }] } : { phase: "Pending" },
});

function round(set: DaemonSet, nodes: Record<string, Pod[]>, shouldRun = (_: string) => true) {
  const nodeToPods = new Map(Object.entries(nodes));
  const result = rollingUpdate({
    ds: set,
    nodeToPods,
    bounds: rolloutBounds(set, nodeToPods.size),
    hash: "new",
    generation: 2,
    shouldRun,
    now: Date.now(),
  });
  return { deleted: result.deletePods.map((p) => p.metadata.name).sort(), created: result.createOn.sort() };
}

Deno.test("daemonset rolling: bounds are rounded-up shares of the wanting nodes, with maxUnavailable 1 when both are 0", () => {
  assert.deepEqual(rolloutBounds(ds({ maxUnavailable: "25%", maxSurge: 0 }), 10), {
    maxSurge: 0,
    maxUnavailable: 3,
    desiredNumberScheduled: 10,
  });
  assert.deepEqual(rolloutBounds(ds({ maxUnavailable: 0, maxSurge: "10%" }), 5).maxSurge, 1);
  assert.equal(rolloutBounds(ds({ maxUnavailable: 0, maxSurge: 0 }), 5).maxUnavailable, 1);
  assert.equal(rolloutBounds({ ...ds({}), spec: { updateStrategy: { type: "OnDelete" } } }, 5).maxUnavailable, 1);
});

Deno.test("daemonset rolling: without surge, available old pods go only within maxUnavailable; unavailable old ones always", () => {
  const set = ds({ maxUnavailable: 1 });
  assert.deepEqual(round(set, { a: [pod("a", "old", true)], b: [pod("b", "old", true)] }).deleted.length, 1);
  assert.deepEqual(
    round(set, { a: [pod("a", "new", false)], b: [pod("b", "old", true)] }).deleted,
    [],
    "a new pod is not yet available",
  );
  assert.deepEqual(round(set, { a: [pod("a", "new", false)], b: [pod("b", "old", false)] }).deleted, ["b"]);
  assert.deepEqual(
    round(set, { a: [], b: [pod("b", "old", true)] }).deleted,
    [],
    "a node still waiting for its pod counts",
  );
});

Deno.test("daemonset rolling: with surge, new pods start beside old ones up to maxSurge, and old ones go once replaced", () => {
  const set = ds({ maxUnavailable: 0, maxSurge: 1 });
  assert.deepEqual(round(set, { a: [pod("a", "old", true)], b: [pod("b", "old", true)] }), {
    deleted: [],
    created: ["a"],
  });
  assert.deepEqual(round(set, { a: [pod("a1", "old", true), pod("a2", "new", true)], b: [pod("b", "old", true)] }), {
    deleted: ["a1"],
    created: ["b"],
  });
  assert.deepEqual(round(set, { a: [pod("a1", "old", true), pod("a2", "new", false)], b: [pod("b", "old", true)] }), {
    deleted: [],
    created: [],
  });
  assert.deepEqual(round(set, { a: [pod("a", "old", false)], b: [pod("b", "old", false)] }), {
    deleted: [],
    created: ["a", "b"],
  }, "unavailable old pods are replaced at once");
});
