/**
 * What the operator framework needs from the API, and nothing more, so it works over the in-process
 * client, the HTTPS client or a bare `Rest` alike. The lead adapts the `Client` to these interfaces.
 *
 * @module
 */

/** The metadata the framework reads: identity, version and ownership. */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  [field: string]: unknown;
}

/** An owner reference, as in `metadata.ownerReferences`. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid?: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** Any Kubernetes object, as far as the framework is concerned. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  // deno-lint-ignore no-explicit-any
  [field: string]: any;
}

/**
 * Which resource a source serves; `ResourceInfo` from `core/registry` fits.
 *
 * @example
 * ```ts
 * const configmaps: Kind = { group: "", version: "v1", resource: "configmaps", kind: "ConfigMap", namespaced: true };
 * ```
 */
export interface Kind {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
}

/** A watch event as the API sends it; `ERROR` carries a `Status` (410 means "relist"). */
export interface WatchEvent {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  // deno-lint-ignore no-explicit-any
  object: any;
}

/** Selectors narrowing what an informer sees. */
export interface SelectorOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

/** Options of a watch: where to resume and how to stop it. */
export interface WatchOptions extends SelectorOptions {
  resourceVersion: string;
  allowWatchBookmarks?: boolean;
  signal: AbortSignal;
}

/**
 * List and watch one resource; `namespace` undefined means all namespaces.
 *
 * @example
 * ```ts
 * const source: ListWatcher = {
 *   list: (ns, o) => client.list("v1", "ConfigMap", ns, o),
 *   watch: (ns, o) => client.watch("v1", "ConfigMap", ns, o),
 * };
 * ```
 */
export interface ListWatcher {
  list(
    namespace?: string,
    options?: SelectorOptions,
  ): Promise<{ items: object[]; metadata: { resourceVersion: string } }>;
  watch(namespace: string | undefined, options: WatchOptions): AsyncIterable<WatchEvent>;
}

/**
 * A `coordination.k8s.io/v1` Lease, as leader election reads and writes it.
 *
 * @example
 * ```ts
 * const lease: Lease = { metadata: { name: "k3s", namespace: "kube-system" }, spec: { holderIdentity: "server-1" } };
 * ```
 */
export interface Lease extends KubeObject {
  metadata: ObjectMeta;
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

/**
 * Read and write Leases. `get` resolves to `undefined` when the Lease does not exist; `create` and
 * `update` reject on a conflict (another server won the race), which the elector treats as "not leader".
 *
 * @example
 * ```ts
 * const leases: LeaseClient = {
 *   get: (ns, name) => client.get("coordination.k8s.io/v1", "Lease", ns, name).catch(notFoundToUndefined),
 *   create: (lease) => client.create(lease),
 *   update: (lease) => client.update(lease),
 * };
 * ```
 */
export interface LeaseClient {
  get(namespace: string, name: string): Promise<Lease | undefined>;
  create(lease: Lease): Promise<Lease>;
  update(lease: Lease): Promise<Lease>;
}

/**
 * The object's controlling ownerReference (`controller: true`), if any.
 *
 * @example
 * ```ts
 * controllerRef(pod)?.uid === rs.metadata.uid;
 * ```
 */
export function controllerRef(object: KubeObject): OwnerReference | undefined {
  // A loop rather than find(): owners claiming 10,000 pods call this on every pod of every sync.
  const references = object.metadata?.ownerReferences;
  if (references) { for (const reference of references) if (reference.controller) return reference; }
  return undefined;
}

/**
 * The cache key of an object: `namespace/name`, or `name` for cluster-scoped objects.
 *
 * @example
 * ```ts
 * objectKey({ metadata: { namespace: "default", name: "a" } }); // "default/a"
 * ```
 */
export function objectKey(object: KubeObject): string {
  const { namespace, name } = object.metadata ?? {};
  return namespace ? `${namespace}/${name}` : `${name}`;
}

/**
 * Split a cache key back into namespace and name.
 *
 * @example
 * ```ts
 * splitKey("default/a"); // { namespace: "default", name: "a" }
 * ```
 */
export function splitKey(key: string): { namespace?: string; name: string } {
  const slash = key.indexOf("/");
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
