import assert from "node:assert/strict";
import { type EndpointSlice, EndpointSliceTracker } from "../../../controllers/endpointslice/mod.ts";

function slice(uid: string, resourceVersion: string): EndpointSlice {
  return {
    metadata: {
      name: `web-${uid}`,
      namespace: "default",
      uid,
      resourceVersion,
      labels: { "kubernetes.io/service-name": "web" },
    },
    addressType: "IPv4",
  };
}

Deno.test("EndpointSliceTracker: a created slice not yet in the cache makes it stale, until it shows", () => {
  const tracker = new EndpointSliceTracker();
  tracker.update(slice("a", "10"));
  assert.equal(tracker.staleSlices("default/web", []), true);
  assert.equal(tracker.staleSlices("default/web", [slice("a", "9")]), true, "an older version");
  assert.equal(tracker.staleSlices("default/web", [slice("a", "10")]), false);
  assert.equal(tracker.staleSlices("default/other", []), false);
});

Deno.test("EndpointSliceTracker: a deleted slice still cached makes it stale", () => {
  const tracker = new EndpointSliceTracker();
  tracker.expectDeletion(slice("a", "10"));
  assert.equal(tracker.staleSlices("default/web", [slice("a", "10")]), true);
  assert.equal(tracker.staleSlices("default/web", []), false);
});

Deno.test("EndpointSliceTracker: only other writers' versions and deletions need a sync", () => {
  const tracker = new EndpointSliceTracker();
  tracker.update(slice("a", "10"));
  assert.equal(tracker.shouldSync(slice("a", "10")), false, "its own write");
  assert.equal(tracker.shouldSync(slice("a", "12")), true, "someone else's");
  assert.equal(tracker.shouldSync(slice("b", "3")), true, "a slice it never wrote");
  tracker.expectDeletion(slice("a", "12"));
  assert.equal(tracker.handleDeletion(slice("a", "12")), true, "its own deletion");
  tracker.update(slice("c", "20"));
  assert.equal(tracker.handleDeletion(slice("c", "20")), false, "deleted by someone else");
});
