/**
 * Decoded JSON values as strategic merge patch sees them, and the directive keys it understands.
 *
 * @module
 */

/** A JSON object. */
export type JsonMap = Record<string, unknown>;

/** `$patch`: `replace`, `delete` (or `merge`, which is only meaningful to clients). */
export const DIRECTIVE = "$patch";
/** `$retainKeys: [...]`: drop every other field of the live map. */
export const RETAIN_KEYS = "$retainKeys";
/** `$deleteFromPrimitiveList/<field>: [...]`, before its `/`. */
export const DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList";
/** `$setElementOrder/<field>: [...]`, before its `/`. */
export const SET_ELEMENT_ORDER = "$setElementOrder";

/**
 * Whether a value is a JSON object (not null, not a list).
 *
 * @example
 * ```ts
 * isMap({}); // true
 * isMap([]); // false
 * ```
 */
export function isMap(value: unknown): value is JsonMap {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The JSON type of a value, as far as merging cares: maps and lists merge, the rest is replaced. */
export type JsonKind = "map" | "list" | "string" | "number" | "boolean" | "null";

/**
 * The JSON type of a value; `undefined` counts as null.
 *
 * @example
 * ```ts
 * kindOf([1]); // "list"
 * ```
 */
export function kindOf(value: unknown): JsonKind {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "list";
  switch (typeof value) {
    case "object":
      return "map";
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    default:
      return "string";
  }
}
