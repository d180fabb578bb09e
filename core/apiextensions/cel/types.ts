/**
 * CEL's static types, and the types a CRD schema gives `self` (kube's `SchemaDeclType`): integers are `int`,
 * numbers `double`, `int-or-string` is `dyn`, `date-time` strings are timestamps, objects with properties are
 * object types whose fields are the properties (escaped as kube escapes them), objects with
 * `additionalProperties` are maps, and the root always exposes `apiVersion`, `kind` and `metadata.name`/`generateName`.
 *
 * @module
 */
import type { JSONSchemaProps } from "../types.ts";

/** A CEL type. */
export type CelType =
  | { k: "int" | "uint" | "double" | "string" | "bool" | "bytes" | "null_type" | "dyn" | "timestamp" | "duration" }
  | { k: "list"; elem: CelType }
  | { k: "map"; key: CelType; value: CelType }
  | { k: "object"; name: string; fields: Map<string, CelType>; schema?: JSONSchemaProps }
  | { k: "type"; of: CelType }
  | { k: "error" };

/** The simple types, shared. */
export const T = {
  int: { k: "int" },
  uint: { k: "uint" },
  double: { k: "double" },
  string: { k: "string" },
  bool: { k: "bool" },
  bytes: { k: "bytes" },
  null: { k: "null_type" },
  dyn: { k: "dyn" },
  timestamp: { k: "timestamp" },
  duration: { k: "duration" },
  error: { k: "error" },
} as const satisfies Record<string, CelType>;

/**
 * A list of `elem`.
 *
 * @example
 * ```ts
 * listOf(T.string); // list(string)
 * ```
 */
export function listOf(elem: CelType): CelType {
  return { k: "list", elem };
}

/**
 * A map from `key` to `value`.
 *
 * @example
 * ```ts
 * mapOf(T.string, T.int); // map(string, int)
 * ```
 */
export function mapOf(key: CelType, value: CelType): CelType {
  return { k: "map", key, value };
}

/**
 * A type as cel-go prints it in messages.
 *
 * @example
 * ```ts
 * typeName(listOf(T.int)); // "list(int)"
 * ```
 */
export function typeName(t: CelType): string {
  switch (t.k) {
    case "list":
      return `list(${typeName(t.elem)})`;
    case "map":
      return `map(${typeName(t.key)}, ${typeName(t.value)})`;
    case "object":
      return t.name;
    case "type":
      return `type(${typeName(t.of)})`;
    case "timestamp":
      return "google.protobuf.Timestamp";
    case "duration":
      return "google.protobuf.Duration";
    case "error":
      return "*error*";
    default:
      return t.k;
  }
}

/**
 * Whether a value of type `b` may be used where `a` is expected (dyn fits everything; object types match by
 * name, lists and maps by their parameters).
 *
 * @example
 * ```ts
 * assignable(T.dyn, T.int); // true
 * assignable(T.int, T.string); // false
 * ```
 */
export function assignable(a: CelType, b: CelType): boolean {
  if (a.k === "dyn" || b.k === "dyn" || a.k === "error" || b.k === "error") return true;
  if (a.k === "list" && b.k === "list") return assignable(a.elem, b.elem);
  if (a.k === "map" && b.k === "map") return assignable(a.key, b.key) && assignable(a.value, b.value);
  if (a.k === "object" && b.k === "object") return a.name === b.name;
  if (a.k === "type" && b.k === "type") return true;
  return a.k === b.k;
}

/**
 * The common type of two branches (a conditional, list elements): the shared type, or dyn when they differ but
 * one is dyn; undefined when they cannot be unified.
 *
 * @example
 * ```ts
 * unify(T.int, T.dyn); // dyn
 * ```
 */
