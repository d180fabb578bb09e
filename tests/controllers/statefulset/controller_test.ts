// The StatefulSet controller on a real in-process server. No scheduler or kubelet runs: the tests play
// the kubelet by writing pod status (Running + Ready) themselves, so ordering and rollouts are observable.
import assert from "node:assert/strict";
import { type Client, isConflict, isNotFound } from "../../../core/client/mod.ts";
import type { KubeObject } from "../../../core/operator/mod.ts";
import { until, withCluster } from "../../support/cluster.ts";
import { REVISION_HASH_LABEL, type StatefulSet, statefulSetController } from "../../../controllers/statefulset/mod.ts";
import { garbageCollector } from "../../../controllers/garbage_collector/mod.ts";
import type { ControllerRevision } from "../../../controllers/history/mod.ts";

const CONTROLLERS: Parameters<typeof withCluster>[0] = (deps) => [statefulSetController(deps)];
const WITH_GC: Parameters<typeof withCluster>[0] = (deps) => [statefulSetController(deps), ...garbageCollector(deps)];

const STS = { apiVersion: "apps/v1", kind: "StatefulSet" };
const POD = { apiVersion: "v1", kind: "Pod" };
const PVC = { apiVersion: "v1", kind: "PersistentVolumeClaim" };
const REVISION = { apiVersion: "apps/v1", kind: "ControllerRevision" };
const EVENT = { apiVersion: "v1", kind: "Event" };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Pod = KubeObject & {
  metadata: { name: string; uid: string; labels?: Record<string, string> };
  spec: Record<string, unknown> & { volumes?: { name: string; persistentVolumeClaim?: { claimName: string } }[] };
  status?: { phase?: string };
};

interface Options {
  replicas: number;
  podManagementPolicy?: string;
  updateStrategy?: Record<string, unknown>;
  claims?: boolean;
  retention?: { whenDeleted?: string; whenScaled?: string };
}

async function createSet(client: Client, options: Options): Promise<StatefulSet> {
  return await client.create({
    ...STS,
    metadata: { name: "web", namespace: "default" },
    spec: {
      replicas: options.replicas,
      serviceName: "web-headless",
      selector: { matchLabels: { app: "web" } },
      ...(options.podManagementPolicy ? { podManagementPolicy: options.podManagementPolicy } : {}),
      ...(options.updateStrategy ? { updateStrategy: options.updateStrategy } : {}),
      ...(options.retention ? { persistentVolumeClaimRetentionPolicy: options.retention } : {}),
      template: {
        metadata: { labels: { app: "web" } },
        spec: { containers: [{ name: "web", image: "nginx:1" }] },
      },
      ...(options.claims
        ? {
          volumeClaimTemplates: [{
            metadata: { name: "data", labels: { tier: "storage" } },
            spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
          }],
        }
        : {}),
    },
  }) as unknown as StatefulSet;
}

async function podNames(client: Client): Promise<string[]> {
  const list = await client.list<Pod>(POD, "default");
  return list.items.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name).sort();
}

async function pod(client: Client, name: string): Promise<Pod> {
  return await client.get<Pod>(POD, "default", name);
}

async function statefulSet(client: Client): Promise<StatefulSet> {
  return await client.get<StatefulSet>(STS, "default", "web");
}

/** Plays the kubelet: the pod runs and passes its readiness probe. */
async function markReady(client: Client, name: string): Promise<void> {
  const p = await pod(client, name);
  await client.updateStatus({
    ...p,
    ...POD,
    status: {
      ...p.status,
      phase: "Running",
      conditions: [{ type: "Ready", status: "True", lastTransitionTime: new Date().toISOString() }],
    },
  });
}

/** Waits for exactly `names`, then makes sure no other pod follows while nothing changes. */
async function settled(client: Client, names: string[], what: string): Promise<void> {
  await until(async () => JSON.stringify(await podNames(client)) === JSON.stringify(names), `${what}: ${names}`);
  await sleep(300);
  assert.deepEqual(await podNames(client), names, `${what}: still ${names}`);
}

