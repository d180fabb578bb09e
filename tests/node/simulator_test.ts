// Simulated nodes on a real in-process server with the node IPAM controller: registration, Leases,
// pods run without containers (Running, Succeeded after their sleep), IPs from the node's range, and
// deletion finished by the node.
import assert from "node:assert/strict";
import type { Client } from "../../core/client/mod.ts";
import type { KubeObject } from "../../core/operator/mod.ts";
import { K3S_VERSION } from "../../core/version.ts";
import { nodeIpamController } from "../../controllers/node_ipam/mod.ts";
import { SIMULATED_ANNOTATION, type SimulatedNodes, startSimulatedNodes } from "../../node/simulator/mod.ts";
import { until, withCluster } from "../support/cluster.ts";

const NODE = { apiVersion: "v1", kind: "Node" };
const POD = { apiVersion: "v1", kind: "Pod" };
const LEASE = { apiVersion: "coordination.k8s.io/v1", kind: "Lease" };
const options = { sanitizeOps: false, sanitizeResources: false };

// deno-lint-ignore no-explicit-any
type Obj = KubeObject & { metadata: { name: string; uid: string; [k: string]: any }; spec?: any; status?: any };

async function withSimulator(count: number, fn: (client: Client, nodes: SimulatedNodes) => Promise<void>) {
  await withCluster((deps) => [nodeIpamController(deps)], async (client) => {
    const stop = new AbortController();
    const nodes = await startSimulatedNodes({
      client,
      count,
      signal: stop.signal,
      log: () => {},
      renewIntervalMs: 100,
    });
    try {
      await fn(client, nodes);
    } finally {
      stop.abort();
      await nodes.stopped;
    }
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pod(name: string, nodeName: string, spec: Record<string, unknown> = {}) {
  return {
    ...POD,
    metadata: { name, namespace: "default" },
    spec: { nodeName, containers: [{ name: "main", image: "busybox" }], ...spec },
  };
}

async function getPod(client: Client, name: string): Promise<Obj> {
  return await client.get<Obj>(POD, "default", name);
}

async function renewTime(client: Client, name: string): Promise<string> {
  return (await client.get<Obj>(LEASE, "kube-node-lease", name)).spec.renewTime;
}

function inRange(ip: string, cidr: string): boolean {
  const [base] = cidr.split("/");
  return ip.split(".").slice(0, 3).join(".") === base.split(".").slice(0, 3).join(".") && !ip.endsWith(".0") &&
    !ip.endsWith(".1") && !ip.endsWith(".255");
}

Deno.test({
  name: "simulator: registers Ready nodes like a kubelet, each with an owned Lease in kube-node-lease that renews",
  ...options,
  fn: () =>
    withSimulator(2, async (client, nodes) => {
      assert.deepEqual(nodes.names, ["k3s-sim-0", "k3s-sim-1"]);
      const registered = await Promise.all(nodes.names.map((n) => client.get<Obj>(NODE, undefined, n)));
      for (const node of registered) {
        const name = node.metadata.name;
        const ready = node.status.conditions.find((c: { type: string }) => c.type === "Ready");
        assert.deepEqual([ready.status, ready.reason], ["True", "KubeletReady"]);
        for (const type of ["MemoryPressure", "DiskPressure", "PIDPressure"]) {
          assert.equal(node.status.conditions.find((c: { type: string }) => c.type === type).status, "False");
        }
        assert.equal(node.metadata.labels!["kubernetes.io/hostname"], name);
        assert.equal(node.metadata.labels!["kubernetes.io/os"], "linux");
        assert.equal(node.metadata.labels!["node.kubernetes.io/instance-type"], "k3s");
        assert.equal(node.metadata.annotations[SIMULATED_ANNOTATION], "true");
        assert.equal(node.status.nodeInfo.kubeletVersion, K3S_VERSION);
        assert.match(node.status.nodeInfo.containerRuntimeVersion, /simulator/);
        assert.deepEqual(node.status.capacity, { cpu: "32", memory: "256Gi", pods: "110", "ephemeral-storage": "1Ti" });
        assert.deepEqual(node.status.addresses.map((a: { type: string }) => a.type), ["InternalIP", "Hostname"]);
        const lease = await client.get<Obj>(LEASE, "kube-node-lease", name);
        assert.equal(lease.spec.holderIdentity, name);
        assert.equal(lease.spec.leaseDurationSeconds, 40);
        assert.deepEqual(lease.metadata.ownerReferences, [{
          apiVersion: "v1",
          kind: "Node",
          name,
          uid: node.metadata.uid,
        }]);
      }
      const ips = registered.map((n) => n.status.addresses[0].address);
      assert.notEqual(ips[0], ips[1], "InternalIPs are unique");
      const before = await renewTime(client, "k3s-sim-0");
      await until(async () => (await renewTime(client, "k3s-sim-0")) !== before, "the Lease is renewed");
    }),
});

Deno.test({
  name: "simulator: starting again adopts the existing nodes",
  ...options,
  fn: () =>
    withSimulator(1, async (client) => {
      const stop = new AbortController();
      const lines: string[] = [];
      const again = await startSimulatedNodes({ client, count: 1, signal: stop.signal, log: (l) => lines.push(l) });
      stop.abort();
      await again.stopped;
      assert.deepEqual(lines, ["Simulated node k3s-sim-0 adopted (InternalIP 172.16.0.1)"]);
    }),
});

Deno.test({
  name: "simulator: a pod bound to a simulated node becomes Running and Ready with an IP from the node's podCIDR",
  ...options,
  fn: () =>
    withSimulator(1, async (client) => {
      await client.create(pod("web", "k3s-sim-0"));
      await until(async () => (await getPod(client, "web")).status?.phase === "Running", "web Running");
      const web = await getPod(client, "web");
      const node = await client.get<Obj>(NODE, undefined, "k3s-sim-0");
      assert.ok(inRange(web.status.podIP, node.spec.podCIDR), `${web.status.podIP} in ${node.spec.podCIDR}`);
      assert.deepEqual(web.status.podIPs, [{ ip: web.status.podIP }]);
      assert.equal(web.status.hostIP, node.status.addresses[0].address);
      const ready = web.status.conditions.find((c: { type: string }) => c.type === "Ready");
      assert.equal(ready.status, "True");
      const [main] = web.status.containerStatuses;
      assert.deepEqual([main.name, main.ready, main.started, Boolean(main.state.running)], ["main", true, true, true]);
    }),
});

Deno.test({
  name: "simulator: pods on one node get distinct IPs, and a finished pod's IP goes to the next pod",
  ...options,
  fn: () =>
    withSimulator(1, async (client) => {
      await client.create(pod("a", "k3s-sim-0"));
      await until(async () => Boolean((await getPod(client, "a")).status?.podIP), "a has an IP");
      await client.create(pod("b", "k3s-sim-0", { restartPolicy: "Never" }));
      await until(async () => (await getPod(client, "b")).status?.phase === "Succeeded", "b Succeeded");
      const [a, b] = [await getPod(client, "a"), await getPod(client, "b")];
      assert.notEqual(a.status.podIP, b.status.podIP);
      await client.create(pod("c", "k3s-sim-0"));
      await until(async () => (await getPod(client, "c")).status?.phase === "Running", "c Running");
      assert.equal((await getPod(client, "c")).status.podIP, b.status.podIP);
    }),
});

Deno.test({
  name: "simulator: a restartPolicy Never pod that runs `sleep 1` Succeeds after it, its container exiting 0",
  ...options,
  fn: () =>
    withSimulator(1, async (client) => {
      await client.create(pod("job", "k3s-sim-0", {
        restartPolicy: "Never",
        containers: [{ name: "main", image: "busybox", command: ["sh", "-c", "sleep 1; echo done"] }],
      }));
      await until(async () => (await getPod(client, "job")).status?.phase === "Succeeded", "job Succeeded");
      const [main] = (await getPod(client, "job")).status.containerStatuses;
      const { exitCode, reason, startedAt, finishedAt } = main.state.terminated;
      assert.deepEqual([exitCode, reason], [0, "Completed"]);
      assert.ok(
        Date.parse(finishedAt) - Date.parse(startedAt) >= 1000,
        `ran for its sleep: ${startedAt} → ${finishedAt}`,
      );
    }),
});

Deno.test({
  name: "simulator: stopHeartbeat stops that node's Lease renewing while the others go on",
  ...options,
  fn: () =>
    withSimulator(2, async (client, nodes) => {
      nodes.stopHeartbeat("k3s-sim-1");
      await sleep(200); // a renewal already in flight may still land
      const stopped = await renewTime(client, "k3s-sim-1");
      const alive = await renewTime(client, "k3s-sim-0");
      await until(async () => (await renewTime(client, "k3s-sim-0")) !== alive, "k3s-sim-0 renews");
      await until(async () => (await renewTime(client, "k3s-sim-0")) !== alive, "k3s-sim-0 renews again");
      assert.equal(await renewTime(client, "k3s-sim-1"), stopped, "k3s-sim-1 renews no more");
      nodes.resumeHeartbeat("k3s-sim-1");
      await until(async () => (await renewTime(client, "k3s-sim-1")) !== stopped, "k3s-sim-1 renews after resume");
    }),
});

Deno.test({
  name: "simulator: a deleted pod goes away",
  ...options,
  fn: () =>
    withSimulator(1, async (client) => {
      await client.create(pod("web", "k3s-sim-0"));
      await until(async () => (await getPod(client, "web")).status?.phase === "Running", "web Running");
      await client.delete(POD, "default", "web");
      await until(async () => (await client.list(POD, "default")).items.length === 0, "web gone");
    }),
});

Deno.test({
  name: "simulator: a pod being deleted gracefully is finished by its node — containers exited, then removed",
  ...options,
  fn: () =>
    withSimulator(1, async (client) => {
      // A finalizer keeps the pod in its terminating state, so what the node does to it can be seen.
      await client.create({
        ...pod("web", "k3s-sim-0"),
        metadata: { name: "web", namespace: "default", finalizers: ["example.com/hold"] },
      });
      await until(async () => (await getPod(client, "web")).status?.phase === "Running", "web Running");
      await client.delete(POD, "default", "web", { gracePeriodSeconds: 30 });
      await until(async () => {
        const web = await getPod(client, "web");
        return Boolean(web.metadata.deletionTimestamp) && web.status.containerStatuses[0].state.terminated;
      }, "containers exited");
      const web = await getPod(client, "web");
      assert.equal(web.status.phase, "Succeeded");
      assert.equal(web.status.containerStatuses[0].state.terminated.exitCode, 0);
      await client.patch(POD, "default", "web", "merge", { metadata: { finalizers: null } });
      await until(async () => (await client.list(POD, "default")).items.length === 0, "web gone");
    }),
});
