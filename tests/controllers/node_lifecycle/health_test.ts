// Node health judged by changes seen on the local clock, as kube does, not by the remote timestamps.
import assert from "node:assert/strict";
import { NodeHealth, unknownConditions } from "../../../controllers/node_lifecycle/health.ts";
import type { Node } from "../../../controllers/node_lifecycle/node.ts";

function node(heartbeat: string | undefined, created = "2025-01-01T00:00:00Z"): Node {
  return {
    metadata: { name: "n", creationTimestamp: created },
    status: heartbeat === undefined
      ? {}
      : { conditions: [{ type: "Ready", status: "True", lastHeartbeatTime: heartbeat }] },
  };
}

Deno.test("health: a Lease renewal keeps a node alive whatever its clock says", () => {
  const health = new NodeHealth(50_000, 60_000);
  const t0 = Date.now();
  // The node's clock is a day behind: only that renewTime moves matters.
  assert.equal(health.observe(node("2020-01-01T00:00:00Z"), "2020-01-01T00:00:00.000000Z", t0), false);
  assert.equal(health.observe(node("2020-01-01T00:00:00Z"), "2020-01-01T00:00:40.000000Z", t0 + 40_000), false);
  assert.equal(health.observe(node("2020-01-01T00:00:00Z"), "2020-01-01T00:00:40.000000Z", t0 + 80_000), false);
  assert.equal(health.observe(node("2020-01-01T00:00:00Z"), "2020-01-01T00:00:40.000000Z", t0 + 90_001), true);
});

Deno.test("health: a new Ready heartbeat counts as a sign of life too", () => {
  const health = new NodeHealth(50_000, 60_000);
  const t0 = Date.now();
  health.observe(node("2030-01-01T00:00:00Z"), undefined, t0);
  assert.equal(health.observe(node("2030-01-01T00:00:10Z"), undefined, t0 + 45_000), false);
  assert.equal(health.observe(node("2030-01-01T00:00:10Z"), undefined, t0 + 95_001), true);
});

Deno.test("health: a node that never reported Ready gets the startup grace period from its creation", () => {
  const health = new NodeHealth(50_000, 60_000);
  const created = Date.now() - 59_000;
  assert.equal(health.observe(node(undefined, new Date(created).toISOString()), undefined, created + 59_000), false);
  assert.equal(health.observe(node(undefined, new Date(created).toISOString()), undefined, created + 60_001), true);
});

Deno.test("health: a silent node's kubelet conditions turn Unknown, missing ones as never updated", () => {
  const conditions = unknownConditions({
    metadata: { name: "n", creationTimestamp: "2025-01-01T00:00:00Z" },
    status: {
      conditions: [
        { type: "Ready", status: "True", reason: "KubeletReady", lastTransitionTime: "2025-01-01T00:00:05Z" },
        { type: "NetworkUnavailable", status: "False" },
      ],
    },
  }, Date.UTC(2025, 0, 2));
  const byType = Object.fromEntries(conditions.map((c) => [c.type, c]));
  assert.deepEqual(byType.Ready, {
    type: "Ready",
    status: "Unknown",
    reason: "NodeStatusUnknown",
    message: "Kubelet stopped posting node status.",
    lastTransitionTime: "2025-01-02T00:00:00Z",
  });
  assert.equal(byType.NetworkUnavailable.status, "False");
  assert.equal(byType.MemoryPressure.reason, "NodeStatusNeverUpdated");
  assert.equal(byType.MemoryPressure.lastHeartbeatTime, "2025-01-01T00:00:00Z");
});
