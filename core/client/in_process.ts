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
 * A transport that calls `router.handle` directly as `user` — or, given a router that has it, `router.call`,
 * so no body or answer is ever encoded as JSON.
 *
 * @example
 * ```ts
 * const client = new ApiClient(inProcessTransport(server.router), server.registry);
 * ```
 */
export function inProcessTransport(
  router: Pick<ApiRouter, "handle"> & Partial<Pick<ApiRouter, "call">>,
  user: UserInfo = CONTROLLER_USER,
): Transport {
  const transport = (request: Request, signal?: AbortSignal) => router.handle(request, user, signal ?? request.signal);
  const call = router.call?.bind(router);
  if (!call) return transport;
  return Object.assign(transport, {
    inProcess: (request: Request, body: unknown, signal?: AbortSignal) =>
      call(request, user, body, signal ?? request.signal),
  });
}
