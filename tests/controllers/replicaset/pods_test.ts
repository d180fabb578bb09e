import assert from "node:assert/strict";
import { deletionOrder, isActive, type Pod, untilAvailable } from "../../../controllers/replicaset/pods.ts";

function pod(name: string, extra: { node?: string; phase?: string; readySince?: string; created?: string } = {}): Pod {
  return {
    metadata: { name, creationTimestamp: extra.created ?? "2024-01-01T00:00:00Z" },
    spec: extra.node ? { nodeName: extra.node } : {},
    status: {
      phase: extra.phase ?? "Pending",
      conditions: extra.readySince ? [{ type: "Ready", status: "True", lastTransitionTime: extra.readySince }] : [],
    },
  };
}

Deno.test("pods: terminating and finished pods are not active", () => {
  assert.equal(isActive(pod("a")), true);
  assert.equal(isActive(pod("a", { phase: "Succeeded" })), false);
  assert.equal(isActive(pod("a", { phase: "Failed" })), false);
  assert.equal(isActive({ ...pod("a"), metadata: { name: "a", deletionTimestamp: "2024-01-01T00:00:00Z" } }), false);
});

Deno.test("pods: deletion prefers unassigned, then pending, then not ready, then newer pods", () => {
  const ready = "2024-01-01T00:00:00Z";
  const pods = [
    pod("running-ready", { node: "n", phase: "Running", readySince: ready }),
    pod("running-old", { node: "n", phase: "Running", created: "2024-01-01T00:00:00Z" }),
    pod("running-new", { node: "n", phase: "Running", created: "2024-02-01T00:00:00Z" }),
    pod("pending", { node: "n" }),
    pod("unassigned", { node: "" }),
  ];
  assert.deepEqual(
    [...pods].sort(deletionOrder).map((p) => p.metadata.name),
    ["unassigned", "pending", "running-new", "running-old", "running-ready"],
  );
});

Deno.test("pods: a ready pod is available only after minReadySeconds", () => {
  const now = Date.parse("2024-01-01T00:00:10Z");
  const p = pod("a", { readySince: "2024-01-01T00:00:05Z" });
  assert.equal(untilAvailable(p, 0, now), 0);
  assert.equal(untilAvailable(p, 5, now), 0);
  assert.equal(untilAvailable(p, 8, now), 3000);
  assert.equal(untilAvailable(pod("b"), 0, now), undefined);
});
