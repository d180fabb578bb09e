// The scheduler on a real in-process server: Node objects are created by the tests (no kubelet runs), and
// pods only need to get a spec.nodeName.
import assert from "node:assert/strict";
import type { Client } from "../../../core/client/mod.ts";
import type { KubeObject } from "../../../core/operator/mod.ts";
import { until, withCluster } from "../../support/cluster.ts";
import { NO_NODES_AVAILABLE, schedulerController } from "../../../controllers/scheduler/mod.ts";

const CONTROLLERS: Parameters<typeof withCluster>[0] = (deps) => [schedulerController(deps)];

const POD = { apiVersion: "v1", kind: "Pod" };
const NODE = { apiVersion: "v1", kind: "Node" };
const EVENT = { apiVersion: "v1", kind: "Event" };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface NodeShape {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
}

async function createNode(client: Client, name: string, shape: NodeShape = {}): Promise<void> {
  await client.create({
    ...NODE,
    metadata: { name, labels: { "kubernetes.io/hostname": name, ...shape.labels } },
    spec: shape.taints ? { taints: shape.taints } : {},
    status: {
      allocatable: { cpu: shape.cpu ?? "4", memory: shape.memory ?? "8Gi", pods: shape.pods ?? "110" },
      capacity: { cpu: shape.cpu ?? "4", memory: shape.memory ?? "8Gi", pods: shape.pods ?? "110" },
      conditions: [{
        type: "Ready",
        status: "True",
        reason: "KubeletReady",
        message: "kubelet is posting ready status",
      }],
    },
  });
}

type Pod = KubeObject & {
  metadata: { name: string; uid: string };
  spec: { nodeName?: string; containers: { resources?: { requests?: Record<string, string> } }[] };
  status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] };
};

function pod(name: string, spec: Record<string, unknown> = {}, cpu?: string) {
  return {
    ...POD,
    metadata: { name, namespace: "default" },
    spec: {
      containers: [{ name: "app", image: "nginx", ...(cpu ? { resources: { requests: { cpu } } } : {}) }],
      ...spec,
    },
  };
}

async function pods(client: Client): Promise<Pod[]> {
  return (await client.list<Pod>(POD, "default")).items;
}

async function nodeOf(client: Client, name: string): Promise<string | undefined> {
  return (await client.get<Pod>(POD, "default", name)).spec.nodeName;
}

interface Event {
  involvedObject: { name: string };
  reason: string;
  message: string;
  type: string;
  source?: { component?: string };
}

async function eventsOf(client: Client, name: string, reason?: string): Promise<Event[]> {
  return (await client.list<Event>(EVENT, "default")).items.filter((e) =>
    e.involvedObject.name === name && (reason === undefined || e.reason === reason)
  );
}

async function failedScheduling(client: Client, name: string): Promise<string | undefined> {
  const [event] = await eventsOf(client, name, "FailedScheduling");
  return event?.message;
}

const test = (name: string, fn: (client: Client) => Promise<void>) =>
  Deno.test({
    name: `scheduler: ${name}`,
    sanitizeOps: false,
    sanitizeResources: false,
    fn: () => withCluster(CONTROLLERS, fn),
  });

test("spreads pods evenly across nodes and records Scheduled events", async (client) => {
  for (const n of ["n1", "n2", "n3"]) await createNode(client, n);
  for (let i = 0; i < 6; i++) await client.create(pod(`web-${i}`));
  await until(async () => (await pods(client)).every((p) => p.spec.nodeName), "all pods bound");
  const perNode = new Map<string, number>();
  for (const p of await pods(client)) perNode.set(p.spec.nodeName!, (perNode.get(p.spec.nodeName!) ?? 0) + 1);
  assert.deepEqual([...perNode.values()], [2, 2, 2]);
  const node = await nodeOf(client, "web-0");
  await until(async () => (await eventsOf(client, "web-0", "Scheduled")).length === 1, "Scheduled event");
  const [event] = await eventsOf(client, "web-0", "Scheduled");
  assert.equal(event.type, "Normal");
  assert.equal(event.message, `Successfully assigned default/web-0 to ${node}`);
  assert.equal(event.source?.component, "default-scheduler");
  const bound = await client.get<Pod>(POD, "default", "web-0");
  assert.equal(bound.status?.conditions?.find((c) => c.type === "PodScheduled")?.status, "True");
});

test("honours nodeSelector", async (client) => {
  await createNode(client, "plain");
  await createNode(client, "fast", { labels: { disk: "ssd" } });
  for (let i = 0; i < 4; i++) await client.create(pod(`db-${i}`, { nodeSelector: { disk: "ssd" } }));
  await until(async () => (await pods(client)).every((p) => p.spec.nodeName), "all pods bound");
  assert.deepEqual(new Set((await pods(client)).map((p) => p.spec.nodeName)), new Set(["fast"]));
});

