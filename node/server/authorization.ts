/**
 * Who is calling the kubelet's API and what they ask for, in the terms of upstream's kubelet authorizer
 * (pkg/kubelet/server/auth.go): the client certificate names the user, the request maps to `nodes/<subresource>`.
 *
 * @module
 */
import type { TLSSocket } from "node:tls";

/** A user authenticated by its client certificate: CN is the name, each O a group. */
export interface KubeletUser {
  name: string;
  groups: string[];
}

/** The node subresource a request needs (upstream's `GetRequestAttributes`). */
export interface KubeletRequestAttributes {
  verb: string;
  resource: "nodes";
  subresource: string;
  name: string;
}

/**
 * The user of a mutually authenticated TLS connection, or null when the client sent no certificate
 * the client CA signed — which the kubelet answers with 401.
 *
 * @example
 * ```ts
 * certificateUser(request.socket as TLSSocket); // { name: "system:admin", groups: ["system:masters"] }
 * ```
 */
export function certificateUser(socket: TLSSocket): KubeletUser | null {
  if (!socket.authorized) return null;
  const subject = socket.getPeerCertificate()?.subject;
  if (!subject?.CN) return null;
  const list = (value: string | string[] | undefined) => value === undefined ? [] : [value].flat();
  return { name: list(subject.CN)[0], groups: list(subject.O) };
}

/** HTTP methods as upstream's kubelet names their verbs; anything else is not authorized at all. */
const VERBS: Record<string, string> = {
  GET: "get",
  HEAD: "get",
  POST: "create",
  PUT: "update",
  PATCH: "patch",
  DELETE: "delete",
};

/**
 * What a request to the kubelet needs to be allowed: `/stats` → `nodes/stats`, `/metrics` → `nodes/metrics`,
 * `/logs` → `nodes/log`, and everything else (containerLogs, exec, attach, portForward, pods, run) → `nodes/proxy`.
 *
 * @example
 * ```ts
 * requestAttributes("POST", "/exec/default/web/app", "node-1");
 * // { verb: "create", resource: "nodes", subresource: "proxy", name: "node-1" }
 * ```
 */
export function requestAttributes(method: string, path: string, nodeName: string): KubeletRequestAttributes {
  const under = (prefix: string) => path === prefix || path.startsWith(prefix + "/");
  const subresource = under("/stats") ? "stats" : under("/metrics") ? "metrics" : under("/logs") ? "log" : "proxy";
  return { verb: VERBS[method] ?? method.toLowerCase(), resource: "nodes", subresource, name: nodeName };
}

/**
 * The kubelet's 403 text, as upstream words it.
 *
 * @example
 * ```ts
 * forbiddenMessage(user, attributes);
 * // "Forbidden (user=alice, verb=get, resource=nodes, subresource=proxy)"
 * ```
 */
export function forbiddenMessage(user: KubeletUser, attributes: KubeletRequestAttributes): string {
  return `Forbidden (user=${user.name}, verb=${attributes.verb}, resource=${attributes.resource}, ` +
    `subresource=${attributes.subresource})`;
}
