// The DaemonSet controller on a real in-process server. The tests make the Nodes themselves and play the
// kubelet by writing pod status; no scheduler runs, so pods stay unbound and pinned by node affinity.
import assert from "node:assert/strict";
import { type Client, isConflict } from "../../../core/client/mod.ts";
import type { KubeObject } from "../../../core/operator/mod.ts";
import { until, withCluster } from "../../support/cluster.ts";
import { type DaemonSet, daemonSetController, targetNodeName } from "../../../controllers/daemonset/mod.ts";
import type { ControllerRevision } from "../../../controllers/history/mod.ts";

const CONTROLLERS: Parameters<typeof withCluster>[0] = (deps) => [daemonSetController(deps)];

const DS = { apiVersion: "apps/v1", kind: "DaemonSet" };
const POD = { apiVersion: "v1", kind: "Pod" };
const NODE = { apiVersion: "v1", kind: "Node" };
const REVISION = { apiVersion: "apps/v1", kind: "ControllerRevision" };
const EVENT = { apiVersion: "v1", kind: "Event" };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Pod = KubeObject & {
  metadata: { name: string; uid: string; labels?: Record<string, string> };
  spec: Record<string, unknown>;
  status?: { phase?: string };
};

async function createNode(client: Client, name: string, labels: Record<string, string> = {}): Promise<void> {
  await client.create({ ...NODE, metadata: { name, labels: { "kubernetes.io/hostname": name, ...labels } } });
}

/** A node patch; retried because the server's patch path does not yet retry racing writes as kube's does. */
async function patch(client: Client, ref: typeof NODE, namespace: string | undefined, name: string, body: unknown) {
  for (let attempt = 0;; attempt++) {
    try {
      return await client.patch(ref, namespace, name, "merge", body);
    } catch (error) {
      if (!isConflict(error) || attempt >= 5) throw error;
    }
  }
}

async function createDaemonSet(
  client: Client,
  spec: { updateStrategy?: Record<string, unknown>; podSpec?: Record<string, unknown> } = {},
): Promise<DaemonSet> {
  return await client.create({
    ...DS,
    metadata: { name: "agent", namespace: "default" },
    spec: {
      selector: { matchLabels: { app: "agent" } },
      ...(spec.updateStrategy ? { updateStrategy: spec.updateStrategy } : {}),
      template: {
        metadata: { labels: { app: "agent" } },
        spec: { containers: [{ name: "agent", image: "agent:1" }], ...spec.podSpec },
      },
    },
  }) as unknown as DaemonSet;
}

async function daemonPods(client: Client): Promise<Pod[]> {
  const list = await client.list<Pod>(POD, "default");
  return list.items.filter((p) => !p.metadata.deletionTimestamp);
}

/** Node name → image of the live daemon pods there (sorted, one entry per pod). */
async function placement(client: Client): Promise<string[]> {
  return (await daemonPods(client)).map((p) => `${targetNodeName(p as never)}=${imageOf(p)}`).sort();
}

const imageOf = (p: Pod) => (p.spec.containers as { image: string }[])[0].image;

async function settled(client: Client, want: string[], what: string): Promise<void> {
  await until(async () => JSON.stringify(await placement(client)) === JSON.stringify(want), `${what}: ${want}`);
  await sleep(300);
  assert.deepEqual(await placement(client), want, `${what}: still ${want}`);
}

async function markReady(client: Client, pod: Pod): Promise<void> {
  const current = await client.get<Pod>(POD, "default", pod.metadata.name);
  await client.updateStatus({
    ...current,
    ...POD,
    status: {
      ...current.status,
      phase: "Running",
      conditions: [{ type: "Ready", status: "True", lastTransitionTime: new Date().toISOString() }],
    },
  });
}

async function markAllReady(client: Client): Promise<void> {
  for (const pod of await daemonPods(client)) {
    if (pod.status?.phase !== "Running") await markReady(client, pod);
  }
}

async function daemonSet(client: Client): Promise<DaemonSet> {
  return await client.get<DaemonSet>(DS, "default", "agent");
}

async function setImage(client: Client, image: string): Promise<void> {
  await patch(client, DS, "default", "agent", {
    spec: { template: { spec: { containers: [{ name: "agent", image }] } } },
  });
}

