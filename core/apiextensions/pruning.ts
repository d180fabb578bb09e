/**
 * Pruning: a custom object keeps only the fields its schema declares, as apiextensions-apiserver drops unknown
 * fields when it decodes a request or a stored object. `x-kubernetes-preserve-unknown-fields` keeps a subtree
 * as is; `apiVersion`, `kind` and `metadata` of the object (and of embedded resources) are always kept, their
 * metadata trimmed to `ObjectMeta`'s fields. The pruned paths are what `fieldValidation=Strict` refuses.
 *
 * @module
 */
import type { JSONSchemaProps } from "./types.ts";

const META_FIELDS = new Set(["apiVersion", "kind", "metadata"]);

/** The fields of `ObjectMeta`; anything else under `metadata` is dropped. */
const OBJECT_META_FIELDS = new Set([
  "name",
  "generateName",
  "namespace",
  "selfLink",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "labels",
  "annotations",
  "ownerReferences",
  "finalizers",
  "managedFields",
]);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Remove from `object` (in place) every field `schema` does not declare; returns the removed paths, sorted.
 *
 * @example
 * ```ts
 * const widget = { apiVersion: "example.com/v1", kind: "Widget", metadata: {}, spec: { size: 1, colour: "x" } };
 * prune(widget, { type: "object", properties: { spec: { type: "object", properties: { size: { type: "integer" } } } } });
 * // ["spec.colour"]; widget.spec is { size: 1 }
 * ```
 */
export function prune(object: unknown, schema: JSONSchemaProps | undefined): string[] {
  const unknown: string[] = [];
  walk(object, { ...(schema ?? {}), "x-kubernetes-embedded-resource": true }, "", unknown);
  return unknown.sort();
}

function join(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

function walk(value: unknown, s: JSONSchemaProps | undefined, path: string, unknown: string[]): void {
  if (s?.["x-kubernetes-preserve-unknown-fields"]) {
    keepUnknown(value, s, path, unknown);
    return;
  }
  if (Array.isArray(value)) {
    const items = s?.items && !Array.isArray(s.items) ? s.items : undefined;
    value.forEach((item, i) => walk(item, items, `${path}[${i}]`, unknown));
    return;
  }
  if (!isObject(value)) return;
  if (!s) {
    for (const key of Object.keys(value)) {
      unknown.push(join(path, key));
      delete value[key];
    }
    return;
  }
  const embedded = s["x-kubernetes-embedded-resource"] === true;
  for (const key of Object.keys(value)) {
    if (embedded && META_FIELDS.has(key)) {
      if (key === "metadata") trimMetadata(value.metadata, join(path, key), unknown);
      continue;
    }
    const property = s.properties?.[key];
    const additional = typeof s.additionalProperties === "object" ? s.additionalProperties : undefined;
    if (property) walk(value[key], property, join(path, key), unknown);
    else if (additional) walk(value[key], additional, join(path, key), unknown);
    else {
      unknown.push(join(path, key));
      delete value[key];
    }
  }
}

/** Under `x-kubernetes-preserve-unknown-fields`, undeclared fields stay, declared ones are still pruned inside. */
function keepUnknown(value: unknown, s: JSONSchemaProps, path: string, unknown: string[]): void {
  if (Array.isArray(value)) {
    const items = s.items && !Array.isArray(s.items) ? s.items : undefined;
    if (items) value.forEach((item, i) => keepUnknown(item, items, `${path}[${i}]`, unknown));
    return;
  }
  if (!isObject(value)) return;
  const embedded = s["x-kubernetes-embedded-resource"] === true;
  for (const key of Object.keys(value)) {
    if (embedded && META_FIELDS.has(key)) {
      if (key === "metadata") trimMetadata(value.metadata, join(path, key), unknown);
      continue;
    }
    const property = s.properties?.[key];
    const additional = typeof s.additionalProperties === "object" ? s.additionalProperties : undefined;
    if (property) walk(value[key], property, join(path, key), unknown);
    else if (additional) walk(value[key], additional, join(path, key), unknown);
  }
}

function trimMetadata(metadata: unknown, path: string, unknown: string[]): void {
  if (!isObject(metadata)) return;
  for (const key of Object.keys(metadata)) {
    if (OBJECT_META_FIELDS.has(key)) continue;
    unknown.push(`${path}.${key}`);
    delete metadata[key];
  }
}
