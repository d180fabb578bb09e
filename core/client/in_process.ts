/**
 * The in-process transport: requests go straight into the API router — no sockets, no TLS — yet through
 * the same decode, admission, validation and storage steps kubectl's requests take.
 *
 * @module
 */
import type { ApiRouter, UserInfo } from "../api/router.ts";
import type { Transport } from "./transport.ts";

/** The identity in-process controllers act as unless told otherwise. */
export const CONTROLLER_USER: UserInfo = {
  username: "system:k3s-controller",
  groups: ["system:masters", "system:authenticated"],
};

/**
 * A transport that calls `router.handle` directly as `user`.
 *
 * @example
 * ```ts
 * const client = new ApiClient(inProcessTransport(server.router), server.registry);
 * ```
 */
export function inProcessTransport(
  router: Pick<ApiRouter, "handle">,
  user: UserInfo = CONTROLLER_USER,
): Transport {
  return (request, signal) => router.handle(request, user, signal ?? request.signal);
}
