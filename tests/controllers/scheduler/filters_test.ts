// The filter plugins on plain objects: which nodes they reject, with kube's reasons and status codes.
import assert from "node:assert/strict";
import type { Snapshot } from "../../../controllers/scheduler/cache.ts";
import type { FilterPlugin, PreFilterResult, Status } from "../../../controllers/scheduler/framework.ts";
import { interPodAffinity } from "../../../controllers/scheduler/filters/inter_pod_affinity.ts";
import { nodeAffinity } from "../../../controllers/scheduler/filters/node_affinity.ts";
import { nodePorts } from "../../../controllers/scheduler/filters/node_ports.ts";
import { nodeResourcesFit } from "../../../controllers/scheduler/filters/node_resources_fit.ts";
import { nodeUnschedulable } from "../../../controllers/scheduler/filters/node_unschedulable.ts";
import { podTopologySpread } from "../../../controllers/scheduler/filters/pod_topology_spread.ts";
import { taintToleration } from "../../../controllers/scheduler/filters/taint_toleration.ts";
import type { PodInfo } from "../../../controllers/scheduler/pod_info.ts";
import { boundTo, cacheWith, node, pod } from "./objects.ts";

/** The plugin's verdict on the named node: undefined when it passes. */
function verdict(plugin: FilterPlugin, p: PodInfo, snapshot: Snapshot, name: string): Status | undefined {
  const result = plugin.preFilter(p, snapshot) as PreFilterResult;
  return result.filter?.(snapshot.get(name)!);
}

const unschedulable = (...reasons: string[]) => ({ code: "Unschedulable", reasons });
const unresolvable = (...reasons: string[]) => ({ code: "UnschedulableAndUnresolvable", reasons });

Deno.test("filters: a cordoned node takes only pods tolerating the unschedulable taint", () => {
  const snapshot = cacheWith([node("cordoned", { unschedulable: true })]);
  assert.deepEqual(
    verdict(nodeUnschedulable, pod("web"), snapshot, "cordoned"),
    unresolvable("node(s) were unschedulable"),
  );
  const daemon = pod("daemon", { tolerations: [{ key: "node.kubernetes.io/unschedulable", operator: "Exists" }] });
  assert.equal(verdict(nodeUnschedulable, daemon, snapshot, "cordoned"), undefined);
});

Deno.test("filters: an untolerated NoSchedule or NoExecute taint is named in the reason", () => {
  const snapshot = cacheWith([
    node("infra", { taints: [{ key: "dedicated", value: "infra", effect: "NoSchedule" }] }),
    node("not-ready", { taints: [{ key: "node.kubernetes.io/not-ready", effect: "NoExecute" }] }),
    node("soft", { taints: [{ key: "spot", value: "true", effect: "PreferNoSchedule" }] }),
  ]);
  assert.deepEqual(
    verdict(taintToleration, pod("web"), snapshot, "infra"),
    unresolvable("node(s) had untolerated taint {dedicated: infra}"),
  );
  assert.deepEqual(
    verdict(taintToleration, pod("web"), snapshot, "not-ready"),
    unresolvable("node(s) had untolerated taint {node.kubernetes.io/not-ready: }"),
  );
  assert.equal(verdict(taintToleration, pod("web"), snapshot, "soft"), undefined);
  const tolerant = pod("ops", { tolerations: [{ key: "dedicated", operator: "Equal", value: "infra" }] });
  assert.equal(verdict(taintToleration, tolerant, snapshot, "infra"), undefined);
});

Deno.test("filters: nodeSelector and required node affinity must both match", () => {
  const snapshot = cacheWith([
    node("ssd", { labels: { disk: "ssd", zone: "a" } }),
    node("hdd", { labels: { disk: "hdd" } }),
  ]);
  const picky = pod("db", {
    nodeSelector: { disk: "ssd" },
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: "zone", operator: "In", values: ["a", "b"] }] }],
        },
      },
    },
  });
  assert.equal(verdict(nodeAffinity, picky, snapshot, "ssd"), undefined);
  assert.deepEqual(
    verdict(nodeAffinity, picky, snapshot, "hdd"),
    unresolvable("node(s) didn't match Pod's node affinity/selector"),
  );
  assert.deepEqual(nodeAffinity.preFilter(pod("free"), snapshot), {});
});

