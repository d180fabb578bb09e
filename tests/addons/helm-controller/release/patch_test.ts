// The patch an upgrade sends for an existing object: three-way strategic merge for built-in kinds, a two-way JSON
// merge patch from the old manifest for custom resources.
import assert from "node:assert/strict";
import { createMergePatch, createPatch } from "../../../../addons/helm-controller/release/mod.ts";

const cm = (data: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "c", ...extra },
  data,
});

Deno.test("a built-in kind gets changes against the live object and deletions against the old manifest", () => {
  const live = cm({ a: "1", b: "2", c: "3" }, { resourceVersion: "7", labels: { x: "y" } });
  assert.deepEqual(createPatch(cm({ a: "1", b: "2" }), cm({ a: "10" }), live), {
    type: "strategic",
    patch: { data: { a: "10", b: null } },
  });
});

Deno.test("nothing is sent when the live object already says what the manifest says", () => {
  assert.equal(createPatch(cm({ a: "1" }), cm({ a: "1" }), cm({ a: "1" }, { uid: "u" })), undefined);
});

Deno.test("containers merge by name, a dropped one deleted, the manifest's order kept", () => {
  const deployment = (containers: Record<string, unknown>[]) => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "d" },
    spec: { template: { spec: { containers } } },
  });
  const original = deployment([{ name: "app", image: "a:1" }, { name: "side", image: "s:1" }]);
  const target = deployment([{ name: "app", image: "a:2" }]);
  const live = deployment([
    { name: "app", image: "a:1", imagePullPolicy: "IfNotPresent" },
    { name: "side", image: "s:1" },
    { name: "injected", image: "i:1" },
  ]);
  assert.deepEqual(createPatch(original, target, live)?.patch, {
    spec: {
      template: {
        spec: {
          containers: [{ name: "app", image: "a:2" }, { name: "side", $patch: "delete" }],
          "$setElementOrder/containers": [{ name: "app" }],
        },
      },
    },
  });
});

Deno.test("a custom resource gets a JSON merge patch from the old manifest to the new one", () => {
  const widget = (spec: Record<string, unknown>) => ({
    apiVersion: "example.com/v1",
    kind: "Widget",
    metadata: { name: "w" },
    spec,
  });
  assert.deepEqual(createPatch(widget({ a: 1, b: 2 }), widget({ a: 3 }), widget({ a: 1, b: 2, live: true })), {
    type: "merge",
    patch: { spec: { a: 3, b: null } },
  });
  assert.deepEqual(createMergePatch({ l: [1, 2] }, { l: [1] }), { l: [1] });
});
