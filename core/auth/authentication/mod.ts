/**
 * Authentication: the union of authenticators kube-apiserver runs per request, the client
 * certificate and bearer token authenticators, and the chain `k3s server` assembles from them.
 *
 * @example
 * ```ts
 * import { serverAuthenticator } from "./core/auth/authentication/mod.ts";
 * const user = await serverAuthenticator({ client, serviceAccountKeys })({ headers, certificate });
 * ```
 *
 * @module
 */
export * from "./authenticator.ts";
export * from "./server.ts";
export * from "./token_review.ts";
export * from "./x509.ts";
