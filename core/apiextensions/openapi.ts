/**
 * The OpenAPI a CRD contributes, as apiextensions-apiserver's builder makes it: one `/openapi/v3` document per
 * group-version holding the kind (the version's schema plus `apiVersion`, `kind` and an `ObjectMeta` reference,
 * tagged with `x-kubernetes-group-version-kind`, which is how `kubectl explain` finds it), its list kind and the
 * REST paths; and definitions for `/openapi/v2`, where value validations are stripped as kube strips them.
 *
 * @module
 */
import { builtinDefinitions, builtinSwagger, type OpenAPI, type V2Fragment } from "../openapi/openapi.ts";
import { KUBERNETES_VERSION } from "../version.ts";
import type { CustomResourceDefinition, CustomResourceDefinitionVersion, JSONSchemaProps } from "./types.ts";

const OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
const LIST_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta";
const STATUS = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";
const DELETE_OPTIONS = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions";
const PATCH = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";
const SCALE = "io.k8s.api.autoscaling.v1.Scale";
const METADATA_DESCRIPTION =
  "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
const LIST_METADATA_DESCRIPTION =
  "Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

/** Value validations kube drops from the v2 document (kubectl's old client-side validation chokes on them). */
const VALUE_VALIDATIONS = [
  "format",
  "maximum",
  "exclusiveMaximum",
  "minimum",
  "exclusiveMinimum",
  "maxLength",
  "minLength",
  "pattern",
  "maxItems",
  "minItems",
  "uniqueItems",
  "multipleOf",
  "enum",
  "maxProperties",
  "minProperties",
  "allOf",
  "oneOf",
  "anyOf",
  "not",
  "nullable",
  "x-kubernetes-validations",
];

/**
 * The OpenAPI definition name of a kind: the group reversed, then version and kind.
 *
 * @example
 * ```ts
 * definitionName("example.com", "v1", "Widget"); // "com.example.v1.Widget"
 * ```
 */
export function definitionName(group: string, version: string, kind: string): string {
  return [group.split(".").reverse().join("."), version, kind].join(".");
}

type Json = Record<string, unknown>;

function typeMeta(): { apiVersion: unknown; kind: unknown } {
  const props = (builtinDefinitions()["io.k8s.api.core.v1.ConfigMap"] as { properties: Json }).properties;
  return { apiVersion: props.apiVersion, kind: props.kind };
}

function refTo(name: string, v2: boolean, description?: string): Json {
  const ref = v2 ? `#/definitions/${name}` : `#/components/schemas/${name}`;
  if (!description) return { $ref: ref };
  return v2 ? { $ref: ref, description } : { allOf: [{ $ref: ref }], description };
}

/** Rewrite a schema for v2: no value validations, preserved subtrees opaque, `int-or-string` untyped. */
function toV2(s: JSONSchemaProps): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(s)) {
    if (VALUE_VALIDATIONS.includes(key)) continue;
    if (key === "properties") {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, JSONSchemaProps>).map(([k, v]) => [k, toV2(v)]),
      );
    } else if ((key === "items" || key === "additionalProperties") && value && typeof value === "object") {
      out[key] = toV2(value as JSONSchemaProps);
    } else out[key] = value;
  }
  return out;
}

/** Embedded resources get `apiVersion`, `kind` and `metadata`, as kube's builder adds them. */
function withEmbedded(s: JSONSchemaProps, v2: boolean): Json {
  const out: Json = { ...s };
  if (s.properties) {
    out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, withEmbedded(v, v2)]));
  }
  if (s.items && !Array.isArray(s.items)) out.items = withEmbedded(s.items, v2);
  if (typeof s.additionalProperties === "object") out.additionalProperties = withEmbedded(s.additionalProperties, v2);
  if (s["x-kubernetes-embedded-resource"] && !(v2 && s["x-kubernetes-preserve-unknown-fields"])) {
    const meta = typeMeta();
    out.properties = {
      ...(out.properties as Json ?? {}),
      apiVersion: meta.apiVersion,
      kind: meta.kind,
      metadata: refTo(OBJECT_META, v2, METADATA_DESCRIPTION),
    };
    out.required = [...new Set([...(s.required ?? []), "kind", "apiVersion"])];
  }
  return out;
}

function kindSchema(crd: CustomResourceDefinition, version: CustomResourceDefinitionVersion, v2: boolean): Json {
  const { group, names } = crd.spec;
  const gvk = [{ group, kind: names.kind, version: version.name }];
  const schema = version.schema?.openAPIV3Schema;
  if (!schema || (v2 && schema["x-kubernetes-preserve-unknown-fields"])) {
    return { type: "object", "x-kubernetes-group-version-kind": gvk };
  }
  const shaped = withEmbedded(v2 ? toV2(schema) as JSONSchemaProps : schema, v2);
  const meta = typeMeta();
  return {
    ...shaped,
    properties: {
      ...(shaped.properties as Json ?? {}),
      apiVersion: meta.apiVersion,
      kind: meta.kind,
      metadata: refTo(OBJECT_META, v2, METADATA_DESCRIPTION),
    },
    "x-kubernetes-group-version-kind": gvk,
  };
}

