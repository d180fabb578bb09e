// What one node needs: a pod, a pruned surplus, replaced failures, or nothing left.
import assert from "node:assert/strict";
import { podsShouldBeOnNode } from "../../../controllers/daemonset/manage.ts";
import type { Pod } from "../../../controllers/replicaset/pods.ts";

const pod = (name: string, created: string, extra: Partial<Pod> = {}): Pod => ({
  metadata: { name, creationTimestamp: created, labels: { "controller-revision-hash": "old" } },
  ...extra,
});
const run = { shouldRun: true, shouldContinueRunning: true };
const context = (verdict = run, surge = false) => ({
  verdict,
  hash: "new",
  surge,
  minReadySeconds: 0,
  now: Date.now(),
});
const names = (pods: Pod[]) => pods.map((p) => p.metadata.name);

Deno.test("daemonset manage: an eligible node without a pod gets one; an ineligible one loses all", () => {
  assert.equal(podsShouldBeOnNode([], context()).create, true);
  const work = podsShouldBeOnNode(
    [pod("a", "1"), pod("b", "2")],
    context({ shouldRun: false, shouldContinueRunning: false }),
  );
  assert.deepEqual(names(work.delete), ["a", "b"]);
  assert.equal(
    podsShouldBeOnNode([pod("a", "1")], context({ shouldRun: false, shouldContinueRunning: true })).delete.length,
    0,
  );
});

Deno.test("daemonset manage: extra pods are pruned to the oldest, failed ones are handed back for paced deletion", () => {
  const work = podsShouldBeOnNode([
    pod("newer", "2024-01-02"),
    pod("oldest", "2024-01-01"),
    pod("failed", "2023-12-31", { status: { phase: "Failed" } }),
    pod("going", "2023-12-30", { metadata: { name: "going", deletionTimestamp: "x" } }),
  ], context());
  assert.deepEqual(names(work.delete), ["newer"]);
  assert.deepEqual(names(work.failed), ["failed"]);
  assert.equal(work.create, false, "the replacement comes once the failed pod is gone");
});

Deno.test("daemonset manage: while surging, a failed pod's replacement starts at once and an available new pod retires the old", () => {
  const failedOnly = podsShouldBeOnNode([pod("failed", "1", { status: { phase: "Failed" } })], context(run, true));
  assert.equal(failedOnly.create, true);
  const ready = { phase: "Running", conditions: [{ type: "Ready", status: "True" }] };
  const fresh: Pod = {
    metadata: { name: "new", creationTimestamp: "2", labels: { "controller-revision-hash": "new" } },
    status: ready,
  };
  assert.deepEqual(names(podsShouldBeOnNode([pod("old", "1", { status: ready }), fresh], context(run, true)).delete), [
    "old",
  ]);
  const pending: Pod = { ...fresh, status: { phase: "Pending" } };
  assert.deepEqual(
    names(podsShouldBeOnNode([pod("old", "1", { status: ready }), pending], context(run, true)).delete),
    [],
  );
});
