/**
 * The OpenAPI documents kube-apiserver serves: `/openapi/v2` (one Swagger 2.0 spec) and `/openapi/v3` (an index of
 * one OpenAPI 3.0 document per group-version, each addressed with a content hash so clients can cache it forever).
 * The built-ins come from the generated Kubernetes 1.32 data; CRDs add and remove their own documents.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { admits, parseAccept } from "../discovery/accept.ts";
import { OPENAPI_GZIP_BASE64 } from "../registry/generated/openapi.ts";
import { KUBERNETES_VERSION } from "../version.ts";
import { schemaClosure, schemaRefs, schemaToV3 } from "./convert.ts";

/** A document ready to serve: its JSON text, and a hash of it for `?hash=` and `ETag`. */
export interface ServedDocument {
  json: string;
  /** Upper-case hex SHA-512 of `json`, as kube-apiserver names its documents. */
  hash: string;
}

/** `/openapi/v3`: where each document lives. */
export interface OpenAPIV3Index {
  paths: Record<string, { serverRelativeURL: string }>;
}

/** Paths and definitions merged into `/openapi/v2` (what a CRD contributes). */
export interface V2Fragment {
  paths?: Record<string, unknown>;
  definitions?: Record<string, unknown>;
}

/** What a client's `Accept` header allows for an OpenAPI document. */
export type OpenAPIFormat = { format: "json"; contentType: "application/json" } | { format: "not-acceptable" };

interface BuiltinData {
  swagger: Record<string, unknown> & { paths: Record<string, unknown>; definitions: Record<string, unknown> };
  v3: Record<string, Record<string, unknown>>;
}

let builtinData: BuiltinData | undefined;

/** The generated data, unpacked on first use (a 5 MB JSON text, kept out of start-up). */
function builtin(): BuiltinData {
  return builtinData ??= JSON.parse(gunzipSync(Buffer.from(OPENAPI_GZIP_BASE64, "base64")).toString("utf8"));
}

/**
 * The built-in Swagger 2.0 definitions, decoded once and shared (strategic merge patch reads its
 * patch strategies from them) rather than re-serialised and parsed by each reader.
 *
 * @example
 * ```ts
 * builtinDefinitions()["io.k8s.api.apps.v1.Deployment"];
 * ```
 */
export function builtinDefinitions(): Record<string, unknown> {
  return builtin().swagger.definitions;
}

/**
 * The built-in Swagger 2.0 paths and shared parameters, decoded once and shared: a CRD's documents copy the
 * standard query parameters of their operations from the built-in ones.
 *
 * @example
 * ```ts
 * builtinSwagger().paths["/api/v1/namespaces/{namespace}/configmaps"];
 * ```
 */
export function builtinSwagger(): { paths: Record<string, unknown>; parameters: Record<string, unknown> } {
  const swagger = builtin().swagger;
  return { paths: swagger.paths, parameters: swagger.parameters as Record<string, unknown> };
}

const SECURITY_SCHEMES = {
  BearerToken: { type: "apiKey", description: "Bearer Token authentication", name: "authorization", in: "header" },
};

/**
 * The served OpenAPI documents.
 *
 * @example
 * ```ts
 * const openapi = new OpenAPI();
 * openapi.index().paths["apis/apps/v1"].serverRelativeURL; // "/openapi/v3/apis/apps/v1?hash=4F0F…"
 * JSON.parse(openapi.v3("apis/apps/v1")!.json).components.schemas["io.k8s.api.apps.v1.Deployment"];
 * ```
 */
export class OpenAPI {
  readonly #added = new Map<string, unknown>();
  readonly #removed = new Set<string>();
  readonly #v3Cache = new Map<string, ServedDocument>();
  readonly #v2Fragments = new Map<string, V2Fragment>();
  #v2Cache: ServedDocument | undefined;
  #schemas: Record<string, unknown> | undefined;

