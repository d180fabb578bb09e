// Kube's ClaimObject against a real in-process server (no controllers run): adoption, release, and the
// finalizer an owner keeps on what it controls.
import assert from "node:assert/strict";
import type { Client } from "../../../core/client/mod.ts";
import { claimObjects, type KubeObject } from "../../../core/operator/mod.ts";
import { withCluster } from "../../support/cluster.ts";

const CM = { apiVersion: "v1", kind: "ConfigMap" };

async function parent(client: Client) {
  const cm = await client.create<KubeObject & typeof CM>({ ...CM, metadata: { name: "web", namespace: "default" } });
  return { ...CM, metadata: { name: "web", namespace: "default", uid: cm.metadata!.uid as string } };
}

const test = (name: string, fn: (client: Client) => Promise<void>) =>
  Deno.test({ name, sanitizeOps: false, sanitizeResources: false, fn: () => withCluster(() => [], fn) });

test("ownership: claiming adopts matching orphans, keeps owned matches and releases owned non-matches", async (client) => {
  const owner = await parent(client);
  const ownerRef = { apiVersion: "v1", kind: "ConfigMap", name: "web", uid: owner.metadata.uid, controller: true };
  const other = { apiVersion: "v1", kind: "ConfigMap", name: "other", uid: "someone-else", controller: true };
  const make = (name: string, app: string, refs: unknown[] = []) =>
    client.create({ ...CM, metadata: { name, namespace: "default", labels: { app }, ownerReferences: refs } });
  await make("orphan", "web");
  await make("owned", "web", [ownerRef]);
  await make("strayed", "db", [ownerRef]);
  await make("foreign", "web", [other]);
  await make("unrelated", "db");
  const objects = (await client.list<never>(CM, "default")).items;
  const claimed = await claimObjects(
    client,
    CM,
    owner,
    objects,
    (o: { metadata: { labels?: Record<string, string> } }) => o.metadata.labels?.app === "web",
  );
  assert.deepEqual(claimed.map((o: { metadata: { name: string } }) => o.metadata.name).sort(), ["orphan", "owned"]);
  const get = async (name: string) => (await client.get(CM, "default", name)).metadata?.ownerReferences ?? [];
  assert.deepEqual((await get("orphan")).map((r) => r.uid), [owner.metadata.uid]);
  assert.equal((await get("orphan"))[0].blockOwnerDeletion, true);
  assert.deepEqual(await get("strayed"), []);
  assert.deepEqual((await get("foreign")).map((r) => r.uid), ["someone-else"]);
  assert.deepEqual(await get("unrelated"), []);
});

test("ownership: a finalizer the owner keeps is added on adoption and removed on release", async (client) => {
  const owner = await parent(client);
  const ownerRef = { apiVersion: "v1", kind: "ConfigMap", name: "web", uid: owner.metadata.uid, controller: true };
  await client.create({ ...CM, metadata: { name: "orphan", namespace: "default", labels: { app: "web" } } });
  await client.create({
    ...CM,
    metadata: {
      name: "strayed",
      namespace: "default",
      labels: { app: "db" },
      ownerReferences: [ownerRef],
      finalizers: ["example.com/track"],
    },
  });
  const objects = (await client.list<never>(CM, "default")).items;
  const web = (o: { metadata: { labels?: Record<string, string> } }) => o.metadata.labels?.app === "web";
  await claimObjects(client, CM, owner, objects, web, "example.com/track");
  assert.deepEqual((await client.get(CM, "default", "orphan")).metadata?.finalizers, ["example.com/track"]);
  assert.deepEqual((await client.get(CM, "default", "strayed")).metadata?.finalizers ?? [], []);
});
