/**
 * The Kubernetes REST paths (`/api/v1/…`, `/apis/<group>/<version>/…`) turned into calls on
 * {@linkcode Rest}, with kube-apiserver's status codes, `Table` output and chunked watch streams.
 * Web-standard `Request` in, `Response` out, so it serves HTTPS and in-process callers alike.
 *
 * @module
 */
import type { ResourceInfo } from "../registry/types.ts";
import { type TableOptions, toCustomTable, toTable } from "../tables/table.ts";
import { replicasPatch, scaleOf } from "../apiextensions/scale.ts";
import { decodeBody, readBody, type ResponseForm, responseForm } from "./encoding.ts";
import { applyPatch, patchTypeOf } from "./patch.ts";
import { managerOrUserAgent, validateWriteOptions } from "../fieldmanager/options.ts";
import { validateFields } from "./field_validation_request.ts";
import type { DeleteOptions, ListOptions, Rest, WatchOptions, WireEvent } from "./rest.ts";
import {
  badRequest,
  internalError,
  invalid,
  methodNotAllowed,
  pathNotFound,
  type Status,
  StatusError,
} from "./status.ts";
import type { KubeObject } from "./storage.ts";
import { type Attributes, requestAttributes } from "../auth/authorization/attributes.ts";
import { withRequest } from "../auth/authorization/context.ts";

/** Who is asking (from the client certificate or token). */
export interface UserInfo {
  username: string;
  groups: string[];
  uid?: string;
  extra?: Record<string, string[]>;
}

/** Finds the served resource for a path's group, version and plural name. */
export interface ResourceResolver {
  resolve(group: string, version: string, resource: string): ResourceInfo | undefined;
}

/** A parsed REST path. */
export interface ResourcePath {
  info: ResourceInfo;
  namespace?: string;
  name?: string;
  subresource?: string;
}

const JSON_TYPE = "application/json";

/**
 * kube-apiserver's JSON rendering of a `Status` (or any object) with its HTTP code.
 *
 * @example
 * ```ts
 * return jsonResponse({ kind: "Status", code: 404, … }, 404);
 * ```
 */
export function jsonResponse(body: unknown, code = 200): Response {
  return new Response(JSON.stringify(body), { status: code, headers: { "content-type": JSON_TYPE } });
}

/**
 * The response for an error: its `Status` when it is a `StatusError`, else a 500 whose message names
 * what failed (the server keeps serving either way).
 *
 * @example
 * ```ts
 * catch (error) { return errorResponse(error); }
 * ```
 */
export function errorResponse(error: unknown): Response {
  if (error instanceof StatusError) return jsonResponse(wireStatus(error.status), error.code);
  console.error(`internal error serving a request: ${error instanceof Error ? error.stack : error}`);
  return jsonResponse(internalError(error instanceof Error ? error.message : String(error)).status, 500);
}

/** A cause's kind travels as `reason` on the wire (Go's `StatusCause.Type` has the JSON name `reason`). */
function wireStatus(status: Status): unknown {
  const causes = status.details?.causes;
  if (!causes) return status;
  return {
    ...status,
    details: { ...status.details, causes: causes.map(({ type, ...rest }) => ({ reason: type, ...rest })) },
  };
}

/**
 * Split `/api/v1/namespaces/ns/pods/web/status` into resource, namespace, name and subresource.
 *
 * @example
 * ```ts
 * parseResourcePath(registry, "/apis/apps/v1/namespaces/default/deployments/web/scale");
 * ```
 */
export function parseResourcePath(resolver: ResourceResolver, pathname: string): ResourcePath | undefined {
  const parts = pathname.split("/").filter((p) => p !== "").map(decodeURIComponent);
  let group: string, version: string, rest: string[];
  if (parts[0] === "api" && parts.length >= 3) {
    [group, version, rest] = ["", parts[1], parts.slice(2)];
  } else if (parts[0] === "apis" && parts.length >= 4) {
    [group, version, rest] = [parts[1], parts[2], parts.slice(3)];
  } else return undefined;
  if (rest[0] === "namespaces" && rest.length >= 3) {
    const info = resolver.resolve(group, version, rest[2]);
    if (info?.namespaced) return { info, namespace: rest[1], name: rest[3], subresource: rest[4] };
  }
  const info = resolver.resolve(group, version, rest[0]);
  if (!info) throw pathNotFound();
  return { info, name: rest[1], subresource: rest[2] };
}

/**
 * Answers a POST that is never stored — the review kinds, or a named subresource such as a service
 * account's `token` — or returns undefined to let the next handler (and finally the store) answer.
 */
export type VirtualHandler = (
  path: ResourcePath,
  body: unknown,
  user: UserInfo,
) => Promise<KubeObject | undefined> | KubeObject | undefined;