  /**
   * Every `/openapi/v3` document path, sorted (`api`, `api/v1`, `apis`, `apis/apps`, `apis/apps/v1`, …).
   *
   * @example
   * ```ts
   * openapi.documentPaths().includes("apis/apps/v1"); // true
   * ```
   */
  documentPaths(): string[] {
    const paths = new Set([...Object.keys(builtin().v3), ...this.#added.keys()]);
    for (const removed of this.#removed) paths.delete(removed);
    return [...paths].sort();
  }

  /**
   * `/openapi/v3`: each document with its hash-pinned URL.
   *
   * @example
   * ```ts
   * openapi.index().paths["api/v1"]; // { serverRelativeURL: "/openapi/v3/api/v1?hash=…" }
   * ```
   */
  index(): OpenAPIV3Index {
    const paths: OpenAPIV3Index["paths"] = {};
    for (const path of this.documentPaths()) {
      paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${this.v3(path)!.hash}` };
    }
    return { paths };
  }

  /**
   * One `/openapi/v3/<path>` document, or undefined. `path` is `apis/apps/v1`; a leading `/` or `/openapi/v3/`
   * is ignored.
   *
   * @example
   * ```ts
   * openapi.v3("/openapi/v3/apis/apps/v1")?.hash;
   * ```
   */
  v3(path: string): ServedDocument | undefined {
    const key = path.replace(/^\/+/, "").replace(/^openapi\/v3\//, "");
    const cached = this.#v3Cache.get(key);
    if (cached) return cached;
    let doc = this.#added.get(key);
    if (doc === undefined && !this.#removed.has(key) && key in builtin().v3) doc = this.#builtinV3(key);
    if (doc === undefined) return undefined;
    const served = serve(doc);
    this.#v3Cache.set(key, served);
    return served;
  }

  /**
   * Serve `doc` at `/openapi/v3/<path>` (a CRD group-version), replacing what was there.
   *
   * @example
   * ```ts
   * openapi.setV3("apis/helm.cattle.io/v1", { openapi: "3.0.0", info: { title: "Kubernetes", version: "v1.32.4" }, paths, components });
   * ```
   */
  setV3(path: string, doc: unknown): void {
    this.#added.set(path, doc);
    this.#removed.delete(path);
    this.#v3Cache.delete(path);
  }

  /**
   * Stop serving `/openapi/v3/<path>`; true when it was served.
   *
   * @example
   * ```ts
   * openapi.removeV3("apis/helm.cattle.io/v1");
   * ```
   */
  removeV3(path: string): boolean {
    const served = this.documentPaths().includes(path);
    this.#added.delete(path);
    if (path in builtin().v3) this.#removed.add(path);
    this.#v3Cache.delete(path);
    return served;
  }

  /**
   * Built-in component schemas (OpenAPI 3.0 form) named in `roots`, with everything they reference: what a CRD
   * document embeds for `ObjectMeta`, `ListMeta`, `Status`…
   *
   * @example
   * ```ts
   * Object.keys(openapi.schemas(["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]));
   * // ["io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1", "io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry", …]
   * ```
   */
  schemas(roots: Iterable<string>): Record<string, unknown> {
    const all = this.#allSchemas();
    return Object.fromEntries(schemaClosure(roots, all).map((name) => [name, all[name]]));
  }

  /**
   * `/openapi/v2`: the Swagger 2.0 spec of everything served.
   *
   * @example
   * ```ts
   * JSON.parse(openapi.v2().json).swagger; // "2.0"
   * ```
   */
  v2(): ServedDocument {
    if (this.#v2Cache) return this.#v2Cache;
    const { swagger } = builtin();
    const paths = { ...swagger.paths };
    const definitions = { ...swagger.definitions };
    for (const fragment of this.#v2Fragments.values()) {
      Object.assign(paths, fragment.paths);
      Object.assign(definitions, fragment.definitions);
    }
    const doc = { ...swagger, info: { title: "Kubernetes", version: KUBERNETES_VERSION }, paths, definitions };
    return this.#v2Cache = serve(doc);
  }

  /**
   * Merge a CRD's paths and definitions into `/openapi/v2` under `key`, replacing its previous fragment.
   *
   * @example
   * ```ts
   * openapi.setV2("helmcharts.helm.cattle.io", { paths: { "/apis/helm.cattle.io/v1/helmcharts": {...} }, definitions });
   * ```
   */
  setV2(key: string, fragment: V2Fragment): void {
    this.#v2Fragments.set(key, fragment);
    this.#v2Cache = undefined;
  }

  /**
   * Drop the `/openapi/v2` fragment added under `key`; true when there was one.
   *
   * @example
   * ```ts
   * openapi.removeV2("helmcharts.helm.cattle.io");
   * ```
   */
  removeV2(key: string): boolean {
    this.#v2Cache = undefined;
    return this.#v2Fragments.delete(key);
  }

  #builtinV3(key: string): unknown {
    const paths = builtin().v3[key];
    return {
      openapi: "3.0.0",
      info: { title: "Kubernetes", version: KUBERNETES_VERSION },
      paths,
      components: { schemas: this.schemas(schemaRefs(paths)), securitySchemes: SECURITY_SCHEMES },
      security: [{ BearerToken: [] }],
    };
  }

  #allSchemas(): Record<string, unknown> {
    if (!this.#schemas) {
      const definitions = builtin().swagger.definitions;
      this.#schemas = Object.fromEntries(Object.keys(definitions).map((name) => [name, schemaToV3(definitions[name])]));
    }
    return this.#schemas;
  }
}

function serve(doc: unknown): ServedDocument {
  const json = JSON.stringify(doc);
  return { json, hash: createHash("sha512").update(json).digest("hex").toUpperCase() };
}

/**
 * Which form of an OpenAPI document (`/openapi/v2`, or a `/openapi/v3` document) an `Accept` header allows. Only
 * JSON is served: a header that allows only the protobuf forms kubectl's typed client asks for
 * (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`) gets a 406, which kubectl survives, whereas
 * JSON it cannot decode breaks it.
 *
 * @example
 * ```ts
 * openapiFormat("application/json"); // { format: "json", contentType: "application/json" }
 * openapiFormat(undefined); // { format: "json", contentType: "application/json" }
 * openapiFormat("application/com.github.proto-openapi.spec.v2@v1.0+protobuf"); // { format: "not-acceptable" }
 * ```
 */
export function openapiFormat(accept: string | null | undefined): OpenAPIFormat {
  return parseAccept(accept).some((range) => admits(range, "application/json"))
    ? { format: "json", contentType: "application/json" }
    : { format: "not-acceptable" };
}
