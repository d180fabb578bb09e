/**
 * Generates `core/registry/generated/` from the official Kubernetes 1.32 OpenAPI v2 spec:
 *
 * - `resources.ts`: every resource kube-apiserver 1.32 serves by default (GA group-versions), with scope, kinds,
 *   verbs, subresources, short names, categories and storage version hashes;
 * - `openapi.ts`: gzip + base64 of `{ swagger, v3 }`, the served part of the v2 spec and the `paths` of each
 *   `/openapi/v3` document (schemas are shared and converted when a document is first served).
 *
 * ```sh
 * scripts/deno run -A scripts/gen-registry.ts [path/to/kubernetes-1.32-swagger.json [output-dir]]
 * ```
 *
 * @module
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { schemaClosure, schemaRefs, schemaToV3 } from "../core/openapi/convert.ts";
import type { ResourceInfo, SubresourceInfo } from "../core/registry/types.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const DEFAULT_OUT_DIR = `${ROOT}core/registry/generated`;
const DEFAULT_SWAGGER = `${ROOT}../shared/data/kubernetes-1.32-swagger.json`;

/** kube-apiserver's short names (`kubectl get po`), keyed `group/resource`; swagger does not carry them. */
const SHORT_NAMES: Record<string, string[]> = {
  "/componentstatuses": ["cs"],
  "/configmaps": ["cm"],
  "/endpoints": ["ep"],
  "/events": ["ev"],
  "/limitranges": ["limits"],
  "/namespaces": ["ns"],
  "/nodes": ["no"],
  "/persistentvolumeclaims": ["pvc"],
  "/persistentvolumes": ["pv"],
  "/pods": ["po"],
  "/replicationcontrollers": ["rc"],
  "/resourcequotas": ["quota"],
  "/serviceaccounts": ["sa"],
  "/services": ["svc"],
  "apiextensions.k8s.io/customresourcedefinitions": ["crd", "crds"],
  "apps/daemonsets": ["ds"],
  "apps/deployments": ["deploy"],
  "apps/replicasets": ["rs"],
  "apps/statefulsets": ["sts"],
  "autoscaling/horizontalpodautoscalers": ["hpa"],
  "batch/cronjobs": ["cj"],
  "certificates.k8s.io/certificatesigningrequests": ["csr"],
  "events.k8s.io/events": ["ev"],
  "networking.k8s.io/ingresses": ["ing"],
  "networking.k8s.io/networkpolicies": ["netpol"],
  "policy/poddisruptionbudgets": ["pdb"],
  "scheduling.k8s.io/priorityclasses": ["pc"],
  "storage.k8s.io/storageclasses": ["sc"],
};

/** kube-apiserver's discovery categories (`kubectl get all`, `kubectl get api-extensions`). */
const CATEGORIES: Record<string, string[]> = {
  all: [
    "/pods",
    "/replicationcontrollers",
    "/services",
    "apps/daemonsets",
    "apps/deployments",
    "apps/replicasets",
    "apps/statefulsets",
    "autoscaling/horizontalpodautoscalers",
    "batch/cronjobs",
    "batch/jobs",
  ],
  "api-extensions": [
    "admissionregistration.k8s.io/mutatingwebhookconfigurations",
    "admissionregistration.k8s.io/validatingadmissionpolicies",
    "admissionregistration.k8s.io/validatingadmissionpolicybindings",
    "admissionregistration.k8s.io/validatingwebhookconfigurations",
    "apiextensions.k8s.io/customresourcedefinitions",
    "apiregistration.k8s.io/apiservices",
  ],
};

/** Resources stored under another group-version-kind than the one served (the hash names the stored one). */
const STORAGE_GVK: Record<string, string> = {
  "events.k8s.io/events": "/v1/Event",
  "autoscaling/horizontalpodautoscalers": "autoscaling/v2/HorizontalPodAutoscaler",
};

/** Subresources in GA group-versions that are behind feature gates off by default in 1.32. */
const DISABLED_SUBRESOURCES = new Set(["/pods/resize"]); // InPlacePodVerticalScaling is alpha

/** Paths outside the API groups that this server answers itself. */
const SERVED_ROOT_PATHS = new Set(["/api/", "/apis/", "/version/"]);

/** kube-apiserver enables GA versions by default; every beta and alpha version in 1.32 is off by default. */
function servedVersion(version: string): boolean {
  return /^v[0-9]+$/.test(version);
}

