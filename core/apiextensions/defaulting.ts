/**
 * Defaulting from a CRD version's schema, as apiextensions-apiserver applies it whenever it decodes a custom
 * object — from a request and from storage alike, so a default added to the schema shows on old objects too.
 * A `null` where the schema allows none is dropped first, unless a default replaces it.
 *
 * @module
 */
import type { JSONSchemaProps } from "./types.ts";

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function itemsOf(s: JSONSchemaProps | undefined): JSONSchemaProps | undefined {
  return s?.items && !Array.isArray(s.items) ? s.items : undefined;
}

function additionalOf(s: JSONSchemaProps | undefined): JSONSchemaProps | undefined {
  return typeof s?.additionalProperties === "object" ? s.additionalProperties : undefined;
}

function childSchema(s: JSONSchemaProps | undefined, key: string): JSONSchemaProps | undefined {
  return s?.properties?.[key] ?? additionalOf(s);
}

/** A `null` the schema neither allows nor defaults. */
function droppableNull(value: unknown, s: JSONSchemaProps | undefined): boolean {
  return value === null && s !== undefined && !s.nullable && s.default === undefined;
}

/** A `null` the schema does not allow but has a default for. */
function defaultableNull(value: unknown, s: JSONSchemaProps | undefined): boolean {
  return value === null && s !== undefined && !s.nullable;
}

/**
 * Apply `schema`'s defaults to `object` in place (after dropping disallowed nulls) and return it.
 *
 * @example
 * ```ts
 * applySchemaDefaults({ spec: { size: 1 } }, { type: "object", properties: { spec: { type: "object",
 *   properties: { size: { type: "integer" }, color: { type: "string", default: "blue" } } } } });
 * // { spec: { size: 1, color: "blue" } }
 * ```
 */
export function applySchemaDefaults<T>(object: T, schema: JSONSchemaProps | undefined): T {
  if (!schema) return object;
  pruneNulls(object, schema);
  applyDefaults(object, schema);
  return object;
}

function pruneNulls(value: unknown, s: JSONSchemaProps | undefined): void {
  if (Array.isArray(value)) {
    for (const item of value) pruneNulls(item, itemsOf(s));
  } else if (isObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      const sub = childSchema(s, key);
      if (droppableNull(v, sub)) delete value[key];
      else pruneNulls(v, sub);
    }
  }
}

function applyDefaults(value: unknown, s: JSONSchemaProps | undefined): void {
  if (!s) return;
  if (Array.isArray(value)) {
    const items = itemsOf(s);
    value.forEach((item, i) => {
      if (items?.default !== undefined && defaultableNull(item, items)) value[i] = structuredClone(items.default);
      applyDefaults(value[i], items);
    });
    return;
  }
  if (!isObject(value)) return;
  for (const [key, property] of Object.entries(s.properties ?? {})) {
    if (property.default === undefined) continue;
    if (!(key in value) || defaultableNull(value[key], property)) value[key] = structuredClone(property.default);
  }
  const additional = additionalOf(s);
  for (const key of Object.keys(value)) {
    const property = s.properties?.[key];
    if (property) applyDefaults(value[key], property);
    else if (additional) {
      if (additional.default !== undefined && defaultableNull(value[key], additional)) {
        value[key] = structuredClone(additional.default);
      }
      applyDefaults(value[key], additional);
    }
  }
}