/**
 * What the router asks before serving (kube-apiserver's authorization filter) and of requests whose object the write
 * strategy never sees (admission of deletes, evictions and token requests).
 */
export interface RequestAuthorization {
  /** Throws the 403 Status unless `attributes` are allowed. */
  authorize(attributes: Attributes): Promise<void>;
  /** Throws when admission refuses a delete or a POST to a subresource with `body`. */
  admitRequest(attributes: Attributes, body: unknown): Promise<void>;
}

/** Subresources answered by the objects they belong to. */
const STORED_SUBRESOURCES = new Set(["status", "scale", "binding", "eviction", "finalize"]);

/**
 * Serves one REST request.
 *
 * @example
 * ```ts
 * const router = new ApiRouter(registry, rest, [reviews, tokenRequests], authorization);
 * const response = await router.handle(request, user);
 * ```
 */
export class ApiRouter {
  constructor(
    private readonly resolver: ResourceResolver,
    private readonly rest: Rest,
    private readonly virtual: VirtualHandler[] = [],
    /** Without one every request is served (REST-layer tests); the server always passes one. */
    private readonly authorization?: RequestAuthorization,
  ) {}

  /** Serve `request`; `signal` ends a watch when the client goes away. */
  async handle(request: Request, user: UserInfo, signal: AbortSignal = request.signal): Promise<Response> {
    const warnings: string[] = [];
    try {
      // Authorization comes before routing, as in kube-apiserver: a refused user learns nothing of what exists.
      const attributes = requestAttributes(user, request.method, new URL(request.url));
      await this.authorization?.authorize(attributes);
      const response = await withRequest(
        attributes,
        () => this.#handle(request, user, signal, warnings, attributes),
      );
      // kube-apiserver's warning headers: code 299, no agent, the text quoted.
      for (const warning of warnings) response.headers.append("Warning", `299 - ${JSON.stringify(warning)}`);
      return response;
    } catch (error) {
      return errorResponse(error);
    }
  }

