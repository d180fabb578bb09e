// A watch's bookmark interval: waits end with the store's batch, or with a tick once the interval passed.
import assert from "node:assert/strict";
import { BookmarkTicks } from "../../../core/api/bookmarks.ts";

const never = new Promise<never>(() => {});

Deno.test("bookmarks: a wait ends with what comes first, the store's next batch or the interval's tick", async () => {
  const stop = new AbortController();
  const ticks = new BookmarkTicks(10, stop.signal);
  try {
    assert.equal(await ticks.next(Promise.resolve("batch")), "batch");
    assert.equal(await ticks.next(never), "tick");
    assert.equal(await ticks.next(Promise.resolve("after")), "after");
  } finally {
    stop.abort();
  }
});

Deno.test("bookmarks: an interval that passed while nobody waited ends the next wait at once", async () => {
  const stop = new AbortController();
  const ticks = new BookmarkTicks(5, stop.signal);
  try {
    assert.equal(await ticks.next(Promise.resolve("batch")), "batch");
    // Busy elsewhere past the interval: the tick is kept for the next wait, even with a batch at hand.
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(await ticks.next(Promise.resolve("ready")), "tick");
  } finally {
    stop.abort();
  }
});
