// The event recorder against a real in-process server: repeats aggregate into one Event's count.
import assert from "node:assert/strict";
import { eventRecorder } from "../../../core/operator/events.ts";
import type { KubeObject } from "../../../core/operator/source.ts";
import { withCluster } from "../../support/cluster.ts";

const options = { sanitizeOps: false, sanitizeResources: false };
const EVENT = { apiVersion: "v1", kind: "Event" };

Deno.test({
  name: "events: a repeated event is one Event with a count; another message is another Event",
  ...options,
  fn: async () => {
    await withCluster(() => [], async (client) => {
      const pod: KubeObject = await client.create({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "picky", namespace: "default" },
        spec: { containers: [{ name: "c", image: "busybox" }] },
      });
      const events = eventRecorder(client, "default-scheduler", { host: "server-1" });
      for (let i = 0; i < 3; i++) events.event(pod, "Warning", "FailedScheduling", "0/0 nodes are available.");
      events.event(pod, "Normal", "Scheduled", "Successfully assigned default/picky to n1");
      await events.flush();
      const list = await client.list<KubeObject>(EVENT, "default", {
        fieldSelector: "involvedObject.name=picky,involvedObject.kind=Pod",
      });
      const byReason = Object.fromEntries(list.items.map((e) => [e.reason, e]));
      assert.equal(list.items.length, 2);
      assert.equal(byReason.FailedScheduling.count, 3);
      assert.equal(byReason.FailedScheduling.type, "Warning");
      assert.equal(byReason.FailedScheduling.involvedObject.uid, pod.metadata!.uid);
      assert.deepEqual(byReason.FailedScheduling.source, { component: "default-scheduler", host: "server-1" });
      assert.equal(byReason.Scheduled.count, 1);
    });
  },
});

Deno.test({
  name: "events: a repeat whose Event was deleted records a new Event",
  ...options,
  fn: async () => {
    await withCluster(() => [], async (client) => {
      const cm = await client.create({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "c", namespace: "default" },
      });
      const events = eventRecorder(client, "demo");
      events.event(cm, "Normal", "Seen", "once");
      await events.flush();
      const [first] = (await client.list<KubeObject>(EVENT, "default")).items;
      await client.delete(EVENT, "default", first.metadata!.name!);
      events.event(cm, "Normal", "Seen", "once");
      await events.flush();
      const after = (await client.list<KubeObject>(EVENT, "default")).items;
      assert.equal(after.length, 1);
      assert.equal(after[0].count, 2);
    });
  },
});
