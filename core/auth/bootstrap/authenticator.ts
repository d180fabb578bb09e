/**
 * Authenticating bootstrap tokens (kube's bootstrap token authenticator): `<id>.<secret>` names the
 * Secret `kube-system/bootstrap-token-<id>`, which must be of the bootstrap type, hold the same id and
 * secret, not have expired, not be going away, and allow `usage-bootstrap-authentication`. The user is
 * `system:bootstrap:<id>` in `system:bootstrappers` and the token's extra groups.
 *
 * @module
 */
import { timingSafeEqual } from "node:crypto";
import { Buffer } from "node:buffer";
import { type Client, isNotFound } from "../../client/mod.ts";
import type { KubeObject } from "../../api/storage.ts";
import type { TokenAuthenticator } from "../authentication/authenticator.ts";
import {
  BOOTSTRAP_TOKEN_NAMESPACE,
  BOOTSTRAP_TOKEN_SECRET_PREFIX,
  BOOTSTRAP_TOKEN_SECRET_TYPE,
  BOOTSTRAP_USER_PREFIX,
  groupsOf,
  KEYS,
  secretData,
  timeRemaining,
} from "./token.ts";

const SECRET = { apiVersion: "v1", kind: "Secret" };
const TOKEN = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;

/**
 * The token authenticator for bootstrap tokens, reading their Secrets through `client`.
 *
 * @example
 * ```ts
 * const user = await bootstrapTokenAuthenticator(client)("abcdef.0123456789abcdef");
 * user?.username; // "system:bootstrap:abcdef"
 * ```
 */
export function bootstrapTokenAuthenticator(client: Client, now: () => Date = () => new Date()): TokenAuthenticator {
  return async (token) => {
    const match = TOKEN.exec(token);
    if (!match) return undefined;
    const [, id, tokenSecret] = match;
    let secret: KubeObject;
    try {
      secret = await client.get<KubeObject>(SECRET, BOOTSTRAP_TOKEN_NAMESPACE, BOOTSTRAP_TOKEN_SECRET_PREFIX + id);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    if (secret.metadata?.deletionTimestamp || secret.type !== BOOTSTRAP_TOKEN_SECRET_TYPE || !secret.data) {
      return undefined;
    }
    const stored = Buffer.from(secretData(secret, KEYS.secret));
    const given = Buffer.from(tokenSecret);
    if (stored.length !== given.length || !timingSafeEqual(stored, given)) return undefined;
    if (secretData(secret, KEYS.id) !== id) return undefined;
    if (timeRemaining(secret, now()) === 0) return undefined;
    if (secretData(secret, `${KEYS.usagePrefix}authentication`) !== "true") return undefined;
    return { username: BOOTSTRAP_USER_PREFIX + id, groups: groupsOf(secret) };
  };
}
