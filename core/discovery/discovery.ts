/**
 * The discovery documents kube-apiserver serves, built from the registry: `/api`, `/apis`, `/apis/<group>`,
 * `/api/v1` and `/apis/<group>/<version>` (legacy discovery), and the aggregated `APIGroupDiscoveryList` kubectl
 * asks for first. All pure: the HTTP server picks the format with {@link discoveryFormat} and encodes the result.
 *
 * @module
 */
import type { Registry } from "../registry/registry.ts";
import type { ResourceInfo, SubresourceInfo } from "../registry/types.ts";
import { admits, parseAccept } from "./accept.ts";

/** `/api`. */
export interface APIVersions {
  kind: "APIVersions";
  versions: string[];
  serverAddressByClientCIDRs: { clientCIDR: string; serverAddress: string }[];
}

/** A group-version in `/apis`. */
export interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

/** `/apis/<group>`, and each item of `/apis`. */
export interface APIGroup {
  kind?: "APIGroup";
  apiVersion?: "v1";
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion: GroupVersionForDiscovery;
}

/** `/apis`. */
export interface APIGroupList {
  kind: "APIGroupList";
  apiVersion: "v1";
  groups: APIGroup[];
}

/** One entry of an `APIResourceList`: a resource, or a subresource named `pods/log`. */
export interface APIResource {
  name: string;
  /** Empty for subresources. */
  singularName: string;
  namespaced: boolean;
  /** Set only when the body's group differs from the list's (`deployments/scale` is `autoscaling`). */
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

/** `/api/v1` and `/apis/<group>/<version>`. */
export interface APIResourceList {
  kind: "APIResourceList";
  /** kube-apiserver leaves it out of `/api/v1`. */
  apiVersion?: "v1";
  groupVersion: string;
  resources: APIResource[];
}

/** The kind a resource or subresource returns, in aggregated discovery. */
export interface ResponseKind {
  group: string;
  version: string;
  kind: string;
}

/** A subresource in aggregated discovery. */
export interface APISubresourceDiscovery {
  subresource: string;
  responseKind: ResponseKind;
  verbs: string[];
}

/** A resource in aggregated discovery. */
export interface APIResourceDiscovery {
  resource: string;
  responseKind: ResponseKind;
  scope: "Namespaced" | "Cluster";
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

/** A group in aggregated discovery; the core group has no `metadata.name`. */
export interface APIGroupDiscovery {
  metadata: { name?: string };
  versions: { version: string; resources: APIResourceDiscovery[]; freshness: "Current" | "Stale" }[];
}

/** The aggregated discovery version kubectl 1.32 asks for first, and the beta it falls back to. */
export type AggregatedVersion = "apidiscovery.k8s.io/v2" | "apidiscovery.k8s.io/v2beta1";

/** `/api` or `/apis` in aggregated form. */
export interface APIGroupDiscoveryList {
  kind: "APIGroupDiscoveryList";
  apiVersion: AggregatedVersion;
  metadata: Record<string, never>;
  items: APIGroupDiscovery[];
}

/** What a client's `Accept` header asks `/api` or `/apis` for. */
export type DiscoveryFormat =
  | { format: "aggregated"; apiVersion: AggregatedVersion; contentType: string }
  | { format: "legacy"; contentType: "application/json" }
  | { format: "not-acceptable" };

/**
 * `/api`: the core group's versions, and the address clients should use.
 *
 * @example
 * ```ts
 * apiVersions("192.168.1.5:6443");
 * // { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "192.168.1.5:6443" }] }
 * ```
 */
export function apiVersions(serverAddress: string): APIVersions {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

/**
 * `/apis`: every named group, in kube-apiserver's order.
 *
 * @example
 * ```ts
 * apiGroupList(registry).groups[0].name; // "apiregistration.k8s.io"
 * ```
 */
export function apiGroupList(registry: Registry): APIGroupList {
  const groups = registry.groups().filter((g) => g.name !== "").map((g) => groupEntry(g.name, g.versions));
  return { kind: "APIGroupList", apiVersion: "v1", groups };
}

/**
 * `/apis/<group>`, or undefined when the group is not served.
 *
 * @example
 * ```ts
 * apiGroup(registry, "autoscaling")?.preferredVersion; // { groupVersion: "autoscaling/v2", version: "v2" }
 * ```
 */
export function apiGroup(registry: Registry, group: string): APIGroup | undefined {
  const versions = group === "" ? [] : registry.versions(group);
  if (versions.length === 0) return undefined;
  return { kind: "APIGroup", apiVersion: "v1", ...groupEntry(group, versions) };
}

function groupEntry(name: string, versions: string[]): APIGroup {
  const entries = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: entries, preferredVersion: entries[0] };
}

/**
 * `/api/v1` or `/apis/<group>/<version>`: resources sorted by name, each followed by its subresources
 * (`pods/log`), or undefined when the group-version is not served.
 *
 * @example
 * ```ts
 * apiResourceList(registry, "apps", "v1")?.resources.map((r) => r.name).slice(0, 4);
 * // ["controllerrevisions", "daemonsets", "daemonsets/status", "deployments"]
 * ```
 */
export function apiResourceList(registry: Registry, group: string, version: string): APIResourceList | undefined {
  const infos = registry.resources(group, version);
  if (infos.length === 0) return undefined;
  const resources: APIResource[] = [];
  for (const info of infos) {
    resources.push(omitEmpty({
      name: info.resource,
      singularName: info.singular,
      namespaced: info.namespaced,
      kind: info.kind,
      verbs: info.verbs,
      shortNames: info.shortNames,
      categories: info.categories,
      storageVersionHash: info.storageVersionHash,
    }));
    for (const sub of info.subresources) {
      const foreign = sub.group !== info.group || sub.version !== info.version;
      resources.push({
        name: `${info.resource}/${sub.name}`,
        singularName: "",
        namespaced: info.namespaced,
        ...(foreign ? { group: sub.group, version: sub.version } : {}),
        kind: sub.kind,
        verbs: sub.verbs,
      });
    }
  }
  return group === ""
    ? { kind: "APIResourceList", groupVersion: version, resources }
    : { kind: "APIResourceList", apiVersion: "v1", groupVersion: `${group}/${version}`, resources };
}

/**
 * Aggregated discovery: `/api` (`scope` "api", the core group alone) or `/apis` (every other group), with
 * subresources nested in their resources. v2beta1 has the same shape under its own apiVersion.
 *
 * @example
 * ```ts
 * const list = aggregatedDiscovery(registry, "apis");
 * list.items.find((g) => g.metadata.name === "apps")?.versions[0].resources[2].resource; // "deployments"
 * ```
 */
export function aggregatedDiscovery(
  registry: Registry,
  scope: "api" | "apis",
  apiVersion: AggregatedVersion = "apidiscovery.k8s.io/v2",
): APIGroupDiscoveryList {
  const items = registry.groups()
    .filter((g) => (g.name === "") === (scope === "api"))
    .map((g) => ({
      metadata: g.name ? { name: g.name } : {},
      versions: g.versions.map((version) => ({
        version,
        resources: registry.resources(g.name, version).map(resourceDiscovery),
        freshness: "Current" as const,
      })),
    }));
  return { kind: "APIGroupDiscoveryList", apiVersion, metadata: {}, items };
}

function resourceDiscovery(info: ResourceInfo): APIResourceDiscovery {
  return omitEmpty({
    resource: info.resource,
    responseKind: responseKind(info, info),
    scope: info.namespaced ? "Namespaced" as const : "Cluster" as const,
    singularResource: info.singular,
    verbs: info.verbs,
    shortNames: info.shortNames,
    categories: info.categories,
    subresources: info.subresources.map((sub) => ({
      subresource: sub.name,
      responseKind: responseKind(info, sub),
      verbs: sub.verbs,
    })),
  });
}

/** kube-apiserver leaves group and version empty when they are the resource's own (only `scale` & co. set them). */
function responseKind(info: ResourceInfo, of: ResourceInfo | SubresourceInfo): ResponseKind {
  const same = of.group === info.group && of.version === info.version;
  return same ? { group: "", version: "", kind: of.kind } : { group: of.group, version: of.version, kind: of.kind };
}

/** Drops empty lists and undefined values, which kube-apiserver omits. */
function omitEmpty<T extends object>(o: T): T {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)),
  ) as T;
}

