/**
 * The authorization steps of kube-apiserver's filter chain for requests the HTTPS server answers outside the REST
 * router: impersonation (every request), and the authorization of non-resource paths (`/version`, `/healthz`,
 * `/api`, `/apis/…` discovery, `/openapi/…`, `/metrics`). Resource requests are authorized by the router itself, so
 * in-process callers go through the same check.
 *
 * @module
 */
import { errorResponse, type UserInfo } from "../../api/router.ts";
import { requestInfo } from "./attributes.ts";
import type { Authorization } from "./mod.ts";
import { impersonate } from "./impersonation.ts";

/** An authenticated request's handler (the HTTPS server's). */
export type AuthenticatedHandler = (
  request: Request,
  user: UserInfo,
  signal: AbortSignal,
) => Promise<Response | undefined> | Response | undefined;

/** K3s's supervisor endpoints, which authorize their callers by group themselves (not through RBAC). */
const SUPERVISOR_PREFIX = "/v1-k3s/";

/**
 * `handler` behind impersonation and non-resource authorization.
 *
 * @example
 * ```ts
 * await startHttps({ …, handler: authorizingHandler(authorization, async (request, user, signal) => …) });
 * ```
 */
export function authorizingHandler(
  authorization: Pick<Authorization, "authorizer" | "authorize">,
  handler: AuthenticatedHandler,
): AuthenticatedHandler {
  return async (request, user, signal) => {
    try {
      const actingAs = await impersonate(request.headers, user, authorization.authorizer);
      const url = new URL(request.url);
      const info = requestInfo(request.method, url);
      if (!info.isResourceRequest && !url.pathname.startsWith(SUPERVISOR_PREFIX)) {
        await authorization.authorize({ user: actingAs, ...info });
      }
      return await handler(request, actingAs, signal);
    } catch (error) {
      return errorResponse(error);
    }
  };
}
