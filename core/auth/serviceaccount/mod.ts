/**
 * Service-account tokens: the `service.key` signing key, kube's JWT format and claims, the
 * TokenRequest API (`kubectl create token`) and the authenticator that accepts the tokens.
 *
 * @example
 * ```ts
 * import { ensureServiceAccountKey, serviceAccountTokenAuthenticator, tokenRequestHandler } from "./core/auth/serviceaccount/mod.ts";
 * const keys = await ensureServiceAccountKey(dataDir);
 * const router = new ApiRouter(registry, rest, [virtualResources, tokenRequestHandler(() => client, { keys })]);
 * ```
 *
 * @module
 */
export * from "./authenticator.ts";
export * from "./claims.ts";
export * from "./jwt.ts";
export * from "./keys.ts";
export * from "./token_request.ts";
export * from "./legacy.ts";
export * from "./admission.ts";
