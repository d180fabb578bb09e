/**
 * Who is a node: kube's `nodeidentifier`. A kubelet authenticates as `system:node:<name>` in the `system:nodes` group
 * (K3s issues its `client-kubelet.crt` so).
 *
 * @module
 */
import type { UserInfo } from "../../api/router.ts";

/** The group every node identity is in. */
export const NODES_GROUP = "system:nodes";
const NODE_USER_PREFIX = "system:node:";

/**
 * The node a user acts for, or undefined for users who are not nodes; a node identity whose name is empty gives "".
 *
 * @example
 * ```ts
 * nodeIdentity({ username: "system:node:n1", groups: ["system:nodes"] }); // "n1"
 * nodeIdentity({ username: "system:node:n1", groups: [] }); // undefined
 * ```
 */
export function nodeIdentity(user: UserInfo): string | undefined {
  if (!user.username.startsWith(NODE_USER_PREFIX) || !user.groups.includes(NODES_GROUP)) return undefined;
  return user.username.slice(NODE_USER_PREFIX.length);
}
