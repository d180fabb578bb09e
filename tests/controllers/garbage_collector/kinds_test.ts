import assert from "node:assert/strict";
import { collectableKinds, itemKey, parseItemKey } from "../../../controllers/garbage_collector/kinds.ts";
import { Registry } from "../../../core/registry/registry.ts";

Deno.test("garbage collector kinds: one version per resource, no events, only list+watch+delete resources", () => {
  const kinds = collectableKinds(new Registry());
  const names = kinds.map((k) => `${k.resource}.${k.group}`);
  assert.equal(new Set(names).size, names.length);
  assert.ok(names.includes("replicasets.apps") && names.includes("pods.") && names.includes("namespaces."));
  assert.ok(!names.includes("events.") && !names.includes("events.events.k8s.io"));
  assert.ok(!names.includes("bindings."), "create-only resources cannot be collected");
});

Deno.test("garbage collector keys: a queue key round-trips kind, namespace and name", () => {
  assert.deepEqual(parseItemKey(itemKey("pods.", { metadata: { namespace: "default", name: "a" } })), {
    kindId: "pods.",
    namespace: "default",
    name: "a",
  });
  assert.deepEqual(parseItemKey(itemKey("namespaces.", { metadata: { name: "x" } })), {
    kindId: "namespaces.",
    namespace: undefined,
    name: "x",
  });
});