function listSchema(crd: CustomResourceDefinition, version: string, v2: boolean): Json {
  const { group, names } = crd.spec;
  const listKind = names.listKind ?? `${names.kind}List`;
  const meta = typeMeta();
  return {
    type: "object",
    description: `${listKind} is a list of ${names.kind}`,
    required: ["items"],
    properties: {
      apiVersion: meta.apiVersion,
      items: {
        type: "array",
        description:
          `List of ${names.plural}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md`,
        items: refTo(definitionName(group, version, names.kind), v2),
      },
      kind: meta.kind,
      metadata: refTo(LIST_META, v2, LIST_METADATA_DESCRIPTION),
    },
    "x-kubernetes-group-version-kind": [{ group, kind: listKind, version }],
  };
}

function article(kind: string): string {
  return /^[aeiou]/i.test(kind) ? " an " : " a ";
}

/** Built-in operations whose query parameters every resource's operations share. */
const TEMPLATES = {
  collection: "/api/v1/namespaces/{namespace}/configmaps",
  item: "/api/v1/namespaces/{namespace}/configmaps/{name}",
};

/**
 * The query parameters of a built-in operation (`dryRun`, `fieldValidation`, `watch`…), which kubectl looks for
 * before it relies on server-side field validation.
 */
function queryParameters(template: keyof typeof TEMPLATES, method: string, v2: boolean): Json[] {
  const { paths, parameters } = builtinSwagger();
  const item = paths[TEMPLATES[template]] as Record<string, { parameters?: Json[] }>;
  const declared = [...(item.parameters as unknown as Json[] ?? []), ...(item[method]?.parameters ?? [])];
  return declared
    .map((p) => typeof p.$ref === "string" ? parameters[(p.$ref as string).replace("#/parameters/", "")] as Json : p)
    .filter((p) => p?.in === "query")
    .map((p) => {
      if (v2) return p;
      const { type, uniqueItems, ...rest } = p;
      return { ...rest, schema: { type, uniqueItems } };
    });
}

function operation(
  crd: CustomResourceDefinition,
  version: string,
  action: string,
  verb: string,
  response: string,
  v2: boolean,
  sub = "",
  body?: string,
  query: Json[] = [],
): Json {
  const { group, names, scope } = crd.spec;
  const kind = names.kind;
  const namespaced = scope === "Namespaced" ? "Namespaced" : "";
  const subTitle = sub ? sub[0].toUpperCase() + sub.slice(1) : "";
  const of = sub ? ` ${sub} of` : "";
  const description = verb === "list"
    ? `list objects of kind ${kind}`
    : verb === "deletecollection"
    ? `delete collection of ${kind}`
    : verb === "patch"
    ? `partially update${of} the specified ${kind}`
    : verb === "read" || verb === "replace"
    ? `${verb}${of} the specified ${kind}`
    : `${verb}${of}${article(kind)}${kind}`;
  const schema = refTo(response, v2);
  const op: Json = {
    description,
    operationId: `${verb}${namespaced}${kind}${subTitle}`,
    responses: v2 ? { "200": { description: "OK", schema }, "401": { description: "Unauthorized" } } : {
      "200": { description: "OK", content: { "application/json": { schema }, "application/yaml": { schema } } },
      "401": { description: "Unauthorized" },
    },
    "x-kubernetes-action": action,
    "x-kubernetes-group-version-kind": { group, version, kind },
  };
  const bodyParameter = body && v2 ? [{ name: "body", in: "body", required: true, schema: refTo(body, v2) }] : [];
  if (body && !v2) op.requestBody = { content: { "*/*": { schema: refTo(body, v2) } }, required: true };
  if (bodyParameter.length || query.length) op.parameters = [...bodyParameter, ...query];
  return op;
}

function pathParameter(name: string, description: string, v2: boolean): Json {
  return v2
    ? { name, in: "path", description, required: true, type: "string", uniqueItems: true }
    : { name, in: "path", description, required: true, schema: { type: "string", uniqueItems: true } };
}

