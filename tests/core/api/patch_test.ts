import assert from "node:assert/strict";
import { jsonPatch, mergePatch } from "../../../core/api/patch.ts";
import { StatusError } from "../../../core/api/status.ts";

Deno.test("patch: JSON merge patch merges objects, deletes with null and replaces lists", () => {
  assert.deepEqual(
    mergePatch({ metadata: { labels: { a: "1", b: "2" } }, spec: { ports: [1, 2] } }, {
      metadata: { labels: { b: null, c: "3" } },
      spec: { ports: [3] },
    }),
    { metadata: { labels: { a: "1", c: "3" } }, spec: { ports: [3] } },
  );
});

Deno.test("patch: JSON patch add, remove, replace, move, copy and test", () => {
  const doc = { spec: { replicas: 1, list: ["a", "b"] }, metadata: { labels: { x: "1" } } };
  const out = jsonPatch(doc, [
    { op: "replace", path: "/spec/replicas", value: 3 },
    { op: "add", path: "/spec/list/-", value: "c" },
    { op: "add", path: "/spec/list/0", value: "z" },
    { op: "remove", path: "/spec/list/1" },
    { op: "copy", from: "/metadata/labels/x", path: "/metadata/labels/y" },
    { op: "move", from: "/metadata/labels/x", path: "/metadata/labels/a~1b" },
    { op: "test", path: "/spec/replicas", value: 3 },
  ]);
  assert.deepEqual(out, { spec: { replicas: 3, list: ["z", "b", "c"] }, metadata: { labels: { y: "1", "a/b": "1" } } });
  assert.deepEqual(doc.spec.list, ["a", "b"], "the input is left alone");
});

Deno.test("patch: a failed JSON patch test is a 422 and a missing path a 400", () => {
  assert.throws(
    () => jsonPatch({ a: 1 }, [{ op: "test", path: "/a", value: 2 }]),
    (e) => e instanceof StatusError && e.code === 422,
  );
  assert.throws(
    () => jsonPatch({ a: 1 }, [{ op: "remove", path: "/b/c" }]),
    (e) => e instanceof StatusError && e.code === 400,
  );
});