interface GVK {
  group: string;
  version: string;
  kind: string;
}
interface Parameter {
  $ref?: string;
  name: string;
  in: string;
  description?: string;
  required?: boolean;
  schema?: unknown;
  [key: string]: unknown;
}
interface Operation {
  "x-kubernetes-action"?: string;
  "x-kubernetes-group-version-kind"?: GVK;
  parameters?: Parameter[];
  consumes?: string[];
  produces?: string[];
  responses: Record<string, { description: string; schema?: unknown }>;
  [key: string]: unknown;
}
type PathItem = { parameters?: Parameter[] } & Record<string, unknown>;
interface Swagger {
  swagger: string;
  info: unknown;
  paths: Record<string, PathItem>;
  definitions: Record<string, Record<string, unknown>>;
  parameters: Record<string, Parameter>;
  security: unknown;
  securityDefinitions: unknown;
}

/** Where a path lives: its group-version and what follows (`["namespaces","{namespace}","pods"]`). */
function splitPath(path: string): { group: string; version?: string; rest: string[] } | undefined {
  const parts = path.split("/").filter((p) => p !== "");
  if (parts[0] === "api" && parts.length >= 2) return { group: "", version: parts[1], rest: parts.slice(2) };
  if (parts[0] === "apis" && parts.length === 2) return { group: parts[1], rest: [] };
  if (parts[0] === "apis" && parts.length >= 3) return { group: parts[1], version: parts[2], rest: parts.slice(3) };
  return undefined;
}

/** The resource a path addresses, e.g. `namespaces/{namespace}/pods/{name}/log` → pods, namespaced, sub `log`. */
function route(rest: string[]): { resource: string; namespaced: boolean; sub?: string } | undefined {
  let r = rest[0] === "watch" ? rest.slice(1) : rest;
  let namespaced = false;
  if (r[0] === "namespaces" && r[1] === "{namespace}" && r.length >= 3) [namespaced, r] = [true, r.slice(2)];
  if (r.length === 0) return undefined;
  return { resource: r[0], namespaced, sub: r[1] === "{name}" ? r[2] : undefined };
}

const ACTION_VERBS: Record<string, string> = {
  get: "get",
  list: "list",
  watch: "watch",
  watchlist: "watch",
  post: "create",
  put: "update",
  patch: "patch",
  delete: "delete",
  deletecollection: "deletecollection",
};
/** `connect` subresources (exec, proxy, …) take their verb from the HTTP method; HEAD and OPTIONS have none. */
const CONNECT_VERBS: Record<string, string> = {
  get: "get",
  post: "create",
  put: "update",
  patch: "patch",
  delete: "delete",
};

/** A path item's operations by HTTP method (everything but its shared `parameters`). */
function operations(item: PathItem): [string, Operation][] {
  return Object.entries(item).filter(([method]) => method !== "parameters") as [string, Operation][];
}

function verbOf(method: string, op: Operation): string | undefined {
  const action = op["x-kubernetes-action"];
  return action === "connect" ? CONNECT_VERBS[method] : ACTION_VERBS[action ?? ""];
}

function servedPath(path: string, servedGroups: Set<string>): boolean {
  if (SERVED_ROOT_PATHS.has(path)) return true;
  const where = splitPath(path);
  if (!where) return false;
  if (where.version === undefined) return servedGroups.has(where.group);
  if (!servedVersion(where.version)) return false;
  const r = route(where.rest);
  return !r?.sub || !DISABLED_SUBRESOURCES.has(`${where.group}/${r.resource}/${r.sub}`);
}

/** The `/openapi/v3` document a path belongs to: `api/v1`, `apis/apps/v1`, `apis/apps`, `api`, `apis`, `version`. */
function documentOf(path: string): string {
  const where = splitPath(path);
  if (!where) return path.split("/").filter((p) => p !== "").join("/");
  if (where.version === undefined) return `apis/${where.group}`;
  return where.group ? `apis/${where.group}/${where.version}` : `api/${where.version}`;
}

function storageVersionHash(gvk: string): string {
  return createHash("sha256").update(gvk).digest().subarray(0, 8).toString("base64");
}

interface Accumulator {
  info: ResourceInfo;
  verbs: Set<string>;
  subs: Map<string, SubresourceInfo & { verbSet: Set<string> }>;
}

