/**
 * Errors of strategic merge patch. Messages are worded, and values printed, the way apimachinery's Go code does
 * (`map[name:a]`, `[a b]`), so what kubectl shows for a bad patch reads the same as against kube-apiserver.
 *
 * @module
 */

/**
 * A patch that cannot be applied. `status` is what kube-apiserver answers with: 400 for a malformed directive,
 * 422 for lists of lists, and 500 (reason Unknown) for everything apimachinery reports as a plain error, such as a
 * list element without its merge key.
 *
 * @example
 * ```ts
 * throw new StrategicMergePatchError("invalid patch format of retainKeys", 400);
 * ```
 */
export class StrategicMergePatchError extends Error {
  constructor(message: string, readonly status: 400 | 422 | 500 = 500) {
    super(message);
    this.name = "StrategicMergePatchError";
  }
}

/** The four malformed-patch errors kube-apiserver turns into 400 Bad Request. */
export const BAD_JSON_DOC = "invalid JSON document";
export const BAD_PRIMITIVE_LIST = "invalid patch format of primitive list";
export const BAD_RETAIN_KEYS = "invalid patch format of retainKeys";
export const BAD_SET_ELEMENT_ORDER = "invalid patch format of setElementOrder list";

/**
 * One of the 400 errors above.
 *
 * @example
 * ```ts
 * throw badPatch(BAD_RETAIN_KEYS);
 * ```
 */
export function badPatch(message: string): StrategicMergePatchError {
  return new StrategicMergePatchError(message, 400);
}

/**
 * An element of a merged list lacks the list's merge key.
 *
 * @example
 * ```ts
 * noMergeKey({ image: "x" }, "name").message; // "map: map[image:x] does not contain declared merge key: name"
 * ```
 */
export function noMergeKey(element: unknown, mergeKey: string): StrategicMergePatchError {
  return new StrategicMergePatchError(`map: ${goFormat(element)} does not contain declared merge key: ${mergeKey}`);
}

/**
 * A `$patch` directive with a value that is not allowed where it is.
 *
 * @example
 * ```ts
 * badPatchType("bogus", { $patch: "bogus" }).message; // "unknown patch type: bogus in map: map[$patch:bogus]"
 * ```
 */
export function badPatchType(directive: unknown, map: unknown): StrategicMergePatchError {
  return new StrategicMergePatchError(`unknown patch type: ${goFormat(directive)} in map: ${goFormat(map)}`);
}

/**
 * A value of the wrong JSON type, e.g. a map where a list was expected.
 *
 * @example
 * ```ts
 * badArgType([], {}).message; // "expected a []interface {}, but received a map[string]interface {}"
 * ```
 */
export function badArgType(expected: unknown, actual: unknown): StrategicMergePatchError {
  return new StrategicMergePatchError(`expected a ${goTypeName(expected)}, but received a ${goTypeName(actual)}`);
}

/**
 * Go's `%v` rendering of a decoded JSON value: maps with sorted keys as `map[k:v]`, lists as `[a b]`, null as
 * `<nil>`.
 *
 * @example
 * ```ts
 * goFormat({ name: "a", ports: [80, 443] }); // "map[name:a ports:[80 443]]"
 * ```
 */
export function goFormat(value: unknown): string {
  if (value === null || value === undefined) return "<nil>";
  if (Array.isArray(value)) return `[${value.map(goFormat).join(" ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[${entries.map(([k, v]) => `${k}:${goFormat(v)}`).join(" ")}]`;
  }
  if (typeof value === "number") return goNumber(value);
  return String(value);
}

/** Go prints floats in exponent form outside [1e-4, 1e21). */
function goNumber(n: number): string {
  if (Number.isInteger(n) || n === 0) return String(n);
  const [mantissa, exponent] = n.toExponential().split("e");
  const exp = Number(exponent);
  if (exp >= -4 && exp < 21) return String(n);
  return `${mantissa}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
}

/**
 * The Go type a JSON value decodes to, as error messages name it.
 *
 * @example
 * ```ts
 * goTypeName([]); // "[]interface {}"
 * ```
 */
export function goTypeName(value: unknown): string {
  if (value === null || value === undefined) return "<nil>";
  if (Array.isArray(value)) return "[]interface {}";
  switch (typeof value) {
    case "object":
      return "map[string]interface {}";
    case "number":
      return Number.isInteger(value) ? "int64" : "float64";
    case "boolean":
      return "bool";
    default:
      return "string";
  }
}
