// Writing ControllerRevisions against a real in-process server (no controllers run).
import assert from "node:assert/strict";
import type { Client } from "../../../core/client/mod.ts";
import type { KubeObject } from "../../../core/operator/mod.ts";
import { withCluster } from "../../support/cluster.ts";
import {
  CONTROLLER_REVISION,
  type ControllerRevision,
  controllerRevisionHash,
  newControllerRevision,
  revisionForTemplate,
  templatePatch,
  truncateHistory,
} from "../../../controllers/history/mod.ts";

const NONE: Parameters<typeof withCluster>[0] = () => [];
const HASH = "controller.kubernetes.io/hash";
const CM = { apiVersion: "v1", kind: "ConfigMap" };

const templateWith = (image: string) => ({
  metadata: { labels: { app: "web" } },
  spec: { containers: [{ name: "web", image }] },
});

async function parent(client: Client) {
  const cm = await client.create<KubeObject & typeof CM>({ ...CM, metadata: { name: "web", namespace: "default" } });
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "web", namespace: "default", uid: cm.metadata!.uid as string },
    spec: { template: templateWith("nginx:1") },
  };
}

async function listRevisions(client: Client): Promise<ControllerRevision[]> {
  return (await client.list<ControllerRevision>(CONTROLLER_REVISION, "default")).items;
}

const test = (name: string, fn: (client: Client) => Promise<void>) =>
  Deno.test({ name, sanitizeOps: false, sanitizeResources: false, fn: () => withCluster(NONE, fn) });

test("history: the template's revision is created once, then found again without writes", async (client) => {
  const owner = await parent(client);
  const first = await revisionForTemplate(client, owner, [], HASH, 0);
  assert.equal(first.revision.revision, 1);
  assert.equal(first.collisionCount, 0);
  const again = await revisionForTemplate(client, owner, await listRevisions(client), HASH, 0);
  assert.equal(again.revision.metadata.resourceVersion, first.revision.metadata.resourceVersion);

  const changed = { ...owner, spec: { template: templateWith("nginx:2") } };
  const second = await revisionForTemplate(client, changed, await listRevisions(client), HASH, 0);
  assert.equal(second.revision.revision, 2);
  assert.equal((await listRevisions(client)).length, 2);
});

test("history: an earlier template's revision is renumbered to be the newest (a rollback)", async (client) => {
  const owner = await parent(client);
  const first = await revisionForTemplate(client, owner, [], HASH, 0);
  await revisionForTemplate(
    client,
    { ...owner, spec: { template: templateWith("nginx:2") } },
    await listRevisions(client),
    HASH,
    0,
  );
  const back = await revisionForTemplate(client, owner, await listRevisions(client), HASH, 0);
  assert.equal(back.revision.metadata.name, first.revision.metadata.name);
  assert.equal(back.revision.revision, 3);
  assert.equal((await listRevisions(client)).length, 2);
});

test("history: a name taken by different data bumps the collision count", async (client) => {
  const owner = await parent(client);
  const squatter = newControllerRevision(owner, HASH, 1, 0);
  await client.create({ ...squatter, data: { spec: { template: { $patch: "replace" } } } });
  const { revision, collisionCount } = await revisionForTemplate(client, owner, [], HASH, 0);
  assert.equal(collisionCount, 1);
  const hash = controllerRevisionHash(templatePatch(owner.spec.template), 1);
  assert.equal(revision.metadata.name, `web-${hash}`);
  assert.equal(revision.metadata.labels?.[HASH], hash);
});

test("history: truncating keeps the newest unused revisions up to the limit and every used one", async (client) => {
  const owner = await parent(client);
  for (let i = 1; i <= 5; i++) {
    await revisionForTemplate(
      client,
      { ...owner, spec: { template: templateWith(`nginx:${i}`) } },
      await listRevisions(client),
      HASH,
      0,
    );
  }
  const all = await listRevisions(client);
  const used = all.find((r) => r.revision === 1)!.metadata.name;
  await truncateHistory(client, all, (r) => r.metadata.name === used, 2);
  assert.deepEqual((await listRevisions(client)).map((r) => r.revision).sort(), [1, 4, 5]);
});