export function unify(a: CelType, b: CelType): CelType | undefined {
  if (a.k === "error") return b;
  if (b.k === "error") return a;
  if (a.k === "null_type" && (b.k === "object" || b.k === "list" || b.k === "map" || b.k === "dyn")) return b;
  if (b.k === "null_type" && (a.k === "object" || a.k === "list" || a.k === "map" || a.k === "dyn")) return a;
  if (a.k === "dyn" || b.k === "dyn") return T.dyn;
  if (!assignable(a, b)) return undefined;
  if (a.k === "list" && b.k === "list") return listOf(unify(a.elem, b.elem) ?? T.dyn);
  if (a.k === "map" && b.k === "map") return mapOf(unify(a.key, b.key) ?? T.dyn, unify(a.value, b.value) ?? T.dyn);
  return a;
}

const CEL_RESERVED = new Set([
  "true",
  "false",
  "null",
  "in",
  "as",
  "break",
  "const",
  "continue",
  "else",
  "for",
  "function",
  "if",
  "import",
  "let",
  "loop",
  "package",
  "namespace",
  "return",
  "var",
  "void",
  "while",
]);

/**
 * The CEL name of a property (kube's `Escape`): reserved words become `__word__`, and `__`, `.`, `-`, `/` are
 * spelled out; undefined when the property cannot be named in CEL at all.
 *
 * @example
 * ```ts
 * escapeProperty("x-y"); // "x__dash__y"
 * escapeProperty("namespace"); // "__namespace__"
 * ```
 */
export function escapeProperty(name: string): string | undefined {
  if (CEL_RESERVED.has(name)) return `__${name}__`;
  if (!/^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*$/.test(name)) return undefined;
  return name.replaceAll("__", "__underscores__").replaceAll(".", "__dot__").replaceAll("-", "__dash__")
    .replaceAll("/", "__slash__");
}

const STRING_SCHEMA: JSONSchemaProps = { type: "string" };

/** The root of a resource always exposes its type and name, whatever the schema says. */
function withTypeAndObjectMeta(s: JSONSchemaProps): JSONSchemaProps {
  return {
    ...s,
    properties: {
      ...(s.properties ?? {}),
      kind: STRING_SCHEMA,
      apiVersion: STRING_SCHEMA,
      metadata: { type: "object", properties: { name: STRING_SCHEMA, generateName: STRING_SCHEMA } },
    },
  };
}

/**
 * The CEL type of values under `schema`; undefined for what CEL cannot see (untyped preserved fields).
 *
 * @example
 * ```ts
 * schemaType({ type: "object", properties: { size: { type: "integer" } } }, false, "self");
 * // object type "self" with field size: int
 * ```
 */
export function schemaType(
  schema: JSONSchemaProps | undefined,
  resourceRoot: boolean,
  name: string,
): CelType | undefined {
  if (!schema) return undefined;
  if (schema["x-kubernetes-int-or-string"]) return T.dyn;
  const s = resourceRoot ? withTypeAndObjectMeta(schema) : schema;
  switch (s.type) {
    case "array": {
      if (!s.items || Array.isArray(s.items)) return undefined;
      const elem = schemaType(s.items, s.items["x-kubernetes-embedded-resource"] === true, `${name}.@idx`);
      return elem ? listOf(elem) : undefined;
    }
    case "object": {
      if (typeof s.additionalProperties === "object") {
        const value = schemaType(
          s.additionalProperties,
          s.additionalProperties["x-kubernetes-embedded-resource"] === true,
          `${name}.@elem`,
        );
        return value ? mapOf(T.string, value) : undefined;
      }
      const fields = new Map<string, CelType>();
      for (const [property, sub] of Object.entries(s.properties ?? {})) {
        const escaped = escapeProperty(property);
        const t = schemaType(sub, sub["x-kubernetes-embedded-resource"] === true, `${name}.${property}`);
        if (escaped && t) fields.set(escaped, t);
      }
      return { k: "object", name, fields, schema: s };
    }
    case "string":
      if (s.format === "byte") return T.bytes;
      if (s.format === "duration") return T.duration;
      if (s.format === "date" || s.format === "date-time") return T.timestamp;
      return T.string;
    case "boolean":
      return T.bool;
    case "number":
      return T.double;
    case "integer":
      return T.int;
    default:
      return undefined;
  }
}
