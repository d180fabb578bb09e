/**
 * Sprig's reflection functions — `typeOf`, `typeIs`, `typeIsLike`, `kindOf`, `kindIs`, `deepEqual` — over the
 * shared value model, plus the `reflect.Kind` names list and dict functions quote in their errors.
 *
 * Go's int and int64 are both a `bigint` here, so `typeOf`/`kindOf` say "int64" for either; `typeIs` and `kindIs`
 * accept "int" for them too, so `kindIs "int" 3` stays true as in Go.
 *
 * @module
 */
import { withSignature as fn } from "../gotemplate/signature.ts";
import { type GoFunc, goTypeName, isMap } from "../gotemplate/value.ts";

/**
 * The `reflect.Kind` name of a value: "invalid" (nil), "string", "bool", "float64", "int64", "slice", "map",
 * "struct" (a `time.Time`), "ptr" (other objects, Go's pointers to structs) or "func".
 *
 * @example
 * ```ts
 * kindOf([1n]); // "slice"
 * kindOf(null); // "invalid"
 * ```
 */
export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return "invalid";
  switch (typeof value) {
    case "string":
      return "string";
    case "boolean":
      return "bool";
    case "number":
      return "float64";
    case "bigint":
      return "int64";
    case "function":
      return "func";
  }
  if (Array.isArray(value) || value instanceof Uint8Array) return "slice";
  if (isMap(value)) return "map";
  if (value instanceof Date) return "struct";
  return "ptr";
}

/** Whether `target` names `actual`, "int" standing for Go's int as well as int64. */
function sameName(target: string, actual: string): boolean {
  return target === actual || (target === "int" && actual === "int64");
}

/**
 * Go's `reflect.DeepEqual` over the value model: same types, equal scalars (NaN never equal), equal lengths and
 * elements, equal key sets and values; functions are never equal.
 *
 * @example
 * ```ts
 * deepEqual({ a: [1n] }, { a: [1n] }); // true
 * deepEqual(1n, 1); // false: int64 and float64
 * ```
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === null || b === null) return a === b;
  if (typeof a !== typeof b) return false;
  if (typeof a !== "object") return typeof a === "function" ? false : a === b;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((e, i) => deepEqual(e, b[i]));
  }
  if (a instanceof Uint8Array) {
    return b instanceof Uint8Array && a.length === b.length && a.every((e, i) => e === b[i]);
  }
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  if (Array.isArray(b) || b instanceof Uint8Array || b instanceof Date) return false;
  if (isMap(a) !== isMap(b)) return false;
  if (!isMap(a) && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) =>
    Object.hasOwn(b as object, k) &&
    deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])
  );
}

/** Sprig's reflection functions by their template names. */
export const reflectFunctions: Record<string, GoFunc> = {
  typeOf: fn((v) => goTypeName(v), ["interface {}"]),
  typeIs: fn((t, v) => sameName(t as string, goTypeName(v)), ["string", "interface {}"]),
  typeIsLike: fn((t, v) => {
    const actual = goTypeName(v);
    return sameName(t as string, actual) || actual === "*" + t;
  }, ["string", "interface {}"]),
  kindOf: fn((v) => kindOf(v), ["interface {}"]),
  kindIs: fn((t, v) => sameName(t as string, kindOf(v)), ["string", "interface {}"]),
  deepEqual: fn((a, b) => deepEqual(a, b), ["interface {}", "interface {}"]),
};
