// The pod-failure back-off: doubling from the base per consecutive failure, capped, reset by a success.
import assert from "node:assert/strict";
import { remainingBackoff } from "../../../controllers/job/mod.ts";
import { BackoffStore } from "../../../controllers/job/backoff.ts";
import type { Pod } from "../../../controllers/job/pods.ts";

function finishedAt(iso: string): Pod {
  return {
    metadata: { name: iso },
    status: { containerStatuses: [{ name: "main", state: { terminated: { exitCode: 1, finishedAt: iso } } }] },
  };
}

Deno.test("job backoff: 10 s after one failure, doubling per further failure, capped", () => {
  const now = Date.parse("2024-01-01T00:00:00Z");
  assert.equal(remainingBackoff(0, undefined, now, 10_000, 600_000), 0);
  assert.equal(remainingBackoff(1, now, now, 10_000, 600_000), 10_000);
  assert.equal(remainingBackoff(3, now - 5_000, now, 10_000, 600_000), 35_000);
  assert.equal(remainingBackoff(20, now, now, 10_000, 600_000), 600_000);
  assert.equal(remainingBackoff(2, now - 60_000, now, 10_000, 600_000), 0);
});

Deno.test("job backoff: failures add up until a success, and only failures after the success count", () => {
  const store = new BackoffStore();
  store.update(
    "ns/j",
    store.next("ns/j", [], [finishedAt("2024-01-01T00:00:01Z"), finishedAt("2024-01-01T00:00:02Z")]),
  );
  assert.deepEqual(store.next("ns/j", [], []), {
    failuresAfterLastSuccess: 2,
    lastFailureTime: Date.parse("2024-01-01T00:00:02Z"),
  });
  const mixed = store.next("ns/j", [finishedAt("2024-01-01T00:00:05Z")], [
    finishedAt("2024-01-01T00:00:04Z"),
    finishedAt("2024-01-01T00:00:06Z"),
  ]);
  assert.deepEqual(mixed, { failuresAfterLastSuccess: 1, lastFailureTime: Date.parse("2024-01-01T00:00:06Z") });
  assert.deepEqual(store.next("ns/j", [finishedAt("2024-01-01T00:00:09Z")], []), { failuresAfterLastSuccess: 0 });
});
