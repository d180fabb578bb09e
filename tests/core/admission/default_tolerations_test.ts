// kube-apiserver's DefaultTolerationSeconds admission, as applied with the Pod defaults.
import assert from "node:assert/strict";
import { type Any, container, defaults, stored, update } from "./support.ts";

const notReady = {
  key: "node.kubernetes.io/not-ready",
  operator: "Exists",
  effect: "NoExecute",
  tolerationSeconds: 300,
};
const unreachable = { ...notReady, key: "node.kubernetes.io/unreachable" };

function pod(tolerations?: Any[]): Any {
  return { metadata: { name: "p", namespace: "default" }, spec: { containers: [container()], tolerations } };
}

Deno.test("default tolerations: a Pod without tolerations tolerates not-ready and unreachable for 300 s", () => {
  assert.deepEqual(defaults("", "Pod", pod()).spec.tolerations, [notReady, unreachable]);
});

Deno.test("default tolerations: a toleration the Pod has for one of the taints is kept and only the other added", () => {
  const own = { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 6 };
  assert.deepEqual(defaults("", "Pod", pod([own])).spec.tolerations, [own, notReady]);
});

Deno.test("default tolerations: a toleration without key or effect counts as tolerating both", () => {
  assert.deepEqual(defaults("", "Pod", pod([{ operator: "Exists" }])).spec.tolerations, [{ operator: "Exists" }]);
  const noEffect = [{ key: "node.kubernetes.io/not-ready", operator: "Exists" }];
  assert.deepEqual(defaults("", "Pod", pod(noEffect)).spec.tolerations, [...noEffect, unreachable]);
});

Deno.test("default tolerations: a NoSchedule toleration of the same key does not count", () => {
  const noSchedule = { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoSchedule" };
  assert.deepEqual(defaults("", "Pod", pod([noSchedule])).spec.tolerations, [noSchedule, notReady, unreachable]);
});

Deno.test("default tolerations: workload pod templates are left alone", () => {
  const d = defaults("apps", "Deployment", { spec: { template: { spec: { containers: [container()] } } } });
  assert.equal(d.spec.template.spec.tolerations, undefined);
});

Deno.test("default tolerations: replacing a Pod with its original manifest is not a removal of tolerations", () => {
  const old = stored("", "Pod", pod());
  const replacement = pod();
  replacement.metadata = { ...old.metadata };
  assert.deepEqual(update("", "Pod", replacement, old), []);
  assert.deepEqual(replacement.spec.tolerations, [notReady, unreachable]);
});