Deno.test("filters: a DaemonSet pod's metadata.name affinity narrows the cycle to its node", () => {
  const snapshot = cacheWith([node("n1"), node("n2")]);
  const daemon = pod("ds-abc", {
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: ["n2"] }] }],
        },
      },
    },
  });
  const result = nodeAffinity.preFilter(daemon, snapshot) as PreFilterResult;
  assert.deepEqual(result.nodeNames, new Set(["n2"]));
  assert.equal(result.filter!(snapshot.get("n2")!), undefined);
  assert.ok(result.filter!(snapshot.get("n1")!));
  const conflicting = pod("ds-x", {
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{
            matchFields: [
              { key: "metadata.name", operator: "In", values: ["n1"] },
              { key: "metadata.name", operator: "In", values: ["n2"] },
            ],
          }],
        },
      },
    },
  });
  assert.deepEqual(nodeAffinity.preFilter(conflicting, snapshot), unresolvable("pod affinity terms conflict"));
});

Deno.test("filters: a host port in use on the node, on its address or the wildcard, rejects the pod", () => {
  const web = pod("web", { containers: [{ ports: [{ containerPort: 80, hostPort: 8080 }] }] });
  const snapshot = cacheWith([node("n1"), node("n2")], [boundTo(web, "n1")]);
  const again = pod("web-2", { containers: [{ ports: [{ containerPort: 80, hostPort: 8080, hostIP: "10.0.0.1" }] }] });
  const udp = pod("dns", { containers: [{ ports: [{ containerPort: 80, hostPort: 8080, protocol: "UDP" }] }] });
  const reason = unschedulable("node(s) didn't have free ports for the requested pod ports");
  assert.deepEqual(verdict(nodePorts, again, snapshot, "n1"), reason);
  assert.equal(verdict(nodePorts, again, snapshot, "n2"), undefined);
  assert.equal(verdict(nodePorts, udp, snapshot, "n1"), undefined);
});

Deno.test("filters: requests must fit what the node's pods leave, every shortage a reason", () => {
  const running = boundTo(pod("running", {}, { cpu: "3", memory: "6Gi" }), "n1");
  const snapshot = cacheWith([node("n1"), node("tiny", { pods: "1" })], [running, boundTo(pod("solo"), "tiny")]);
  assert.deepEqual(
    verdict(nodeResourcesFit, pod("big", {}, { cpu: "2", memory: "4Gi" }), snapshot, "n1"),
    unschedulable("Insufficient cpu", "Insufficient memory"),
  );
  assert.equal(verdict(nodeResourcesFit, pod("small", {}, { cpu: "1", memory: "2Gi" }), snapshot, "n1"), undefined);
  assert.deepEqual(verdict(nodeResourcesFit, pod("any"), snapshot, "tiny"), unschedulable("Too many pods"));
  const gpu = pod("train", { containers: [{ resources: { requests: { "nvidia.com/gpu": "1" } } }] });
  assert.deepEqual(verdict(nodeResourcesFit, gpu, snapshot, "n1"), unschedulable("Insufficient nvidia.com/gpu"));
});

Deno.test("filters: a pod that requests nothing fits an overcommitted node that has a pod slot", () => {
  const hog = boundTo(pod("hog", {}, { cpu: "8" }), "n1");
  const snapshot = cacheWith([node("n1")], [hog]);
  assert.equal(verdict(nodeResourcesFit, pod("best-effort"), snapshot, "n1"), undefined);
});

Deno.test("filters: topology spread keeps a zone from exceeding the least loaded one by maxSkew", () => {
  const labels = { app: "web" };
  const zoned = (name: string, zone: string) => node(name, { labels: { zone } });
  const snapshot = cacheWith(
    [zoned("a1", "a"), zoned("a2", "a"), zoned("b1", "b"), node("unzoned")],
    [
      boundTo(pod("w1", {}, { labels }), "a1"),
      boundTo(pod("w2", {}, { labels }), "a2"),
      boundTo(pod("w3", {}, { labels }), "b1"),
    ],
  );
  const spread = (minDomains?: number) =>
    pod("w4", {
      topologySpreadConstraints: [{
        maxSkew: 1,
        topologyKey: "zone",
        whenUnsatisfiable: "DoNotSchedule",
        labelSelector: { matchLabels: labels },
        minDomains,
      }],
    }, { labels });
  assert.deepEqual(
    verdict(podTopologySpread, spread(), snapshot, "a1"),
    unschedulable("node(s) didn't match pod topology spread constraints"),
  );
  assert.equal(verdict(podTopologySpread, spread(), snapshot, "b1"), undefined);
  assert.deepEqual(
    verdict(podTopologySpread, spread(), snapshot, "unzoned"),
    unresolvable("node(s) didn't match pod topology spread constraints (missing required label)"),
  );
  // Three zones wanted but two exist: the global minimum counts as zero, so zone b (1 + 1 - 0) is too skewed too.
  assert.deepEqual(
    verdict(podTopologySpread, spread(3), snapshot, "b1"),
    unschedulable("node(s) didn't match pod topology spread constraints"),
  );
});

