/**
 * The uniqueness `x-kubernetes-list-type` promises: a `set` holds each value once, a `map` list each key once.
 * Kube reports the second occurrence of a value as `Duplicate value`.
 *
 * @module
 */
import { duplicate, invalid } from "../admission/field.ts";
import type { StatusCause } from "../api/status.ts";
import { goValue } from "./go_value.ts";
import type { JSONSchemaProps } from "./types.ts";

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Duplicates in every `set` and `map` list of `object`.
 *
 * @example
 * ```ts
 * validateListTypes({ type: "object", properties: { tags: { type: "array", "x-kubernetes-list-type": "set",
 *   items: { type: "string" } } } }, { tags: ["a", "a"] });
 * // [{ type: "FieldValueDuplicate", field: "tags[1]", message: "Duplicate value: \"a\"" }]
 * ```
 */
export function validateListTypes(schema: JSONSchemaProps | undefined, object: unknown, path = ""): StatusCause[] {
  const out: StatusCause[] = [];
  walk(schema, object, path, out);
  return out;
}

function join(parent: string, key: string, keyed: boolean): string {
  if (keyed) return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

function walk(s: JSONSchemaProps | undefined, value: unknown, path: string, out: StatusCause[]): void {
  if (!s) return;
  if (Array.isArray(value)) {
    if (s["x-kubernetes-list-type"] === "set") {
      for (const i of secondOccurrences(value)) out.push(duplicate(`${path}[${i}]`, goValue(value[i])));
    } else if (s["x-kubernetes-list-type"] === "map") {
      out.push(...mapListDuplicates(s, value, path));
    }
    const items = s.items && !Array.isArray(s.items) ? s.items : undefined;
    value.forEach((item, i) => walk(items, item, `${path}[${i}]`, out));
    return;
  }
  if (!isObject(value)) return;
  const additional = typeof s.additionalProperties === "object" ? s.additionalProperties : undefined;
  for (const [key, v] of Object.entries(value)) {
    const property = s.properties?.[key];
    if (property) walk(property, v, join(path, key, false), out);
    else if (additional) walk(additional, v, join(path, key, true), out);
  }
}

/** Indices where a value is seen for the second time. */
function secondOccurrences(values: unknown[]): number[] {
  const seen = new Map<string, number>();
  const indices: number[] = [];
  values.forEach((v, i) => {
    const key = JSON.stringify(v);
    const times = seen.get(key) ?? 0;
    if (times === 1) indices.push(i);
    seen.set(key, times + 1);
  });
  return indices;
}

function mapListDuplicates(s: JSONSchemaProps, value: unknown[], path: string): StatusCause[] {
  for (let i = 0; i < value.length; i++) {
    if (value[i] !== null && !isObject(value[i])) {
      return [invalid(`${path}[${i}]`, goValue(value[i]), "must be an object for an array of list-type map")];
    }
  }
  const keyFields = s["x-kubernetes-list-map-keys"] ?? [];
  const keys = value.map((item) => {
    const key: Json = {};
    for (const field of keyFields) {
      if (isObject(item) && field in item) key[field] = item[field];
    }
    return key;
  });
  return secondOccurrences(keys.map((k) => keyFields.map((f) => (f in k ? k[f] : { unset: true })))).map((i) =>
    duplicate(`${path}[${i}]`, goValue(keys[i]))
  );
}