/** Brings up `replicas` ready pods under OrderedReady, the way a kubelet would, one after the other. */
async function rollUp(client: Client, replicas: number): Promise<void> {
  for (let i = 0; i < replicas; i++) {
    await until(async () => (await podNames(client)).includes(`web-${i}`), `web-${i} created`);
    await markReady(client, `web-${i}`);
  }
}

/**
 * A merge patch of the set. The server's patch path does not yet retry a write that raced with another
 * (here: the controller's own status update), as kube-apiserver does, so the test retries it.
 */
async function patchSet(client: Client, type: "merge" | "strategic", body: unknown): Promise<void> {
  for (let attempt = 0;; attempt++) {
    try {
      await client.patch(STS, "default", "web", type, body);
      return;
    } catch (error) {
      if (!isConflict(error) || attempt >= 5) throw error;
    }
  }
}

async function revisions(client: Client): Promise<ControllerRevision[]> {
  const list = await client.list<ControllerRevision>(REVISION, "default");
  return list.items.sort((a, b) => a.revision - b.revision);
}

async function setImage(client: Client, image: string): Promise<void> {
  await patchSet(client, "strategic", { spec: { template: { spec: { containers: [{ name: "web", image }] } } } });
}

const imageOf = (p: Pod) => (p.spec.containers as { image: string }[])[0].image;

Deno.test({
  name:
    "statefulset: OrderedReady creates web-0, web-1, web-2 in order, each once its predecessor is Running and Ready",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      const set = await createSet(client, { replicas: 3 });
      await settled(client, ["web-0"], "first pod only");
      await markReady(client, "web-0");
      await settled(client, ["web-0", "web-1"], "second once the first is ready");
      await markReady(client, "web-1");
      await settled(client, ["web-0", "web-1", "web-2"], "third once the second is ready");

      const p = await pod(client, "web-1");
      const [revision] = await revisions(client);
      assert.deepEqual(p.metadata.labels, {
        app: "web",
        "statefulset.kubernetes.io/pod-name": "web-1",
        "apps.kubernetes.io/pod-index": "1",
        "controller-revision-hash": revision.metadata.name,
      });
      assert.equal(p.spec.hostname, "web-1");
      assert.equal(p.spec.subdomain, "web-headless");
      assert.equal(p.spec.nodeName, undefined);
      assert.deepEqual(p.metadata.ownerReferences, [{
        ...STS,
        name: "web",
        uid: set.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      }]);
      await until(async () => {
        const events = await client.list<KubeObject>(EVENT, "default");
        return events.items.some((e) =>
          e.reason === "SuccessfulCreate" && e.message === "create Pod web-0 in StatefulSet web successful" &&
          e.involvedObject?.uid === set.metadata.uid
        );
      }, "SuccessfulCreate event");
    }),
});

Deno.test({
  name: "statefulset: status counts replicas, ready, current and updated pods and the observed generation",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createSet(client, { replicas: 2 });
      await rollUp(client, 2);
      await until(async () => (await statefulSet(client)).status?.readyReplicas === 2, "two ready");
      const { status } = await statefulSet(client);
      const [revision] = await revisions(client);
      assert.deepEqual(status, {
        observedGeneration: 1,
        replicas: 2,
        readyReplicas: 2,
        currentReplicas: 2,
        updatedReplicas: 2,
        availableReplicas: 2,
        currentRevision: revision.metadata.name,
        updateRevision: revision.metadata.name,
        collisionCount: 0,
      });
    }),
});

Deno.test({
  name: "statefulset: Parallel creates every pod at once without waiting for readiness",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createSet(client, { replicas: 3, podManagementPolicy: "Parallel" });
      await settled(client, ["web-0", "web-1", "web-2"], "all three");
    }),
});