/** Build the resource table from the served paths' operations. */
function resources(swagger: Swagger, paths: string[]): ResourceInfo[] {
  const table = new Map<string, Accumulator>();
  for (const path of paths) {
    const where = splitPath(path);
    const r = where?.version && route(where.rest);
    if (!where?.version || !r) continue;
    const key = `${where.group}/${where.version}/${r.resource}`;
    let acc = table.get(key);
    if (!acc) {
      acc = {
        info: {
          group: where.group,
          version: where.version,
          resource: r.resource,
          singular: "",
          kind: "",
          listKind: "",
          namespaced: false,
          shortNames: SHORT_NAMES[`${where.group}/${r.resource}`] ?? [],
          categories: Object.keys(CATEGORIES).filter((c) => CATEGORIES[c].includes(`${where.group}/${r.resource}`)),
          verbs: [],
          subresources: [],
        },
        verbs: new Set(),
        subs: new Map(),
      };
      table.set(key, acc);
    }
    acc.info.namespaced ||= r.namespaced;
    for (const [method, op] of operations(swagger.paths[path])) {
      const verb = verbOf(method, op);
      const gvk = op["x-kubernetes-group-version-kind"];
      if (!verb || !gvk) continue;
      if (r.sub) {
        let sub = acc.subs.get(r.sub);
        if (!sub) {
          sub = { name: r.sub, kind: gvk.kind, group: gvk.group, version: gvk.version, verbs: [], verbSet: new Set() };
          acc.subs.set(r.sub, sub);
        }
        sub.verbSet.add(verb);
        continue;
      }
      acc.verbs.add(verb);
      acc.info.kind ||= gvk.kind;
      if (op["x-kubernetes-action"] === "list") acc.info.listKind = listKindOf(swagger, op) ?? "";
    }
  }
  const out: ResourceInfo[] = [];
  for (const { info, verbs, subs } of [...table.values()]) {
    if (!info.kind) throw new Error(`no kind found for ${info.group}/${info.version}/${info.resource}`);
    info.singular = info.kind.toLowerCase();
    info.listKind ||= `${info.kind}List`; // create-only resources (reviews, bindings) have no list
    info.verbs = [...verbs].sort();
    info.subresources = [...subs.values()].sort((a, b) => a.name < b.name ? -1 : 1).map(({ verbSet, ...sub }) => ({
      ...sub,
      verbs: [...verbSet].sort(),
    }));
    // Only stored resources have a hash, and they are the watchable ones (reviews, bindings and
    // componentstatuses are computed per request).
    if (verbs.has("watch")) {
      const stored = STORAGE_GVK[`${info.group}/${info.resource}`] ?? `${info.group}/${info.version}/${info.kind}`;
      info.storageVersionHash = storageVersionHash(stored);
    }
    out.push(info);
  }
  for (const key of [...Object.keys(SHORT_NAMES), ...Object.values(CATEGORIES).flat()]) {
    if (!out.some((r) => `${r.group}/${r.resource}` === key)) throw new Error(`hand-written table names ${key}`);
  }
  return out.sort((a, b) => compareKeys([a.group, a.version, a.resource], [b.group, b.version, b.resource]));
}

function compareKeys(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

function listKindOf(swagger: Swagger, op: Operation): string | undefined {
  const ref = (op.responses["200"]?.schema as { $ref?: string } | undefined)?.$ref;
  const name = ref?.slice("#/definitions/".length);
  const gvks = name ? swagger.definitions[name]?.["x-kubernetes-group-version-kind"] as GVK[] | undefined : undefined;
  return gvks?.[0]?.kind ?? name?.split(".").pop();
}

/** A v2 parameter as OpenAPI 3.0 has it: the type moves into `schema`. */
function parameterToV3(p: Parameter): Record<string, unknown> {
  const { name, in: location, description, required, type, format, items, uniqueItems, default: dflt, enum: values } =
    p;
  const schema = dropUndefined({ type, format, items, uniqueItems, default: dflt, enum: values });
  return dropUndefined({ name, in: location, description, required, schema: schemaToV3(schema) });
}

function dropUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function operationToV3(op: Operation, resolve: (p: Parameter) => Parameter): Record<string, unknown> {
  const params = (op.parameters ?? []).map(resolve);
  const body = params.find((p) => p.in === "body");
  const others = params.filter((p) => p.in !== "body").map(parameterToV3);
  const out: Record<string, unknown> = dropUndefined({ tags: op.tags, description: op.description });
  out.operationId = op.operationId;
  if (others.length > 0) out.parameters = others;
  if (body) {
    const content = Object.fromEntries((op.consumes ?? ["*/*"]).map((m) => [m, { schema: schemaToV3(body.schema) }]));
    out.requestBody = dropUndefined({ content, required: body.required });
  }
  out.responses = Object.fromEntries(
    Object.entries(op.responses).map(([code, r]) => [
      code,
      r.schema === undefined ? { description: r.description } : {
        description: r.description,
        content: Object.fromEntries(
          (op.produces ?? ["application/json"]).map((m) => [m, { schema: schemaToV3(r.schema) }]),
        ),
      },
    ]),
  );
  for (const [key, value] of Object.entries(op)) if (key.startsWith("x-") || key === "deprecated") out[key] = value;
  return out;
}

function pathItemToV3(item: PathItem, resolve: (p: Parameter) => Parameter): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [method, op] of operations(item)) out[method] = operationToV3(op, resolve);
  if (item.parameters) out.parameters = item.parameters.map((p) => parameterToV3(resolve(p)));
  return out;
}

