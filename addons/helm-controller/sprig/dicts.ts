/**
 * Sprig's dict functions: `dict`, `get`, `set`, `unset`, `hasKey`, `pluck`, `keys`, `values`, `pick`, `omit`,
 * `dig`, `merge`/`mergeOverwrite` (mergo semantics) and `deepCopy`. `set`, `unset` and the merges change their
 * first argument in place, as in Go. Go returns `keys` and `values` in random map order; here they come in sorted
 * key order, so renders are repeatable (charts pipe `keys` to `sortAlpha` anyway).
 *
 * @module
 */
import { withSignature as fn } from "../gotemplate/signature.ts";
import { type GoFunc, type GoMap, goTypeName, isMap, sortedKeys } from "../gotemplate/value.ts";
import { strval } from "./cast.ts";
import { lookup, setEntry } from "./gomap.ts";
import { mergeMaps } from "./merge.ts";

/**
 * Sprig's `dict`: alternating keys (as strings) and values; a trailing key gets "".
 *
 * @example
 * ```ts
 * dict("a", 1n, "b"); // { a: 1n, b: "" }
 * ```
 */
export function dict(...v: unknown[]): GoMap {
  const out: GoMap = {};
  for (let i = 0; i < v.length; i += 2) setEntry(out, strval(v[i]), i + 1 < v.length ? v[i + 1] : "");
  return out;
}

/**
 * mitchellh/copystructure's `Copy`: a deep copy of maps, lists and byte slices; times and structs are copied
 * field by field.
 *
 * @example
 * ```ts
 * const a = { l: [1n] };
 * deepCopy(a) !== a; // true, and so is its list
 * ```
 */
export function deepCopy(v: unknown): unknown {
  if (v === null || v === undefined || typeof v !== "object") return v ?? null;
  if (Array.isArray(v)) return v.map(deepCopy);
  if (v instanceof Uint8Array) return v.slice();
  if (v instanceof Date) return new Date(v.getTime());
  const out = Object.create(Object.getPrototypeOf(v));
  for (const k of Object.keys(v)) setEntry(out, k, deepCopy((v as GoMap)[k]));
  return out;
}

/** Go's panic text for a failed `x.(map[string]interface{})` or `x.(string)` assertion. */
function assertionError(v: unknown, want: string): Error {
  return new Error(`interface conversion: interface {} is ${goTypeName(v)}, not ${want}`);
}

/**
 * Sprig's `dig`: the value at a path of keys in nested maps, or the default when a key is missing.
 *
 * @example
 * ```ts
 * dig("a", "b", "none", { a: { b: 1n } }); // 1n
 * dig("a", "x", "none", { a: { b: 1n } }); // "none"
 * ```
 */
export function dig(...ps: unknown[]): unknown {
  if (ps.length < 3) throw new Error("dig needs at least three arguments");
  let map = ps[ps.length - 1];
  const def = ps[ps.length - 2];
  if (!isMap(map)) throw assertionError(map, "map[string]interface {}");
  const keys = ps.slice(0, -2).map((k) => {
    if (typeof k !== "string") throw assertionError(k, "string");
    return k;
  });
  for (let i = 0; i < keys.length; i++) {
    const { ok, value } = lookup(map as GoMap, keys[i]);
    if (!ok) return def;
    if (i === keys.length - 1) return value;
    if (!isMap(value)) throw assertionError(value, "map[string]interface {}");
    map = value;
  }
  return def;
}

function merge(overwrite: boolean) {
  return (dst: unknown, ...srcs: unknown[]) => {
    const target = (dst ?? {}) as GoMap;
    for (const src of srcs) if (src) mergeMaps(target, src as GoMap, overwrite);
    return target;
  };
}

const map = "map[string]interface {}";
const any = "interface {}";
const asMap = (v: unknown) => (v ?? null) as GoMap | null;

/** Sprig's dict functions by their template names. */
export const dictFunctions: Record<string, GoFunc> = {
  dict: fn(dict, [], any),
  get: fn((d, k) => {
    const { ok, value } = lookup(asMap(d), k as string);
    return ok ? value : "";
  }, [map, "string"]),
  set: fn((d, k, v) => {
    if (!d) throw new Error("assignment to entry in nil map");
    setEntry(d as GoMap, k as string, v);
    return d;
  }, [map, "string", any]),
  unset: fn((d, k) => {
    if (d) delete (d as GoMap)[k as string];
    return d;
  }, [map, "string"]),
  hasKey: fn((d, k) => lookup(asMap(d), k as string).ok, [map, "string"]),
  pluck: fn((k, ...ds) => ds.map((d) => lookup(asMap(d), k as string)).filter((r) => r.ok).map((r) => r.value), [
    "string",
  ], map),
  keys: fn((...ds) => ds.flatMap((d) => (d ? sortedKeys(d as GoMap) : [])), [], map),
  values: fn((d) => (d ? sortedKeys(d as GoMap).map((k) => (d as GoMap)[k]) : []), [map]),
  pick: fn(
    (d, ...keys) => {
      const out: GoMap = {};
      for (const k of keys as string[]) {
        const { ok, value } = lookup(asMap(d), k);
        if (ok) setEntry(out, k, value);
      }
      return out;
    },
    [map],
    "string",
  ),
  omit: fn(
    (d, ...keys) => {
      const out: GoMap = {};
      const drop = new Set(keys as string[]);
      for (const k of d ? Object.keys(d as GoMap) : []) if (!drop.has(k)) setEntry(out, k, (d as GoMap)[k]);
      return out;
    },
    [map],
    "string",
  ),
  merge: fn(merge(false), [map], map),
  mustMerge: fn(merge(false), [map], map),
  mergeOverwrite: fn(merge(true), [map], map),
  mustMergeOverwrite: fn(merge(true), [map], map),
  deepCopy: fn(deepCopy, [any]),
  mustDeepCopy: fn(deepCopy, [any]),
  dig: fn(dig, [], any),
};
