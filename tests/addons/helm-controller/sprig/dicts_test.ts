// Sprig's dict functions: dict construction, in-place set/unset, dig through nested maps, keys in a stable
// (sorted) order, and mergo's merge rules for merge (destination wins unless empty) and mergeOverwrite.
import assert from "node:assert/strict";
import { call, callError, table } from "./support.ts";

table("dicts", [
  { name: "dict pairs keys and values", fn: "dict", args: ["a", 1n, "b", "x"], want: { a: 1n, b: "x" } },
  { name: "dict stringifies keys and pads a lone key", fn: "dict", args: [1n, 2n, "k"], want: { 1: 2n, k: "" } },
  { name: "get of a missing key is empty", fn: "get", args: [{ a: 1n }, "b"], want: "" },
  { name: "get", fn: "get", args: [{ a: 1n }, "a"], want: 1n },
  { name: "hasKey", fn: "hasKey", args: [{ a: null }, "a"], want: true },
  { name: "hasKey ignores inherited names", fn: "hasKey", args: [{}, "toString"], want: false },
  {
    name: "pluck collects a key from maps",
    fn: "pluck",
    args: ["name", { name: "a" }, { x: 1 }, { name: "b" }],
    want: ["a", "b"],
  },
  { name: "keys come sorted", fn: "keys", args: [{ b: 1, a: 2, c: 3 }], want: ["a", "b", "c"] },
  { name: "keys of several maps", fn: "keys", args: [{ b: 1 }, { a: 2 }], want: ["b", "a"] },
  { name: "values follow key order", fn: "values", args: [{ b: 1, a: 2 }], want: [2, 1] },
  { name: "pick keeps named keys", fn: "pick", args: [{ a: 1, b: 2, c: 3 }, "a", "c", "z"], want: { a: 1, c: 3 } },
  { name: "omit drops named keys", fn: "omit", args: [{ a: 1, b: 2, c: 3 }, "b"], want: { a: 1, c: 3 } },
  { name: "dig follows a path", fn: "dig", args: ["a", "b", "c", "none", { a: { b: { c: "found" } } }], want: "found" },
  { name: "dig returns the default when missing", fn: "dig", args: ["a", "x", "none", { a: { b: 1 } }], want: "none" },
  {
    name: "dig through a non-map panics as Go's type assertion",
    fn: "dig",
    args: ["a", "b", "none", { a: "str" }],
    error: "interface conversion: interface {} is string, not map[string]interface {}",
  },
  { name: "dig needs three arguments", fn: "dig", args: ["a", {}], error: "dig needs at least three arguments" },
  { name: "deepCopy copies", fn: "deepCopy", args: [{ a: [1n, { b: 2 }] }], want: { a: [1n, { b: 2 }] } },
]);

Deno.test("set changes the map in place and returns it", () => {
  const d = { a: 1n };
  assert.equal(call("set", d, "b", 2n), d);
  assert.deepStrictEqual(d, { a: 1n, b: 2n });
});

Deno.test("unset removes a key in place", () => {
  const d = { a: 1n, b: 2n };
  call("unset", d, "a");
  assert.deepStrictEqual(d, { b: 2n });
});

Deno.test("set on a nil map is Go's panic", () => {
  assert.equal(callError("set", null, "a", 1n), "assignment to entry in nil map");
});

Deno.test("deepCopy shares nothing with the original", () => {
  const original = { list: [{ x: 1 }] };
  const copy = call("deepCopy", original) as typeof original;
  copy.list[0].x = 2;
  assert.equal(original.list[0].x, 1);
});

Deno.test("merge keeps destination values and fills missing and empty ones", () => {
  const dst = { default: "default", overwrite: "me", key: true, empty: "", nested: { a: 1, b: "" } };
  const src = { overwrite: "overwritten", key: false, empty: "filled", extra: [1n], nested: { b: "x", c: 3 } };
  assert.equal(call("merge", dst, src), dst);
  assert.deepStrictEqual(dst, {
    default: "default",
    overwrite: "me",
    key: true,
    empty: "filled",
    extra: [1n],
    nested: { a: 1, b: "x", c: 3 },
  });
});

Deno.test("mergeOverwrite lets source values win, even empty ones, and merges nested maps", () => {
  const dst = { default: "default", overwrite: "me", key: true, list: [1n], nested: { a: 1, b: 2 } };
  const src = { overwrite: "overwritten", key: false, list: [2n], nested: { b: 3 }, gone: null };
  call("mergeOverwrite", dst, src);
  assert.deepStrictEqual(dst, {
    default: "default",
    overwrite: "overwritten",
    key: false,
    list: [2n],
    nested: { a: 1, b: 3 },
    gone: null,
  });
});

Deno.test("merge applies several sources in order", () => {
  assert.deepStrictEqual(call("merge", {}, { a: 1 }, { a: 2, b: 2 }), { a: 1, b: 2 });
  assert.deepStrictEqual(call("mergeOverwrite", {}, { a: 1 }, { a: 2, b: 2 }), { a: 2, b: 2 });
});

Deno.test("a nil source element only matters when overwriting", () => {
  assert.deepStrictEqual(call("merge", { a: 1 }, { a: null }), { a: 1 });
  assert.deepStrictEqual(call("mergeOverwrite", { a: 1 }, { a: null }), { a: null });
});