Deno.test("filters: required pod affinity needs a matching pod in the node's domain", () => {
  const cacheLabels = { app: "cache" };
  const snapshot = cacheWith(
    [node("a1", { labels: { zone: "a" } }), node("b1", { labels: { zone: "b" } }), node("bare")],
    [boundTo(pod("redis", {}, { labels: cacheLabels }), "a1")],
  );
  const web = pod("web", {
    affinity: {
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [{
          labelSelector: { matchLabels: cacheLabels },
          topologyKey: "zone",
        }],
      },
    },
  });
  assert.equal(verdict(interPodAffinity, web, snapshot, "a1"), undefined);
  assert.deepEqual(
    verdict(interPodAffinity, web, snapshot, "b1"),
    unresolvable("node(s) didn't match pod affinity rules"),
  );
  assert.deepEqual(
    verdict(interPodAffinity, web, snapshot, "bare"),
    unresolvable("node(s) didn't match pod affinity rules"),
  );
});

Deno.test("filters: the first pod of a group with affinity to itself may go anywhere with the topology label", () => {
  const labels = { app: "etcd" };
  const snapshot = cacheWith([node("a1", { labels: { zone: "a" } }), node("bare")]);
  const first = pod("etcd-0", {
    affinity: {
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [{
          labelSelector: { matchLabels: labels },
          topologyKey: "zone",
        }],
      },
    },
  }, { labels });
  assert.equal(verdict(interPodAffinity, first, snapshot, "a1"), undefined);
  assert.ok(verdict(interPodAffinity, first, snapshot, "bare"));
});

Deno.test("filters: required anti-affinity, the pod's own and existing pods', keeps it out of the domain", () => {
  const labels = { app: "db" };
  const antiDb = {
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [{
        labelSelector: { matchLabels: labels },
        topologyKey: "kubernetes.io/hostname",
      }],
    },
  };
  const snapshot = cacheWith(
    [node("n1"), node("n2"), node("n3")],
    [boundTo(pod("db-0", {}, { labels }), "n1"), boundTo(pod("loner", { affinity: antiDb }), "n2")],
  );
  const db1 = pod("db-1", { affinity: antiDb }, { labels });
  assert.deepEqual(
    verdict(interPodAffinity, db1, snapshot, "n1"),
    unschedulable("node(s) didn't match pod anti-affinity rules"),
  );
  assert.deepEqual(
    verdict(interPodAffinity, db1, snapshot, "n2"),
    unschedulable("node(s) didn't satisfy existing pods anti-affinity rules"),
  );
  assert.equal(verdict(interPodAffinity, db1, snapshot, "n3"), undefined);
});

Deno.test("filters: affinity terms look in other namespaces by name or by namespaceSelector", () => {
  const labels = { app: "metrics" };
  const snapshot = cacheWith(
    [node("n1"), node("n2")],
    [boundTo(pod("prom", {}, { labels, namespace: "monitoring" }), "n1")],
    { monitoring: { team: "obs" } },
  );
  const near = (term: Record<string, unknown>) =>
    pod("agent", {
      affinity: {
        podAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [{
            labelSelector: { matchLabels: labels },
            topologyKey: "kubernetes.io/hostname",
            ...term,
          }],
        },
      },
    });
  assert.ok(verdict(interPodAffinity, near({}), snapshot, "n1"), "its own namespace only, by default");
  assert.equal(verdict(interPodAffinity, near({ namespaces: ["monitoring"] }), snapshot, "n1"), undefined);
  assert.equal(
    verdict(interPodAffinity, near({ namespaceSelector: { matchLabels: { team: "obs" } } }), snapshot, "n1"),
    undefined,
  );
  assert.ok(verdict(interPodAffinity, near({ namespaces: ["monitoring"] }), snapshot, "n2"));
});
