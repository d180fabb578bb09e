/**
 * Bootstrap tokens (`<id>.<secret>`, 6 + 16 characters of `[a-z0-9]`) and the
 * `bootstrap.kubernetes.io/token` Secrets that hold them in `kube-system` as `bootstrap-token-<id>`,
 * in the layout of k8s.io/cluster-bootstrap and kubeadm.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { randomInt } from "node:crypto";
import type { KubeObject } from "../../api/storage.ts";

/** The Secret type of bootstrap tokens. */
export const BOOTSTRAP_TOKEN_SECRET_TYPE = "bootstrap.kubernetes.io/token";
/** Bootstrap token Secrets live here. */
export const BOOTSTRAP_TOKEN_NAMESPACE = "kube-system";
/** Prefix of a bootstrap token Secret's name; the token id follows. */
export const BOOTSTRAP_TOKEN_SECRET_PREFIX = "bootstrap-token-";
/** Prefix of the user a bootstrap token authenticates as; the token id follows. */
export const BOOTSTRAP_USER_PREFIX = "system:bootstrap:";
/** The group every bootstrap token user is in. */
export const BOOTSTRAPPERS_GROUP = "system:bootstrappers";
/** The usages a token may have (`usage-bootstrap-<usage>: "true"`). */
export const KNOWN_USAGES = ["signing", "authentication"];
/** K3s's default extra group for tokens from `k3s token create`. */
export const DEFAULT_NODE_TOKEN_GROUP = "system:bootstrappers:k3s:default-node-token";

/** `token-id`, `token-secret`, … : the Secret's data keys. */
export const KEYS = {
  id: "token-id",
  secret: "token-secret",
  expiration: "expiration",
  description: "description",
  usagePrefix: "usage-bootstrap-",
  extraGroups: "auth-extra-groups",
} as const;

/** `[a-z0-9]{6}.[a-z0-9]{16}` */
export const BOOTSTRAP_TOKEN_PATTERN = "[a-z0-9]{6}.[a-z0-9]{16}";
const TOKEN = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
const TOKEN_ID = /^[a-z0-9]{6}$/;
const GROUP_PATTERN = "\\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\\z";
const GROUP = /^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$/;
const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

/** The parts of a Secret these functions read (any KubeObject type fits). */
export interface SecretLike {
  metadata?: { name?: string };
  type?: unknown;
  data?: unknown;
}

/** A bootstrap token as kubeadm and K3s describe it. */
export interface BootstrapToken {
  id: string;
  secret: string;
  description?: string;
  /** Absent: the token never expires. */
  expires?: Date;
  usages: string[];
  groups: string[];
}

/**
 * A fresh random token (every character uniform over `[a-z0-9]`).
 *
 * @example
 * ```ts
 * generateToken(); // "k3x9qz.0a1b2c3d4e5f6g7h"
 * ```
 */
export function generateToken(): string {
  const pick = (n: number) => Array.from({ length: n }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
  return `${pick(6)}.${pick(16)}`;
}

/**
 * The id and secret of a token; throws kubeadm's message when it is not of the form.
 *
 * @example
 * ```ts
 * parseBootstrapToken("abcdef.0123456789abcdef"); // { id: "abcdef", secret: "0123456789abcdef" }
 * ```
 */
export function parseBootstrapToken(token: string): { id: string; secret: string } {
  const match = TOKEN.exec(token);
  if (!match) throw new Error(`the bootstrap token "${token}" was not of the form "${BOOTSTRAP_TOKEN_PATTERN}"`);
  return { id: match[1], secret: match[2] };
}

/**
 * Whether `text` is a token id (`[a-z0-9]{6}`).
 *
 * @example
 * ```ts
 * isTokenId("abcdef"); // true
 * ```
 */
export function isTokenId(text: string): boolean {
  return TOKEN_ID.test(text);
}

/**
 * kubeadm's checks of usages and extra groups, with its messages.
 *
 * @example
 * ```ts
 * validateUsagesAndGroups(["signing"], ["system:bootstrappers:k3s:default-node-token"]); // ok
 * ```
 */
export function validateUsagesAndGroups(usages: string[], groups: string[]): void {
  const unknown = usages.filter((u) => !KNOWN_USAGES.includes(u));
  if (unknown.length) {
    throw new Error(
      `invalid bootstrap token usage string: ${unknown.join(",")}, valid usage options: ${KNOWN_USAGES.join(",")}`,
    );
  }
  for (const group of groups) {
    if (!GROUP.test(group)) throw new Error(`bootstrap group "${group}" is invalid (must match ${GROUP_PATTERN})`);
  }
}

/**
 * The Secret that stores `token` (kubeadm's `BootstrapTokenToSecret`).
 *
 * @example
 * ```ts
 * await client.create(tokenToSecret({ id, secret, usages: ["authentication"], groups: [], expires }));
 * ```
 */
export function tokenToSecret(token: BootstrapToken): KubeObject {
  const data: Record<string, string> = { [KEYS.id]: token.id, [KEYS.secret]: token.secret };
  if (token.description) data[KEYS.description] = token.description;
  if (token.expires) data[KEYS.expiration] = token.expires.toISOString().replace(/\.\d{3}Z$/, "Z");
  for (const usage of token.usages) data[KEYS.usagePrefix + usage] = "true";
  if (token.groups.length) data[KEYS.extraGroups] = token.groups.join(",");
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: BOOTSTRAP_TOKEN_SECRET_PREFIX + token.id, namespace: BOOTSTRAP_TOKEN_NAMESPACE },
    type: BOOTSTRAP_TOKEN_SECRET_TYPE,
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString("base64")])),
  };
}