  async #handle(
    request: Request,
    user: UserInfo,
    signal: AbortSignal,
    warnings: string[],
    attributes: Attributes,
  ): Promise<Response> {
    const url = new URL(request.url);
    const query = url.searchParams;
    const path = parseResourcePath(this.resolver, url.pathname);
    if (!path) throw pathNotFound();
    const { info, namespace, name, subresource } = path;
    const method = request.method.toUpperCase();
    if (subresource && !STORED_SUBRESOURCES.has(subresource)) {
      if (method !== "POST") return this.#streamingSubresource(path);
      const raw = await readBody(request);
      const body = decodeBody(raw, request.headers.get("content-type"));
      await this.authorization?.admitRequest(attributes, body);
      const answered = await this.#virtual(path, body, user);
      return answered ? jsonResponse(answered, 201) : this.#streamingSubresource(path);
    }
    if (subresource && !info.subresources.some((s) => s.name === subresource)) throw pathNotFound();
    const dryRun = query.getAll("dryRun").includes("All");
    const fieldManager = managerOrUserAgent(query.get("fieldManager"), request.headers.get("user-agent"));
    const form = method === "GET" ? responseForm(request.headers.get("accept")) : undefined;

    if (method === "GET" && !name) {
      if (query.get("watch") === "true" || query.get("watch") === "1") {
        return this.#watch(info, namespace, watchOptions(query), form!, signal);
      }
      const list = await this.rest.list(info, namespace, listOptions(query));
      return jsonResponse(form!.table ? this.#table(info, list, query, form!) : list);
    }
    if (method === "GET") {
      const object = subresource === "scale"
        ? toScale(await this.rest.get(info, namespace, name!), info)
        : await this.rest.get(info, namespace, name!);
      if (form!.table && !subresource) {
        return jsonResponse(this.#table(info, { items: [object], metadata: {} }, query, form!));
      }
      return jsonResponse(object);
    }

    const raw = method === "DELETE" && !request.body ? undefined : await readBody(request);
    const body = raw === undefined ? undefined : decodeBody(raw, request.headers.get("content-type"));
    warnings.push(...validateFields(info, { method, subresource, query, raw, body, headers: request.headers }));
    switch (method) {
      case "POST": {
        if (name && subresource === "binding" || !name && info.resource === "bindings") {
          return jsonResponse(
            await this.#bind(
              info,
              namespace,
              name ?? (body as KubeObject)?.metadata?.name as string,
              body as KubeObject,
              dryRun,
            ),
            201,
          );
        }
        if (name && subresource === "eviction") {
          await this.authorization?.admitRequest(attributes, body);
          await this.rest.delete(info, namespace, name, {
            ...(body as { deleteOptions?: DeleteOptions })?.deleteOptions,
          });
          return jsonResponse(success(), 201);
        }
        if (name) throw methodNotAllowed();
        validateWriteOptions("CreateOptions", query);
        const answered = await this.#virtual(path, body, user);
        if (answered) return jsonResponse(answered, 201);
        return jsonResponse(await this.rest.create(info, namespace, body as KubeObject, { dryRun, fieldManager }), 201);
      }
      case "PUT": {
        if (!name) throw methodNotAllowed();
        validateWriteOptions("UpdateOptions", query);
        if (subresource === "scale") {
          return jsonResponse(await this.#scale(info, namespace, name, body as KubeObject, dryRun, fieldManager));
        }
        const sub = subresource === "status" ? "status" : undefined;
        if (subresource === "finalize") {
          return jsonResponse(await this.rest.update(info, namespace, name, body as KubeObject, { dryRun }));
        }
        return jsonResponse(
          await this.rest.update(info, namespace, name, body as KubeObject, { dryRun, fieldManager, subresource: sub }),
        );
      }
      case "PATCH": {
        if (!name) throw methodNotAllowed();
        const type = patchTypeOf(request.headers.get("content-type") ?? "");
        validateWriteOptions("PatchOptions", query, type === "apply");
        if (subresource === "scale") {
          const current = toScale(await this.rest.get(info, namespace, name), info);
          const scale = applyPatch(type, current, body, info) as KubeObject;
          return jsonResponse(await this.#scale(info, namespace, name, scale, dryRun, fieldManager));
        }
        const sub = subresource === "status" ? "status" : undefined;
        if (type === "apply") {
          const force = query.get("force") === "true";
          const applied = await this.rest.apply(info, namespace, name, body as KubeObject, {
            dryRun,
            fieldManager,
            force,
            subresource: sub,
          });
          return jsonResponse(applied.object, applied.created ? 201 : 200);
        }
        return jsonResponse(
          await this.rest.patch(info, namespace, name, type, body, { dryRun, fieldManager, subresource: sub }),
        );
      }
      case "DELETE": {
        const options = deleteOptions(query, body as DeleteOptions | undefined, dryRun);
        if (!name) {
          return jsonResponse(await this.rest.deleteCollection(info, namespace, { ...options, ...listOptions(query) }));
        }
        await this.authorization?.admitRequest(attributes, body);
        const deleted = await this.rest.delete(info, namespace, name, options);
        // Still there (finalizers): show it; gone: the success Status kube-apiserver sends.
        if (deleted.metadata?.deletionTimestamp && !options.dryRun) return jsonResponse(deleted);
        return jsonResponse(success({ name, group: info.group, kind: info.resource, uid: deleted.metadata?.uid }));
      }
      default:
        throw methodNotAllowed();
    }
  }

  async #virtual(path: ResourcePath, body: unknown, user: UserInfo): Promise<KubeObject | undefined> {
    for (const handler of this.virtual) {
      const answered = await handler(path, body, user);
      if (answered) return answered;
    }
    return undefined;
  }

  #table(info: ResourceInfo, list: KubeObject, query: URLSearchParams, form: ResponseForm): KubeObject {
    const includeObject = (query.get("includeObject") ?? "Metadata") as "None" | "Metadata" | "Object";
    const meta = (list.metadata ?? {}) as { resourceVersion?: string; continue?: string; remainingItemCount?: number };
    const table = printTable(info, list.items as KubeObject[], { includeObject, listMeta: meta });
    if (form.tableVersion === "v1beta1") table.apiVersion = "meta.k8s.io/v1beta1";
    return table as KubeObject;
  }

  #watch(
    info: ResourceInfo,
    namespace: string | undefined,
    options: WatchOptions,
    form: ResponseForm,
    signal: AbortSignal,
  ): Response {
    const controller = new AbortController();
    signal.addEventListener("abort", () => controller.abort(), { once: true });
    const encoder = new TextEncoder();
    const events = this.rest.watch(info, namespace, { ...options, signal: controller.signal });
    let first = true;
    const render = (event: WireEvent): string => {
      if (!form.table || event.type === "ERROR" || event.type === "BOOKMARK") return JSON.stringify(event) + "\n";
      // Only the first event carries the column definitions, as kube-apiserver sends them.
      const options = { includeObject: "Metadata" as const, noHeaders: !first };
      const table = printTable(info, [event.object], options) as Record<string, unknown>;
      first = false;
      if (form.tableVersion === "v1beta1") table.apiVersion = "meta.k8s.io/v1beta1";
      return JSON.stringify({ type: event.type, object: table }) + "\n";
    };
    const stream = new ReadableStream<Uint8Array>({
      async pull(sink) {
        try {
          const next = await events.next();
          if (next.done) sink.close();
          else sink.enqueue(encoder.encode(render(next.value)));
        } catch (error) {
          const status: Status = error instanceof StatusError ? error.status : internalError(String(error)).status;
          sink.enqueue(encoder.encode(JSON.stringify({ type: "ERROR", object: status }) + "\n"));
          sink.close();
        }
      },
      cancel() {
        controller.abort();
      },
    });
    return new Response(stream, {
      status: 200,
      headers: { "content-type": JSON_TYPE, "cache-control": "no-cache, private", "transfer-encoding": "chunked" },
    });
  }

  async #scale(
    info: ResourceInfo,
    namespace: string | undefined,
    name: string,
    scale: KubeObject,
    dryRun: boolean,
    fieldManager: string,
  ): Promise<KubeObject> {
    const replicas = (scale?.spec as { replicas?: unknown })?.replicas;
    if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0) {
      const detail = `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`;
      throw invalid({ group: "autoscaling", kind: "Scale" }, name, [
        { type: "FieldValueInvalid", field: "spec.replicas", message: detail },
      ]);
    }
    const expected = scale.metadata?.resourceVersion;
    const updated = await this.rest.patch(info, namespace, name, "merge", {
      metadata: expected ? { resourceVersion: expected } : {},
      ...(info.scale ? replicasPatch(info.scale, replicas) : { spec: { replicas } }),
    }, { dryRun, fieldManager });
    return toScale(updated, info);
  }

  async #bind(
    info: ResourceInfo,
    namespace: string | undefined,
    name: string,
    binding: KubeObject,
    dryRun: boolean,
  ): Promise<KubeObject> {
    const target = (binding?.target as { name?: string })?.name;
    if (!target) throw badRequest("a Binding needs target.name");
    await this.rest.bind(info, namespace, name, {
      node: target,
      uid: binding.metadata?.uid,
      annotations: binding.metadata?.annotations,
    }, { dryRun });
    return success();
  }

  #streamingSubresource(path: ResourcePath): Response {
    // Logs, exec, attach and port-forward go to the pod's node agent, which has not landed yet.
    throw badRequest(
      `${path.subresource} for ${path.info.resource} "${path.name}" needs a node agent, and none runs yet`,
    );
  }
}

