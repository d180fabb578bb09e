/**
 * kube-apiserver's 403 for a request its authorizers did not allow (`responsewriters.Forbidden`), and the general
 * `apierrors.NewForbidden` that admission and RBAC storage return.
 *
 * @module
 */
import { forbidden, type StatusError } from "../../api/status.ts";
import type { Attributes } from "./attributes.ts";

/**
 * kube's `apierrors.NewForbidden`: `pods "web" is forbidden: <cause>`, `pods is forbidden: <cause>` without a name,
 * `forbidden: <cause>` without a resource.
 *
 * @example
 * ```ts
 * throw forbiddenError({ group: "", resource: "nodes" }, "node2", 'node "node1" is not allowed to modify node "node2"');
 * ```
 */
export function forbiddenError(
  resource: { group: string; resource: string } | undefined,
  name: string,
  cause: string,
): StatusError {
  if (!resource?.resource) return forbidden(`forbidden: ${cause}`, {});
  const qualified = resource.group ? `${resource.resource}.${resource.group}` : resource.resource;
  const message = name
    ? `${qualified} ${JSON.stringify(name)} is forbidden: ${cause}`
    : `${qualified} is forbidden: ${cause}`;
  return forbidden(message, { ...(name ? { name } : {}), group: resource.group, kind: resource.resource });
}

/**
 * The 403 kube-apiserver answers a request that was not allowed:
 * `pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "ns"`, with the
 * authorizers' reason appended after a colon.
 *
 * @example
 * ```ts
 * throw requestForbidden(attributes, decision.reason);
 * ```
 */
export function requestForbidden(attributes: Attributes, reason: string): StatusError {
  // kube escapes the HTML metacharacters of what it echoes from the request.
  const said = forbiddenMessage(attributes).replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]!);
  const message = reason ? `${said}: ${reason}` : said;
  return forbiddenError(
    attributes.isResourceRequest ? { group: attributes.apiGroup, resource: attributes.resource } : undefined,
    attributes.name,
    message,
  );
}

function forbiddenMessage(a: Attributes): string {
  const q = JSON.stringify; // Go's %q
  const user = q(a.user.username);
  if (!a.isResourceRequest) return `User ${user} cannot ${a.verb} path ${q(a.path)}`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace ${q(a.namespace)}` : "at the cluster scope";
  return `User ${user} cannot ${a.verb} resource ${q(resource)} in API group ${q(a.apiGroup)} ${scope}`;
}
