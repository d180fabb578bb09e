// Values coalescing as Helm's chartutil.CoalesceValues: user values over defaults, subchart tables, globals, nulls.
import assert from "node:assert/strict";
import {
  coalesceTables,
  coalesceValues,
  loadFiles,
  mergeValues,
  pathValue,
  table,
} from "../../../../addons/helm-controller/chart/mod.ts";
import { chartYaml, memoryFiles } from "./fixture.ts";

function parentWithSub() {
  return loadFiles(memoryFiles({
    "Chart.yaml": chartYaml("app"),
    "values.yaml":
      "image: {repo: web, tag: v1}\nreplicas: 1\nglobal: {site: earth, db: {host: a}}\nsub: {color: green}\n",
    "charts/sub/Chart.yaml": chartYaml("sub"),
    "charts/sub/values.yaml": "color: red\nsize: 2\nglobal: {site: moon, db: {port: 5432}}\n",
  }));
}

Deno.test("user values win over defaults and tables merge", () => {
  const v = coalesceValues(parentWithSub(), { image: { tag: "v2" }, extra: true });
  assert.deepEqual(v.image, { repo: "web", tag: "v2" });
  assert.equal(v.replicas, 1);
  assert.equal(v.extra, true);
});

Deno.test("null deletes the default it overrides", () => {
  const v = coalesceValues(parentWithSub(), { image: { tag: null }, replicas: null });
  assert.deepEqual(v.image, { repo: "web" });
  assert.ok(!("replicas" in v));
});

Deno.test("merging keeps the nulls that coalescing removes", () => {
  const v = mergeValues(parentWithSub(), { replicas: null });
  assert.equal(v.replicas, null);
});

Deno.test("subchart values live under its name, parent values over the subchart's defaults", () => {
  const v = coalesceValues(parentWithSub(), {});
  assert.deepEqual(table(v, "sub"), {
    color: "green",
    size: 2,
    global: { site: "earth", db: { host: "a", port: 5432 } },
  });
});

Deno.test("globals are copied down, the parent's winning over the subchart's", () => {
  const v = coalesceValues(parentWithSub(), { global: { site: "mars" } });
  assert.equal(pathValue(v, "sub.global.site"), "mars");
  assert.equal(pathValue(v, "global.site"), "mars");
});

Deno.test("a subchart key that is not a table is a type mismatch", () => {
  assert.throws(() => coalesceValues(parentWithSub(), { sub: "x" }), {
    message: "type mismatch on sub: %!t(string=x)",
  });
});

Deno.test("a table over a scalar default is kept and reported", () => {
  const warnings: string[] = [];
  const chart = loadFiles(memoryFiles({ "Chart.yaml": chartYaml("app"), "values.yaml": "a: {b: 1}\nc: 1\n" }));
  const v = coalesceValues(chart, { a: "scalar", c: { d: 1 } }, (w) => warnings.push(w));
  assert.deepEqual(v, { a: "scalar", c: { d: 1 } });
  assert.deepEqual(warnings, ["warning: skipped value for app.c: Not a table."]);
});

Deno.test("coalescing tables reports a non-table over a table", () => {
  const warnings: string[] = [];
  const out = coalesceTables({ a: 1 }, { a: { b: 2 }, c: 3 }, (w) => warnings.push(w));
  assert.deepEqual(out, { a: 1, c: 3 });
  assert.deepEqual(warnings, ["warning: cannot overwrite table with non table for a (map[b:2])"]);
});

Deno.test("the caller's values are not changed", () => {
  const user = { image: { tag: null } };
  coalesceValues(parentWithSub(), user);
  assert.deepEqual(user, { image: { tag: null } });
});
