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
import {
  type Authenticator,
  bearerTokenAuthenticator,
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
  const { client, serviceAccountKeys: keys, issuers, apiAudiences, now } = options;
  return unionAuthenticator(
    x509Authenticator(),
    bearerTokenAuthenticator(unionTokenAuthenticator(
      serviceAccountTokenAuthenticator({ client, keys, issuers, apiAudiences, now }),
      bootstrapTokenAuthenticator(client, now),
    )),
  );
}
