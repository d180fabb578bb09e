// The scheduler's cache: assumed pods count until the informer confirms or the binding fails, and nodes are
// listed zone by zone.
import assert from "node:assert/strict";
import { mayHelp, nodeChange } from "../../../controllers/scheduler/cluster_events.ts";
import { boundTo, cacheWith, node, pod } from "./objects.ts";

Deno.test("cache: an assumed pod counts on its node until its binding is seen, then stays as bound", () => {
  const cache = cacheWith([node("n1")]);
  const p = pod("web", {}, { cpu: "500m" });
  cache.assume(p, "n1");
  assert.equal(cache.get("n1")!.requested.milliCPU, 500);
  assert.ok(cache.isAssumed(p.uid));
  cache.addPod(boundTo(p, "n1"));
  assert.ok(!cache.isAssumed(p.uid));
  assert.equal(cache.get("n1")!.requested.milliCPU, 500);
  assert.equal(cache.forget(p.uid), undefined, "a confirmed pod is not forgotten");
  assert.equal(cache.get("n1")!.pods.size, 1);
});

Deno.test("cache: a failed binding forgets the assumed pod and frees what it held", () => {
  const cache = cacheWith([node("n1")]);
  const p = pod("web", { containers: [{ ports: [{ hostPort: 80 }], resources: { requests: { cpu: "1" } } }] });
  cache.assume(p, "n1");
  assert.equal(cache.forget(p.uid)?.uid, p.uid);
  const info = cache.get("n1")!;
  assert.equal(info.requested.milliCPU, 0);
  assert.equal(info.pods.size, 0);
  assert.ok(!info.usedPorts.conflicts({ hostIP: "0.0.0.0", protocol: "TCP", port: 80 }));
});

Deno.test("cache: a deleted node takes no pods, but pods still on it stay counted", () => {
  const p = boundTo(pod("web", {}, { cpu: "1" }), "n1");
  const cache = cacheWith([node("n1"), node("n2")], [p]);
  cache.removeNode("n1");
  assert.deepEqual(cache.nodes.map((n) => n.name), ["n2"]);
  cache.setNode(node("n1"));
  assert.equal(cache.get("n1")!.requested.milliCPU, 1000);
});

Deno.test("cache: nodes are listed zone by zone in turn", () => {
  const zoned = (name: string, zone: string) => node(name, { labels: { "topology.kubernetes.io/zone": zone } });
  const cache = cacheWith([zoned("a1", "a"), zoned("a2", "a"), zoned("a3", "a"), zoned("b1", "b"), zoned("c1", "c")]);
  assert.deepEqual(cache.nodes.map((n) => n.name), ["a1", "b1", "c1", "a2", "a3"]);
});

Deno.test("cluster events: a heartbeat is no change; labels, taints, cordoning and allocatable are", () => {
  const before = node("n1");
  const heartbeat = { ...before, status: { ...before.status, conditions: [{ type: "Ready", status: "True" }] } };
  assert.equal(nodeChange(before, heartbeat), undefined);
  assert.deepEqual(nodeChange(before, node("n1", { labels: { disk: "ssd" } })), {
    labels: true,
    taints: false,
    allocatable: false,
  });
  assert.equal(nodeChange(before, node("n1", { unschedulable: true }))?.taints, true);
  assert.equal(nodeChange(before, node("n1", { cpu: "8" }))?.allocatable, true);
});

Deno.test("cluster events: a new node helps a pod only if it could live with its labels and taints", () => {
  const cache = cacheWith([node("ssd", { labels: { disk: "ssd" } }), node("hdd")]);
  const picky = pod("db", { nodeSelector: { disk: "ssd" } });
  const plugins = new Set(["NodeAffinity"]);
  assert.ok(mayHelp({ kind: "NodeAdd", node: cache.get("ssd")! }, picky, plugins));
  assert.ok(!mayHelp({ kind: "NodeAdd", node: cache.get("hdd")! }, picky, plugins));
  assert.ok(!mayHelp({ kind: "AssignedPodDelete", pod: pod("gone") }, picky, plugins));
});

Deno.test("cluster events: a deleted pod helps pods short of resources", () => {
  const short = pod("big", {}, { cpu: "4" });
  const gone = boundTo(pod("gone", {}, { cpu: "2" }), "n1");
  assert.ok(mayHelp({ kind: "AssignedPodDelete", pod: gone }, short, new Set(["NodeResourcesFit"])));
  assert.ok(!mayHelp({ kind: "AssignedPodAdd", pod: gone }, short, new Set(["NodeResourcesFit"])));
});