const AGGREGATED = new Map<string | undefined, AggregatedVersion>([
  ["v2", "apidiscovery.k8s.io/v2"],
  ["v2beta1", "apidiscovery.k8s.io/v2beta1"],
]);

/**
 * Which form of `/api` or `/apis` an `Accept` header asks for: aggregated (JSON, v2 or v2beta1), legacy JSON,
 * or nothing this server produces (protobuf only → 406). Ranges are tried in preference order, as
 * kube-apiserver does.
 *
 * @example
 * ```ts
 * discoveryFormat("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");
 * // { format: "aggregated", apiVersion: "apidiscovery.k8s.io/v2",
 * //   contentType: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList" }
 * discoveryFormat("application/json"); // { format: "legacy", contentType: "application/json" }
 * ```
 */
export function discoveryFormat(accept: string | null | undefined): DiscoveryFormat {
  for (const range of parseAccept(accept)) {
    if (!admits(range, "application/json")) continue;
    const { g, v, as } = range.params;
    if (as === undefined && g === undefined && v === undefined) {
      return { format: "legacy", contentType: "application/json" };
    }
    const apiVersion = AGGREGATED.get(v);
    if (as === "APIGroupDiscoveryList" && g === "apidiscovery.k8s.io" && apiVersion) {
      return {
        format: "aggregated",
        apiVersion,
        contentType: `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`,
      };
    }
  }
  return { format: "not-acceptable" };
}