function paths(crd: CustomResourceDefinition, version: CustomResourceDefinitionVersion, v2: boolean): Json {
  const { group, names, scope } = crd.spec;
  const kindName = definitionName(group, version.name, names.kind);
  const listName = definitionName(group, version.name, names.listKind ?? `${names.kind}List`);
  const namespaced = scope === "Namespaced";
  const root = namespaced
    ? `/apis/${group}/${version.name}/namespaces/{namespace}/${names.plural}`
    : `/apis/${group}/${version.name}/${names.plural}`;
  const nsParam = pathParameter("namespace", "object name and auth scope, such as for teams and projects", v2);
  const nameParam = pathParameter("name", `name of the ${names.kind}`, v2);
  const params = (withName: boolean) => [...(withName ? [nameParam] : []), ...(namespaced ? [nsParam] : [])];
  const out: Json = {};
  const q = (template: keyof typeof TEMPLATES, method: string) => queryParameters(template, method, v2);
  const v = version.name;
  if (namespaced) {
    out[`/apis/${group}/${v}/${names.plural}`] = {
      get: {
        ...operation(crd, v, "list", "list", listName, v2, "", undefined, q("collection", "get")),
        operationId: `list${names.kind}ForAllNamespaces`,
      },
    };
  }
  out[root] = {
    get: operation(crd, v, "list", "list", listName, v2, "", undefined, q("collection", "get")),
    post: operation(crd, v, "post", "create", kindName, v2, "", kindName, q("collection", "post")),
    delete: operation(
      crd,
      v,
      "deletecollection",
      "deletecollection",
      STATUS,
      v2,
      "",
      DELETE_OPTIONS,
      q("collection", "delete"),
    ),
    parameters: params(false),
  };
  const item = (sub: string, response: string) => ({
    get: operation(crd, v, "get", "read", response, v2, sub, undefined, q("item", "get")),
    put: operation(crd, v, "put", "replace", response, v2, sub, response, q("item", "put")),
    patch: operation(crd, v, "patch", "patch", response, v2, sub, PATCH, q("item", "patch")),
    parameters: params(true),
  });
  out[`${root}/{name}`] = {
    ...item("", kindName),
    delete: operation(crd, v, "delete", "delete", STATUS, v2, "", DELETE_OPTIONS, q("item", "delete")),
  };
  if (version.subresources?.status) out[`${root}/{name}/status`] = item("status", kindName);
  if (version.subresources?.scale) out[`${root}/{name}/scale`] = item("scale", SCALE);
  return out;
}

function servedVersions(crd: CustomResourceDefinition, version?: string): CustomResourceDefinitionVersion[] {
  return crd.spec.versions.filter((v) => v.served && (version === undefined || v.name === version));
}

/**
 * The `/openapi/v3/apis/<group>/<version>` document of the CRDs serving that group-version.
 *
 * @example
 * ```ts
 * openapi.setV3("apis/example.com/v1", groupVersionDocument([widgets], "example.com", "v1", openapi));
 * ```
 */
export function groupVersionDocument(
  crds: CustomResourceDefinition[],
  group: string,
  version: string,
  openapi: OpenAPI,
): Json {
  const schemas: Json = {};
  const allPaths: Json = {};
  let scale = false;
  for (const crd of crds) {
    for (const v of servedVersions(crd, version)) {
      const { names } = crd.spec;
      schemas[definitionName(group, version, names.kind)] = kindSchema(crd, v, false);
      schemas[definitionName(group, version, names.listKind ?? `${names.kind}List`)] = listSchema(crd, version, false);
      Object.assign(allPaths, paths(crd, v, false));
      scale ||= Boolean(v.subresources?.scale);
    }
  }
  const builtins = openapi.schemas([OBJECT_META, LIST_META, STATUS, DELETE_OPTIONS, PATCH, ...(scale ? [SCALE] : [])]);
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: KUBERNETES_VERSION },
    paths: allPaths,
    components: {
      schemas: { ...builtins, ...schemas },
      securitySchemes: {
        BearerToken: {
          type: "apiKey",
          description: "Bearer Token authentication",
          name: "authorization",
          in: "header",
        },
      },
    },
    security: [{ BearerToken: [] }],
  };
}

/**
 * What a CRD adds to `/openapi/v2`: its served versions' definitions and paths.
 *
 * @example
 * ```ts
 * openapi.setV2("widgets.example.com", v2Fragment(crd));
 * ```
 */
export function v2Fragment(crd: CustomResourceDefinition): V2Fragment {
  const definitions: Json = {};
  const allPaths: Json = {};
  const { group, names } = crd.spec;
  for (const v of servedVersions(crd)) {
    definitions[definitionName(group, v.name, names.kind)] = kindSchema(crd, v, true);
    definitions[definitionName(group, v.name, names.listKind ?? `${names.kind}List`)] = listSchema(crd, v.name, true);
    Object.assign(allPaths, paths(crd, v, true));
  }
  return { paths: allPaths, definitions };
}
