import assert from "node:assert/strict";
import { ManifestParseError, parseManifest } from "../../../controllers/addon/manifests.ts";

Deno.test("manifests: every document is read in order and empty or comment-only documents are ignored", () => {
  const objects = parseManifest(
    "---\n# a comment\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n\n---\n" +
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: a}\n",
  );
  assert.deepEqual(objects.map((o) => [o.document, o.object.kind, o.object.metadata?.name]), [
    [2, "Namespace", "a"],
    [4, "ConfigMap", "b"],
  ]);
});

Deno.test("manifests: a List is flattened into its items, which take the list's kind and version when they have none", () => {
  const objects = parseManifest(JSON.stringify({
    apiVersion: "v1",
    kind: "ConfigMapList",
    items: [{ metadata: { name: "a" } }, { apiVersion: "v1", kind: "Secret", metadata: { name: "b" } }],
  }));
  assert.deepEqual(objects.map((o) => [o.document, o.object.apiVersion, o.object.kind, o.object.metadata?.name]), [
    [1, "v1", "ConfigMap", "a"],
    [1, "v1", "Secret", "b"],
  ]);
});

Deno.test("manifests: a document that does not parse fails the file, naming the document", () => {
  assert.throws(
    () => parseManifest("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\nkind: ConfigMap\ndata: [x\n"),
    (error) =>
      error instanceof ManifestParseError && error.document === 2 && /^document 2: .*line \d+/.test(error.message),
  );
});

Deno.test("manifests: a document without a kind is refused in apimachinery's words", () => {
  assert.throws(
    () => parseManifest("apiVersion: v1\nmetadata: {name: a}\n"),
    /document 1: Object 'Kind' is missing in '\{"apiVersion":"v1"/,
  );
  assert.throws(() => parseManifest("- a\n- b\n"), /document 1: a document must be an object, not an array/);
});

Deno.test("manifests: YAML reads as Kubernetes reads it: 1.1 booleans and octals, timestamps kept as strings", () => {
  const [{ object }] = parseManifest(
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nspec: {a: yes, b: on, c: 0777, d: 2001-12-14, e: 1:20}\n",
  );
  assert.deepEqual(object.spec, { a: true, b: true, c: 511, d: "2001-12-14", e: "1:20" });
});
