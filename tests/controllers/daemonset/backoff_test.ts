// The back-off pacing failed daemon pod replacement on a node.
import assert from "node:assert/strict";
import { FailedPodsBackoff } from "../../../controllers/daemonset/backoff.ts";

Deno.test("daemonset backoff: each step doubles the wait up to the maximum; a long quiet spell starts over", () => {
  const backoff = new FailedPodsBackoff(1_000, 4_000);
  assert.equal(backoff.inBackoff("k", 0), false);
  backoff.next("k", 0);
  assert.equal(backoff.inBackoff("k", 500), true);
  assert.equal(backoff.inBackoff("k", 1_000), false);
  backoff.next("k", 1_000);
  assert.equal(backoff.delay("k"), 2_000);
  backoff.next("k", 3_000);
  backoff.next("k", 7_000);
  assert.equal(backoff.delay("k"), 4_000, "capped");
  backoff.next("k", 7_000 + 8_001);
  assert.equal(backoff.delay("k"), 1_000, "expired after twice the maximum");
});
