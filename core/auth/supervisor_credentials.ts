/**
 * K3s's supervisor passwords (`<data-dir>/server/cred/passwd` in K3s): HTTP Basic `server:<password>` names the user
 * `server` in `k3s:server` (the server token's password), and `node:<password>` the user `node` in `k3s:agent` (the
 * agent token's password, or the server token's when no agent token is set). Agents always send the user `node`,
 * whatever user their token names. Only the supervisor's `/v1-k3s/` endpoints give these users anything: no RBAC
 * binding names them.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { timingSafeEqual } from "node:crypto";
import type { UserInfo } from "../api/router.ts";
import type { Authenticator } from "./authentication/authenticator.ts";
import { parseToken, type ServerTokens } from "./server_token.ts";

/** The group of the server token's user (K3s's `<program>:server` role). */
export const SERVER_ROLE = "k3s:server";
/** The group of the agent token's user (K3s's `<program>:agent` role). */
export const AGENT_ROLE = "k3s:agent";

/** The password of each supervisor user. */
export interface SupervisorPasswords {
  /** The user `server` (group `k3s:server`). */
  server: string;
  /** The user `node` (group `k3s:agent`). */
  node: string;
}

/**
 * The passwords K3s's `passwd` file holds for the tokens `ensureServerToken` wrote.
 *
 * @example
 * ```ts
 * const passwords = supervisorPasswords(await ensureServerToken({ dataDir, token: "secret" }));
 * passwords.node; // "secret" (no agent token set)
 * ```
 */
export function supervisorPasswords(tokens: Pick<ServerTokens, "password" | "agentToken">): SupervisorPasswords {
  const agent = parseToken(tokens.agentToken);
  return { server: tokens.password, node: agent.password ?? agent.bootstrapToken ?? tokens.password };
}

/**
 * The authenticator for `Authorization: Basic` with a supervisor user's password; anything else names nobody.
 *
 * @example
 * ```ts
 * const authenticate = unionAuthenticator(serverAuthenticator({ client, serviceAccountKeys }),
 *   supervisorCredentialsAuthenticator(supervisorPasswords(tokens)));
 * ```
 */
export function supervisorCredentialsAuthenticator(passwords: SupervisorPasswords): Authenticator {
  const users: Record<string, { password: Buffer; user: UserInfo }> = {
    server: { password: Buffer.from(passwords.server), user: { username: "server", groups: [SERVER_ROLE] } },
    node: { password: Buffer.from(passwords.node), user: { username: "node", groups: [AGENT_ROLE] } },
  };
  return (request) => {
    const credentials = basicCredentials(request.headers.get("authorization"));
    const entry = credentials && Object.hasOwn(users, credentials.username) ? users[credentials.username] : undefined;
    if (!entry) return Promise.resolve(undefined);
    const given = Buffer.from(credentials!.password);
    const matches = given.length === entry.password.length && timingSafeEqual(given, entry.password);
    return Promise.resolve(matches ? { ...entry.user, groups: [...entry.user.groups] } : undefined);
  };
}

/** User and password of a `Basic` authorization header (Go's `Request.BasicAuth`). */
function basicCredentials(header: string | null): { username: string; password: string } | undefined {
  const match = header ? /^basic\s+(\S+)\s*$/i.exec(header) : null;
  if (!match) return undefined;
  const text = Buffer.from(match[1], "base64").toString("utf8");
  const colon = text.indexOf(":");
  return colon < 0 ? undefined : { username: text.slice(0, colon), password: text.slice(colon + 1) };
}
