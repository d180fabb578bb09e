// Where daemon pods belong: eligibility by selector, affinity and taints; the daemon tolerations; the pin.
import assert from "node:assert/strict";
import { nodeShouldRunDaemonPod, targetNodeName } from "../../../controllers/daemonset/mod.ts";
import { nodeNameAffinity, withDaemonTolerations } from "../../../controllers/daemonset/placement.ts";
import type { DaemonSet } from "../../../controllers/daemonset/mod.ts";

const ds = (spec: Record<string, unknown> = {}): DaemonSet => ({
  metadata: { name: "agent", namespace: "default", uid: "u" },
  spec: { template: { spec: { containers: [], ...spec } } },
});

const node = (
  name: string,
  extra: { labels?: Record<string, string>; taints?: unknown[]; unschedulable?: boolean } = {},
) => ({
  metadata: { name, labels: extra.labels ?? {} },
  spec: { taints: extra.taints as never, unschedulable: extra.unschedulable },
});

Deno.test("daemonset placement: the node selector and required node affinity decide eligibility", () => {
  assert.deepEqual(nodeShouldRunDaemonPod(node("n1"), ds()), { shouldRun: true, shouldContinueRunning: true });
  assert.deepEqual(
    nodeShouldRunDaemonPod(node("n1"), ds({ nodeSelector: { disk: "ssd" } })),
    { shouldRun: false, shouldContinueRunning: false },
  );
  const affinity = {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] }],
      },
    },
  };
  assert.equal(nodeShouldRunDaemonPod(node("n1", { labels: { zone: "a" } }), ds({ affinity })).shouldRun, true);
  assert.equal(nodeShouldRunDaemonPod(node("n2", { labels: { zone: "b" } }), ds({ affinity })).shouldRun, false);
  assert.equal(nodeShouldRunDaemonPod(node("n2"), ds({ nodeName: "n1" })).shouldRun, false);
});

Deno.test("daemonset placement: NoSchedule taints stop new pods, NoExecute ones also evict; daemon tolerations cover node conditions", () => {
  const noSchedule = { key: "dedicated", value: "db", effect: "NoSchedule" };
  const noExecute = { key: "dedicated", value: "db", effect: "NoExecute" };
  assert.deepEqual(nodeShouldRunDaemonPod(node("n1", { taints: [noSchedule] }), ds()), {
    shouldRun: false,
    shouldContinueRunning: true,
  });
  assert.deepEqual(nodeShouldRunDaemonPod(node("n1", { taints: [noExecute] }), ds()), {
    shouldRun: false,
    shouldContinueRunning: false,
  });
  const tolerated = ds({ tolerations: [{ key: "dedicated", operator: "Exists" }] });
  assert.equal(nodeShouldRunDaemonPod(node("n1", { taints: [noExecute] }), tolerated).shouldRun, true);
  const trouble = [
    { key: "node.kubernetes.io/not-ready", effect: "NoExecute" },
    { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" },
    { key: "node.kubernetes.io/memory-pressure", effect: "NoSchedule" },
  ];
  assert.equal(nodeShouldRunDaemonPod(node("n1", { taints: trouble }), ds()).shouldRun, true);
  const network = [{ key: "node.kubernetes.io/network-unavailable", effect: "NoSchedule" }];
  assert.equal(nodeShouldRunDaemonPod(node("n1", { taints: network }), ds()).shouldRun, false);
  assert.equal(nodeShouldRunDaemonPod(node("n1", { taints: network }), ds({ hostNetwork: true })).shouldRun, true);
});

Deno.test("daemonset placement: a daemon toleration replaces one with the same key, operator and effect", () => {
  const spec = withDaemonTolerations({
    tolerations: [
      { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
      { key: "app", operator: "Equal", value: "x", effect: "NoSchedule" },
    ],
  });
  assert.deepEqual(spec.tolerations?.slice(0, 2), [
    { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
    { key: "app", operator: "Equal", value: "x", effect: "NoSchedule" },
  ]);
  assert.equal(spec.tolerations?.length, 7);
});

Deno.test("daemonset placement: the pin replaces every required term with metadata.name In [node] and keeps preferences", () => {
  const preferred = [{ weight: 1, preference: { matchExpressions: [{ key: "a", operator: "Exists" as const }] } }];
  const affinity = nodeNameAffinity({
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          { matchFields: [{ key: "metadata.name", operator: "In", values: ["old"] }] },
          { matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] },
        ],
      },
      preferredDuringSchedulingIgnoredDuringExecution: preferred,
    },
  }, "n7");
  assert.deepEqual(affinity, {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: ["n7"] }] }],
      },
      preferredDuringSchedulingIgnoredDuringExecution: preferred,
    },
  });
  assert.equal(targetNodeName({ metadata: { name: "p" }, spec: { affinity } }), "n7");
  assert.equal(targetNodeName({ metadata: { name: "p" }, spec: { nodeName: "bound", affinity } }), "bound");
  assert.equal(targetNodeName({ metadata: { name: "p" }, spec: {} }), undefined);
});
