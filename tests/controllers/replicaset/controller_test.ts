// The ReplicaSet controller on a real in-process server: it creates, deletes, adopts, releases and
// replaces pods, and reports status. No scheduler or kubelet runs, so pods stay Pending.
import assert from "node:assert/strict";
import type { Client } from "../../../core/client/mod.ts";
import type { KubeObject } from "../../../core/operator/mod.ts";
import { until, withCluster } from "../../support/cluster.ts";
import { type ReplicaSet, replicaSetController } from "../../../controllers/replicaset/mod.ts";

const CONTROLLERS: Parameters<typeof withCluster>[0] = (deps) => [replicaSetController(deps)];

const RS = { apiVersion: "apps/v1", kind: "ReplicaSet" };
const POD = { apiVersion: "v1", kind: "Pod" };
const labels = { app: "web" };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function createReplicaSet(client: Client, replicas: number, minReadySeconds = 0): Promise<ReplicaSet> {
  return await client.create({
    ...RS,
    metadata: { name: "web", namespace: "default" },
    spec: {
      replicas,
      minReadySeconds,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels: { ...labels, tier: "front" } },
        spec: { containers: [{ name: "web", image: "nginx" }] },
      },
    },
  }) as unknown as ReplicaSet;
}

type Pod = KubeObject & { metadata: { name: string; uid: string; labels?: Record<string, string> } };

async function podsOf(client: Client, rs: ReplicaSet): Promise<Pod[]> {
  const list = await client.list<Pod>(POD, "default");
  return list.items.filter((p) =>
    !p.metadata.deletionTimestamp &&
    p.metadata.ownerReferences?.some((r) => r.uid === rs.metadata.uid && r.controller)
  );
}

async function statusOf(client: Client): Promise<ReplicaSet> {
  return await client.get<ReplicaSet>(RS, "default", "web");
}

async function settled(client: Client, rs: ReplicaSet, replicas: number, what: string): Promise<Pod[]> {
  await until(async () => (await podsOf(client, rs)).length === replicas, `${what}: ${replicas} pods`);
  await until(async () => (await statusOf(client)).status?.replicas === replicas, `${what}: status.replicas`);
  // A controller that acted twice on a stale cache would overshoot after this.
  await sleep(300);
  const pods = await podsOf(client, rs);
  assert.equal(pods.length, replicas, `${what}: still ${replicas} pods`);
  return pods;
}

function orphan(name: string, podLabels: Record<string, string>) {
  return {
    ...POD,
    metadata: { name, namespace: "default", labels: podLabels },
    spec: { containers: [{ name: "web", image: "nginx" }] },
  };
}

Deno.test({
  name: "replicaset: creates exactly the wanted pods from the template, then scales down and reports status",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      const rs = await createReplicaSet(client, 3);
      const pods = await settled(client, rs, 3, "created");
      for (const pod of pods) {
        assert.deepEqual(pod.metadata.labels, { app: "web", tier: "front" });
        assert.ok(pod.metadata.name.startsWith("web-"));
        assert.deepEqual(pod.metadata.ownerReferences, [{
          apiVersion: "apps/v1",
          kind: "ReplicaSet",
          name: "web",
          uid: rs.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        }]);
      }
      const status = (await statusOf(client)).status!;
      assert.deepEqual(
        { ...status, conditions: undefined },
        {
          replicas: 3,
          fullyLabeledReplicas: 3,
          readyReplicas: 0,
          availableReplicas: 0,
          observedGeneration: 1,
          conditions: undefined,
        },
      );

      await client.patch(RS, "default", "web", "merge", { spec: { replicas: 1 } });
      await settled(client, rs, 1, "scaled down");
      await until(async () => (await statusOf(client)).status?.observedGeneration === 2, "observedGeneration 2");
    }),
});

Deno.test({
  name: "replicaset: a deleted pod is replaced",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      const rs = await createReplicaSet(client, 2);
      const [victim] = await settled(client, rs, 2, "created");
      await client.delete(POD, "default", victim.metadata.name);
      await until(async () => {
        const pods = await podsOf(client, rs);
        return pods.length === 2 && pods.every((p) => p.metadata.uid !== victim.metadata.uid);
      }, "replacement created");
      await settled(client, rs, 2, "replaced");
    }),
});

Deno.test({
  name: "replicaset: a matching orphan pod is adopted and counts, a pod that stops matching is released and replaced",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      const stray = await client.create(orphan("stray", labels)) as unknown as Pod;
      await client.create(orphan("other", { app: "db" }));
      const rs = await createReplicaSet(client, 2);
      const pods = await settled(client, rs, 2, "adopted");
      assert.ok(pods.some((p) => p.metadata.uid === stray.metadata.uid), "the orphan is one of the two");
      const other = await client.get<Pod>(POD, "default", "other");
      assert.equal(other.metadata.ownerReferences, undefined, "a pod that does not match stays an orphan");

      await client.patch(POD, "default", "stray", "merge", { metadata: { labels: { app: "elsewhere" } } });
      await until(async () => {
        const released = await client.get<Pod>(POD, "default", "stray");
        return (released.metadata.ownerReferences ?? []).length === 0;
      }, "stray released");
      const after = await settled(client, rs, 2, "replaced");
      assert.ok(after.every((p) => p.metadata.uid !== stray.metadata.uid));
    }),
});

Deno.test({
  name: "replicaset: ready pods count as ready, and as available once ready for minReadySeconds",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      const rs = await createReplicaSet(client, 2, 1);
      const [pod] = await settled(client, rs, 2, "created");
      await client.updateStatus({
        ...pod,
        apiVersion: "v1",
        kind: "Pod",
        status: {
          ...pod.status,
          phase: "Running",
          conditions: [{ type: "Ready", status: "True", lastTransitionTime: new Date().toISOString() }],
        },
      });
      await until(async () => (await statusOf(client)).status?.readyReplicas === 1, "readyReplicas 1");
      assert.equal((await statusOf(client)).status?.availableReplicas, 0, "not yet ready for minReadySeconds");
      await until(async () => (await statusOf(client)).status?.availableReplicas === 1, "availableReplicas 1");
    }),
});

Deno.test({
  name: "replicaset: scaling down deletes unassigned and pending pods before running ones",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      const rs = await createReplicaSet(client, 3);
      const [keep] = await settled(client, rs, 3, "created");
      await client.updateStatus({
        ...keep,
        apiVersion: "v1",
        kind: "Pod",
        status: { ...keep.status, phase: "Running" },
      });
      await until(
        async () => (await client.get<Pod>(POD, "default", keep.metadata.name)).status?.phase === "Running",
        "running",
      );
      await client.patch(RS, "default", "web", "merge", { spec: { replicas: 1 } });
      const [left] = await settled(client, rs, 1, "scaled down");
      assert.equal(left.metadata.uid, keep.metadata.uid);
    }),
});
