/**
 * Authenticating a request as kube-apiserver does: a union of authenticators — the first that
 * recognises the credentials names the user — and every authenticated user joins
 * `system:authenticated`. Anonymous requests are not authenticated at all (K3s runs kube-apiserver
 * with `--anonymous-auth=false`).
 *
 * @module
 */
import type { UserInfo } from "../../api/router.ts";

/** The group every authenticated user is in. */
export const AUTHENTICATED_GROUP = "system:authenticated";

/** The subject of the TLS client certificate, once the server verified it against the client CA. */
export interface VerifiedCertificate {
  commonName?: string;
  organizations: string[];
}

/** What an authenticator looks at. */
export interface AuthenticationRequest {
  headers: Headers;
  /** Set only when the peer's certificate chains to the client CA and is within its validity. */
  certificate?: VerifiedCertificate;
}

/** Names the user behind a request, or undefined when its credentials are absent, not its kind, or invalid. */
export type Authenticator = (request: AuthenticationRequest) => Promise<UserInfo | undefined>;

/** Names the user behind a bearer token, or undefined when it does not recognise or accept it. */
export type TokenAuthenticator = (token: string) => Promise<UserInfo | undefined>;

/**
 * The first answer of `authenticators`, in order; one that throws (a datastore hiccup) counts as a
 * refusal, so the request gets 401 rather than an error page — as kube's union authenticator does.
 *
 * @example
 * ```ts
 * const authenticate = unionAuthenticator(x509Authenticator(), bearerTokenAuthenticator([serviceAccounts, bootstrapTokens]));
 * ```
 */
export function unionAuthenticator(...authenticators: Authenticator[]): Authenticator {
  return async (request) => {
    for (const authenticate of authenticators) {
      const user = await authenticate(request).catch(() => undefined);
      if (user) return withAuthenticatedGroup(user);
    }
    return undefined;
  };
}

/**
 * The first user `authenticators` name for a token, in order.
 *
 * @example
 * ```ts
 * const tokens = unionTokenAuthenticator(serviceAccountTokenAuthenticator(…), bootstrapTokenAuthenticator(client));
 * ```
 */
export function unionTokenAuthenticator(...authenticators: TokenAuthenticator[]): TokenAuthenticator {
  return async (token) => {
    for (const authenticate of authenticators) {
      const user = await authenticate(token).catch(() => undefined);
      if (user) return user;
    }
    return undefined;
  };
}

/**
 * `user` with `system:authenticated` added unless already there (kube's `AuthenticatedGroupAdder`).
 *
 * @example
 * ```ts
 * withAuthenticatedGroup({ username: "jane", groups: ["dev"] }).groups; // ["dev", "system:authenticated"]
 * ```
 */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  return user.groups.includes(AUTHENTICATED_GROUP) ? user : { ...user, groups: [...user.groups, AUTHENTICATED_GROUP] };
}

/**
 * The client certificate's identity: CN is the user, each O a group; a certificate without CN names nobody.
 *
 * @example
 * ```ts
 * await x509Authenticator()({ headers, certificate: { commonName: "jane", organizations: ["dev"] } }); // { username: "jane", groups: ["dev"] }
 * ```
 */
export function x509Authenticator(): Authenticator {
  return (request) => {
    const cert = request.certificate;
    return Promise.resolve(
      cert?.commonName ? { username: cert.commonName, groups: [...cert.organizations] } : undefined,
    );
  };
}

/**
 * `Authorization: Bearer <token>` checked by `tokens`; any other scheme, or an empty token, names nobody.
 *
 * @example
 * ```ts
 * const bearer = bearerTokenAuthenticator(unionTokenAuthenticator(serviceAccountTokens, bootstrapTokens));
 * ```
 */
export function bearerTokenAuthenticator(tokens: TokenAuthenticator): Authenticator {
  return async (request) => {
    const header = request.headers.get("authorization")?.trim();
    if (!header) return undefined;
    const [scheme, token] = header.split(" ", 3);
    if (scheme.toLowerCase() !== "bearer" || !token) return undefined;
    return await tokens(token);
  };
}
