/**
 * The Kubernetes REST paths (`/api/v1/…`, `/apis/<group>/<version>/…`) turned into calls on
 * {@linkcode Rest}, with kube-apiserver's status codes, `Table` output and chunked watch streams.
 * Web-standard `Request` in, `Response` out, so it serves HTTPS and in-process callers alike; in-process
 * callers may also skip the JSON encoding of bodies and answers ({@linkcode ApiRouter.call}).
 *
 * @module
 */
import { setImmediate } from "node:timers";
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
import { logOptions, type NodeStreams, streamTarget } from "./pod_streams.ts";
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
  const { code, status } = errorStatus(error);
  return jsonResponse(status, code);
}

/** The Status an error is answered with, as it goes on the wire, and its HTTP code. */
function errorStatus(error: unknown): { code: number; status: unknown } {
  if (error instanceof StatusError) return { code: error.code, status: wireStatus(error.status) };
  console.error(`internal error serving a request: ${error instanceof Error ? error.stack : error}`);
  return { code: 500, status: internalError(error instanceof Error ? error.message : String(error)).status };
}

/** A watch's failure as the `ERROR` event that ends it. */
function errorEvent(error: unknown): WireEvent {
  const status: Status = error instanceof StatusError ? error.status : internalError(String(error)).status;
  return { type: "ERROR", object: status as unknown as KubeObject };
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

/**
 * Characters of watch events after which a stream write goes out without waiting for more: a busy server turns its
 * event loop a few times a second, and each write waits a turn for its drain, so writes must be large to keep up.
 */
const STREAM_CHUNK = 4 * 1024 * 1024;

const LATER = Symbol("later");

/** Resolves once pending I/O had its turn: what is ready before it needs no waiting. */
function afterIo(): Promise<typeof LATER> {
  return new Promise((resolve) => setImmediate(resolve, LATER));
}

/** Subresources answered by the objects they belong to. */
const STORED_SUBRESOURCES = new Set(["status", "scale", "binding", "eviction", "finalize"]);

/**
 * An answer before it is encoded: a value with its HTTP code (a `Status` for errors), or a watch's events.
 * {@linkcode ApiRouter.call} gives it to in-process callers as it is.
 */
export interface Reply {
  code: number;
  value?: unknown;
  events?: AsyncGenerator<WireEvent>;
}

/** A request body: its value, and the bytes it came as (none when an in-process caller passed the value). */
interface Body {
  raw?: Uint8Array;
  value: unknown;
}

/** A watch being answered: its events as they come, what ends it, and how HTTPS renders it. */
interface WatchAnswer {
  code: 200;
  events: AsyncGenerator<WireEvent[]>;
  stop: AbortController;
  info: ResourceInfo;
  form: ResponseForm;
}

/** A response the router passes through as it is (a pod's log stream). */
interface RawAnswer {
  code: number;
  raw: Response;
}

type Answer = { code: number; value: unknown } | WatchAnswer | RawAnswer;

function answer(value: unknown, code = 200): Answer {
  return { code, value };
}

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
    /** The node agents serving `pods/log`; without them logs are refused. */
    private readonly nodes?: NodeStreams,
  ) {}

  /** Serve `request`; `signal` ends a watch when the client goes away. */
  async handle(request: Request, user: UserInfo, signal: AbortSignal = request.signal): Promise<Response> {
    const warnings: string[] = [];
    try {
      const answered = await this.#serve(request, user, signal, warnings, async () => {
        if (request.method.toUpperCase() === "DELETE" && !request.body) return undefined;
        const raw = await readBody(request);
        return { raw, value: decodeBody(raw, request.headers.get("content-type")) };
      });
      const response = "raw" in answered
        ? answered.raw
        : "events" in answered
        ? this.#stream(answered)
        : jsonResponse(answered.value, answered.code);
      // kube-apiserver's warning headers: code 299, no agent, the text quoted.
      for (const warning of warnings) response.headers.append("Warning", `299 - ${JSON.stringify(warning)}`);
      return response;
    } catch (error) {
      return errorResponse(error);
    }
  }

  /**
   * Serve an in-process request without encoding anything (performance: most of the server's requests come from
   * its own controllers). `body` is the request's JSON value, which the router may change: pass a copy. The answer's
   * value, and every object a watch sends, belongs to the caller; a failure mid-watch is an `ERROR` event, as on the
   * wire. The pipeline is {@linkcode handle}'s — authorization, admission,
   * field validation (less duplicate fields, which a value cannot have) — and so are the codes and Statuses.
   *
   * @example
   * ```ts
   * const reply = await router.call(new Request(url, { method: "POST" }), user, structuredClone(configMap));
   * if (reply.code >= 300) throw new ApiError(reply.value as Status);
   * ```
   */
  async call(request: Request, user: UserInfo, body: unknown, signal: AbortSignal = request.signal): Promise<Reply> {
    try {
      const answered = await this.#serve(request, user, signal, [], () => Promise.resolve({ value: body }));
      if ("raw" in answered) return { code: answered.code, value: await answered.raw.text() };
      return "events" in answered ? { code: 200, events: inProcessEvents(answered) } : answered;
    } catch (error) {
      const { code, status } = errorStatus(error);
      return { code, value: status };
    }
  }

  async #serve(
    request: Request,
    user: UserInfo,
    signal: AbortSignal,
    warnings: string[],
    body: () => Promise<Body | undefined>,
  ): Promise<Answer> {
    // Authorization comes before routing, as in kube-apiserver: a refused user learns nothing of what exists.
    const attributes = requestAttributes(user, request.method, new URL(request.url));
    await this.authorization?.authorize(attributes);
    return await withRequest(attributes, () => this.#handle(request, user, signal, warnings, attributes, body));
  }

  async #handle(
    request: Request,
    user: UserInfo,
    signal: AbortSignal,
    warnings: string[],
    attributes: Attributes,
    readRequestBody: () => Promise<Body | undefined>,
  ): Promise<Answer> {
    const url = new URL(request.url);
    const query = url.searchParams;
    const path = parseResourcePath(this.resolver, url.pathname);
    if (!path) throw pathNotFound();
    const { info, namespace, name, subresource } = path;
    const method = request.method.toUpperCase();
    if (subresource === "log" && info.resource === "pods" && method === "GET") {
      return await this.#podLog(info, namespace!, name!, query, signal);
    }
    if (subresource && !STORED_SUBRESOURCES.has(subresource)) {
      if (method !== "POST") return this.#upgradeRequired();
      const body = (await readRequestBody())?.value;
      await this.authorization?.admitRequest(attributes, body);
      const answered = await this.#virtual(path, body, user);
      return answered ? answer(answered, 201) : this.#upgradeRequired();
    }
    if (subresource && !info.subresources.some((s) => s.name === subresource)) throw pathNotFound();
    const dryRun = query.getAll("dryRun").includes("All");
    const fieldManager = managerOrUserAgent(query.get("fieldManager"), request.headers.get("user-agent"));
    const form = method === "GET" ? responseForm(request.headers.get("accept")) : undefined;

    if (method === "GET" && !name) {
      if (query.get("watch") === "true" || query.get("watch") === "1") {
        const stop = new AbortController();
        if (signal.aborted) stop.abort();
        else signal.addEventListener("abort", () => stop.abort(), { once: true });
        const events = this.rest.watchBatches(info, namespace, { ...watchOptions(query), signal: stop.signal });
        return { code: 200, events, stop, info, form: form! };
      }
      const list = await this.rest.list(info, namespace, listOptions(query));
      return answer(form!.table ? this.#table(info, list, query, form!) : list);
    }
    if (method === "GET") {
      const object = subresource === "scale"
        ? toScale(await this.rest.get(info, namespace, name!), info)
        : await this.rest.get(info, namespace, name!);
      if (form!.table && !subresource) {
        return answer(this.#table(info, { items: [object], metadata: {} }, query, form!));
      }
      return answer(object);
    }

    const read = await readRequestBody();
    const [raw, body] = [read?.raw, read?.value];
    warnings.push(...validateFields(info, { method, subresource, query, raw, body, headers: request.headers }));
    switch (method) {
      case "POST": {
        if (name && subresource === "binding" || !name && info.resource === "bindings") {
          return answer(
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
          return answer(success(), 201);
        }
        if (name) throw methodNotAllowed();
        validateWriteOptions("CreateOptions", query);
        const answered = await this.#virtual(path, body, user);
        if (answered) return answer(answered, 201);
        return answer(await this.rest.create(info, namespace, body as KubeObject, { dryRun, fieldManager }), 201);
      }
      case "PUT": {
        if (!name) throw methodNotAllowed();
        validateWriteOptions("UpdateOptions", query);
        if (subresource === "scale") {
          return answer(await this.#scale(info, namespace, name, body as KubeObject, dryRun, fieldManager));
        }
        const sub = subresource === "status" ? "status" : undefined;
        if (subresource === "finalize") {
          return answer(await this.rest.update(info, namespace, name, body as KubeObject, { dryRun }));
        }
        return answer(
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
          return answer(await this.#scale(info, namespace, name, scale, dryRun, fieldManager));
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
          return answer(applied.object, applied.created ? 201 : 200);
        }
        return answer(
          await this.rest.patch(info, namespace, name, type, body, { dryRun, fieldManager, subresource: sub }),
        );
      }
      case "DELETE": {
        const options = deleteOptions(query, body as DeleteOptions | undefined, dryRun);
        if (!name) {
          return answer(await this.rest.deleteCollection(info, namespace, { ...options, ...listOptions(query) }));
        }
        await this.authorization?.admitRequest(attributes, body);
        const deleted = await this.rest.delete(info, namespace, name, options);
        // Still there (finalizers): show it; gone: the success Status kube-apiserver sends.
        if (deleted.metadata?.deletionTimestamp && !options.dryRun) return answer(deleted);
        return answer(success({ name, group: info.group, kind: info.resource, uid: deleted.metadata?.uid }));
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

  /**
   * A watch's events as kube-apiserver streams them: JSON lines (Table rows for `kubectl get -w`). Each write carries
   * every event ready by then, so a watcher that fell behind catches up in a few writes (a socket write waits for
   * its drain, a turn of the busy event loop), and its backlog does not pile up in the server.
   */
  #stream({ events, stop, info, form }: WatchAnswer): Response {
    const encoder = new TextEncoder();
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
    /** The next batch, asked for by an earlier write that did not wait for it. */
    let pending: Promise<IteratorResult<WireEvent[]>> | undefined;
    const stream = new ReadableStream<Uint8Array>({
      async pull(sink) {
        let text = "";
        try {
          let next = await (pending ?? events.next());
          pending = undefined;
          while (!next.done) {
            for (const event of next.value) text += render(event);
            if (text.length >= STREAM_CHUNK) break;
            // More batches already at hand join this write; one that has to wait for the store goes in the next.
            pending = events.next();
            const ready = await Promise.race([pending, afterIo()]);
            if (ready === LATER) break;
            pending = undefined;
            next = ready;
          }
          if (text) sink.enqueue(encoder.encode(text));
          if (next.done) sink.close();
        } catch (error) {
          sink.enqueue(encoder.encode(text + JSON.stringify(errorEvent(error)) + "\n"));
          sink.close();
        }
      },
      cancel() {
        pending?.catch(() => {});
        stop.abort();
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

  #upgradeRequired(): never {
    // exec, attach and port-forward are upgrades: the HTTPS layer hands them to the node (see pod_streams.ts).
    throw badRequest("Upgrade request required");
  }

  /** `GET pods/log`: the container's log from its node agent, streamed as text. */
  async #podLog(
    info: ResourceInfo,
    namespace: string,
    name: string,
    query: URLSearchParams,
    signal: AbortSignal,
  ): Promise<RawAnswer> {
    const options = logOptions(query);
    const pod = await this.rest.get(info, namespace, name);
    const { node, target } = streamTarget(pod, query.get("container") ?? "", true);
    if (!this.nodes) throw badRequest(`logs of pod ${name} need its node agent, and this server reaches none`);
    const body = await this.nodes.of(node).logs(target, options, signal);
    return { code: 200, raw: new Response(body, { headers: { "content-type": "text/plain" } }) };
  }
}

/** A watch's events for an in-process caller: a failure is the `ERROR` event that ends it; leaving ends the watch. */
async function* inProcessEvents({ events, stop }: WatchAnswer): AsyncGenerator<WireEvent> {
  try {
    while (true) {
      let next: IteratorResult<WireEvent[]>;
      try {
        next = await events.next();
      } catch (error) {
        yield errorEvent(error);
        return;
      }
      if (next.done) return;
      yield* next.value;
    }
  } finally {
    stop.abort();
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
