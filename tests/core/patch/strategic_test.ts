// Strategic merge patch semantics: the shared cases (checked against kubectl in kubectl_oracle_test.ts) and the
// server-only behaviours kubectl cannot show.
import assert from "node:assert/strict";
import { strategicMergePatch, StrategicMergePatchError } from "../../../core/patch/strategic.ts";
import { FREE_FORM, patchMetaFor } from "../../../core/patch/meta.ts";
import { CASES } from "./cases.ts";

for (const c of CASES) {
  Deno.test(`strategic merge patch: ${c.name}`, () => {
    const meta = patchMetaFor(...c.gvk);
    if ("value" in c.expected) {
      assert.deepEqual(strategicMergePatch(c.original, c.patch, meta), c.expected.value);
    } else {
      const { error, status } = c.expected;
      assert.throws(
        () => strategicMergePatch(c.original, c.patch, meta),
        (e: unknown) => e instanceof StrategicMergePatchError && e.message === error && e.status === status,
      );
    }
  });
}

Deno.test("strategic merge patch: neither the original nor the patch is modified", () => {
  const original = { spec: { containers: [{ name: "a", env: [{ name: "X", value: "1" }] }] } };
  const patch = {
    spec: {
      "$setElementOrder/containers": [{ name: "a" }],
      containers: [{ name: "a", env: [{ name: "X", value: "2" }] }],
    },
  };
  const before = structuredClone([original, patch]);
  strategicMergePatch(original, patch, patchMetaFor("", "v1", "Pod"));
  assert.deepEqual([original, patch], before);
});

Deno.test("strategic merge patch: a null patch changes nothing and a missing original counts as empty", () => {
  const meta = patchMetaFor("", "v1", "ConfigMap");
  assert.deepEqual(strategicMergePatch({ data: { a: "1" } }, null, meta), { data: { a: "1" } });
  assert.deepEqual(strategicMergePatch(null, { data: { a: "1", b: null } }, meta), { data: { a: "1" } });
});

Deno.test("strategic merge patch: a patch that is not a JSON object is a 400 invalid JSON document", () => {
  for (const patch of [[{ op: "add" }], "x", 1]) {
    assert.throws(
      () => strategicMergePatch({}, patch, FREE_FORM),
      (e: unknown) =>
        e instanceof StrategicMergePatchError && e.status === 400 && e.message === "invalid JSON document",
    );
  }
});

Deno.test("strategic merge patch: fields without a schema merge as maps and replace lists (RawExtension data)", () => {
  // apimachinery refuses to look inside RawExtension ("unable to find api field"); we merge it as free-form JSON.
  const revision = { data: { spec: { a: 1, list: [1, 2] } }, revision: 1 };
  const patched = strategicMergePatch(
    revision,
    { data: { spec: { b: 2, list: [3] } } },
    patchMetaFor("apps", "v1", "ControllerRevision"),
  );
  assert.deepEqual(patched, { data: { spec: { a: 1, b: 2, list: [3] } }, revision: 1 });
});

Deno.test("strategic merge patch: free-form metadata merges maps, honours directives, replaces lists", () => {
  const original = { a: { x: 1, y: 2 }, l: [1, 2], keep: true };
  const patch = { a: { $retainKeys: ["z"], z: 3 }, l: [3], "$deleteFromPrimitiveList/l": [3] };
  // Without metadata a list has no merge strategy, so the deletion list just replaces it (as apimachinery does).
  assert.deepEqual(strategicMergePatch(original, patch, FREE_FORM), { a: { z: 3 }, l: [3], keep: true });
});

Deno.test("strategic merge patch: the same container twice in a patch merges into one element", () => {
  const patched = strategicMergePatch(
    { spec: { containers: [{ name: "a", image: "1" }] } },
    { spec: { containers: [{ name: "a", image: "2" }, { name: "a", args: ["x"] }] } },
    patchMetaFor("", "v1", "Pod"),
  );
  assert.deepEqual(patched, { spec: { containers: [{ name: "a", image: "2", args: ["x"] }] } });
});

Deno.test('strategic merge patch: merge keys are compared as JSON values, so port 80 is not port "80"', () => {
  const patched = strategicMergePatch(
    { spec: { ports: [{ port: 80, name: "http" }] } },
    { spec: { ports: [{ port: "80", name: "s" }] } },
    patchMetaFor("", "v1", "Service"),
  );
  assert.deepEqual(patched, { spec: { ports: [{ port: "80", name: "s" }, { port: 80, name: "http" }] } });
});

Deno.test("strategic merge patch: $setElementOrder on an empty live list with no patch list is refused", () => {
  assert.throws(
    () =>
      strategicMergePatch(
        { metadata: { finalizers: [] } },
        { metadata: { "$setElementOrder/finalizers": ["x"] } },
        patchMetaFor("", "v1", "ConfigMap"),
      ),
    /no elements in any of the given slices/,
  );
});
