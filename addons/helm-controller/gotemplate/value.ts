/**
 * Go values as JavaScript values, the model the whole Helm engine shares: nil is `null` (`undefined` is taken
 * as nil too), string, bool, float64 is `number`, int/int64 is `bigint`, `[]interface {}` is an array and
 * `map[string]interface {}` is a plain object. Class instances stand for Go structs; an object with a `String()`
 * method is a `fmt.Stringer`; a `Uint8Array` is a `[]byte` and a `Date` a `time.Time`.
 *
 * @module
 */

/** A function callable from a template: it gets Go values and returns one, or throws an `Error` (Go's error). */
export type GoFunc = (...args: unknown[]) => unknown;

/** A Go `map[string]interface {}`. */
export type GoMap = Record<string, unknown>;

/**
 * Whether `value` is a Go map, i.e. a plain object (not an array, class instance, `Date`, …).
 *
 * @example
 * ```ts
 * isMap({ a: 1 }); // true
 * isMap([1]); // false
 * ```
 */
export function isMap(value: unknown): value is GoMap {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Whether `value` stands for a Go struct: an object that is not a map, slice, `[]byte` or `time.Time`.
 *
 * @example
 * ```ts
 * isStruct(new (class Metadata { Name = "x" })()); // true
 * isStruct({ Name: "x" }); // false: a map
 * ```
 */
export function isStruct(value: unknown): value is object {
  return value !== null && typeof value === "object" && !isMap(value) && !Array.isArray(value) &&
    !(value instanceof Uint8Array) && !(value instanceof Date);
}

/**
 * Go's `fmt.Stringer`: the `String()` result of an object that has such a method, else `undefined`.
 *
 * @example
 * ```ts
 * stringerText({ String: () => "v1.32.0" }); // "v1.32.0"
 * stringerText({ a: 1 }); // undefined
 * ```
 */
export function stringerText(value: unknown): string | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const method = (value as { String?: unknown }).String;
  return typeof method === "function" ? String(method.call(value)) : undefined;
}

/**
 * Template truthiness (`if`, `with`, `and`, `or`, `not`): false for nil, false, 0, and empty strings, slices and
 * maps; true for everything else (structs and functions are always true).
 *
 * @example
 * ```ts
 * isTrue(""); // false
 * isTrue(0n); // false
 * isTrue({ a: null }); // true
 * ```
 */
export function isTrue(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  switch (typeof value) {
    case "boolean":
      return value;
    case "string":
      return value.length > 0;
    case "number":
      return value !== 0;
    case "bigint":
      return value !== 0n;
    case "function":
      return true;
  }
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Uint8Array) return value.length > 0;
  if (isMap(value)) return Object.keys(value).length > 0;
  return true;
}

/**
 * The Go type name `%T` prints and errors quote: "string", "float64", "int64", "bool", "[]interface {}",
 * "map[string]interface {}", "<nil>", "[]uint8", "time.Time"; a struct is named after its class.
 *
 * @example
 * ```ts
 * goTypeName(1.5); // "float64"
 * goTypeName(3n); // "int64"
 * goTypeName(null); // "<nil>"
 * ```
 */
export function goTypeName(value: unknown): string {
  if (value === null || value === undefined) return "<nil>";
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
      return "func(...interface {}) (interface {}, error)";
  }
  if (Array.isArray(value)) return "[]interface {}";
  if (value instanceof Uint8Array) return "[]uint8";
  if (value instanceof Date) return "time.Time";
  if (isMap(value)) return "map[string]interface {}";
  const name = (value as { constructor?: { name?: string } }).constructor?.name;
  return name ? `*${name}` : "struct {}";
}

/**
 * Go's string order (byte-wise over UTF-8, i.e. by code point), which `sort.Strings`, map iteration in templates
 * and `lt` use; JavaScript's default order differs for characters beyond the Basic Multilingual Plane.
 *
 * @example
 * ```ts
 * ["b", "a", "B"].sort(compareStrings); // ["B", "a", "b"]
 * ```
 */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(i)!;
    if (ca !== cb) return ca < cb ? -1 : 1;
    if (ca > 0xffff) i++;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/**
 * A map's keys in the order Go's templates and `fmt` visit them (sorted).
 *
 * @example
 * ```ts
 * sortedKeys({ b: 1, a: 2 }); // ["a", "b"]
 * ```
 */
export function sortedKeys(map: GoMap): string[] {
  return Object.keys(map).sort(compareStrings);
}
