/**
 * The shapes server-side apply tracks fields by (structured-merge-diff's schema atoms): scalars, maps (structs with
 * declared fields and/or `map[string]T` elements, granular or atomic), lists (atomic, sets, or maps keyed by some of
 * their items' fields) and "deduced" values that have no schema (maps granular, lists atomic). Built from OpenAPI
 * schemas — the built-in Swagger 2.0 definitions, or a CustomResourceDefinition's structural schema — reading
 * `x-kubernetes-list-type`, `x-kubernetes-list-map-keys`, `x-kubernetes-map-type` and, where no list type is given,
 * the patch strategy and merge key, as kube-openapi's conversion for structured-merge-diff does.
 *
 * @module
 */
import { builtinDefinitions } from "../openapi/openapi.ts";

/** A value without structure. */
export interface ScalarType {
  readonly kind: "scalar";
}

/** A value with no schema: maps are granular with deduced values, lists are atomic. */
export interface DeducedType {
  readonly kind: "deduced";
}

/** An object: a struct (declared fields), a `map[string]T` (elements), or both. */
export interface MapType {
  readonly kind: "map";
  /** Owned and replaced as one value (`x-kubernetes-map-type: atomic`). */
  readonly atomic: boolean;
  /** The fields that must be present (Swagger `required`). */
  readonly required: readonly string[];
  /** A declared field's type; undefined for names that are not declared fields. */
  field(name: string): FieldType | undefined;
  /** The type of keys that are not declared fields; undefined when such keys are not allowed. */
  readonly elements: FieldType | undefined;
  /** A declared field's default (what an associative list uses for an omitted key field). */
  defaultOf(name: string): unknown;
}

/** A list: replaced whole (atomic), a set of scalars, or a map keyed by its items' `keys`. */
export interface ListType {
  readonly kind: "list";
  readonly listType: "atomic" | "set" | "map";
  readonly keys: readonly string[];
  readonly element: FieldType;
}

/** Any field's type. */
export type FieldType = ScalarType | DeducedType | MapType | ListType;

/** The type of values without a schema. */
export const DEDUCED: DeducedType = Object.freeze({ kind: "deduced" });
const SCALAR: ScalarType = Object.freeze({ kind: "scalar" });
const ATOMIC_LIST: ListType = Object.freeze({ kind: "list", listType: "atomic", keys: [], element: DEDUCED });
const DEDUCED_MAP: MapType = Object.freeze({
  kind: "map",
  atomic: false,
  required: [],
  field: () => undefined,
  elements: DEDUCED,
  defaultOf: () => undefined,
});

/**
 * The concrete type of `value` under `type`: a deduced value takes the shape of the value itself.
 *
 * @example
 * ```ts
 * resolveType(DEDUCED, { a: 1 }).kind; // "map"
 * resolveType(DEDUCED, [1, 2]).kind; // "list" (atomic)
 * ```
 */
export function resolveType(type: FieldType, value: unknown): ScalarType | MapType | ListType {
  if (type.kind !== "deduced") return type;
  if (Array.isArray(value)) return ATOMIC_LIST;
  if (value !== null && typeof value === "object") return DEDUCED_MAP;
  return SCALAR;
}

/**
 * The type of the value under key `name` of a map, and whether `name` is a declared (struct) field; keys a typed
 * struct does not declare come back undefined.
 *
 * @example
 * ```ts
 * childType(configMapType, "data"); // { type: <map of strings>, declared: true }
 * ```
 */
export function childType(map: MapType, name: string): { type: FieldType; declared: boolean } | undefined {
  const field = map.field(name);
  if (field) return { type: field, declared: true };
  return map.elements ? { type: map.elements, declared: false } : undefined;
}

type Schema = Record<string, unknown>;

