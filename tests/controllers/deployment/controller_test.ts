// The Deployment controller on a real in-process server, together with the ReplicaSet controller that
// turns its ReplicaSets into pods. No scheduler or kubelet runs, so pods never become ready.
import assert from "node:assert/strict";
import type { Client } from "../../../core/client/mod.ts";
import type { KubeObject } from "../../../core/operator/mod.ts";
import { until, withCluster } from "../../support/cluster.ts";
import { replicaSetController } from "../../../controllers/replicaset/mod.ts";
import {
  type Deployment,
  deploymentController,
  type OwnedReplicaSet,
  podTemplateHash,
  REVISION,
} from "../../../controllers/deployment/mod.ts";

const CONTROLLERS: Parameters<typeof withCluster>[0] = (
  deps,
) => [deploymentController(deps), replicaSetController(deps)];

const DEPLOY = { apiVersion: "apps/v1", kind: "Deployment" };
const RS = { apiVersion: "apps/v1", kind: "ReplicaSet" };
const POD = { apiVersion: "v1", kind: "Pod" };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function createDeployment(client: Client, replicas: number, strategy: unknown): Promise<Deployment> {
  return await client.create({
    ...DEPLOY,
    metadata: { name: "web", namespace: "default" },
    spec: {
      replicas,
      strategy,
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: { containers: [{ name: "web", image: "nginx:1" }] },
      },
    },
  }) as unknown as Deployment;
}

const getDeployment = (client: Client) => client.get<Deployment>(DEPLOY, "default", "web");

async function replicaSets(client: Client, d: Deployment): Promise<OwnedReplicaSet[]> {
  const list = await client.list<OwnedReplicaSet>(RS, "default");
  return list.items
    .filter((rs) => rs.metadata.ownerReferences?.some((r) => r.uid === d.metadata.uid && r.controller))
    .sort((a, b) => Number(a.metadata.annotations?.[REVISION]) - Number(b.metadata.annotations?.[REVISION]));
}

async function podsOf(client: Client, rs: OwnedReplicaSet): Promise<KubeObject[]> {
  const list = await client.list<KubeObject>(POD, "default");
  return list.items.filter((p) =>
    !p.metadata?.deletionTimestamp && p.metadata?.ownerReferences?.some((r) => r.uid === rs.metadata.uid)
  );
}

async function setImage(client: Client, image: string): Promise<void> {
  // A patch, not an update: the controller writes the Deployment's status and annotations concurrently.
  const patch = [{ op: "replace", path: "/spec/template/spec/containers/0/image", value: image }];
  await client.patch(DEPLOY, "default", "web", "json", patch);
}

Deno.test({
  name: "deployment: creating one yields a hashed, revision-1 ReplicaSet with its pods, and status; scaling follows",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      const d = await createDeployment(client, 2, { type: "RollingUpdate" });
      await until(async () => (await replicaSets(client, d)).length === 1, "one ReplicaSet");
      const [rs] = await replicaSets(client, d);
      const hash = rs.metadata.labels?.["pod-template-hash"];
      assert.ok(hash);
      assert.equal(hash, podTemplateHash((await getDeployment(client)).spec.template));
      assert.equal(rs.metadata.name, `web-${hash}`);
      assert.equal(rs.metadata.annotations?.[REVISION], "1");
      assert.equal(rs.metadata.annotations?.["deployment.kubernetes.io/desired-replicas"], "2");
      assert.deepEqual(rs.metadata.ownerReferences, [{
        ...DEPLOY,
        name: "web",
        uid: d.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      }]);
      assert.deepEqual(rs.spec.selector, { matchLabels: { app: "web", "pod-template-hash": hash } });
      assert.deepEqual(rs.spec.template?.metadata?.labels, { app: "web", "pod-template-hash": hash });
      assert.equal(rs.spec.replicas, 2);

      await until(async () => (await podsOf(client, rs)).length === 2, "2 pods");
      await until(async () => {
        const s = (await getDeployment(client)).status;
        return s?.replicas === 2 && s.updatedReplicas === 2 && s.observedGeneration === 1;
      }, "deployment status");
      const live = await getDeployment(client);
      assert.equal(live.metadata.annotations?.[REVISION], "1");
      assert.equal(live.status?.unavailableReplicas, 2);
      const available = live.status?.conditions?.find((c) => c.type === "Available");
      assert.equal(available?.reason, "MinimumReplicasUnavailable", "no kubelet, so nothing is available");
      assert.ok(live.status?.conditions?.some((c) => c.type === "Progressing" && c.status === "True"));

      await client.patch(DEPLOY, "default", "web", "merge", { spec: { replicas: 3 } });
      await until(async () => (await replicaSets(client, d))[0]?.spec.replicas === 3, "RS scaled to 3");
      await until(async () => (await podsOf(client, rs)).length === 3, "3 pods");
      await until(async () => (await getDeployment(client)).status?.observedGeneration === 2, "observedGeneration 2");
      assert.equal((await replicaSets(client, d)).length, 1, "scaling makes no new ReplicaSet");
    }),
});

