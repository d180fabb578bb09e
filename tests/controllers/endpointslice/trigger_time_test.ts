import assert from "node:assert/strict";
import {
  formatRFC3339Nano,
  type Pod,
  type Service,
  TriggerTimeTracker,
} from "../../../controllers/endpointslice/mod.ts";

const service: Service = {
  metadata: { name: "web", namespace: "default", uid: "u", creationTimestamp: "2024-01-01T00:00:00Z" },
};

function pod(name: string, readySince: string): Pod {
  return {
    metadata: { name, namespace: "default" },
    status: { conditions: [{ type: "Ready", status: "True", lastTransitionTime: readySince }] },
  };
}

Deno.test("formatRFC3339Nano: Go's format, trailing zeros of the fraction dropped", () => {
  assert.equal(formatRFC3339Nano(Date.UTC(2024, 0, 2, 3, 4, 5, 120)), "2024-01-02T03:04:05.12Z");
  assert.equal(formatRFC3339Nano(Date.UTC(2024, 0, 2, 3, 4, 5)), "2024-01-02T03:04:05Z");
});

Deno.test("TriggerTimeTracker: the earliest change not yet reported, then nothing until something changes", () => {
  const tracker = new TriggerTimeTracker();
  const a = pod("a", "2024-01-01T00:01:00Z");
  assert.equal(tracker.compute(service, [a]), Date.parse("2024-01-01T00:00:00Z"), "the Service's creation first");
  assert.equal(tracker.compute(service, [a]), undefined, "nothing new");
  const b = pod("b", "2024-01-01T00:03:00Z");
  const a2 = pod("a", "2024-01-01T00:02:00Z");
  assert.equal(tracker.compute(service, [a2, b]), Date.parse("2024-01-01T00:02:00Z"), "the earlier of two changes");
  tracker.deleteService("default/web");
  assert.equal(
    tracker.compute(service, [a2, b]),
    Date.parse("2024-01-01T00:00:00Z"),
    "a recreated Service starts over",
  );
});