/** A Table of objects of one resource: a custom resource's printer columns, else the kind's printer. */
function printTable(info: ResourceInfo, objects: KubeObject[], options: TableOptions): Record<string, unknown> {
  return info.printerColumns
    ? toCustomTable(info.printerColumns, objects, options)
    : toTable(info.kind, info.group, objects, options);
}

function success(details?: Status["details"]): KubeObject {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", ...(details ? { details } : {}) };
}

/** The autoscaling/v1 `Scale` view of a workload (a custom resource's from its CRD's scale paths). */
function toScale(object: KubeObject, info: ResourceInfo): KubeObject {
  if (info.scale) return scaleOf(object, info.scale);
  const spec = (object.spec ?? {}) as { replicas?: number; selector?: { matchLabels?: Record<string, string> } };
  const status = (object.status ?? {}) as { replicas?: number };
  const labels = spec.selector?.matchLabels ?? {};
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: {
      name: object.metadata?.name,
      namespace: object.metadata?.namespace,
      uid: object.metadata?.uid,
      resourceVersion: object.metadata?.resourceVersion,
      creationTimestamp: object.metadata?.creationTimestamp,
    },
    spec: { replicas: spec.replicas ?? 0 },
    status: {
      replicas: status.replicas ?? 0,
      selector: Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(","),
    },
  };
}

function listOptions(query: URLSearchParams): ListOptions {
  const limit = query.get("limit");
  return {
    labelSelector: query.get("labelSelector") ?? undefined,
    fieldSelector: query.get("fieldSelector") ?? undefined,
    limit: limit ? Number(limit) : undefined,
    continue: query.get("continue") ?? undefined,
    resourceVersion: query.get("resourceVersion") ?? undefined,
    resourceVersionMatch: query.get("resourceVersionMatch") ?? undefined,
  };
}

function watchOptions(query: URLSearchParams): WatchOptions {
  const timeout = query.get("timeoutSeconds");
  return {
    ...listOptions(query),
    allowWatchBookmarks: query.get("allowWatchBookmarks") === "true",
    sendInitialEvents: query.get("sendInitialEvents") === "true",
    timeoutSeconds: timeout ? Number(timeout) : undefined,
  };
}

function deleteOptions(query: URLSearchParams, body: DeleteOptions | undefined, dryRun: boolean): DeleteOptions {
  const grace = query.get("gracePeriodSeconds");
  const policy = query.get("propagationPolicy") as DeleteOptions["propagationPolicy"] | null;
  return {
    ...(body ?? {}),
    dryRun: dryRun || (body as { dryRun?: string[] } | undefined)?.dryRun?.includes?.("All") || false,
    ...(grace !== null ? { gracePeriodSeconds: Number(grace) } : {}),
    ...(policy ? { propagationPolicy: policy } : {}),
  };
}