test("keeps pods off nodes whose taints they do not tolerate", async (client) => {
  await createNode(client, "infra", { taints: [{ key: "dedicated", value: "infra", effect: "NoSchedule" }] });
  await createNode(client, "general");
  for (let i = 0; i < 4; i++) await client.create(pod(`app-${i}`));
  await client.create(pod("agent", {
    nodeSelector: { "kubernetes.io/hostname": "infra" },
    tolerations: [{ key: "dedicated", operator: "Equal", value: "infra", effect: "NoSchedule" }],
  }));
  await until(async () => (await pods(client)).every((p) => p.spec.nodeName), "all pods bound");
  for (const p of await pods(client)) assert.equal(p.spec.nodeName, p.metadata.name === "agent" ? "infra" : "general");
});

test("a pod that fits nowhere gets kube's FailedScheduling message and PodScheduled=False, then fits a new node", async (client) => {
  await createNode(client, "infra", { taints: [{ key: "dedicated", value: "infra", effect: "NoSchedule" }] });
  await createNode(client, "a");
  await createNode(client, "b");
  await client.create(pod("picky", { nodeSelector: { disk: "ssd" } }));
  const message = "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: infra}, " +
    "2 node(s) didn't match Pod's node affinity/selector. " +
    "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
  await until(async () => (await failedScheduling(client, "picky")) === message, "FailedScheduling event");
  const [event] = await eventsOf(client, "picky", "FailedScheduling");
  assert.equal(event.type, "Warning");
  assert.equal(event.source?.component, "default-scheduler");
  await until(async () => {
    const p = await client.get<Pod>(POD, "default", "picky");
    return p.status?.conditions?.some((c) => c.type === "PodScheduled" && c.status === "False") ?? false;
  }, "PodScheduled=False");
  const condition = (await client.get<Pod>(POD, "default", "picky")).status!.conditions!
    .find((c) => c.type === "PodScheduled")!;
  assert.deepEqual({ reason: condition.reason, message: condition.message }, { reason: "Unschedulable", message });
  assert.equal(await nodeOf(client, "picky"), undefined);

  await createNode(client, "fast", { labels: { disk: "ssd" } });
  await until(async () => (await nodeOf(client, "picky")) === "fast", "scheduled on the new node");
});

test("a burst of pods never overcommits small nodes", async (client) => {
  await createNode(client, "small-1", { cpu: "1" });
  await createNode(client, "small-2", { cpu: "1" });
  await Promise.all(Array.from({ length: 20 }, (_, i) => client.create(pod(`burst-${i}`, {}, "200m"))));
  await until(async () => (await pods(client)).filter((p) => p.spec.nodeName).length === 10, "ten pods bound");
  await until(
    async () =>
      (await Promise.all((await pods(client)).map((p) => failedScheduling(client, p.metadata.name))))
        .filter(Boolean).length === 10,
    "ten pods reported unschedulable",
  );
  // Nothing more fits, however long the scheduler keeps retrying.
  await sleep(1500);
  const all = await pods(client);
  const perNode = new Map<string, number>();
  for (const p of all.filter((p) => p.spec.nodeName)) {
    perNode.set(p.spec.nodeName!, (perNode.get(p.spec.nodeName!) ?? 0) + 1);
  }
  assert.deepEqual(Object.fromEntries(perNode), { "small-1": 5, "small-2": 5 });
  const waiting = all.find((p) => !p.spec.nodeName)!;
  assert.equal(
    await failedScheduling(client, waiting.metadata.name),
    "0/2 nodes are available: 2 Insufficient cpu. " +
      "preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.",
  );
});

test("a waiting pod is scheduled once a deleted pod frees room for it", async (client) => {
  await createNode(client, "only", { cpu: "1" });
  await client.create(pod("first", {}, "800m"));
  await until(async () => (await nodeOf(client, "first")) === "only", "first bound");
  await client.create(pod("second", {}, "500m"));
  await until(async () => Boolean(await failedScheduling(client, "second")), "second unschedulable");
  await client.delete(POD, "default", "first", { gracePeriodSeconds: 0 });
  await until(async () => (await nodeOf(client, "second")) === "only", "second bound after first went away");
});

test("with no nodes at all a pod is reported as such, and placed once a node registers", async (client) => {
  await client.create(pod("early"));
  await until(async () => (await failedScheduling(client, "early")) === NO_NODES_AVAILABLE, "no nodes event");
  await createNode(client, "late");
  await until(async () => (await nodeOf(client, "early")) === "late", "scheduled on the late node");
});

test("leaves alone a pod that already names its node", async (client) => {
  await createNode(client, "n1");
  await client.create(pod("pinned", { nodeName: "elsewhere" }));
  await client.create(pod("canary"));
  await until(async () => (await nodeOf(client, "canary")) === "n1", "the scheduler runs");
  assert.equal(await nodeOf(client, "pinned"), "elsewhere");
  assert.deepEqual(await eventsOf(client, "pinned"), []);
});

test("leaves alone a pod that asks for another scheduler", async (client) => {
  await createNode(client, "n1");
  await client.create(pod("custom", { schedulerName: "my-scheduler" }));
  await client.create(pod("canary"));
  await until(async () => (await nodeOf(client, "canary")) === "n1", "the scheduler runs");
  await sleep(300);
  assert.equal(await nodeOf(client, "custom"), undefined);
});
