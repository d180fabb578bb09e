/**
 * Managing bootstrap tokens over the API, as `k3s token create|list|delete` do: each token is a
 * `bootstrap-token-<id>` Secret in `kube-system`.
 *
 * @module
 */
import { type Client, isAlreadyExists, isNotFound } from "../../client/mod.ts";
import type { KubeObject } from "../../api/storage.ts";
import { parseToken } from "../server_token.ts";
import {
  BOOTSTRAP_TOKEN_NAMESPACE,
  BOOTSTRAP_TOKEN_PATTERN,
  BOOTSTRAP_TOKEN_SECRET_PREFIX,
  BOOTSTRAP_TOKEN_SECRET_TYPE,
  type BootstrapToken,
  DEFAULT_NODE_TOKEN_GROUP,
  generateToken,
  isTokenId,
  KNOWN_USAGES,
  parseBootstrapToken,
  tokenFromSecret,
  tokenToSecret,
  validateUsagesAndGroups,
} from "./token.ts";

const SECRET = { apiVersion: "v1", kind: "Secret" };

/** K3s's `--ttl` default: a day. */
export const DEFAULT_TTL_MS = 24 * 3_600_000;

/** What a new token is: K3s's defaults apply to what is left out. */
export interface CreateTokenOptions {
  /** `<id>.<secret>`; a random one when absent. */
  token?: string;
  /** Lifetime in ms (default a day); 0 means the token never expires. */
  ttl?: number;
  description?: string;
  /** Default: `signing` and `authentication`. */
  usages?: string[];
  /** Extra groups (default: `system:bootstrappers:k3s:default-node-token`). */
  groups?: string[];
  now?: Date;
}

/**
 * Store a new bootstrap token; refuses an id that is taken, and usages or groups kubeadm would refuse.
 *
 * @example
 * ```ts
 * const token = await createToken(client, { ttl: 3_600_000, description: "join worker-3" });
 * `${token.id}.${token.secret}`; // what the new node uses
 * ```
 */
export async function createToken(client: Client, options: CreateTokenOptions = {}): Promise<BootstrapToken> {
  const { id, secret } = parseBootstrapToken(options.token ?? generateToken());
  const usages = options.usages ?? KNOWN_USAGES;
  const groups = options.groups ?? [DEFAULT_NODE_TOKEN_GROUP];
  validateUsagesAndGroups(usages, groups);
  const ttl = options.ttl ?? DEFAULT_TTL_MS;
  if (ttl < 0) throw new Error(`invalid token TTL: must not be negative`);
  const now = options.now ?? new Date();
  const token: BootstrapToken = {
    id,
    secret,
    ...(options.description ? { description: options.description } : {}),
    ...(ttl > 0 ? { expires: new Date(now.getTime() + ttl) } : {}),
    usages,
    groups,
  };
  try {
    await client.create(tokenToSecret(token));
  } catch (error) {
    if (isAlreadyExists(error)) throw new Error(`a token with id "${id}" already exists`);
    throw error;
  }
  return token;
}

/**
 * Every bootstrap token in the cluster; a malformed token Secret is passed to `onInvalid` and skipped.
 *
 * @example
 * ```ts
 * for (const t of await listTokens(client)) console.log(t.id, t.expires);
 * ```
 */
export async function listTokens(
  client: Client,
  onInvalid: (error: Error) => void = () => {},
): Promise<BootstrapToken[]> {
  const secrets = await client.list<KubeObject>(SECRET, BOOTSTRAP_TOKEN_NAMESPACE, {
    fieldSelector: `type=${BOOTSTRAP_TOKEN_SECRET_TYPE}`,
  });
  const tokens: BootstrapToken[] = [];
  for (const secret of secrets.items) {
    try {
      tokens.push(tokenFromSecret(secret));
    } catch (error) {
      onInvalid(error as Error);
    }
  }
  return tokens;
}

/**
 * Delete a token given its id, the whole `<id>.<secret>`, or a `K10<hash>::<id>.<secret>` join token;
 * resolves to the id.
 *
 * @example
 * ```ts
 * await deleteToken(client, "abcdef"); // "abcdef"
 * ```
 */
export async function deleteToken(client: Client, idOrToken: string): Promise<string> {
  const id = tokenIdOf(idOrToken);
  try {
    await client.delete(SECRET, BOOTSTRAP_TOKEN_NAMESPACE, BOOTSTRAP_TOKEN_SECRET_PREFIX + id);
  } catch (error) {
    if (isNotFound(error)) throw new Error(`bootstrap token "${id}" not found`);
    throw new Error(`failed to delete bootstrap token "${id}": ${(error as Error).message}`);
  }
  return id;
}

function tokenIdOf(text: string): string {
  if (isTokenId(text)) return text;
  try {
    const bootstrap = text.startsWith("K10") ? parseToken(text).bootstrapToken : text;
    return parseBootstrapToken(bootstrap ?? "").id;
  } catch {
    throw new Error(`given token didn't match pattern "[a-z0-9]{6}" or "${BOOTSTRAP_TOKEN_PATTERN}"`);
  }
}
