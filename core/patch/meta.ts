/**
 * Patch metadata for strategic merge patch: for each field of a built-in type, its patch strategy and merge key,
 * read from the `x-kubernetes-patch-strategy` / `x-kubernetes-patch-merge-key` extensions of the Kubernetes 1.32
 * OpenAPI v2 definitions (the same data as the Go struct tags kube-apiserver uses). Types are resolved lazily
 * along `$ref`s, so `Deployment` → `spec.template.spec.containers` → `ports` finds `containerPort`.
 *
 * @module
 */
import { builtinDefinitions } from "../openapi/openapi.ts";

/** How one field is patched. */
export interface FieldPatchMeta {
  /** `x-kubernetes-patch-strategy`: "", "merge", "replace", "retainKeys" or "merge,retainKeys". */
  readonly strategy: string;
  /** `x-kubernetes-patch-merge-key`; "" when the field has none. */
  readonly mergeKey: string;
}

/** A field of an object: how it is patched, and the metadata of its value (of each element, for a list). */
export interface PatchField {
  readonly meta: FieldPatchMeta;
  readonly value: PatchMeta;
}

/** The patch metadata of one object type. */
export interface PatchMeta {
  /** The type's name, for error messages (`Container`). */
  readonly name: string;
  /** Field `key`; unknown fields have no strategy and free-form values. */
  field(key: string): PatchField;
}

type Schema = Record<string, unknown>;

const NO_STRATEGY: FieldPatchMeta = Object.freeze({ strategy: "", mergeKey: "" });

/**
 * Metadata for values without a schema (`metadata.labels`, ConfigMap `data`, preserve-unknown-fields objects):
 * maps merge, lists are replaced.
 *
 * @example
 * ```ts
 * FREE_FORM.field("anything").meta; // { strategy: "", mergeKey: "" }
 * ```
 */
export const FREE_FORM: PatchMeta = Object.freeze({
  name: "",
  field: (): PatchField => FREE_FIELD,
});

const FREE_FIELD: PatchField = Object.freeze({ meta: NO_STRATEGY, value: FREE_FORM });

const REF_PREFIX = "#/definitions/";

function isSchema(value: unknown): value is Schema {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The definitions of one swagger document, with each definition's metadata built once. */
class Catalog {
  readonly #byName = new Map<string, PatchMeta>();

  constructor(readonly definitions: Record<string, unknown>) {}

  byName(name: string): PatchMeta | undefined {
    let meta = this.#byName.get(name);
    if (!meta) {
      const schema = this.definitions[name];
      if (!isSchema(schema)) return undefined;
      meta = this.metaOf(schema, name.slice(name.lastIndexOf(".") + 1));
      this.#byName.set(name, meta);
    }
    return meta;
  }

  /** Metadata of an inline schema; `name` labels it in messages when it is not a reference. */
  metaOf(schema: Schema, name: string): PatchMeta {
    const ref = referenceOf(schema);
    if (ref !== undefined) return this.byName(ref) ?? FREE_FORM;
    if (isSchema(schema.properties) || isSchema(schema.additionalProperties)) {
      return new SchemaPatchMeta(name, schema, this);
    }
    return FREE_FORM;
  }
}

/** `$ref`, or OpenAPI 3's single-reference `allOf` wrapper; only a string `$ref` is a reference. */
function referenceOf(schema: Schema): string | undefined {
  const ref = schema.$ref;
  if (typeof ref === "string") return ref.startsWith(REF_PREFIX) ? ref.slice(REF_PREFIX.length) : ref;
  if (Array.isArray(schema.allOf) && schema.allOf.length === 1 && isSchema(schema.allOf[0])) {
    return referenceOf(schema.allOf[0]);
  }
  return undefined;
}

class SchemaPatchMeta implements PatchMeta {
  readonly #fields = new Map<string, PatchField>();

  constructor(readonly name: string, private readonly schema: Schema, private readonly catalog: Catalog) {}

  field(key: string): PatchField {
    let field = this.#fields.get(key);
    if (!field) {
      field = this.#resolve(key);
      this.#fields.set(key, field);
    }
    return field;
  }

  #resolve(key: string): PatchField {
    const properties = this.schema.properties;
    let property: unknown = isSchema(properties) && Object.hasOwn(properties, key) ? properties[key] : undefined;
    // A map type (`map[string]T`): every key has the element schema.
    if (property === undefined) property = this.schema.additionalProperties;
    if (!isSchema(property)) return FREE_FIELD;
    const strategy = property["x-kubernetes-patch-strategy"];
    const mergeKey = property["x-kubernetes-patch-merge-key"];
    const meta = typeof strategy === "string" || typeof mergeKey === "string"
      ? {
        strategy: typeof strategy === "string" ? strategy : "",
        mergeKey: typeof mergeKey === "string" ? mergeKey : "",
      }
      : NO_STRATEGY;
    // A list's metadata describes its elements, as apimachinery's slice lookup does.
    const valueSchema = property.type === "array" ? property.items : property;
    const value = isSchema(valueSchema) ? this.catalog.metaOf(valueSchema, `${this.name}.${key}`) : FREE_FORM;
    return { meta, value };
  }
}

