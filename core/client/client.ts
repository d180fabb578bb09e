/**
 * The typed Kubernetes client every controller uses: get, list, watch, create, update, status updates,
 * patch and delete, over any {@linkcode Transport} (in-process or HTTPS). Objects are plain JSON; type
 * them with `import type { V1Deployment } from "@kubernetes/client-node"`.
 *
 * @module
 */
import type { PatchType } from "../api/patch.ts";
import type { WireEvent } from "../api/rest.ts";
import type { Status } from "../api/status.ts";
import { copyObject, type KubeObject } from "../api/storage.ts";
import type { ResourceInfo } from "../registry/types.ts";
import { ApiError, errorFromResponse, errorFromStatus } from "./errors.ts";
import { PLACEHOLDER_ORIGIN, type Transport } from "./transport.ts";
import { readWatchEvents, type WatchEvent } from "./watch.ts";
import process from "node:process";
import { K3S_VERSION, KUBERNETES_VERSION } from "../version.ts";

/** What the API sees writing: K3s's own program name, so managedFields name "k3s". */
const USER_AGENT = `k3s/${K3S_VERSION} (linux/${process.arch === "arm64" ? "arm64" : "amd64"}) kubernetes/${
  KUBERNETES_VERSION.replace(/^v/, "")
}`;

/** A kind as objects name it: `{ apiVersion: "apps/v1", kind: "Deployment" }`. */
export interface TypeRef {
  apiVersion: string;
  kind: string;
}

/** A resource as paths name it: `{ group: "apps", version: "v1", resource: "deployments" }`. */
export interface ResourceRef {
  group: string;
  version: string;
  resource: string;
}

/** What a call is about: a kind or a resource. */
export type Ref = TypeRef | ResourceRef;

/** The least an object needs for the client to address it (every `@kubernetes/client-node` model fits). */
export interface KubeResource {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
}

/** A list answer: the items and where the list stands. */
export interface KubeList<T> {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

/** Query options of a list. */
export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

/** Query options of a watch; aborting `signal` ends the iteration quietly. */
export interface WatchOptions {
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
  sendInitialEvents?: boolean;
  signal?: AbortSignal;
}

/** Options of a create, update or patch. */
export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
}

/** Options of a patch: which subresource it targets, besides the write options. */
export interface PatchOptions extends WriteOptions {
  subresource?: "status" | "scale";
}

