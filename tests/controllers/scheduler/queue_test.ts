// The scheduling queue: order, where failed pods wait, and what brings them back.
import assert from "node:assert/strict";
import { SchedulingQueue } from "../../../controllers/scheduler/queue.ts";
import { pod } from "./objects.ts";

/** A queue on a clock the test moves. */
function queueAt(start = 1_000_000) {
  const clock = { now: start };
  const queue = new SchedulingQueue({ now: () => clock.now });
  return { queue, clock };
}

Deno.test("queue: higher priority first, then the pod that has waited longest", async () => {
  const { queue, clock } = queueAt();
  const low = pod("low", { priority: 0 });
  const early = pod("early", { priority: 10 });
  const late = pod("late", { priority: 10 });
  queue.add(low);
  clock.now++;
  queue.add(early);
  clock.now++;
  queue.add(late);
  const order = [];
  for (let i = 0; i < 3; i++) order.push((await queue.pop())!.info.name);
  assert.deepEqual(order, ["early", "late", "low"]);
  queue.close();
});

Deno.test("queue: a pod rejected by plugins waits as unschedulable until a change may help it", async () => {
  const { queue } = queueAt();
  queue.add(pod("picky"));
  const popped = (await queue.pop())!;
  assert.equal(popped.attempts, 1);
  queue.requeue(popped, new Set(["NodeAffinity"]));
  assert.deepEqual(queue.counts, { active: 0, backoff: 0, unschedulable: 1 });
  queue.moveAll((q) => q.unschedulablePlugins.has("NodeResourcesFit"));
  assert.deepEqual(queue.counts, { active: 0, backoff: 0, unschedulable: 1 });
  queue.moveAll((q) => q.unschedulablePlugins.has("NodeAffinity"));
  // Moved within its back-off (1 s after one attempt): it waits that out first.
  assert.deepEqual(queue.counts, { active: 0, backoff: 1, unschedulable: 0 });
  queue.close();
});

Deno.test("queue: a pod moved after its back-off is ready at once", async () => {
  const { queue, clock } = queueAt();
  queue.add(pod("picky"));
  const popped = (await queue.pop())!;
  queue.requeue(popped, new Set(["NodeAffinity"]));
  clock.now += 1_000;
  queue.moveAll(() => true);
  assert.deepEqual(queue.counts, { active: 1, backoff: 0, unschedulable: 0 });
  assert.equal((await queue.pop())!.info.name, "picky");
  queue.close();
});

Deno.test("queue: a pod that failed for no plugin's reason backs off and comes back by itself", async () => {
  const queue = new SchedulingQueue({ podInitialBackoffMs: 20 });
  queue.add(pod("unlucky"));
  const popped = (await queue.pop())!;
  queue.requeue(popped, new Set());
  assert.deepEqual(queue.counts, { active: 0, backoff: 1, unschedulable: 0 });
  const again = (await queue.pop())!;
  assert.equal(again.info.name, "unlucky");
  assert.equal(again.attempts, 2);
  queue.close();
});

Deno.test("queue: a change to an unschedulable pod itself gives it another try; a status update does not", async () => {
  const { queue, clock } = queueAt();
  const picky = pod("picky");
  queue.add(picky);
  const popped = (await queue.pop())!;
  queue.requeue(popped, new Set(["TaintToleration"]));
  clock.now += 5_000;
  queue.add(picky, false);
  assert.deepEqual(queue.counts, { active: 0, backoff: 0, unschedulable: 1 });
  queue.add(picky, true);
  assert.deepEqual(queue.counts, { active: 1, backoff: 0, unschedulable: 0 });
  queue.close();
});

Deno.test("queue: a deleted pod leaves the queue wherever it waits", async () => {
  const { queue } = queueAt();
  const a = pod("a");
  const b = pod("b");
  queue.add(a);
  queue.add(b);
  const popped = (await queue.pop())!;
  queue.requeue(popped, new Set(["NodePorts"]));
  queue.delete(a.uid);
  queue.delete(b.uid);
  assert.deepEqual(queue.counts, { active: 0, backoff: 0, unschedulable: 0 });
  queue.close();
});

Deno.test("queue: pods left unschedulable past podMaxInUnschedulablePodsDuration are retried", async () => {
  const queue = new SchedulingQueue({ podMaxInUnschedulablePodsMs: 30, podInitialBackoffMs: 1 });
  queue.run();
  queue.add(pod("forgotten"));
  const popped = (await queue.pop())!;
  queue.requeue(popped, new Set(["NodeAffinity"]));
  const again = (await queue.pop())!;
  assert.equal(again.info.name, "forgotten");
  queue.close();
});

Deno.test("queue: closing releases a waiting pop", async () => {
  const { queue } = queueAt();
  const waiting = queue.pop();
  queue.close();
  assert.equal(await waiting, undefined);
});