function isSchema(value: unknown): value is Schema {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * List-map keys the built-in schemas default without saying so in the Swagger data (Go `+default` markers that only
 * reach kube-apiserver's own OpenAPI models): a container port's or Service port's protocol is TCP.
 */
const BUILTIN_KEY_DEFAULTS: Record<string, Record<string, unknown>> = {
  "io.k8s.api.core.v1.ContainerPort": { protocol: "TCP" },
  "io.k8s.api.core.v1.ServicePort": { protocol: "TCP" },
  "io.k8s.api.core.v1.LocalObjectReference": { name: "" },
};

const REF_PREFIXES = ["#/definitions/", "#/components/schemas/"];

/** Turns schemas into field types, resolving `$ref`s into `definitions` once each. */
class SchemaTypes {
  readonly #named = new Map<string, FieldType>();

  constructor(private readonly definitions: Record<string, unknown>) {}

  named(name: string): FieldType {
    let type = this.#named.get(name);
    if (!type) {
      const schema = this.definitions[name];
      type = isSchema(schema) ? this.of(schema, BUILTIN_KEY_DEFAULTS[name]) : DEDUCED;
      this.#named.set(name, type);
    }
    return type;
  }

  of(schema: Schema, defaults?: Record<string, unknown>): FieldType {
    const ref = referenceOf(schema);
    if (ref !== undefined) {
      const target = this.named(ref);
      // A reference may narrow a struct to atomic at the place it is used.
      if (schema["x-kubernetes-map-type"] === "atomic" && target.kind === "map" && !target.atomic) {
        return { ...target, atomic: true, field: (n) => target.field(n), defaultOf: (n) => target.defaultOf(n) };
      }
      return target;
    }
    if (schema["x-kubernetes-int-or-string"] === true) return SCALAR;
    const type = schema.type;
    if (type === "array" || (type === undefined && isSchema(schema.items))) return this.#list(schema);
    if (type === "object" || isSchema(schema.properties) || schema.additionalProperties !== undefined) {
      return this.#map(schema, defaults);
    }
    if (typeof type === "string") return SCALAR;
    return DEDUCED;
  }

  #list(schema: Schema): ListType {
    const element = isSchema(schema.items) ? this.of(schema.items) : DEDUCED;
    const listType = schema["x-kubernetes-list-type"];
    if (listType === "map") {
      const keys = schema["x-kubernetes-list-map-keys"];
      return { kind: "list", listType: "map", keys: Array.isArray(keys) ? keys.map(String) : [], element };
    }
    if (listType === "set") return { kind: "list", listType: "set", keys: [], element };
    if (listType === undefined) {
      // Without a list type, a `merge` patch strategy makes the list associative (keyed by its merge key, or a set).
      const strategy = schema["x-kubernetes-patch-strategy"];
      if (typeof strategy === "string" && strategy.split(",").includes("merge")) {
        const key = schema["x-kubernetes-patch-merge-key"];
        return typeof key === "string" && key
          ? { kind: "list", listType: "map", keys: [key], element }
          : { kind: "list", listType: "set", keys: [], element };
      }
    }
    return { kind: "list", listType: "atomic", keys: [], element };
  }

  #map(schema: Schema, defaults: Record<string, unknown> | undefined): MapType {
    const properties = isSchema(schema.properties) ? schema.properties : {};
    const hasProperties = Object.keys(properties).length > 0;
    const additional = schema.additionalProperties;
    let elements: FieldType | undefined;
    if (isSchema(additional)) elements = this.of(additional);
    else if (additional === true || schema["x-kubernetes-preserve-unknown-fields"] === true) elements = DEDUCED;
    // An object without any declared shape holds anything (RawExtension, FieldsV1).
    else if (!hasProperties && additional !== false) elements = DEDUCED;
    const fields = new Map<string, FieldType>();
    const required = Array.isArray(schema.required) ? schema.required.map(String) : [];
    const embedded = schema["x-kubernetes-embedded-resource"] === true;
    const field = (name: string): FieldType | undefined => {
      // An embedded object (a Pod template in a custom resource) has an object's metadata whatever its schema says.
      if (embedded && name === "metadata") return this.named(OBJECT_META);
      let type = fields.get(name);
      if (type === undefined) {
        const property = Object.hasOwn(properties, name) ? properties[name] : undefined;
        if (!isSchema(property)) return undefined;
        type = this.of(property);
        fields.set(name, type);
      }
      return type;
    };
    const defaultOf = (name: string): unknown => {
      if (defaults && Object.hasOwn(defaults, name)) return defaults[name];
      const property = Object.hasOwn(properties, name) ? properties[name] : undefined;
      return isSchema(property) ? property.default : undefined;
    };
    return { kind: "map", atomic: schema["x-kubernetes-map-type"] === "atomic", required, field, elements, defaultOf };
  }
}