Deno.test({
  name: "statefulset: scaling down deletes the highest ordinal first",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createSet(client, { replicas: 3 });
      await rollUp(client, 3);
      const start = (await client.list(POD, "default")).metadata.resourceVersion;
      const stop = new AbortController();
      const deleted: string[] = [];
      const watching = (async () => {
        for await (const event of client.watch<Pod>(POD, "default", { resourceVersion: start, signal: stop.signal })) {
          if (event.type === "DELETED") deleted.push(event.object.metadata.name);
        }
      })();
      await patchSet(client, "merge", { spec: { replicas: 1 } });
      await settled(client, ["web-0"], "scaled to one");
      await until(() => Promise.resolve(deleted.length === 2), "both deletions seen");
      stop.abort();
      await watching;
      assert.deepEqual(deleted, ["web-2", "web-1"]);
    }),
});

Deno.test({
  name: "statefulset: a failed pod is deleted and made again under the same name",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createSet(client, { replicas: 1 });
      await settled(client, ["web-0"], "created");
      const first = await pod(client, "web-0");
      await client.updateStatus({ ...first, ...POD, status: { ...first.status, phase: "Failed" } });
      await until(async () => {
        const again = await pod(client, "web-0");
        return again.metadata.uid !== first.metadata.uid && again.status?.phase === "Pending";
      }, "web-0 recreated");
    }),
});

Deno.test({
  name: "statefulset: volumeClaimTemplates give each pod its own claim, which outlives the pod",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createSet(client, { replicas: 2, podManagementPolicy: "Parallel", claims: true });
      await settled(client, ["web-0", "web-1"], "created");
      const claim = await client.get<KubeObject>(PVC, "default", "data-web-1");
      assert.deepEqual(claim.metadata?.labels, { tier: "storage", app: "web" });
      assert.equal(claim.metadata?.ownerReferences, undefined, "Retain: nobody owns the claim");
      const p = await pod(client, "web-1");
      assert.deepEqual(p.spec.volumes?.find((v) => v.name === "data")?.persistentVolumeClaim, {
        claimName: "data-web-1",
      });

      await client.delete(POD, "default", "web-1");
      await until(async () => (await pod(client, "web-1")).metadata.uid !== p.metadata.uid, "web-1 recreated");
      const kept = await client.get<KubeObject>(PVC, "default", "data-web-1");
      assert.equal(kept.metadata?.uid, claim.metadata?.uid, "the same claim is mounted again");
    }),
});

Deno.test({
  name: "statefulset: retention policy Delete makes the set, and a scaled-down pod, the claims' controller",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(WITH_GC, async (client) => {
      const set = await createSet(client, {
        replicas: 2,
        podManagementPolicy: "Parallel",
        claims: true,
        retention: { whenDeleted: "Delete", whenScaled: "Delete" },
      });
      await settled(client, ["web-0", "web-1"], "created");
      const claim = await client.get<KubeObject>(PVC, "default", "data-web-0");
      assert.deepEqual(claim.metadata?.ownerReferences, [{
        ...STS,
        name: "web",
        uid: set.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      }]);
      await markReady(client, "web-0");
      await markReady(client, "web-1");
      await patchSet(client, "merge", { spec: { replicas: 1 } });
      await until(async () => {
        try {
          await client.get(PVC, "default", "data-web-1");
          return false;
        } catch (error) {
          return isNotFound(error);
        }
      }, "the scaled-down pod's claim is collected");

      await client.delete(STS, "default", "web");
      await until(async () => (await client.list(PVC, "default")).items.length === 0, "claims go with the set");
    }),
});

