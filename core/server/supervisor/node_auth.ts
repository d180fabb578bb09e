/**
 * Who may have kubelet certificates for a node name (K3s's `NodeAuthValidator`): the agent names the node and sends
 * its node password in the `K3s-Node-Name` / `K3s-Node-Password` headers; a caller authenticated by a node client
 * certificate must name its own node, which must still exist; and the password must match the node's password
 * Secret (created on first use). K3s answers each refusal with its own code and words, kept here.
 *
 * @module
 */
import type { UserInfo } from "../../api/router.ts";
import { badRequest, failure, forbidden } from "../../api/status.ts";
import { type Client, isNotFound } from "../../client/mod.ts";
import { nodeIdentity } from "../../auth/node/identity.ts";
import { ensureNodePassword, NodePasswordRejected } from "./node_password.ts";

/** The headers an agent identifies its node with (K3s's `<program>-Node-Name` etc.). */
export const NODE_NAME_HEADER = "K3s-Node-Name";
export const NODE_PASSWORD_HEADER = "K3s-Node-Password";
export const NODE_IP_HEADER = "K3s-Node-IP";

/**
 * The node a certificate request is for, once its caller and node password are accepted; throws the Status K3s
 * answers otherwise (400 missing or mismatched name, 401 a node identity whose Node is gone, 403 wrong password).
 *
 * @example
 * ```ts
 * const nodeName = await authorizeNode(client, request, user); // "worker-1"
 * ```
 */
export async function authorizeNode(client: Client, request: Request, user: UserInfo): Promise<string> {
  const header = request.headers.get(NODE_NAME_HEADER);
  if (!header) throw badRequest("node name not set");
  const password = request.headers.get(NODE_PASSWORD_HEADER);
  if (!password) throw badRequest("node password not set");
  const nodeName = header.toLowerCase();
  const identity = nodeIdentity(user);
  if (identity !== undefined) {
    if (identity !== nodeName) throw badRequest("header node name does not match auth node name");
    // A certificate outlives the Node it was issued for; a deleted node must rejoin with a token.
    try {
      await client.get({ apiVersion: "v1", kind: "Node" }, undefined, identity);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      throw failure(401, "Unauthorized", `unable to verify node identity: nodes "${identity}" not found`);
    }
  }
  try {
    await ensureNodePassword(client, nodeName, password);
  } catch (error) {
    if (error instanceof NodePasswordRejected) throw forbidden(error.message);
    throw error;
  }
  return nodeName;
}
