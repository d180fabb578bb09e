// The pod garbage collector on a real in-process server. No kubelet runs: the tests post pod and node status
// themselves, and use a finalizer where they need to look at a pod after the collector has deleted it.
import assert from "node:assert/strict";
import type { Client } from "../../../core/client/mod.ts";
import { until, withCluster } from "../../support/cluster.ts";
import { podGcController, type PodGcOptions } from "../../../controllers/pod_gc/mod.ts";

const NODE = { apiVersion: "v1", kind: "Node" };
const POD = { apiVersion: "v1", kind: "Pod" };
const HOLD = "example.com/hold";

// deno-lint-ignore no-explicit-any
type Any = any;

const sanitize = { sanitizeOps: false, sanitizeResources: false };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function cluster(options: PodGcOptions, fn: (client: Client) => Promise<void>): Promise<void> {
  return withCluster((deps) => [podGcController(deps, options)], fn);
}

async function createNode(client: Client, name: string, ready: "True" | "False"): Promise<void> {
  const node = await client.create<Any>({ ...NODE, metadata: { name }, spec: {} });
  await client.updateStatus({ ...node, status: { conditions: [{ type: "Ready", status: ready }] } });
}

/** A pod with the given status (as its kubelet would post it), bound to `nodeName` if given. */
async function createPod(
  client: Client,
  name: string,
  status: Any,
  options: { nodeName?: string; finalizers?: string[] } = {},
): Promise<Any> {
  const pod = await client.create<Any>({
    ...POD,
    metadata: { name, namespace: "default", finalizers: options.finalizers },
    spec: { nodeName: options.nodeName, containers: [{ name: "app", image: "nginx" }] },
  });
  return await client.updateStatus({ ...pod, status: { ...pod.status, ...status } });
}

async function getPod(client: Client, name: string): Promise<Any | undefined> {
  try {
    return await client.get<Any>(POD, "default", name);
  } catch {
    return undefined;
  }
}

async function podNames(client: Client): Promise<string[]> {
  return (await client.list<Any>(POD, "default")).items.map((p) => p.metadata.name).sort();
}

Deno.test({
  name: "pod gc: pods of a deleted node are marked Failed with DisruptionTarget and force-deleted after the quarantine",
  ...sanitize,
  fn: () =>
    cluster({ quarantineMs: 300 }, async (client) => {
      await createNode(client, "gone", "True");
      await createPod(client, "orphan", { phase: "Running" }, { nodeName: "gone" });
      await createPod(client, "held", { phase: "Running" }, { nodeName: "gone", finalizers: [HOLD] });
      await client.delete(NODE, undefined, "gone");
      await until(async () => (await getPod(client, "orphan")) === undefined, "orphan force-deleted");
      await until(async () => (await getPod(client, "held"))?.metadata.deletionTimestamp !== undefined, "held deleted");
      const held = await getPod(client, "held");
      assert.equal(held.status.phase, "Failed");
      assert.equal(held.metadata.deletionGracePeriodSeconds, 0);
      const target = held.status.conditions.find((c: Any) => c.type === "DisruptionTarget");
      assert.deepEqual(
        { status: target?.status, reason: target?.reason, message: target?.message },
        { status: "True", reason: "DeletionByPodGC", message: "PodGC: node no longer exists" },
      );
    }),
});

Deno.test({
  name: "pod gc: terminated pods beyond the threshold are deleted, evicted ones first, then the oldest",
  ...sanitize,
  fn: () =>
    cluster({ terminatedPodThreshold: 2 }, async (client) => {
      await createPod(client, "running", { phase: "Running" });
      await createPod(client, "a", { phase: "Succeeded" });
      await createPod(client, "b", { phase: "Failed" });
      await createPod(client, "c", { phase: "Succeeded" });
      await createPod(client, "d", { phase: "Failed", reason: "Evicted" });
      await until(async () => (await podNames(client)).length === 3, "two pods collected");
      // A collector acting twice on a stale cache would take one more.
      await sleep(300);
      assert.deepEqual(await podNames(client), ["b", "c", "running"]);
    }),
});

Deno.test({
  name: "pod gc: a terminating pod on a node that is not ready and out of service is force-deleted",
  ...sanitize,
  fn: () =>
    cluster({}, async (client) => {
      await createNode(client, "down", "False");
      await createPod(client, "stuck", { phase: "Running" }, { nodeName: "down" });
      await client.delete(POD, "default", "stuck");
      assert.ok((await getPod(client, "stuck"))?.metadata.deletionTimestamp, "graceful: left for the kubelet");
      await client.patch(NODE, undefined, "down", "merge", {
        spec: { taints: [{ key: "node.kubernetes.io/out-of-service", value: "nodeshutdown", effect: "NoExecute" }] },
      });
      await until(async () => (await getPod(client, "stuck")) === undefined, "stuck pod force-deleted");
    }),
});

Deno.test({
  name: "pod gc: a terminating pod that was never scheduled is marked Failed",
  ...sanitize,
  fn: () =>
    cluster({}, async (client) => {
      await createPod(client, "unscheduled", {}, { finalizers: [HOLD] });
      await client.delete(POD, "default", "unscheduled", { gracePeriodSeconds: 30 });
      // The finalizer keeps it (the force deletion cannot skip that); the phase shows the collector's verdict.
      await until(async () => (await getPod(client, "unscheduled"))?.status.phase === "Failed", "marked Failed");
    }),
});