Deno.test({
  name: "statefulset: a rolling update with a partition replaces only ordinals at or above it, highest first",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createSet(client, {
        replicas: 3,
        updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 1 } },
      });
      await rollUp(client, 3);
      const [first] = await revisions(client);
      await setImage(client, "nginx:2");
      await until(async () => (await revisions(client)).length === 2, "a second revision");
      const second = (await revisions(client))[1];
      assert.equal(second.revision, 2);
      assert.equal(second.metadata.labels?.[REVISION_HASH_LABEL] !== undefined, true);

      // web-2 goes first; web-1 waits until the new web-2 is ready.
      await until(async () => imageOf(await pod(client, "web-2")) === "nginx:2", "web-2 updated");
      await sleep(300);
      assert.equal(imageOf(await pod(client, "web-1")), "nginx:1", "web-1 waits for web-2 to be ready");
      await markReady(client, "web-2");
      await until(async () => imageOf(await pod(client, "web-1")) === "nginx:2", "web-1 updated");
      await markReady(client, "web-1");
      await until(async () => (await statefulSet(client)).status?.updatedReplicas === 2, "two updated");
      await sleep(300);
      const web0 = await pod(client, "web-0");
      assert.equal(imageOf(web0), "nginx:1", "below the partition stays");
      assert.equal(web0.metadata.labels?.["controller-revision-hash"], first.metadata.name);
      let { status } = await statefulSet(client);
      assert.equal(status?.currentRevision, first.metadata.name);
      assert.equal(status?.updateRevision, second.metadata.name);

      await patchSet(client, "merge", {
        spec: { updateStrategy: { rollingUpdate: { partition: 0 } } },
      });
      await until(async () => imageOf(await pod(client, "web-0")) === "nginx:2", "web-0 updated");
      await markReady(client, "web-0");
      await until(
        async () => (await statefulSet(client)).status?.currentRevision === second.metadata.name,
        "the update revision becomes current",
      );
      ({ status } = await statefulSet(client));
      assert.equal(status?.currentReplicas, 3);
      assert.equal(status?.updatedReplicas, 3);
    }),
});

Deno.test({
  name: "statefulset: returning to an earlier template renumbers its ControllerRevision instead of adding one",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createSet(client, { replicas: 1, updateStrategy: { type: "OnDelete" } });
      await settled(client, ["web-0"], "created");
      await setImage(client, "nginx:2");
      await until(async () => (await revisions(client)).length === 2, "a second revision");
      const [first] = await revisions(client);
      await setImage(client, "nginx:1");
      await until(async () => (await revisions(client)).at(-1)?.metadata.name === first.metadata.name, "renumbered");
      const all = await revisions(client);
      assert.deepEqual(all.map((r) => r.revision), [2, 3]);
      assert.equal(all[1].metadata.name, first.metadata.name);
      assert.deepEqual(all[1].metadata.ownerReferences?.map((r) => r.kind), ["StatefulSet"]);
    }),
});

Deno.test({
  name: "statefulset: OnDelete leaves pods alone until one is deleted, which comes back at the new revision",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createSet(client, { replicas: 2, podManagementPolicy: "Parallel", updateStrategy: { type: "OnDelete" } });
      await settled(client, ["web-0", "web-1"], "created");
      await markReady(client, "web-0");
      await markReady(client, "web-1");
      await setImage(client, "nginx:2");
      await until(async () => (await statefulSet(client)).status?.observedGeneration === 2, "observed");
      await sleep(300);
      assert.equal(imageOf(await pod(client, "web-1")), "nginx:1");
      await client.delete(POD, "default", "web-1");
      await until(async () => imageOf(await pod(client, "web-1")) === "nginx:2", "web-1 made at the new revision");
      assert.equal(imageOf(await pod(client, "web-0")), "nginx:1");
    }),
});

Deno.test({
  name: "statefulset: an orphan pod with a member's name and matching labels is adopted, not duplicated",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      const orphan = await client.create({
        ...POD,
        metadata: { name: "web-0", namespace: "default", labels: { app: "web" } },
        spec: { containers: [{ name: "web", image: "nginx:1" }] },
      }) as unknown as Pod;
      const set = await createSet(client, { replicas: 1 });
      await until(
        async () => (await pod(client, "web-0")).metadata.ownerReferences?.[0]?.uid === set.metadata.uid,
        "adopted",
      );
      const adopted = await pod(client, "web-0");
      assert.equal(adopted.metadata.uid, orphan.metadata.uid);
      // Identity is repaired once the pod is healthy (OrderedReady never touches pods past an unready one).
      await markReady(client, "web-0");
      await until(
        async () => (await pod(client, "web-0")).metadata.labels?.["statefulset.kubernetes.io/pod-name"] === "web-0",
        "identity label restored",
      );
    }),
});