/** `$ref`, or OpenAPI 3's single-reference `allOf` wrapper; only a string `$ref` is a reference. */
function referenceOf(schema: Schema): string | undefined {
  const ref = schema.$ref;
  if (typeof ref === "string") {
    const prefix = REF_PREFIXES.find((p) => ref.startsWith(p));
    return prefix ? ref.slice(prefix.length) : ref;
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length === 1 && isSchema(schema.allOf[0])) {
    return referenceOf(schema.allOf[0]);
  }
  return undefined;
}

interface Builtin {
  types: SchemaTypes;
  /** `group/version/Kind` → definition name. */
  kinds: Map<string, string>;
}

let builtin: Builtin | undefined;

function builtinData(): Builtin {
  if (builtin) return builtin;
  const definitions = builtinDefinitions();
  const kinds = new Map<string, string>();
  for (const [name, schema] of Object.entries(definitions)) {
    const gvks = isSchema(schema) ? schema["x-kubernetes-group-version-kind"] : undefined;
    // DeleteOptions, WatchEvent and friends are listed under every group; real kinds have one entry.
    if (!Array.isArray(gvks) || gvks.length !== 1) continue;
    const { group, version, kind } = gvks[0] as { group: string; version: string; kind: string };
    kinds.set(`${group}/${version}/${kind}`, name);
  }
  return builtin = { types: new SchemaTypes(definitions), kinds };
}

const OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

/**
 * The type of a built-in kind (group "" for the core group), or undefined for kinds without a built-in schema.
 *
 * @example
 * ```ts
 * const deployment = builtinObjectType("apps", "v1", "Deployment")!;
 * deployment.field("spec"); // DeploymentSpec
 * ```
 */
export function builtinObjectType(group: string, version: string, kind: string): MapType | undefined {
  const data = builtinData();
  const name = data.kinds.get(`${group}/${version}/${kind}`);
  if (name === undefined) return undefined;
  const type = data.types.named(name);
  return type.kind === "map" ? type : undefined;
}

/**
 * The type of a custom resource from its CustomResourceDefinition version's `schema.openAPIV3Schema` (a structural
 * schema); `apiVersion`, `kind` and `metadata` are typed as for every object. Without a schema, everything but
 * `metadata` is deduced from the values.
 *
 * @example
 * ```ts
 * const widget = customResourceType({ type: "object", properties: { spec: { type: "object", properties: { size: { type: "integer" } } } } });
 * ```
 */
export function customResourceType(openAPIV3Schema: unknown): MapType {
  const data = builtinData();
  const root = isSchema(openAPIV3Schema) ? data.types.of(openAPIV3Schema) : DEDUCED_MAP;
  const body = root.kind === "map" ? root : DEDUCED_MAP;
  const meta = data.types.named(OBJECT_META);
  return {
    ...body,
    atomic: false,
    field: (name) => {
      if (name === "metadata") return meta;
      if (name === "apiVersion" || name === "kind") return SCALAR;
      return body.field(name);
    },
    defaultOf: (name) => body.defaultOf(name),
  };
}