/** The `DeleteOptions` a delete sends. */
export interface DeleteOptions {
  propagationPolicy?: "Background" | "Foreground" | "Orphan";
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

/** Patch bodies by media type; server-side apply is not offered until the server supports it. */
export type ClientPatchType = Exclude<PatchType, "apply">;

/**
 * The typed API. Every failure is an `ApiError` carrying the server's `Status` (test it with
 * `isNotFound`, `isConflict`, `isAlreadyExists`); cluster-scoped kinds ignore the namespace.
 */
export interface Client {
  get<T = KubeObject>(ref: Ref, namespace: string | undefined, name: string): Promise<T>;
  list<T = KubeObject>(ref: Ref, namespace?: string, options?: ListOptions): Promise<KubeList<T>>;
  watch<T = KubeObject>(ref: Ref, namespace?: string, options?: WatchOptions): AsyncIterable<WatchEvent<T>>;
  create<T extends KubeResource>(object: T, options?: WriteOptions): Promise<T>;
  update<T extends KubeResource>(object: T, options?: WriteOptions): Promise<T>;
  updateStatus<T extends KubeResource>(object: T, options?: WriteOptions): Promise<T>;
  patch<T = KubeObject>(
    ref: Ref,
    namespace: string | undefined,
    name: string,
    type: ClientPatchType,
    body: unknown,
    options?: PatchOptions,
  ): Promise<T>;
  delete(ref: Ref, namespace: string | undefined, name: string, options?: DeleteOptions): Promise<KubeObject>;
  /** POST to a subresource that creates something: `pods/binding`, `pods/eviction`, `serviceaccounts/token`. */
  createSubresource<T = KubeObject>(
    ref: Ref,
    namespace: string | undefined,
    name: string,
    subresource: string,
    body: unknown,
    options?: WriteOptions,
  ): Promise<T>;
}

/** Finds the resource serving a kind (the server's `Registry` fits). */
export interface KindResolver {
  forKind(group: string, kind: string, version?: string): ResourceInfo | undefined;
  resolve(group: string, version: string, resource: string): ResourceInfo | undefined;
}

const PATCH_TYPES: Record<ClientPatchType, string> = {
  merge: "application/merge-patch+json",
  json: "application/json-patch+json",
  strategic: "application/strategic-merge-patch+json",
};

/**
 * Split an apiVersion into group and version.
 *
 * @example
 * ```ts
 * splitApiVersion("apps/v1"); // { group: "apps", version: "v1" }
 * splitApiVersion("v1"); // { group: "", version: "v1" }
 * ```
 */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf("/");
  return slash < 0
    ? { group: "", version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/**
 * {@linkcode Client} over a transport, resolving kinds to resources through `registry`.
 *
 * @example
 * ```ts
 * import type { V1Deployment } from "@kubernetes/client-node";
 * const client = new ApiClient(inProcessTransport(server.router), server.registry);
 * const web = await client.get<V1Deployment>({ apiVersion: "apps/v1", kind: "Deployment" }, "default", "web");
 * ```
 */
export class ApiClient implements Client {
  constructor(private readonly transport: Transport, private readonly registry: KindResolver) {}

  /** The resource a ref names; throws when nothing serves it. */
  resource(ref: Ref): ResourceInfo {
    let info: ResourceInfo | undefined;
    if ("kind" in ref) {
      const { group, version } = splitApiVersion(ref.apiVersion);
      info = this.registry.forKind(group, ref.kind, version);
      if (!info) throw new Error(`no resource serves kind "${ref.kind}" in "${ref.apiVersion}"`);
    } else {
      info = this.registry.resolve(ref.group, ref.version, ref.resource);
      if (!info) throw new Error(`no resource "${ref.resource}" in "${ref.group}/${ref.version}"`);
    }
    return info;
  }

  async get<T = KubeObject>(ref: Ref, namespace: string | undefined, name: string): Promise<T> {
    return await this.#json<T>("GET", this.#path(ref, namespace, name));
  }

  async list<T = KubeObject>(ref: Ref, namespace?: string, options: ListOptions = {}): Promise<KubeList<T>> {
    return await this.#json<KubeList<T>>("GET", this.#path(ref, namespace) + query({ ...options }));
  }

  async *watch<T = KubeObject>(
    ref: Ref,
    namespace?: string,
    options: WatchOptions = {},
  ): AsyncGenerator<WatchEvent<T>> {
    const { signal, ...rest } = options;
    if (signal?.aborted) return;
    const path = this.#path(ref, namespace) + query({ watch: "true", ...rest });
    const inProcess = this.transport.inProcess;
    if (inProcess) {
      const reply = await inProcess(this.#request("GET", path), undefined, signal);
      if (reply.code < 200 || reply.code >= 300 || !reply.events) throw errorFromStatus(reply.code, reply.value);
      yield* watchReply<T>(reply.events, signal);
      return;
    }
    let response: Response;
    try {
      response = await this.#send("GET", path, undefined, undefined, signal);
    } catch (error) {
      if (signal?.aborted) return;
      throw error;
    }
    if (!response.ok) throw await errorFromResponse(response);
    if (!response.body) return;
    yield* readWatchEvents<T>(response.body, signal);
  }

  async create<T extends KubeResource>(object: T, options: WriteOptions = {}): Promise<T> {
    const ref = refOf(object);
    return await this.#json<T>("POST", this.#path(ref, this.#namespaceOf(ref, object)) + writeQuery(options), object);
  }

  async update<T extends KubeResource>(object: T, options: WriteOptions = {}): Promise<T> {
    return await this.#put(object, undefined, options);
  }

  async updateStatus<T extends KubeResource>(object: T, options: WriteOptions = {}): Promise<T> {
    return await this.#put(object, "status", options);
  }

  async patch<T = KubeObject>(
    ref: Ref,
    namespace: string | undefined,
    name: string,
    type: ClientPatchType,
    body: unknown,
    options: PatchOptions = {},
  ): Promise<T> {
    const path = this.#path(ref, namespace, name, options.subresource) + writeQuery(options);
    return await this.#json<T>("PATCH", path, body, PATCH_TYPES[type]);
  }

  async delete(
    ref: Ref,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): Promise<KubeObject> {
    const { dryRun, ...rest } = options;
    const body = { kind: "DeleteOptions", apiVersion: "v1", ...rest, ...(dryRun ? { dryRun: ["All"] } : {}) };
    return await this.#json<KubeObject>("DELETE", this.#path(ref, namespace, name), body);
  }

  async createSubresource<T = KubeObject>(
    ref: Ref,
    namespace: string | undefined,
    name: string,
    subresource: string,
    body: unknown,
    options: WriteOptions = {},
  ): Promise<T> {
    return await this.#json<T>("POST", this.#path(ref, namespace, name, subresource) + writeQuery(options), body);
  }

  async #put<T extends KubeResource>(object: T, subresource: string | undefined, options: WriteOptions): Promise<T> {
    const ref = refOf(object);
    const name = object.metadata?.name;
    if (!name) throw new Error(`cannot update a ${object.kind} without metadata.name`);
    const path = this.#path(ref, this.#namespaceOf(ref, object), name, subresource) + writeQuery(options);
    return await this.#json<T>("PUT", path, object);
  }

  /** kubectl's rule: a namespaced object without a namespace goes to `default`. */
  #namespaceOf(ref: Ref, object: KubeResource): string | undefined {
    return this.resource(ref).namespaced ? object.metadata?.namespace || "default" : undefined;
  }

  #path(ref: Ref, namespace?: string, name?: string, subresource?: string): string {
    const info = this.resource(ref);
    const segments = info.group ? ["apis", info.group, info.version] : ["api", info.version];
    if (info.namespaced && namespace) segments.push("namespaces", namespace);
    else if (info.namespaced && name) throw new Error(`${info.kind} "${name}" needs a namespace`);
    segments.push(info.resource);
    if (name !== undefined) {
      if (!name) throw new Error(`a ${info.kind} name must not be empty`);
      segments.push(name);
    }
    if (subresource) segments.push(subresource);
    return "/" + segments.map(encodeURIComponent).join("/");
  }

