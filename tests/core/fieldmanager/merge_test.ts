// The apply merge: maps merged, list-maps merged by key in structured-merge-diff's order, sets unioned, atomic
// values replaced, null unsetting leaves.
import assert from "node:assert/strict";
import { merge } from "../../../core/fieldmanager/merge.ts";
import { builtinObjectType } from "../../../core/fieldmanager/types.ts";

const configMap = builtinObjectType("", "v1", "ConfigMap")!;
const deployment = builtinObjectType("apps", "v1", "Deployment")!;
const pod = builtinObjectType("", "v1", "Pod")!;

Deno.test("merge: maps merge key by key and the configuration's scalars win", () => {
  assert.deepEqual(
    merge({ metadata: { name: "a", labels: { x: "1" } }, data: { a: "1", b: "2" } }, {
      metadata: { labels: { y: "2" } },
      data: { b: "3" },
    }, configMap),
    { metadata: { name: "a", labels: { x: "1", y: "2" } }, data: { a: "1", b: "3" } },
  );
});

Deno.test("merge: list-map items merge by key; shared items follow the configuration's order, live-only ones stay", () => {
  const live = {
    spec: {
      containers: [
        { name: "a", image: "a:1" },
        { name: "sidecar", image: "s:1" },
        { name: "b", image: "b:1" },
      ],
    },
  };
  const config = { spec: { containers: [{ name: "b", image: "b:2" }, { name: "c", image: "c:1" }, { name: "a" }] } };
  const merged = merge(live, config, pod) as { spec: { containers: { name: string; image: string }[] } };
  assert.deepEqual(merged.spec.containers, [
    { name: "sidecar", image: "s:1" },
    { name: "b", image: "b:2" },
    { name: "c", image: "c:1" },
    { name: "a", image: "a:1" },
  ]);
});

Deno.test("merge: composite-key items match on every key", () => {
  const live = {
    spec: { containers: [{ name: "web", ports: [{ containerPort: 53, protocol: "UDP", name: "dns" }] }] },
  };
  const config = { spec: { containers: [{ name: "web", ports: [{ containerPort: 53, protocol: "TCP" }] }] } };
  const merged = merge(live, config, pod) as { spec: { containers: { ports: unknown[] }[] } };
  assert.deepEqual(merged.spec.containers[0].ports, [
    { containerPort: 53, protocol: "UDP", name: "dns" },
    { containerPort: 53, protocol: "TCP" },
  ]);
});

Deno.test("merge: sets are unioned, atomic lists and maps replaced whole", () => {
  const live = {
    metadata: { finalizers: ["a", "b"] },
    spec: {
      selector: { matchLabels: { app: "x", tier: "web" } },
      template: { spec: { containers: [{ name: "c", args: ["--x", "--y"] }] } },
    },
  };
  const config = {
    metadata: { finalizers: ["c", "a"] },
    spec: {
      selector: { matchLabels: { app: "y" } },
      template: { spec: { containers: [{ name: "c", args: ["--z"] }] } },
    },
  };
  const merged = merge(live, config, deployment) as typeof live;
  assert.deepEqual(merged.metadata.finalizers, ["c", "a", "b"]);
  assert.deepEqual(merged.spec.selector, { matchLabels: { app: "y" } });
  assert.deepEqual(merged.spec.template.spec.containers[0].args, ["--z"]);
});

Deno.test("merge: null unsets a scalar but leaves a map with content alone", () => {
  const merged = merge({ data: { a: "1", b: "2" }, metadata: { labels: { x: "1" } } }, {
    data: { a: null },
    metadata: { labels: null },
  }, configMap);
  assert.deepEqual(merged, { data: { b: "2" }, metadata: { labels: { x: "1" } } });
});
