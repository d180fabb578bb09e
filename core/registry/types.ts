/**
 * What the API server knows about each kind it serves.
 *
 * @module
 */

/** One served resource (a plural name in one group-version), e.g. `deployments` in `apps/v1`. */
export interface ResourceInfo {
  /** API group; "" for the core group. */
  group: string;
  version: string;
  /** Plural, lower-case resource name (`deployments`). */
  resource: string;
  /** Singular, lower-case name (`deployment`). */
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  /** `kubectl` short names (`deploy`). */
  shortNames: string[];
  /** Discovery categories (`all`). */
  categories: string[];
  /** Verbs on the collection and the object: get, list, watch, create, update, patch, delete, deletecollection. */
  verbs: string[];
  /** Subresources with their kinds and verbs, e.g. `{ name: "scale", kind: "Scale", group: "autoscaling", version: "v1", verbs: ["get","patch","update"] }`. */
  subresources: SubresourceInfo[];
  /** Discovery's `storageVersionHash`: base64 of the first 8 bytes of sha256("group/version/Kind") of the stored version. */
  storageVersionHash?: string;
  /** A custom resource version's `schema.openAPIV3Schema` (built-ins have theirs in the generated OpenAPI data). */
  schema?: Record<string, unknown>;
  /** A custom resource version's `additionalPrinterColumns`: its tables show these (none: just Age). */
  printerColumns?: PrinterColumnInfo[];
  /** A custom resource version's scale subresource: where replicas and the selector live. */
  scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
}

/** One printer column of a custom resource (`additionalPrinterColumns`). */
export interface PrinterColumnInfo {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

/** A subresource such as `status`, `scale`, `log`, `exec`, `binding`, `eviction`, `token`. */
export interface SubresourceInfo {
  name: string;
  /** The kind its body is (Deployment for `status`, `Scale` for `scale`). */
  kind: string;
  group: string;
  version: string;
  verbs: string[];
}

/** `apps/v1`, or `v1` for the core group. */
export function groupVersion(r: { group: string; version: string }): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}