  async #json<T>(method: string, path: string, body?: unknown, contentType = "application/json"): Promise<T> {
    const inProcess = this.transport.inProcess;
    if (inProcess) {
      // The value the server would decode from the JSON sent over the wire: its own copy.
      const value = copyObject(body);
      const reply = await inProcess(this.#request(method, path, body === undefined ? undefined : contentType), value);
      if (reply.code < 200 || reply.code >= 300) throw errorFromStatus(reply.code, reply.value);
      return reply.value as T;
    }
    const response = await this.#send(method, path, body, contentType);
    if (!response.ok) throw await errorFromResponse(response);
    return await response.json() as T;
  }

  async #send(
    method: string,
    path: string,
    body?: unknown,
    contentType = "application/json",
    signal?: AbortSignal,
  ): Promise<Response> {
    const request = new Request(PLACEHOLDER_ORIGIN + path, {
      method,
      headers: headers(body === undefined ? undefined : contentType),
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
    return await this.transport(request, signal);
  }

  /** A request without a body, for an in-process transport that takes the body as a value. */
  #request(method: string, path: string, contentType?: string): Request {
    return new Request(PLACEHOLDER_ORIGIN + path, { method, headers: headers(contentType) });
  }
}

function headers(contentType: string | undefined): Record<string, string> {
  // kube-apiserver names a write's field manager after the user agent's program, as K3s's own writes show "k3s".
  const headers: Record<string, string> = { accept: "application/json", "user-agent": USER_AGENT };
  if (contentType !== undefined) headers["content-type"] = contentType;
  return headers;
}

/** An in-process watch's events as the client yields them: an `ERROR` event throws, as on the wire. */
async function* watchReply<T>(events: AsyncGenerator<WireEvent>, signal?: AbortSignal): AsyncGenerator<WatchEvent<T>> {
  if (signal?.aborted) return;
  // Leaving the loop returns the router's generator, which ends the watch.
  for await (const event of events) {
    if (event.type === "ERROR") throw new ApiError(event.object as unknown as Status);
    yield event as WatchEvent<T>;
    if (signal?.aborted) return;
  }
}

function refOf(object: KubeResource): TypeRef {
  if (!object.apiVersion || !object.kind) {
    throw new Error(`an object sent to the API needs apiVersion and kind (got ${object.apiVersion}/${object.kind})`);
  }
  return { apiVersion: object.apiVersion, kind: object.kind };
}

function writeQuery(options: WriteOptions): string {
  return query({ dryRun: options.dryRun ? "All" : undefined, fieldManager: options.fieldManager });
}

function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
