// Which taints the node lifecycle controller wants on a node, without a server.
import assert from "node:assert/strict";
import {
  noExecuteTaintKey,
  noScheduleTaintKeys,
  TAINT_NOT_READY,
  TAINT_UNREACHABLE,
  withControllerTaints,
} from "../../../controllers/node_lifecycle/taints.ts";

const normal = { mayTaint: true, stopped: false };

Deno.test("taints: adverse conditions and cordoning call for their NoSchedule taints", () => {
  const keys = noScheduleTaintKeys({
    metadata: { name: "n" },
    spec: { unschedulable: true },
    status: {
      conditions: [
        { type: "Ready", status: "Unknown" },
        { type: "DiskPressure", status: "True" },
        { type: "MemoryPressure", status: "False" },
        { type: "NetworkUnavailable", status: "True" },
      ],
    },
  });
  assert.deepEqual([...keys].sort(), [
    "node.kubernetes.io/disk-pressure",
    "node.kubernetes.io/network-unavailable",
    "node.kubernetes.io/unreachable",
    "node.kubernetes.io/unschedulable",
  ]);
});

Deno.test("taints: the NoExecute taint follows Ready; a swap is immediate even where new taints are held back", () => {
  assert.equal(noExecuteTaintKey({ type: "Ready", status: "False" }, [], normal), TAINT_NOT_READY);
  assert.equal(noExecuteTaintKey({ type: "Ready", status: "True" }, [], normal), null);
  assert.equal(noExecuteTaintKey(undefined, [], normal), undefined);
  const held = { mayTaint: false, stopped: false };
  assert.equal(noExecuteTaintKey({ type: "Ready", status: "Unknown" }, [], held), undefined);
  const notReady = [{ key: TAINT_NOT_READY, effect: "NoExecute" }];
  assert.equal(noExecuteTaintKey({ type: "Ready", status: "Unknown" }, notReady, held), TAINT_UNREACHABLE);
  assert.equal(noExecuteTaintKey({ type: "Ready", status: "Unknown" }, notReady, { ...held, stopped: true }), null);
});

Deno.test("taints: others' taints and the timeAdded of kept ones survive; added ones get timeAdded", () => {
  const foreign = { key: "example.com/gpu", value: "a100", effect: "NoSchedule" };
  const kept = { key: TAINT_UNREACHABLE, effect: "NoSchedule", timeAdded: "2025-01-01T00:00:00Z" };
  const stale = { key: TAINT_NOT_READY, effect: "NoExecute", timeAdded: "2025-01-01T00:00:00Z" };
  const next = withControllerTaints(
    [foreign, kept, stale],
    new Set([TAINT_UNREACHABLE]),
    TAINT_UNREACHABLE,
    Date.UTC(2025, 5, 1, 12, 0, 0, 500),
  );
  assert.deepEqual(next, [foreign, kept, {
    key: TAINT_UNREACHABLE,
    effect: "NoExecute",
    timeAdded: "2025-06-01T12:00:00Z",
  }]);
  assert.equal(withControllerTaints([foreign, kept], new Set([TAINT_UNREACHABLE]), undefined, Date.now()), undefined);
});
