/**
 * The authenticator chain `k3s server` runs for every HTTPS request, in kube-apiserver's order:
 * a client certificate from the client CA, then a bearer token — a service-account JWT or a
 * bootstrap token. Nothing else is accepted: anonymous requests are refused.
 *
 * @module
 */
import type { Client } from "../../client/mod.ts";
import { bootstrapTokenAuthenticator } from "../bootstrap/authenticator.ts";
import { serviceAccountTokenAuthenticator } from "../serviceaccount/authenticator.ts";
import type { ServiceAccountKeys } from "../serviceaccount/keys.ts";
import { DEFAULT_API_AUDIENCES } from "../serviceaccount/claims.ts";
import {
  type Authenticator,
  bearerTokenAuthenticator,
  type TokenAuthenticator,
  unionAuthenticator,
  unionTokenAuthenticator,
  x509Authenticator,
} from "./authenticator.ts";

/** What the chain checks credentials against. */
export interface ServerAuthenticatorOptions {
  /** Reads ServiceAccounts, bound objects and bootstrap token Secrets. */
  client: Client;
  serviceAccountKeys: ServiceAccountKeys;
  /** `--service-account-issuer` values accepted (default: K3s's). */
  issuers?: string[];
  /** `--api-audiences` (default: K3s's). */
  apiAudiences?: string[];
  now?: () => Date;
}

/**
 * The server's authenticator chain.
 *
 * @example
 * ```ts
 * const authenticate = serverAuthenticator({ client, serviceAccountKeys: await ensureServiceAccountKey(dataDir) });
 * await startHttps({ …, authenticate });
 * ```
 */
export function serverAuthenticator(options: ServerAuthenticatorOptions): Authenticator {
  return unionAuthenticator(x509Authenticator(), bearerTokenAuthenticator(serverTokenAuthenticator(options)));
}

/**
 * The server's bearer token chain (a service-account JWT, then a bootstrap token), for tokens meant for one of
 * `audiences` (default: the API's own). Bootstrap tokens carry no audience: they are good for the API's only.
 *
 * @example
 * ```ts
 * const user = await serverTokenAuthenticator({ client, serviceAccountKeys }, ["vault"])(token);
 * ```
 */
export function serverTokenAuthenticator(
  options: ServerAuthenticatorOptions,
  audiences?: string[],
): TokenAuthenticator {
  const { client, serviceAccountKeys: keys, issuers, now } = options;
  const apiAudiences = options.apiAudiences ?? DEFAULT_API_AUDIENCES;
  const wanted = audiences?.length ? audiences : apiAudiences;
  const chain = [serviceAccountTokenAuthenticator({ client, keys, issuers, apiAudiences: wanted, now })];
  if (wanted.some((audience) => apiAudiences.includes(audience))) chain.push(bootstrapTokenAuthenticator(client, now));
  return unionTokenAuthenticator(...chain);
}
