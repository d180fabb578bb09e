/**
 * Upgrade requests for `pods/exec`, `pods/attach` and `pods/portforward` (WebSocket, or SPDY from older clients):
 * authorized as kube-apiserver 1.32 does (`create` on the subresource, also for WebSocket GETs), checked against the
 * pod, then handed with the raw connection to the agent of the pod's node.
 *
 * @module
 */
import type { Buffer } from "node:buffer";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type NodeStreams, streamTarget } from "../api/pod_streams.ts";
import type { Rest } from "../api/rest.ts";
import type { UserInfo } from "../api/router.ts";
import { badRequest, pathNotFound } from "../api/status.ts";
import { resourceAttributes } from "../auth/authorization/attributes.ts";
import type { Authorization } from "../auth/authorization/mod.ts";
import type { Registry } from "../registry/registry.ts";

const POD_STREAM_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach|portforward)$/;

/** What the handler needs from the server. */
export interface PodUpgradeDeps {
  rest: Rest;
  registry: Registry;
  authorization: Pick<Authorization, "authorize">;
  nodes: NodeStreams;
}

/**
 * The HTTPS layer's upgrade handler.
 *
 * @example
 * ```ts
 * await startHttps({ …, upgrade: podUpgradeHandler({ rest, registry, authorization, nodes }) });
 * ```
 */
export function podUpgradeHandler(
  deps: PodUpgradeDeps,
): (request: IncomingMessage, socket: Duplex, head: Buffer, user: UserInfo) => Promise<void> {
  return async (request, socket, head, user) => {
    const url = new URL(request.url ?? "/", "https://localhost");
    const match = POD_STREAM_PATH.exec(url.pathname);
    if (!match) throw pathNotFound();
    const [namespace, name, subresource] = match.slice(1).map(decodeURIComponent);
    await deps.authorization.authorize(
      resourceAttributes(user, { verb: "create", apiVersion: "v1", resource: "pods", subresource, namespace, name }),
    );
    const info = deps.registry.resolve("", "v1", "pods");
    if (!info) throw pathNotFound();
    const pod = await deps.rest.get(info, namespace, name);
    const kind = subresource as "exec" | "attach" | "portforward";
    if (kind === "exec" && url.searchParams.getAll("command").length === 0) {
      throw badRequest("you must specify at least 1 command");
    }
    const { node, target } = streamTarget(pod, url.searchParams.get("container") ?? "", kind !== "portforward");
    deps.nodes.of(node).upgrade(kind, target, request, socket, head);
  };
}
