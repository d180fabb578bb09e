/**
 * Embedded resources (`x-kubernetes-embedded-resource`): objects inside a custom object that are themselves
 * Kubernetes objects, so they need `apiVersion` and `kind` and their `metadata` follows ObjectMeta's rules.
 *
 * @module
 */
import { invalid, required } from "../admission/field.ts";
import { validateObjectMeta } from "../admission/meta.ts";
import { isDNS1035Label, nameIsPathSegment } from "../admission/names.ts";
import type { StatusCause } from "../api/status.ts";
import { goValue } from "./go_value.ts";
import type { JSONSchemaProps } from "./types.ts";

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * The problems of every embedded resource in `object` (the object's own root is checked elsewhere).
 *
 * @example
 * ```ts
 * validateEmbeddedResources({ type: "object", properties: { template: { type: "object",
 *   "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true } } }, { template: {} });
 * // template.apiVersion: Required value: must not be empty; template.kind: Required value: must not be empty
 * ```
 */
export function validateEmbeddedResources(schema: JSONSchemaProps | undefined, object: unknown): StatusCause[] {
  const out: StatusCause[] = [];
  walk(schema, object, "", out);
  return out;
}

function join(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

function walk(s: JSONSchemaProps | undefined, value: unknown, path: string, out: StatusCause[]): void {
  if (!s) return;
  if (Array.isArray(value)) {
    const items = s.items && !Array.isArray(s.items) ? s.items : undefined;
    value.forEach((item, i) => walk(items, item, `${path}[${i}]`, out));
    return;
  }
  if (!isObject(value)) return;
  if (s["x-kubernetes-embedded-resource"]) out.push(...embeddedResource(value, path));
  const additional = typeof s.additionalProperties === "object" ? s.additionalProperties : undefined;
  for (const [key, v] of Object.entries(value)) {
    const property = s.properties?.[key];
    if (property) walk(property, v, join(path, key), out);
    else if (additional) walk(additional, v, `${path}[${key}]`, out);
  }
}

function embeddedResource(x: Json, path: string): StatusCause[] {
  const out: StatusCause[] = [];
  if (!("apiVersion" in x)) out.push(required(join(path, "apiVersion"), "must not be empty"));
  if (!("kind" in x)) out.push(required(join(path, "kind"), "must not be empty"));
  const apiVersion = x.apiVersion;
  if ("apiVersion" in x) {
    if (typeof apiVersion !== "string") {
      out.push(invalid(join(path, "apiVersion"), goValue(apiVersion), "must be a string"));
    } else if (!apiVersion) out.push(invalid(join(path, "apiVersion"), apiVersion, "must not be empty"));
    else if (apiVersion.split("/").length > 2) {
      out.push(invalid(join(path, "apiVersion"), apiVersion, `unexpected GroupVersion string: ${apiVersion}`));
    }
  }
  const kind = x.kind;
  if ("kind" in x) {
    if (typeof kind !== "string") out.push(invalid(join(path, "kind"), goValue(kind), "must be a string"));
    else if (!kind) out.push(invalid(join(path, "kind"), kind, "must not be empty"));
    else {
      const errs = isDNS1035Label(kind.toLowerCase());
      if (errs.length) {
        out.push(
          invalid(join(path, "kind"), kind, "may have mixed case, but should otherwise match: " + errs.join(",")),
        );
      }
    }
  }
  if (isObject(x.metadata)) {
    const meta: Json = { ...x.metadata, name: x.metadata.name || "fakename" };
    out.push(...validateObjectMeta(meta, {
      nameFn: nameIsPathSegment,
      namespaced: Boolean(meta.namespace),
      kubeFinalizers: false,
    }, join(path, "metadata")));
  } else if ("metadata" in x && x.metadata !== null) {
    out.push(invalid(join(path, "metadata"), goValue(x.metadata), "must be an object"));
  }
  return out;
}