Deno.test({
  name:
    "daemonset: one pod per eligible node, pinned by a matchFields node affinity and carrying the daemon tolerations",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createNode(client, "n1", { role: "worker" });
      await createNode(client, "n2", { role: "worker" });
      await createNode(client, "n3", { role: "edge" });
      const ds = await createDaemonSet(client, {
        podSpec: {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: "role", operator: "In", values: ["worker"] }] }],
              },
            },
          },
          tolerations: [{
            key: "node.kubernetes.io/not-ready",
            operator: "Exists",
            effect: "NoExecute",
            tolerationSeconds: 300,
          }],
        },
      });
      await settled(client, ["n1=agent:1", "n2=agent:1"], "n1 and n2 only");

      const [pod] = (await daemonPods(client)).filter((p) => targetNodeName(p as never) === "n1");
      assert.equal(pod.spec.nodeName, undefined, "the scheduler binds the pod");
      assert.ok(pod.metadata.name.startsWith("agent-"));
      assert.deepEqual(pod.spec.affinity, {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: ["n1"] }] }],
          },
        },
      });
      assert.deepEqual(pod.spec.tolerations, [
        { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
        { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
        { key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" },
        { key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule" },
        { key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule" },
        { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
      ]);
      const revisions = await client.list<ControllerRevision>(REVISION, "default");
      assert.equal(revisions.items.length, 1);
      const hash = revisions.items[0].metadata.labels?.["controller-revision-hash"];
      assert.equal(revisions.items[0].metadata.name, `agent-${hash}`);
      assert.deepEqual(pod.metadata.labels, {
        app: "agent",
        "controller-revision-hash": hash,
        "pod-template-generation": "1",
      });
      assert.deepEqual(pod.metadata.ownerReferences, [{
        ...DS,
        name: "agent",
        uid: ds.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      }]);
      await until(async () => {
        const events = await client.list<KubeObject>(EVENT, "default");
        return events.items.some((e) =>
          e.reason === "SuccessfulCreate" && e.message === `Created pod: ${pod.metadata.name}`
        );
      }, "SuccessfulCreate event");
    }),
});

Deno.test({
  name:
    "daemonset: follows its nodes — added, removed, relabelled, NoSchedule-tainted (kept) and NoExecute-tainted (evicted)",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createNode(client, "n1", { daemon: "yes" });
      await createDaemonSet(client, { podSpec: { nodeSelector: { daemon: "yes" } } });
      await settled(client, ["n1=agent:1"], "first node");

      await createNode(client, "n2", { daemon: "yes" });
      await createNode(client, "n3", { daemon: "yes" });
      await settled(client, ["n1=agent:1", "n2=agent:1", "n3=agent:1"], "new nodes get their pod");

      await client.delete(NODE, undefined, "n1");
      await settled(client, ["n2=agent:1", "n3=agent:1"], "a removed node's unbound pod goes");

      await patch(client, NODE, undefined, "n2", { metadata: { labels: { daemon: "no" } } });
      await settled(client, ["n3=agent:1"], "a node that stops matching loses its pod");

      await patch(client, NODE, undefined, "n3", {
        spec: { taints: [{ key: "dedicated", value: "db", effect: "NoSchedule" }] },
      });
      await sleep(300);
      assert.deepEqual(await placement(client), ["n3=agent:1"], "NoSchedule does not evict a running daemon");
      await until(async () => (await daemonSet(client)).status?.numberMisscheduled === 1, "counted as misscheduled");

      await patch(client, NODE, undefined, "n3", {
        spec: { taints: [{ key: "dedicated", value: "db", effect: "NoExecute" }] },
      });
      await settled(client, [], "NoExecute evicts it");
    }),
});

Deno.test({
  name: "daemonset: a failed daemon pod is deleted and replaced on its node",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createNode(client, "n1");
      await createDaemonSet(client);
      await settled(client, ["n1=agent:1"], "created");
      const [first] = await daemonPods(client);
      await client.updateStatus({ ...first, ...POD, status: { ...first.status, phase: "Failed" } });
      await until(async () => {
        const pods = await daemonPods(client);
        return pods.length === 1 && pods[0].metadata.uid !== first.metadata.uid;
      }, "replaced");
      const events = await client.list<KubeObject>(EVENT, "default");
      assert.ok(events.items.some((e) =>
        e.reason === "FailedDaemonPod" &&
        e.message === `Found failed daemon pod default/${first.metadata.name} on node n1, will try to kill it`
      ));
    }),
});

Deno.test({
  name: "daemonset: status counts desired, scheduled, ready, available, updated and unavailable nodes",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createNode(client, "n1");
      await createNode(client, "n2");
      await createDaemonSet(client);
      await settled(client, ["n1=agent:1", "n2=agent:1"], "created");
      const [one] = await daemonPods(client);
      await markReady(client, one);
      await until(async () => (await daemonSet(client)).status?.numberReady === 1, "one ready");
      const { status } = await daemonSet(client);
      assert.deepEqual(status, {
        currentNumberScheduled: 2,
        numberMisscheduled: 0,
        desiredNumberScheduled: 2,
        numberReady: 1,
        observedGeneration: 1,
        updatedNumberScheduled: 2,
        numberAvailable: 1,
        numberUnavailable: 1,
      });
    }),
});