/**
 * A Secret's value for `key`, decoded (empty when absent).
 *
 * @example
 * ```ts
 * secretData(secret, "token-id"); // "abcdef"
 * ```
 */
export function secretData(secret: SecretLike, key: string): string {
  const value = (secret.data as Record<string, string> | undefined)?.[key];
  return value === undefined ? "" : Buffer.from(value, "base64").toString("utf8");
}

/**
 * The token a Secret holds (kubeadm's `BootstrapTokenFromSecret`); throws its messages when the Secret is malformed.
 *
 * @example
 * ```ts
 * tokenFromSecret(secret).usages; // ["authentication", "signing"]
 * ```
 */
export function tokenFromSecret(secret: SecretLike): BootstrapToken {
  const name = secret.metadata?.name ?? "";
  const id = secretData(secret, KEYS.id);
  if (!id) throw new Error(`bootstrap Token Secret has no token-id data: ${name}`);
  if (name !== BOOTSTRAP_TOKEN_SECRET_PREFIX + id) {
    throw new Error(
      `bootstrap token name is not of the form '${BOOTSTRAP_TOKEN_SECRET_PREFIX}(token-id)'. Actual: "${name}". Expected: "${BOOTSTRAP_TOKEN_SECRET_PREFIX}${id}"`,
    );
  }
  const tokenSecret = secretData(secret, KEYS.secret);
  if (!tokenSecret) throw new Error(`bootstrap Token Secret has no token-secret data: ${name}`);
  parseBootstrapToken(`${id}.${tokenSecret}`);
  const expiration = secretData(secret, KEYS.expiration);
  const expires = expiration ? parseRFC3339(expiration) : undefined;
  if (expires === null) throw new Error(`can't parse expiration time of bootstrap token "${name}"`);
  const usages = Object.keys((secret.data ?? {}) as Record<string, string>)
    .filter((k) => k.startsWith(KEYS.usagePrefix) && secretData(secret, k) === "true")
    .map((k) => k.slice(KEYS.usagePrefix.length))
    .sort();
  const extraGroups = secretData(secret, KEYS.extraGroups).split(",");
  const groups = extraGroups[0] ? extraGroups : [];
  return {
    id,
    secret: tokenSecret,
    ...(secretData(secret, KEYS.description) ? { description: secretData(secret, KEYS.description) } : {}),
    ...(expires ? { expires } : {}),
    usages,
    groups,
  };
}

/**
 * How long until the Secret's token expires (ms), `undefined` for a token without expiry, and 0 once
 * it has expired — an unparseable expiration counts as expired (cluster-bootstrap's `GetExpiration`).
 *
 * @example
 * ```ts
 * if (timeRemaining(secret, new Date()) === 0) await client.delete(SECRET, "kube-system", name);
 * ```
 */
export function timeRemaining(secret: SecretLike, now: Date): number | undefined {
  const expiration = secretData(secret, KEYS.expiration);
  if (!expiration) return undefined;
  const expires = parseRFC3339(expiration);
  if (!expires) return 0;
  return Math.max(0, expires.getTime() - now.getTime());
}

/**
 * `system:bootstrappers` plus the Secret's `auth-extra-groups`, de-duplicated and sorted; throws on
 * a group outside `system:bootstrappers:*` (cluster-bootstrap's `GetGroups`).
 *
 * @example
 * ```ts
 * groupsOf(secret); // ["system:bootstrappers", "system:bootstrappers:k3s:default-node-token"]
 * ```
 */
export function groupsOf(secret: SecretLike): string[] {
  const extra = secretData(secret, KEYS.extraGroups);
  const groups = new Set([BOOTSTRAPPERS_GROUP]);
  for (const group of extra ? extra.split(",") : []) {
    if (!GROUP.test(group)) throw new Error(`bootstrap group "${group}" is invalid (must match ${GROUP_PATTERN})`);
    groups.add(group);
  }
  return [...groups].sort();
}

/** Go's `time.Parse(time.RFC3339, …)`: a date, a time, and a zone (Z or ±hh:mm) are all required. */
function parseRFC3339(text: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}