/**
 * Metadata of definition `name` in any swagger `definitions` (tests, or documents other than the built-in one).
 *
 * @example
 * ```ts
 * const meta = patchMetaFromDefinitions(swagger.definitions, "io.k8s.api.core.v1.PodSpec");
 * meta.field("containers").meta; // { strategy: "merge", mergeKey: "name" }
 * ```
 */
export function patchMetaFromDefinitions(definitions: Record<string, unknown>, name: string): PatchMeta {
  const meta = new Catalog(definitions).byName(name);
  if (!meta) throw new Error(`no definition named ${name}`);
  return meta;
}

interface Builtin {
  catalog: Catalog;
  /** `group/version/Kind` → definition name. */
  kinds: Map<string, string>;
  /** `group/Kind`, any version. */
  groupKinds: Set<string>;
}

let builtin: Builtin | undefined;

/** The 1.32 definitions, parsed on first use (a few hundred milliseconds, so not at start-up). */
function builtinData(): Builtin {
  if (builtin) return builtin;
  const definitions = builtinDefinitions();
  const kinds = new Map<string, string>();
  const groupKinds = new Set<string>();
  for (const [name, schema] of Object.entries(definitions)) {
    const gvks = isSchema(schema) ? schema["x-kubernetes-group-version-kind"] : undefined;
    if (!Array.isArray(gvks)) continue;
    for (const { group, version, kind } of gvks as { group: string; version: string; kind: string }[]) {
      // DeleteOptions, WatchEvent and friends are listed under every group; real kinds have one entry.
      if (gvks.length > 1) continue;
      kinds.set(`${group}/${version}/${kind}`, name);
      groupKinds.add(`${group}/${kind}`);
    }
  }
  return builtin = { catalog: new Catalog(definitions), kinds, groupKinds };
}

/**
 * The patch metadata of a built-in kind (group "" for the core group); throws for a kind without a built-in
 * schema, which is what kube-apiserver refuses strategic merge patch for (see `supportsStrategicMerge`).
 *
 * @example
 * ```ts
 * const deployment = patchMetaFor("apps", "v1", "Deployment");
 * patchMetaAt(deployment, "spec.template.spec.containers.ports"); // { strategy: "merge", mergeKey: "containerPort" }
 * ```
 */
export function patchMetaFor(group: string, version: string, kind: string): PatchMeta {
  const data = builtinData();
  const name = data.kinds.get(`${group}/${version}/${kind}`);
  const meta = name === undefined ? undefined : data.catalog.byName(name);
  if (!meta) {
    throw new Error(`no built-in schema for ${group === "" ? "" : `${group}/`}${version}, Kind=${kind}`);
  }
  return meta;
}

/**
 * Whether a kind has a built-in schema, in any version. Custom resources do not: kube-apiserver answers 415
 * Unsupported Media Type to a strategic merge patch of them ("the body of the request was in an unknown format -
 * accepted media types include: application/json-patch+json, application/merge-patch+json,
 * application/apply-patch+yaml").
 *
 * @example
 * ```ts
 * supportsStrategicMerge("apps", "Deployment"); // true
 * supportsStrategicMerge("helm.cattle.io", "HelmChart"); // false
 * ```
 */
export function supportsStrategicMerge(group: string, kind: string): boolean {
  return builtinData().groupKinds.has(`${group}/${kind}`);
}

/**
 * The metadata of the field at a dotted path; list fields are stepped through to their elements, so
 * `spec.containers.env` is the `env` field of a container.
 *
 * @example
 * ```ts
 * patchMetaAt(patchMetaFor("", "v1", "Service"), "spec.ports"); // { strategy: "merge", mergeKey: "port" }
 * ```
 */
export function patchMetaAt(meta: PatchMeta, path: string): FieldPatchMeta {
  const keys = path.split(".");
  let current = meta;
  for (const key of keys.slice(0, -1)) current = current.field(key).value;
  return current.field(keys[keys.length - 1]).meta;
}