Deno.test({
  name: "daemonset: a rolling update with maxUnavailable 1 replaces one node's pod at a time, waiting for readiness",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      for (const n of ["n1", "n2", "n3"]) await createNode(client, n);
      await createDaemonSet(client);
      await settled(client, ["n1=agent:1", "n2=agent:1", "n3=agent:1"], "created");
      await markAllReady(client);
      await until(async () => (await daemonSet(client)).status?.numberAvailable === 3, "all available");

      await setImage(client, "agent:2");
      for (let updated = 1; updated <= 3; updated++) {
        await until(
          async () => (await placement(client)).filter((p) => p.endsWith("agent:2")).length === updated,
          `${updated} updated`,
        );
        await sleep(300);
        const now = await placement(client);
        assert.equal(now.filter((p) => p.endsWith("agent:2")).length, updated, "no further pod replaced before ready");
        assert.equal(now.length, 3, "one pod per node throughout");
        await markAllReady(client);
      }
      await until(async () => {
        const { status } = await daemonSet(client);
        return status?.updatedNumberScheduled === 3 && status?.numberAvailable === 3 &&
          status?.observedGeneration === 2;
      }, "rolled out");
      const revisions = await client.list<ControllerRevision>(REVISION, "default");
      assert.deepEqual(revisions.items.map((r) => r.revision).sort(), [1, 2]);
      const newest = revisions.items.find((r) => r.revision === 2)!;
      for (const pod of await daemonPods(client)) {
        assert.equal(
          pod.metadata.labels?.["controller-revision-hash"],
          newest.metadata.labels?.["controller-revision-hash"],
        );
        assert.equal(pod.metadata.labels?.["pod-template-generation"], "2");
      }
    }),
});

Deno.test({
  name: "daemonset: maxUnavailable 2 replaces two nodes' pods at once",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      for (const n of ["n1", "n2", "n3"]) await createNode(client, n);
      await createDaemonSet(client, {
        updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 2 } },
      });
      await settled(client, ["n1=agent:1", "n2=agent:1", "n3=agent:1"], "created");
      await markAllReady(client);
      await until(async () => (await daemonSet(client)).status?.numberAvailable === 3, "all available");
      await setImage(client, "agent:2");
      await until(
        async () => (await placement(client)).filter((p) => p.endsWith("agent:2")).length === 2,
        "two at once",
      );
      await sleep(300);
      assert.equal((await placement(client)).filter((p) => p.endsWith("agent:2")).length, 2);
    }),
});

Deno.test({
  name: "daemonset: maxSurge starts the new pod beside the old one and removes the old one once the new is available",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createNode(client, "n1");
      await createDaemonSet(client, {
        updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      });
      await settled(client, ["n1=agent:1"], "created");
      await markAllReady(client);
      await until(async () => (await daemonSet(client)).status?.numberAvailable === 1, "available");
      await setImage(client, "agent:2");
      await settled(client, ["n1=agent:1", "n1=agent:2"], "surged beside the old pod");
      const fresh = (await daemonPods(client)).find((p) => imageOf(p) === "agent:2")!;
      await markReady(client, fresh);
      await settled(client, ["n1=agent:2"], "the old pod goes once the new one is available");
    }),
});

Deno.test({
  name: "daemonset: OnDelete keeps old pods until they are deleted; an undo renumbers the earlier revision",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createNode(client, "n1");
      await createDaemonSet(client, { updateStrategy: { type: "OnDelete" } });
      await settled(client, ["n1=agent:1"], "created");
      await setImage(client, "agent:2");
      await until(async () => (await daemonSet(client)).status?.observedGeneration === 2, "observed");
      await sleep(300);
      assert.deepEqual(await placement(client), ["n1=agent:1"], "not replaced by OnDelete");
      assert.equal((await daemonSet(client)).status?.updatedNumberScheduled, 0);
      const [old] = await daemonPods(client);
      await client.delete(POD, "default", old.metadata.name);
      await settled(client, ["n1=agent:2"], "recreated at the new template");

      const first = (await client.list<ControllerRevision>(REVISION, "default")).items.find((r) => r.revision === 1)!;
      await setImage(client, "agent:1");
      await until(async () => {
        const revisions = (await client.list<ControllerRevision>(REVISION, "default")).items;
        return revisions.length === 2 && revisions.find((r) => r.metadata.name === first.metadata.name)?.revision === 3;
      }, "the first revision becomes revision 3");
    }),
});