Deno.test({
  name: "deployment: Recreate rolls a new template out as revision 2 after scaling the old ReplicaSet to zero",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      const d = await createDeployment(client, 2, { type: "Recreate" });
      await until(async () => (await getDeployment(client)).status?.replicas === 2, "first rollout");
      await setImage(client, "nginx:2");
      await until(async () => {
        const rss = await replicaSets(client, d);
        return rss.length === 2 && rss[0].spec.replicas === 0 && rss[1].spec.replicas === 2;
      }, "second ReplicaSet scaled up, first to zero");
      const [first, second] = await replicaSets(client, d);
      assert.equal(first.metadata.annotations?.[REVISION], "1");
      assert.equal(second.metadata.annotations?.[REVISION], "2");
      assert.notEqual(first.metadata.name, second.metadata.name);
      await until(async () => (await podsOf(client, first)).length === 0, "old pods gone");
      await until(async () => (await podsOf(client, second)).length === 2, "new pods");
      await until(async () => {
        const live = await getDeployment(client);
        return live.status?.updatedReplicas === 2 && live.status.replicas === 2 &&
          live.metadata.annotations?.[REVISION] === "2";
      }, "deployment status and revision");
    }),
});

Deno.test({
  name: "deployment: RollingUpdate without ready pods stalls within maxSurge and maxUnavailable",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      const strategy = { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } };
      const d = await createDeployment(client, 4, strategy);
      await until(async () => (await getDeployment(client)).status?.replicas === 4, "first rollout");
      await setImage(client, "nginx:2");
      // Surge 1: the new ReplicaSet gets one pod, one unavailable old pod may go, then one more new one;
      // then nothing: with no pod available, shrinking further would break maxUnavailable.
      await until(async () => {
        const rss = await replicaSets(client, d);
        return rss.length === 2 && rss[0].spec.replicas === 3 && rss[1].spec.replicas === 2;
      }, "old 3, new 2");
      await sleep(1000);
      const [old, next] = await replicaSets(client, d);
      assert.equal(old.spec.replicas, 3, "old ReplicaSet stays");
      assert.equal(next.spec.replicas, 2, "new ReplicaSet stays");
      assert.equal(next.metadata.annotations?.[REVISION], "2");
      await until(async () => (await podsOf(client, old)).length + (await podsOf(client, next)).length === 5, "5 pods");
      await until(async () => (await getDeployment(client)).status?.updatedReplicas === 2, "updatedReplicas 2");
      const live = await getDeployment(client);
      assert.equal(live.status?.replicas, 5, "replicas + maxSurge pods");
      const progressing = live.status?.conditions?.find((c) => c.type === "Progressing");
      assert.notEqual(progressing?.reason, "NewReplicaSetAvailable", "the rollout has not completed");
      // Settled means settled: no status rewritten over and over.
      const rv = live.metadata.resourceVersion;
      await sleep(500);
      assert.equal((await getDeployment(client)).metadata.resourceVersion, rv, "no further writes");
    }),
});

Deno.test({
  name: "deployment: empty old ReplicaSets beyond revisionHistoryLimit are deleted, newest kept",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      const d = await createDeployment(client, 1, { type: "Recreate" });
      await client.patch(DEPLOY, "default", "web", "merge", { spec: { revisionHistoryLimit: 1 } });
      for (const image of ["nginx:2", "nginx:3"]) {
        await until(
          async () => (await getDeployment(client)).status?.updatedReplicas === 1,
          `rolled out before ${image}`,
        );
        await setImage(client, image);
      }
      await until(async () => {
        const revisions = (await replicaSets(client, d)).map((rs) => rs.metadata.annotations?.[REVISION]);
        return JSON.stringify(revisions) === '["2","3"]';
      }, "revision 1 deleted, 2 kept as history, 3 current");
    }),
});

Deno.test({
  name: "deployment: returning to an earlier template reuses its ReplicaSet as the newest revision",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      const d = await createDeployment(client, 1, { type: "Recreate" });
      await until(async () => (await getDeployment(client)).status?.updatedReplicas === 1, "revision 1 rolled out");
      const [first] = await replicaSets(client, d);
      await setImage(client, "nginx:2");
      await until(async () => (await getDeployment(client)).metadata.annotations?.[REVISION] === "2", "revision 2");
      await setImage(client, "nginx:1");
      await until(async () => {
        const rss = await replicaSets(client, d);
        return rss.length === 2 && rss[1].metadata.uid === first.metadata.uid && rss[1].spec.replicas === 1 &&
          rss[0].spec.replicas === 0;
      }, "the first ReplicaSet is revision 3 and scaled up again");
      await until(async () => (await getDeployment(client)).metadata.annotations?.[REVISION] === "3", "revision 3");
    }),
});

Deno.test({
  name: "deployment: a paused Deployment is left alone",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      const d = await client.create({
        ...DEPLOY,
        metadata: { name: "web", namespace: "default" },
        spec: {
          replicas: 1,
          paused: true,
          selector: { matchLabels: { app: "web" } },
          template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx" }] } },
        },
      }) as unknown as Deployment;
      await sleep(500);
      assert.equal((await replicaSets(client, d)).length, 0);
      await client.patch(DEPLOY, "default", "web", "merge", { spec: { paused: false } });
      await until(async () => (await replicaSets(client, d)).length === 1, "resumed: ReplicaSet created");
    }),
});
