/**
 * Go's JSON encoding of a struct: fields in declaration order under their `json` tag names, `omitempty` fields
 * left out when empty. Chart and release types give their `MarshalJSON()` with it, so `toJson .Chart` in a
 * template and a stored release record both look as Helm writes them.
 *
 * @module
 */

import { marshal } from "../sprig/json.ts";

/** One struct field: its JSON name, its value, and whether the tag says `omitempty`. */
export type StructField = [name: string, value: unknown, omitEmpty?: boolean];

/**
 * The JSON text of a struct with these fields.
 *
 * @example
 * ```ts
 * marshalStruct([["name", "web"], ["home", "", true], ["deprecated", false, true]]); // '{"name":"web"}'
 * ```
 */
export function marshalStruct(fields: StructField[]): string {
  const parts: string[] = [];
  for (const [name, value, omitEmpty] of fields) {
    if (omitEmpty && isEmptyValue(value)) continue;
    parts.push(`${marshal(name)}:${marshal(value)}`);
  }
  return `{${parts.join(",")}}`;
}

/** Go's `isEmptyValue` for `omitempty`: false, 0, "", nil and empty slices and maps. */
function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === 0n || value === "") {
    return true;
  }
  if (Array.isArray(value) || value instanceof Uint8Array) return value.length === 0;
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.keys(value).length === 0;
  }
  return false;
}
