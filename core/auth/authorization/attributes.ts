/**
 * What an authorizer decides on: kube's `authorizer.Attributes`, and the `RequestInfo` kube-apiserver reads off every
 * request's method and path (its `RequestInfoFactory`), so RBAC rules written for kube match here the same way.
 *
 * @module
 */
import type { UserInfo } from "../../api/router.ts";

/** kube's `authorizer.Attributes`: who asks to do what to which resource (or non-resource path). */
export interface Attributes {
  user: UserInfo;
  /** `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection`, `impersonate`…; for a non-resource path, the HTTP method in lower case. */
  verb: string;
  isResourceRequest: boolean;
  /** The URL path (non-resource requests are authorized on it). */
  path: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /** The raw `fieldSelector` of a list, watch or deletecollection (the Node authorizer reads `spec.nodeName` from it). */
  fieldSelector?: string;
}

/** The resource request parts of the API paths, as kube-apiserver's `RequestInfo` holds them. */
export type RequestInfo = Omit<Attributes, "user">;

/** API prefixes: `/api` has no group segment, `/apis` has one. */
const API_PREFIXES = new Set(["api", "apis"]);
const GROUPLESS_PREFIXES = new Set(["api"]);
/** Path segments that are verbs (`/api/v1/watch/pods`), not resources. */
const SPECIAL_VERBS = new Set(["proxy", "watch"]);
/** Subresources of a namespace, which are not namespaced resources of that name. */
const NAMESPACE_SUBRESOURCES = new Set(["status", "finalize"]);
const METHOD_VERBS: Record<string, string> = {
  POST: "create",
  GET: "get",
  HEAD: "get",
  PUT: "update",
  PATCH: "patch",
  DELETE: "delete",
};
/** A name kube accepts as one path segment (`path.IsValidPathSegmentName`). */
const VALID_SEGMENT = (name: string) => name !== "." && name !== ".." && !/[/%]/.test(name);

/**
 * kube-apiserver's `RequestInfoFactory.NewRequestInfo`: the verb, group, version, namespace, resource, subresource
 * and name of a request, or a non-resource request whose verb is the method in lower case.
 *
 * @example
 * ```ts
 * requestInfo("GET", new URL("https://h/api/v1/namespaces/ns/pods")); // verb "list", resource "pods", namespace "ns"
 * requestInfo("GET", new URL("https://h/healthz")); // isResourceRequest false, verb "get", path "/healthz"
 * ```
 */
export function requestInfo(method: string, url: URL): RequestInfo {
  const upper = method.toUpperCase();
  const info: RequestInfo = {
    isResourceRequest: false,
    path: url.pathname,
    verb: method.toLowerCase(),
    apiGroup: "",
    apiVersion: "",
    namespace: "",
    resource: "",
    subresource: "",
    name: "",
  };
  const trimmed = url.pathname.replace(/^\/+|\/+$/g, "");
  let parts = trimmed === "" ? [] : trimmed.split("/");
  if (parts.length < 3 || !API_PREFIXES.has(parts[0])) return info;
  const prefix = parts[0];
  parts = parts.slice(1);
  if (!GROUPLESS_PREFIXES.has(prefix)) {
    if (parts.length < 3) return info;
    info.apiGroup = parts[0];
    parts = parts.slice(1);
  }
  info.isResourceRequest = true;
  info.apiVersion = parts[0];
  parts = parts.slice(1);
  if (SPECIAL_VERBS.has(parts[0])) {
    if (parts.length < 2) return info;
    info.verb = parts[0];
    parts = parts.slice(1);
  } else {
    info.verb = METHOD_VERBS[upper] ?? "";
  }
  if (parts[0] === "namespaces") {
    if (parts.length > 1) {
      info.namespace = parts[1];
      if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2])) parts = parts.slice(2);
    }
  }
  const decoded = parts.map(decodeSegment);
  if (decoded.length >= 3 && info.verb !== "proxy") info.subresource = decoded[2];
  if (decoded.length >= 2) info.name = decoded[1];
  if (decoded.length >= 1) info.resource = decoded[0];
  const query = url.searchParams;
  if (!info.name && info.verb === "get") {
    info.verb = isTrue(query.getAll("watch")[0]) ? "watch" : "list";
    const named = exactName(query.get("fieldSelector"));
    if (named && VALID_SEGMENT(named)) info.name = named;
  }
  if (!info.name && info.verb === "delete") info.verb = "deletecollection";
  if (["list", "watch", "deletecollection"].includes(info.verb) && query.has("fieldSelector")) {
    info.fieldSelector = query.get("fieldSelector")!;
  }
  return info;
}

/**
 * The attributes of a request by `user` (kube's `GetAuthorizerAttributes`).
 *
 * @example
 * ```ts
 * const attributes = requestAttributes(user, request.method, new URL(request.url));
 * ```
 */
export function requestAttributes(user: UserInfo, method: string, url: URL): Attributes {
  return { user, ...requestInfo(method, url) };
}

/**
 * Attributes of a resource check made by the server itself (impersonation, `escalate`, `bind`, reviews); empty parts
 * default to "".
 *
 * @example
 * ```ts
 * resourceAttributes(user, { verb: "impersonate", resource: "users", name: "admin" });
 * ```
 */
export function resourceAttributes(
  user: UserInfo,
  parts: Partial<Omit<Attributes, "user" | "isResourceRequest" | "path">> & { verb: string },
): Attributes {
  return {
    user,
    isResourceRequest: true,
    path: "",
    apiGroup: "",
    apiVersion: "",
    namespace: "",
    resource: "",
    subresource: "",
    name: "",
    ...parts,
  };
}

/**
 * Attributes of a non-resource check (`GET /healthz`).
 *
 * @example
 * ```ts
 * nonResourceAttributes(user, "get", "/metrics");
 * ```
 */
export function nonResourceAttributes(user: UserInfo, verb: string, path: string): Attributes {
  return { ...resourceAttributes(user, { verb }), isResourceRequest: false, path };
}

/** apimachinery's query-parameter bool: present and not `0`, `f`, `false`, `n` or `no`. */
function isTrue(value: string | undefined): boolean {
  return value !== undefined && !["0", "f", "false", "n", "no"].includes(value.toLowerCase());
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** apimachinery's `RequiresExactMatch("metadata.name")` over a field selector's text. */
function exactName(selector: string | null): string | undefined {
  if (!selector) return undefined;
  for (const term of selector.split(/(?<!\\),/)) {
    const match = /^\s*metadata\.name\s*(==|=)\s*(.*?)\s*$/.exec(term);
    if (match) return match[2].replace(/\\(.)/g, "$1");
  }
  return undefined;
}
