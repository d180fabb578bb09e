// The work queue's guarantees: dedupe, one key at a time, capped exponential back-off, delayed adds.
import assert from "node:assert/strict";
import { ExponentialBackoff, MaxOfRateLimiter, WorkQueue } from "../../../core/operator/workqueue.ts";
import { BucketRateLimiter } from "../../../core/operator/workqueue.ts";

Deno.test("workqueue: a key added repeatedly while waiting is handed out once", async () => {
  const queue = new WorkQueue();
  queue.add("a");
  queue.add("b");
  queue.add("a");
  queue.add("a");
  assert.equal(queue.length, 2);
  assert.equal(await queue.get(), "a");
  assert.equal(await queue.get(), "b");
  assert.equal(queue.length, 0);
  queue.shutDown();
});

Deno.test("workqueue: a key in flight is not handed out again until done, then comes back once", async () => {
  const queue = new WorkQueue();
  queue.add("a");
  const key = await queue.get();
  queue.add("a");
  queue.add("a");
  assert.equal(queue.length, 0, "the re-added key waits for done()");
  let second: string | undefined;
  const waiting = queue.get().then((k) => second = k);
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(second, undefined, "no second worker gets the key while the first holds it");
  queue.done(key!);
  await waiting;
  assert.equal(second, "a");
  queue.done("a");
  assert.equal(queue.length, 0);
  queue.shutDown();
});

Deno.test("workqueue: concurrent workers never run one key twice at once", async () => {
  const queue = new WorkQueue();
  const running = new Set<string>();
  let overlaps = 0;
  let runs = 0;
  const worker = async () => {
    while (true) {
      const key = await queue.get();
      if (key === undefined) return;
      if (running.has(key)) overlaps++;
      running.add(key);
      await new Promise((r) => setTimeout(r, 1));
      running.delete(key);
      runs++;
      queue.done(key);
    }
  };
  const workers = [worker(), worker(), worker(), worker()];
  for (let i = 0; i < 50; i++) {
    queue.add(`k${i % 3}`);
    await new Promise((r) => setTimeout(r, 0));
  }
  while (queue.length > 0 || running.size > 0) await new Promise((r) => setTimeout(r, 5));
  queue.shutDown();
  await Promise.all(workers);
  assert.equal(overlaps, 0);
  assert.ok(runs >= 3 && runs <= 50, `runs ${runs}`);
});

Deno.test("workqueue: failures back off exponentially up to the cap, and forget resets", () => {
  const backoff = new ExponentialBackoff(5, 100);
  const delays = Array.from({ length: 7 }, () => backoff.when("a"));
  assert.deepEqual(delays, [5, 10, 20, 40, 80, 100, 100]);
  assert.equal(backoff.failures("a"), 7);
  assert.equal(backoff.when("b"), 5, "each key has its own history");
  backoff.forget("a");
  assert.equal(backoff.when("a"), 5);
});

Deno.test("workqueue: the bucket limits the overall rate once its burst is spent", () => {
  const limiter = new MaxOfRateLimiter(new ExponentialBackoff(1, 1), new BucketRateLimiter(10, 2));
  assert.equal(limiter.when("a"), 1);
  assert.equal(limiter.when("b"), 1);
  const third = limiter.when("c");
  assert.ok(third > 50 && third <= 100, `third delay ${third}`);
});

Deno.test("workqueue: addRateLimited re-adds after the back-off delay", async () => {
  const queue = new WorkQueue(new ExponentialBackoff(20, 1000));
  const started = performance.now();
  queue.addRateLimited("a"); // 20 ms
  assert.equal(await queue.get(), "a");
  const first = performance.now() - started;
  queue.done("a");
  queue.addRateLimited("a"); // 40 ms
  const again = performance.now();
  assert.equal(await queue.get(), "a");
  const second = performance.now() - again;
  assert.ok(first >= 15, `first ${first}`);
  assert.ok(second >= 35, `second ${second}`);
  queue.shutDown();
});

Deno.test("workqueue: addAfter delays a key, the earliest pending delay wins, shutDown drops them", async () => {
  const queue = new WorkQueue();
  queue.addAfter("a", 1000);
  queue.addAfter("a", 20);
  assert.equal(queue.length, 0);
  const started = performance.now();
  assert.equal(await queue.get(), "a");
  assert.ok(performance.now() - started < 900);
  queue.done("a");
  queue.addAfter("b", 50);
  queue.shutDown();
  assert.equal(await queue.get(), undefined);
});

Deno.test("workqueue: a key added twice in one burst runs once even when a worker is already waiting", async () => {
  const queue = new WorkQueue();
  const taken: string[] = [];
  const worker = (async () => {
    for (let key = await queue.get(); key !== undefined; key = await queue.get()) {
      taken.push(key);
      queue.done(key);
    }
  })();
  await new Promise((r) => setTimeout(r, 0));
  queue.add("a");
  queue.add("a");
  await new Promise((r) => setTimeout(r, 10));
  queue.shutDown();
  await worker;
  assert.deepEqual(taken, ["a"]);
});
