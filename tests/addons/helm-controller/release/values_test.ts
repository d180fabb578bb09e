// The user values of an install: --values files merged in order, then --set, then --set-string.
import assert from "node:assert/strict";
import { mergeValues } from "../../../../addons/helm-controller/release/mod.ts";

Deno.test("later values files merge over earlier ones, maps deeply and other values replaced", () => {
  const values = mergeValues({
    valueFiles: [
      { name: "a.yaml", text: "image: {tag: v1, pull: Always}\nlist: [1, 2]\n" },
      { name: "b.yaml", text: "image: {tag: v2}\nlist: [3]\n" },
    ],
  });
  assert.deepEqual(values, { image: { tag: "v2", pull: "Always" }, list: [3] });
});

Deno.test("--set applies over the files and --set-string over --set, whatever their order", () => {
  const values = mergeValues({
    valueFiles: [{ name: "a.yaml", text: "replicas: 1\nname: x\n" }],
    stringValues: ["replicas=5"],
    values: ["replicas=3", "name=y"],
  });
  assert.deepEqual(values, { replicas: "5", name: "y" });
});

Deno.test("a values file that does not parse is named in the error", () => {
  assert.throws(
    () => mergeValues({ valueFiles: [{ name: "bad.yaml", text: "a: [" }] }),
    /^Error: failed to parse bad\.yaml: /,
  );
  assert.throws(() => mergeValues({ values: ["a"] }), { message: 'failed parsing --set data: key "a" has no value' });
});
