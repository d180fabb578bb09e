// The node lifecycle and taint eviction controllers on a real in-process server. No kubelet runs: the tests
// register Nodes, renew (or stop renewing) their Leases and post pod status themselves.
import assert from "node:assert/strict";
import { until, withCluster } from "../../support/cluster.ts";
import { nodeLifecycleController, taintEvictionController } from "../../../controllers/node_lifecycle/mod.ts";
import {
  type Any,
  conditionOf,
  eventsAbout,
  evicted,
  getPod,
  heartbeat,
  NODE,
  postStatus,
  registerNode,
  renewLease,
  runningPod,
  taintsOf,
} from "./support.ts";

/** Short enough for a test to watch a node die, long enough for a heartbeat every 250 ms to keep one alive. */
const FAST: Parameters<typeof nodeLifecycleController>[1] = { gracePeriodSeconds: 2, monitorPeriodMs: 100 };
const UNREACHABLE = "node.kubernetes.io/unreachable";

function has(taints: Any[], key: string, effect: string): boolean {
  return taints.some((t) => t.key === key && t.effect === effect);
}

const sanitize = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  name:
    "node lifecycle: a node whose Lease stops goes Unknown, is tainted unreachable and its pods are marked not ready",
  ...sanitize,
  fn: () =>
    withCluster((deps) => [nodeLifecycleController(deps, FAST)], async (client) => {
      await registerNode(client, "alive");
      const stopAlive = heartbeat(client, "alive", 250);
      await registerNode(client, "dead");
      await renewLease(client, "dead");
      await runningPod(client, "web", "dead");
      try {
        await until(async () => (await conditionOf(client, "dead", "Ready")).status === "Unknown", "dead is Unknown");
        for (const type of ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"]) {
          const condition = await conditionOf(client, "dead", type);
          assert.equal(condition.status, "Unknown", type);
          assert.equal(condition.reason, "NodeStatusUnknown", type);
          assert.equal(condition.message, "Kubelet stopped posting node status.", type);
        }
        await until(async () => {
          const taints = await taintsOf(client, "dead");
          return has(taints, UNREACHABLE, "NoExecute") && has(taints, UNREACHABLE, "NoSchedule");
        }, "unreachable taints");
        for (const taint of await taintsOf(client, "dead")) assert.ok(taint.timeAdded, `${taint.key} has timeAdded`);
        await until(async () => {
          const ready = (await getPod(client, "web")).status.conditions.find((c: Any) => c.type === "Ready");
          return ready.status === "False";
        }, "the pod is marked not ready");
        const events = await eventsAbout(client, "default", "web");
        assert.ok(events.some((e) => e.reason === "NodeNotReady" && e.message === "Node is not ready"));
        assert.equal((await conditionOf(client, "alive", "Ready")).status, "True");
        assert.deepEqual(await taintsOf(client, "alive"), [], "a node that keeps its Lease up is left alone");
      } finally {
        await stopAlive();
      }
    }),
});

Deno.test({
  name: "node lifecycle: a node that comes back has its unreachable taints removed",
  ...sanitize,
  fn: () =>
    withCluster((deps) => [nodeLifecycleController(deps, FAST)], async (client) => {
      await registerNode(client, "alive");
      const stopAlive = heartbeat(client, "alive", 250);
      await registerNode(client, "flaky");
      let stopFlaky = async () => {};
      try {
        await until(async () => has(await taintsOf(client, "flaky"), UNREACHABLE, "NoExecute"), "flaky tainted");
        stopFlaky = heartbeat(client, "flaky", 250);
        await postStatus(client, "flaky");
        await until(async () => (await taintsOf(client, "flaky")).length === 0, "taints cleared");
        assert.equal((await conditionOf(client, "flaky", "Ready")).status, "True");
      } finally {
        await stopFlaky();
        await stopAlive();
      }
    }),
});

Deno.test({
  name:
    "taint eviction: on an unreachable node a pod goes when its tolerationSeconds run out, one tolerating for ever stays",
  ...sanitize,
  fn: () =>
    withCluster((deps) => [nodeLifecycleController(deps, FAST), taintEvictionController(deps)], async (client) => {
      await registerNode(client, "alive");
      const stopAlive = heartbeat(client, "alive", 250);
      await registerNode(client, "dead");
      const unreachable = { key: UNREACHABLE, operator: "Exists", effect: "NoExecute" };
      await runningPod(client, "brief", "dead", { tolerations: [{ ...unreachable, tolerationSeconds: 2 }] });
      await runningPod(client, "forever", "dead", { tolerations: [unreachable] });
      // No tolerations of its own: DefaultTolerationSeconds gives it five minutes.
      const defaulted = await runningPod(client, "defaulted", "dead");
      try {
        assert.deepEqual(
          defaulted.spec.tolerations.map((t: Any) => [t.key, t.tolerationSeconds]),
          [["node.kubernetes.io/not-ready", 300], [UNREACHABLE, 300]],
        );
        await until(() => evicted(client, "brief"), "brief evicted");
        // A bound pod is deleted gracefully: it stays, terminating, until its kubelet (here: none) finishes it.
        const brief = await getPod(client, "brief");
        assert.ok(brief.metadata.deletionTimestamp);
        const target = brief.status.conditions.find((c: Any) => c.type === "DisruptionTarget");
        assert.equal(target?.reason, "DeletionByTaintManager");
        const events = await eventsAbout(client, "default", "brief");
        assert.ok(
          events.some((e) =>
            e.reason === "TaintManagerEviction" && e.message === "Marking for deletion Pod default/brief"
          ),
        );
        assert.equal(await evicted(client, "forever"), false, "a pod tolerating for ever stays");
        assert.equal(await evicted(client, "defaulted"), false, "a pod with the default 300 s stays for now");
      } finally {
        await stopAlive();
      }
    }),
});

