// The Node the agent registers and its heartbeat, against a real in-process API server.
import assert from "node:assert/strict";
import type { Client } from "../../../core/client/mod.ts";
import { K3S_VERSION } from "../../../core/version.ts";
import {
  nodeConditions,
  type NodeSpecInputs,
  type Readiness,
  registerNode,
  runNodeHeartbeat,
} from "../../../node/agent/mod.ts";
import { until, withCluster } from "../../support/cluster.ts";
import type { NodeCondition } from "../../../node/node_conditions.ts";

const NODE = { apiVersion: "v1", kind: "Node" };
const LEASE = { apiVersion: "coordination.k8s.io/v1", kind: "Lease" };
const KiB = 1024;

const inputs: NodeSpecInputs = {
  name: "node-a",
  nodeIP: "192.0.2.10",
  hostname: "Node-A",
  labels: { "kubernetes.io/hostname": "node-a", "node-role.kubernetes.io/control-plane": "true" },
  taints: [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }],
  capacity: { cpu: 2, memoryBytes: 24683620 * KiB, ephemeralStorageBytes: 264212084 * KiB, pods: 110 },
  info: { kernelVersion: "6.1.0", osImage: "Debian GNU/Linux 12 (bookworm)", operatingSystem: "linux" },
  runtimeVersion: "containerd://1.6.20",
  kubeletPort: 10250,
};

// deno-lint-ignore no-explicit-any
type Node = any;

function heartbeat(client: Client, readiness: () => Readiness, signal: AbortSignal) {
  return { client, inputs, readiness: () => Promise.resolve(readiness()), signal, log: () => {} };
}

const getNode = (client: Client) => client.get<Node>(NODE, undefined, "node-a");
const ready = (node: Node) => node.status.conditions.find((c: { type: string }) => c.type === "Ready");

Deno.test("registration creates the Node with labels, taints, capacity, allocatable, addresses and node info", async () => {
  await withCluster(() => [], async (client) => {
    const signal = new AbortController().signal;
    await registerNode(heartbeat(client, () => ({ ready: false, message: "network not ready" }), signal));
    const node = await getNode(client);
    assert.equal(node.metadata.labels["node-role.kubernetes.io/control-plane"], "true");
    assert.deepEqual(node.spec.taints, [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }]);
    assert.deepEqual(node.status.capacity, {
      cpu: "2",
      memory: "24683620Ki",
      "ephemeral-storage": "264212084Ki",
      pods: "110",
      "hugepages-1Gi": "0",
      "hugepages-2Mi": "0",
    });
    // The kubelet's default hard eviction thresholds: memory.available<100Mi, nodefs.available<10%.
    assert.equal(node.status.allocatable.memory, "24581220Ki");
    assert.equal(node.status.allocatable["ephemeral-storage"], "237790875Ki");
    assert.deepEqual(node.status.addresses, [
      { type: "InternalIP", address: "192.0.2.10" },
      { type: "Hostname", address: "Node-A" },
    ]);
    assert.deepEqual(node.status.daemonEndpoints, { kubeletEndpoint: { Port: 10250 } });
    assert.equal(node.status.nodeInfo.containerRuntimeVersion, "containerd://1.6.20");
    assert.equal(node.status.nodeInfo.kubeletVersion, K3S_VERSION);
    assert.equal(node.status.nodeInfo.kubeProxyVersion, K3S_VERSION);
    assert.deepEqual(
      { status: ready(node).status, reason: ready(node).reason, message: ready(node).message },
      { status: "False", reason: "KubeletNotReady", message: "network not ready" },
    );
  });
});

Deno.test("the heartbeat keeps the Lease in kube-node-lease and turns the node Ready with the kubelet's reason", async () => {
  await withCluster(() => [], async (client) => {
    const abort = new AbortController();
    let readiness: Readiness = { ready: false, message: "container runtime network not ready" };
    const options = heartbeat(client, () => readiness, abort.signal);
    await registerNode(options);
    const beating = runNodeHeartbeat(options);
    try {
      await until(async () => (await client.get<Node>(LEASE, "kube-node-lease", "node-a")).spec.renewTime, "a lease");
      const lease = await client.get<Node>(LEASE, "kube-node-lease", "node-a");
      assert.equal(lease.spec.holderIdentity, "node-a");
      assert.equal(lease.spec.leaseDurationSeconds, 40);
      readiness = { ready: true };
      await until(async () => ready(await getNode(client)).status === "True", "the node turns Ready");
      const condition = ready(await getNode(client));
      assert.equal(condition.reason, "KubeletReady");
      assert.equal(condition.message, "kubelet is posting ready status");
    } finally {
      abort.abort();
      await beating;
    }
  });
});

Deno.test("a deleted Node is registered again by the heartbeat", async () => {
  await withCluster(() => [], async (client) => {
    const abort = new AbortController();
    const options = heartbeat(client, () => ({ ready: false, message: "starting" }), abort.signal);
    const first = await registerNode(options);
    const beating = runNodeHeartbeat(options);
    try {
      await client.delete(NODE, undefined, "node-a");
      await until(async () => (await getNode(client)).metadata.uid !== (first as Node).metadata.uid, "re-registered");
      assert.equal((await getNode(client)).metadata.labels["kubernetes.io/hostname"], "node-a");
    } finally {
      abort.abort();
      await beating;
    }
  });
});

Deno.test("registering over an existing Node keeps its labels and taints and refreshes its status", async () => {
  await withCluster(() => [], async (client) => {
    await client.create({ ...NODE, metadata: { name: "node-a", labels: { "user/label": "kept" } } });
    const signal = new AbortController().signal;
    await registerNode(heartbeat(client, () => ({ ready: true }), signal));
    const node = await getNode(client);
    assert.deepEqual(node.metadata.labels, { "user/label": "kept" });
    assert.equal(node.spec?.taints, undefined);
    assert.equal(ready(node).status, "True");
    assert.equal(node.status.capacity.pods, "110");
  });
});

Deno.test("a condition keeps its transition time while its status stays, and gets a new one when it flips", () => {
  const before = nodeConditions({ ready: false, message: "x" }, [], new Date("2026-01-01T00:00:00Z"));
  const same = nodeConditions({ ready: false, message: "x" }, before as never, new Date("2026-01-01T00:01:00Z"));
  const flipped = nodeConditions({ ready: true }, before as never, new Date("2026-01-01T00:02:00Z"));
  const readyOf = (conditions: NodeCondition[]) => conditions.find((c) => c.type === "Ready")!;
  assert.equal(readyOf(same).lastTransitionTime, "2026-01-01T00:00:00Z");
  assert.equal(readyOf(same).lastHeartbeatTime, "2026-01-01T00:01:00Z");
  assert.equal(readyOf(flipped).lastTransitionTime, "2026-01-01T00:02:00Z");
  assert.deepEqual(
    same.map((c) => [c.type, c.status, c.reason]),
    [
      ["MemoryPressure", "False", "KubeletHasSufficientMemory"],
      ["DiskPressure", "False", "KubeletHasNoDiskPressure"],
      ["PIDPressure", "False", "KubeletHasSufficientPID"],
      ["Ready", "False", "KubeletNotReady"],
    ],
  );
});
