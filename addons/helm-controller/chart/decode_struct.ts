/**
 * Decoding YAML into a Go struct as sigs.k8s.io/yaml does (how Helm reads Chart.yaml, requirements.yaml and
 * Chart.lock): keys match JSON field names (case-insensitively as a fallback), unknown keys are ignored, a number
 * or bool in a string field becomes its text (`version: 1.10` is "1.1" — go-yaml's float printed as float32), and
 * any other mismatch is encoding/json's `cannot unmarshal … into Go struct field …` error.
 *
 * @module
 */

import { setEntry } from "../sprig/gomap.ts";
import { jsonCompatible, type YamlValue } from "./yaml/decode.ts";
import { formatFloat32 } from "./yaml/float32.ts";

/** A field's Go type: a scalar, a list or map of strings, free-form JSON, or a nested struct (or list of them). */
export type FieldType =
  | "string"
  | "bool"
  | "[]string"
  | "map[string]string"
  | "[]interface {}"
  | { struct: StructSpec }
  | { list: StructSpec };

/** A Go struct: its type name (for errors), how to make one, and its fields by JSON name. */
export interface StructSpec {
  name: string;
  make: () => object;
  fields: Record<string, { field: string; type: FieldType }>;
}

/**
 * Decodes `value` (a decoded YAML mapping) into `target`, a struct of `spec`, setting only the keys present.
 *
 * @example
 * ```ts
 * decodeStruct(MAINTAINER, { name: "me", email: 1n }, new Maintainer()); // Email "1"
 * ```
 */
export function decodeStruct(spec: StructSpec, value: YamlValue, target: object, path = ""): void {
  if (value === null) return;
  if (typeof value !== "object" || Array.isArray(value)) throw typeError(value, spec.name, path, spec.name);
  const names = Object.keys(spec.fields);
  for (const [key, item] of Object.entries(value)) {
    const json = names.find((n) => n === key) ?? names.find((n) => n.toLowerCase() === key.toLowerCase());
    if (json === undefined) continue;
    const { field, type } = spec.fields[json];
    const fieldPath = path ? `${path}.${json}` : json;
    const decoded = decodeField(type, item, spec.name, fieldPath, (target as Record<string, unknown>)[field]);
    (target as Record<string, unknown>)[field] = decoded;
  }
}

function decodeField(type: FieldType, value: YamlValue, struct: string, path: string, current: unknown): unknown {
  if (value === null) return typeof type === "string" && (type === "string" || type === "bool") ? current : null;
  if (typeof type === "object") {
    if ("struct" in type) {
      const target = current ?? type.struct.make();
      decodeStruct(type.struct, value, target as object, path);
      return target;
    }
    if (!Array.isArray(value)) throw typeError(value, struct, path, `[]*chart.${type.list.name}`);
    return value.map((item) => {
      if (item === null) return null;
      const target = type.list.make();
      decodeStruct(type.list, item, target, path);
      return target;
    });
  }
  switch (type) {
    case "string":
      return stringOf(value, struct, path);
    case "bool":
      if (typeof value !== "boolean") throw typeError(value, struct, path, "bool");
      return value;
    case "[]string":
      if (!Array.isArray(value)) throw typeError(value, struct, path, "[]string");
      return value.map((item) => item === null ? "" : stringOf(item, struct, path));
    case "map[string]string": {
      if (typeof value !== "object" || Array.isArray(value)) throw typeError(value, struct, path, "map[string]string");
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(value)) {
        setEntry(out, k, v === null ? "" : stringOf(v, struct, `${path}.${k}`));
      }
      return out;
    }
    case "[]interface {}":
      if (!Array.isArray(value)) throw typeError(value, struct, path, "[]interface {}");
      return jsonCompatible(value);
  }
}

/** sigs.k8s.io/yaml's conversion of a YAML scalar bound for a Go string field. */
function stringOf(value: YamlValue, struct: string, path: string): string {
  switch (typeof value) {
    case "string":
      return value;
    case "bigint":
      return value.toString();
    case "number":
      return formatFloat32(value);
    case "boolean":
      return value ? "true" : "false";
  }
  throw typeError(value, struct, path, "string");
}

function typeError(value: YamlValue, struct: string, path: string, goType: string): Error {
  const kind = Array.isArray(value)
    ? "array"
    : value !== null && typeof value === "object"
    ? "object"
    : typeof value === "string"
    ? "string"
    : typeof value === "boolean"
    ? "bool"
    : `number ${String(value)}`;
  const where = path ? `Go struct field ${struct}.${path}` : "Go value";
  return new Error(
    `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${kind} into ${where} of type ${goType}`,
  );
}
