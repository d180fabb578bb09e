/**
 * Sprig's list functions (`list`, `append`, `first`, `uniq`, `slice`, `chunk`, …) and their `must*` twins. Both
 * fail alike here: Sprig's plain variants panic with the error the `must*` ones return, and the template engine
 * reports either as `error calling <fn>: <message>`. Lists are never modified in place.
 *
 * @module
 */
import { withSignature as fn } from "../gotemplate/signature.ts";
import type { GoFunc } from "../gotemplate/value.ts";
import { toInt64 } from "./cast.ts";
import { empty } from "./defaults.ts";
import { deepEqual, kindOf } from "./reflect.ts";

/** Go's panic for `reflect.TypeOf(nil).Kind()`, which Sprig's list functions hit on a nil list. */
export const NIL_DEREFERENCE = "runtime error: invalid memory address or nil pointer dereference";

/**
 * The elements of a Go slice or array (a `[]byte` as its byte values); anything else is Sprig's error, worded by
 * `message` from the value's kind.
 *
 * @example
 * ```ts
 * listOf([1n, 2n], (k) => `Cannot find first on type ${k}`); // [1n, 2n]
 * ```
 */
export function listOf(value: unknown, message: (kind: string) => string): unknown[] {
  if (Array.isArray(value)) return value;
  if (value instanceof Uint8Array) return Array.from(value, BigInt);
  if (value === null || value === undefined) throw new Error(NIL_DEREFERENCE);
  throw new Error(message(kindOf(value)));
}

function inList(haystack: unknown[], needle: unknown): boolean {
  return haystack.some((h) => deepEqual(needle, h));
}

/**
 * Sprig's `chunk`: the list in pieces of `size` elements, the last one shorter.
 *
 * @example
 * ```ts
 * chunk(2, [1n, 2n, 3n]); // [[1n, 2n], [3n]]
 * ```
 */
export function chunk(size: number, list: unknown): unknown[][] {
  const items = listOf(list, (k) => `Cannot chunk type ${k}`);
  const l = items.length;
  const count = Math.floor((l - 1) / size) + 1;
  if (!Number.isFinite(count) || count < 0) throw new Error("runtime error: makeslice: len out of range");
  const out: unknown[][] = [];
  for (let i = 0; i < count; i++) {
    let length = size;
    if (i === count - 1) length = Math.floor(l % size) || size;
    out.push(items.slice(i * size, i * size + length));
  }
  return out;
}

/**
 * Sprig's `slice`: `list[start:end]`, both indexes optional; an empty list gives nil.
 *
 * @example
 * ```ts
 * slice([1n, 2n, 3n, 4n], 1n, 3n); // [2n, 3n]
 * ```
 */
export function slice(list: unknown, ...indices: unknown[]): unknown {
  const items = listOf(list, (k) => `list should be type of slice or array but ${k}`);
  if (items.length === 0) return null;
  const start = indices.length > 0 ? Number(toInt64(indices[0])) : 0;
  const end = indices.length > 1 ? Number(toInt64(indices[1])) : items.length;
  if (start < 0 || end < start || end > items.length) {
    throw new Error("reflect.Value.Slice: slice index out of range");
  }
  return items.slice(start, end);
}

/**
 * Sprig's `concat`: the elements of every list, in order.
 *
 * @example
 * ```ts
 * concat([1n], [2n, 3n]); // [1n, 2n, 3n]
 * ```
 */
export function concat(...lists: unknown[]): unknown[] {
  return lists.flatMap((l) => listOf(l, (k) => `Cannot concat type ${k} as list`));
}

/**
 * Sprig's `has`: whether the list holds an element deeply equal to `needle`; a nil list holds nothing.
 *
 * @example
 * ```ts
 * has(2n, [1n, 2n]); // true
 * ```
 */
export function has(needle: unknown, haystack: unknown): boolean {
  if (haystack === null || haystack === undefined) return false;
  return inList(listOf(haystack, (k) => `Cannot find has on type ${k}`), needle);
}

/** One list function and its `must` twin, which fail the same way. */
function pair(name: string, f: GoFunc, params: Parameters<typeof fn>[1], variadic?: Parameters<typeof fn>[2]) {
  const must = "must" + name[0].toUpperCase() + name.slice(1);
  return { [name]: fn(f, params, variadic), [must]: fn((...a) => f(...a), params, variadic) };
}

const push = (list: unknown, v: unknown) => [...listOf(list, (k) => `Cannot push on type ${k}`), v];

/** Sprig's list functions by their template names. */
export const listFunctions: Record<string, GoFunc> = {
  list: fn((...v) => v, [], "interface {}"),
  tuple: fn((...v) => v, [], "interface {}"),
  ...pair("append", push, ["interface {}", "interface {}"]),
  ...pair("push", push, ["interface {}", "interface {}"]),
  ...pair("prepend", (list, v) => [v, ...listOf(list, (k) => `Cannot prepend on type ${k}`)], [
    "interface {}",
    "interface {}",
  ]),
  ...pair("first", (list) => listOf(list, (k) => `Cannot find first on type ${k}`)[0] ?? null, ["interface {}"]),
  ...pair("last", (list) => listOf(list, (k) => `Cannot find last on type ${k}`).at(-1) ?? null, ["interface {}"]),
  ...pair("rest", (list) => listOf(list, (k) => `Cannot find rest on type ${k}`).slice(1), ["interface {}"]),
  ...pair("initial", (list) => listOf(list, (k) => `Cannot find initial on type ${k}`).slice(0, -1), [
    "interface {}",
  ]),
  ...pair("reverse", (list) => [...listOf(list, (k) => `Cannot find reverse on type ${k}`)].reverse(), [
    "interface {}",
  ]),
  ...pair("compact", (list) => listOf(list, (k) => `Cannot compact on type ${k}`).filter((e) => !empty(e)), [
    "interface {}",
  ]),
  ...pair("uniq", (list) => {
    const out: unknown[] = [];
    for (const e of listOf(list, (k) => `Cannot find uniq on type ${k}`)) if (!inList(out, e)) out.push(e);
    return out;
  }, ["interface {}"]),
  ...pair(
    "without",
    (list, ...omit) => {
      return listOf(list, (k) => `Cannot find without on type ${k}`).filter((e) => !inList(omit, e));
    },
    ["interface {}"],
    "interface {}",
  ),
  ...pair("has", (needle, haystack) => has(needle, haystack), ["interface {}", "interface {}"]),
  ...pair("slice", (list, ...indices) => slice(list, ...indices), ["interface {}"], "interface {}"),
  ...pair("chunk", (size, list) => chunk(Number(size), list), ["int", "interface {}"]),
  concat: fn((...lists) => concat(...lists), [], "interface {}"),
};