/** The served v2 spec (only what the served paths reach) and each v3 document's converted paths. */
function openapi(swagger: Swagger, paths: string[]) {
  const resolve = (p: Parameter) => p.$ref ? swagger.parameters[p.$ref.slice("#/parameters/".length)] : p;
  const servedPaths = Object.fromEntries(paths.map((p) => [p, swagger.paths[p]]));
  const definitions = schemaClosure(schemaRefs(servedPaths, true), swagger.definitions, true);
  const usedParameters = new Set(
    JSON.stringify(servedPaths).match(/#\/parameters\/[^"]+/g)!.map((r) => r.slice("#/parameters/".length)),
  );
  const v3: Record<string, Record<string, unknown>> = {};
  for (const path of paths) (v3[documentOf(path)] ??= {})[path] = pathItemToV3(swagger.paths[path], resolve);
  return {
    swagger: {
      swagger: swagger.swagger,
      info: swagger.info,
      paths: servedPaths,
      definitions: Object.fromEntries(definitions.map((d) => [d, swagger.definitions[d]])),
      parameters: Object.fromEntries(Object.entries(swagger.parameters).filter(([k]) => usedParameters.has(k))),
      security: swagger.security,
      securityDefinitions: swagger.securityDefinitions,
    },
    v3,
  };
}

const HEADER =
  "// deno-fmt-ignore-file\n// Generated by scripts/gen-registry.ts from kubernetes-1.32-swagger.json; do not edit.\n";

function main(swaggerPath: string, outDir: string) {
  const swagger = JSON.parse(readFileSync(swaggerPath, "utf8")) as Swagger;
  const servedGroups = new Set(
    Object.keys(swagger.paths).map(splitPath).filter((w) => w?.version && servedVersion(w.version)).map((w) =>
      w!.group
    ),
  );
  const paths = Object.keys(swagger.paths).filter((p) => servedPath(p, servedGroups)).sort();
  const table = resources(swagger, paths);

  mkdirSync(outDir, { recursive: true });
  const rows = table.map((r) => `  ${JSON.stringify(r)},`).join("\n");
  writeFileSync(
    `${outDir}/resources.ts`,
    `${HEADER}import type { ResourceInfo } from "../types.ts";\n\n` +
      `/** Every resource kube-apiserver 1.32 serves by default, with its subresources, short names and categories. */\n` +
      `export const BUILTIN_RESOURCES: readonly ResourceInfo[] = [\n${rows}\n];\n`,
  );

  const json = JSON.stringify(openapi(swagger, paths));
  const packed = gzipSync(json, { level: 9 }).toString("base64");
  writeFileSync(
    `${outDir}/openapi.ts`,
    `${HEADER}\n/** gzip, then base64, of \`{ swagger, v3 }\`: the served v2 spec and each /openapi/v3 document's paths. */\n` +
      `export const OPENAPI_GZIP_BASE64 =\n  "${packed}";\n`,
  );

  const gvs = new Set(table.map((r) => `${r.group}/${r.version}`));
  console.log(`${table.length} resources in ${gvs.size} group-versions, ${paths.length} paths`);
  console.log(`resources.ts: ${(rows.length / 1024).toFixed(0)} KiB`);
  console.log(
    `openapi.ts: ${(packed.length / 1024).toFixed(0)} KiB (JSON ${(json.length / 1024).toFixed(0)} KiB, ` +
      `gzip ${(packed.length * 3 / 4 / 1024).toFixed(0)} KiB)`,
  );
}

if (import.meta.main) main(Deno.args[0] ?? DEFAULT_SWAGGER, Deno.args[1] ?? DEFAULT_OUT_DIR);
