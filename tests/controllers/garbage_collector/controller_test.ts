// The garbage collector on a real in-process server: dependents of a deleted owner go, shared ones only
// lose the reference, chains cascade, and Orphan/Foreground finalizers are honoured.
import assert from "node:assert/strict";
import { type Client, isNotFound } from "../../../core/client/mod.ts";
import type { KubeObject } from "../../../core/operator/mod.ts";
import { until, withCluster } from "../../support/cluster.ts";
import { garbageCollector } from "../../../controllers/garbage_collector/mod.ts";

const CONTROLLERS: Parameters<typeof withCluster>[0] = (deps) => garbageCollector(deps);

type Meta = { name: string; namespace?: string; uid: string; ownerReferences?: unknown[]; finalizers?: string[] };

async function gone(client: Client, apiVersion: string, kind: string, name: string): Promise<boolean> {
  try {
    await client.get({ apiVersion, kind }, "default", name);
    return false;
  } catch (error) {
    if (isNotFound(error)) return true;
    throw error;
  }
}

function ownedBy(...owners: KubeObject[]) {
  return owners.map((o) => ({
    apiVersion: o.apiVersion!,
    kind: o.kind!,
    name: o.metadata!.name!,
    uid: o.metadata!.uid!,
  }));
}

async function create(client: Client, object: KubeObject): Promise<KubeObject & { metadata: Meta }> {
  return await client.create(object) as KubeObject & { metadata: Meta };
}

const secret = (name: string, owners: KubeObject[]) => ({
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name, namespace: "default", ownerReferences: ownedBy(...owners) },
});

const configMap = (name: string, finalizers?: string[]) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: "default", ...(finalizers ? { finalizers } : {}) },
});

Deno.test({
  name: "garbage collector: a deleted owner's dependents are deleted, a shared dependent only loses the reference",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      const owner = await create(client, configMap("owner"));
      const other = await create(client, configMap("other"));
      await create(client, secret("a", [owner]));
      await create(client, secret("b", [owner]));
      await create(client, secret("shared", [owner, other]));
      await create(client, secret("unrelated", [other]));
      await client.delete({ apiVersion: "v1", kind: "ConfigMap" }, "default", "owner");
      await until(async () => await gone(client, "v1", "Secret", "a"), "secret a deleted");
      await until(async () => await gone(client, "v1", "Secret", "b"), "secret b deleted");
      await until(async () => {
        const s = await client.get<KubeObject>({ apiVersion: "v1", kind: "Secret" }, "default", "shared");
        return s.metadata?.ownerReferences?.length === 1;
      }, "shared secret keeps one reference");
      const shared = await client.get<KubeObject>({ apiVersion: "v1", kind: "Secret" }, "default", "shared");
      assert.deepEqual(shared.metadata?.ownerReferences?.map((r) => r.uid), [other.metadata.uid]);
      assert.equal(await gone(client, "v1", "Secret", "unrelated"), false);
    }),
});

Deno.test({
  name: "garbage collector: deleting a Deployment cascades through its ReplicaSet to the Pod",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      const labels = { app: "web" };
      const podSpec = { containers: [{ name: "web", image: "nginx" }] };
      const template = { metadata: { labels }, spec: podSpec };
      const deployment = await create(client, {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web", namespace: "default" },
        spec: { replicas: 1, selector: { matchLabels: labels }, template },
      });
      const replicaSet = await create(client, {
        apiVersion: "apps/v1",
        kind: "ReplicaSet",
        metadata: { name: "web-1", namespace: "default", labels, ownerReferences: ownedBy(deployment) },
        spec: { replicas: 1, selector: { matchLabels: labels }, template },
      });
      await create(client, {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "web-1-a", namespace: "default", labels, ownerReferences: ownedBy(replicaSet) },
        spec: podSpec,
      });
      // Owners that exist are left alone.
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(await gone(client, "v1", "Pod", "web-1-a"), false);
      await client.delete({ apiVersion: "apps/v1", kind: "Deployment" }, "default", "web");
      await until(async () => await gone(client, "apps/v1", "ReplicaSet", "web-1"), "replicaset deleted");
      await until(async () => await gone(client, "v1", "Pod", "web-1-a"), "pod deleted");
    }),
});

Deno.test({
  name: "garbage collector: an owner with the orphan finalizer leaves its dependents without the reference",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      const owner = await create(client, configMap("owner", ["orphan"]));
      await create(client, secret("kept", [owner]));
      await client.delete({ apiVersion: "v1", kind: "ConfigMap" }, "default", "owner", { propagationPolicy: "Orphan" });
      await until(async () => await gone(client, "v1", "ConfigMap", "owner"), "owner deleted");
      const kept = await client.get<KubeObject>({ apiVersion: "v1", kind: "Secret" }, "default", "kept");
      assert.deepEqual(kept.metadata?.ownerReferences ?? [], []);
    }),
});

Deno.test({
  name: "garbage collector: an owner with the foregroundDeletion finalizer goes only after its dependents",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      const owner = await create(client, configMap("owner", ["foregroundDeletion"]));
      // The dependent holds a finalizer of its own, so the owner must wait until it is released.
      await create(client, {
        ...secret("blocker", []),
        metadata: {
          name: "blocker",
          namespace: "default",
          finalizers: ["example.com/hold"],
          ownerReferences: ownedBy(owner).map((r) => ({ ...r, blockOwnerDeletion: true })),
        },
      });
      await client.delete({ apiVersion: "v1", kind: "ConfigMap" }, "default", "owner", {
        propagationPolicy: "Foreground",
      });
      await until(async () => {
        const s = await client.get<KubeObject>({ apiVersion: "v1", kind: "Secret" }, "default", "blocker");
        return Boolean(s.metadata?.deletionTimestamp);
      }, "dependent being deleted");
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(await gone(client, "v1", "ConfigMap", "owner"), false, "owner waits for the blocking dependent");
      await client.patch({ apiVersion: "v1", kind: "Secret" }, "default", "blocker", "merge", {
        metadata: { finalizers: null },
      });
      await until(async () => await gone(client, "v1", "Secret", "blocker"), "dependent deleted");
      await until(async () => await gone(client, "v1", "ConfigMap", "owner"), "owner deleted");
    }),
});
