/**
 * `TokenReview` (`authentication.k8s.io/v1`): who a bearer token belongs to, answered and never stored, as
 * kube-apiserver's registry answers it for webhook token authenticators (kubelets, metrics-server, admission webhooks).
 *
 * @module
 */
import type { ResourcePath, UserInfo, VirtualHandler } from "../../api/router.ts";
import { badRequest } from "../../api/status.ts";
import type { KubeObject } from "../../api/storage.ts";
import { type TokenAuthenticator, withAuthenticatedGroup } from "./authenticator.ts";

interface TokenReviewSpec {
  token?: string;
  audiences?: string[];
}

/**
 * The `tokenreviews` handler over the server's token chain for the requested audiences.
 *
 * @example
 * ```ts
 * const router = new ApiRouter(registry, rest, [tokenReviews((audiences) => serverTokenAuthenticator(deps, audiences))]);
 * ```
 */
export function tokenReviews(authenticatorFor: (audiences: string[]) => TokenAuthenticator): VirtualHandler {
  return async (path: ResourcePath, body: unknown): Promise<KubeObject | undefined> => {
    const { group, resource, version, kind } = path.info;
    if (group !== "authentication.k8s.io" || resource !== "tokenreviews" || path.subresource || path.name) {
      return undefined;
    }
    const review = (body ?? {}) as { metadata?: KubeObject["metadata"]; spec?: TokenReviewSpec };
    const spec = review.spec ?? {};
    if (!spec.token) throw badRequest("token is required for TokenReview in authentication");
    const audiences = spec.audiences ?? [];
    const user = await authenticatorFor(audiences)(spec.token).catch(() => undefined);
    return {
      ...review,
      apiVersion: `${group}/${version}`,
      kind,
      metadata: { creationTimestamp: null, ...(review.metadata ?? {}) } as unknown as KubeObject["metadata"],
      status: user ? authenticated(withAuthenticatedGroup(user), audiences) : { user: {} },
    };
  };
}

function authenticated(user: UserInfo, audiences: string[]) {
  return {
    authenticated: true,
    user: {
      username: user.username,
      ...(user.uid ? { uid: user.uid } : {}),
      groups: user.groups,
      ...(user.extra && Object.keys(user.extra).length ? { extra: user.extra } : {}),
    },
    ...(audiences.length ? { audiences } : {}),
  };
}