Deno.test({
  name:
    "taint eviction: a NoExecute taint evicts pods that do not tolerate it at once; removing it cancels pending evictions",
  ...sanitize,
  fn: () =>
    withCluster((deps) => [taintEvictionController(deps)], async (client) => {
      await registerNode(client, "n1");
      const maintenance = { key: "example.com/maintenance", value: "true", effect: "NoExecute" };
      await runningPod(client, "intolerant", "n1");
      await runningPod(client, "patient", "n1", {
        tolerations: [{ key: maintenance.key, operator: "Exists", effect: "NoExecute", tolerationSeconds: 3600 }],
      });
      await client.patch(NODE, undefined, "n1", "merge", { spec: { taints: [maintenance] } });
      await until(() => evicted(client, "intolerant"), "intolerant evicted");
      const intolerant = await getPod(client, "intolerant");
      const target = intolerant.status.conditions.find((c: Any) => c.type === "DisruptionTarget");
      assert.equal(target?.message, "Taint manager: deleting due to NoExecute taint");
      assert.equal(await evicted(client, "patient"), false);
      await client.patch(NODE, undefined, "n1", "merge", { spec: { taints: null } });
      await until(async () =>
        (await eventsAbout(client, "default", "patient")).some((e) =>
          e.message === "Cancelling deletion of Pod default/patient"
        ), "eviction of patient cancelled");
      assert.equal(await evicted(client, "patient"), false);
    }),
});

Deno.test({
  name: "node lifecycle: cordoning a node adds the unschedulable NoSchedule taint, uncordoning removes it",
  ...sanitize,
  fn: () =>
    withCluster((deps) => [nodeLifecycleController(deps)], async (client) => {
      await registerNode(client, "n1");
      await client.patch(NODE, undefined, "n1", "merge", { spec: { unschedulable: true } });
      await until(
        async () => has(await taintsOf(client, "n1"), "node.kubernetes.io/unschedulable", "NoSchedule"),
        "cordoned",
      );
      const [taint] = await taintsOf(client, "n1");
      assert.ok(taint.timeAdded);
      await client.patch(NODE, undefined, "n1", "merge", { spec: { unschedulable: null } });
      await until(async () => (await taintsOf(client, "n1")).length === 0, "uncordoned");
    }),
});

Deno.test({
  name: "node lifecycle: a node reporting memory pressure gets the memory-pressure NoSchedule taint",
  ...sanitize,
  fn: () =>
    withCluster((deps) => [nodeLifecycleController(deps)], async (client) => {
      await registerNode(client, "n1");
      await postStatus(client, "n1", { MemoryPressure: "True" });
      await until(
        async () => has(await taintsOf(client, "n1"), "node.kubernetes.io/memory-pressure", "NoSchedule"),
        "tainted",
      );
    }),
});

Deno.test({
  name: "node lifecycle: a node registering without a Ready condition is tainted not-ready until it reports Ready",
  ...sanitize,
  fn: () =>
    withCluster((deps) => [nodeLifecycleController(deps)], async (client) => {
      await client.create({ ...NODE, metadata: { name: "n1" }, spec: { unschedulable: true } });
      await until(async () => {
        const taints = await taintsOf(client, "n1");
        return has(taints, "node.kubernetes.io/not-ready", "NoSchedule") &&
          has(taints, "node.kubernetes.io/unschedulable", "NoSchedule");
      }, "new node tainted");
      await client.patch(NODE, undefined, "n1", "merge", { spec: { unschedulable: null } });
      await postStatus(client, "n1");
      await until(async () => (await taintsOf(client, "n1")).length === 0, "ready node untainted");
      const events = await eventsAbout(client, "default", "n1");
      assert.ok(events.some((e) =>
        e.reason === "RegisteredNode" && e.message === "Node n1 event: Registered Node n1 in Controller"
      ));
    }),
});

Deno.test({
  name: "node lifecycle: when every node is unreachable no NoExecute taint stays (the control plane is suspect)",
  ...sanitize,
  fn: () =>
    withCluster((deps) => [nodeLifecycleController(deps, FAST), taintEvictionController(deps)], async (client) => {
      await registerNode(client, "a");
      await registerNode(client, "b");
      await runningPod(client, "web", "a", {
        tolerations: [{ key: UNREACHABLE, operator: "Exists", effect: "NoExecute", tolerationSeconds: 3600 }],
      });
      await until(async () => {
        const [a, b] = [await taintsOf(client, "a"), await taintsOf(client, "b")];
        return has(a, UNREACHABLE, "NoSchedule") && has(b, UNREACHABLE, "NoSchedule") &&
          !has(a, UNREACHABLE, "NoExecute") && !has(b, UNREACHABLE, "NoExecute");
      }, "both unreachable, neither NoExecute-tainted");
      assert.equal(await evicted(client, "web"), false);
    }),
});
