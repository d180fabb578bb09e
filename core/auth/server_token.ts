/**
 * K3s's join tokens: `<data-dir>/server/token` holds `K10<sha256 of the server CA>::server:<password>`,
 * `node-token` links to it, and `agent-token` holds `K10<hash>::node:<password>` (or links to `token`
 * when no agent token is set). Agents parse a token and check the CA they download against its hash
 * before they trust the server.
 *
 * @module
 */
import { createHash, randomBytes, X509Certificate } from "node:crypto";
import { lstat, readFile, rm, symlink } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../pki/atomic_write.ts";
import { pemCertificates } from "../pki/info.ts";
import { tlsDir } from "../pki/server.ts";

const PREFIX = "K10";
const HASH_LENGTH = 64;
const BOOTSTRAP_TOKEN = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;

/** A token taken apart: the CA hash (empty for a short token) and either user + password or a bootstrap token. */
export interface ParsedToken {
  /** 64 hex characters, or "" when the token carries no hash (the CA is then trusted on first use). */
  caHash: string;
  username?: string;
  password?: string;
  /** `<id>.<secret>` when the credentials are a bootstrap token. */
  bootstrapToken?: string;
}

/**
 * Parse a token as K3s does: `K10<hash>::<user>:<password>`, `K10<hash>::<id>.<secret>`, a bare
 * bootstrap token, or a bare password. Throws K3s's messages for malformed ones.
 *
 * @example
 * ```ts
 * parseToken("K10" + "ab".repeat(32) + "::server:secret"); // { caHash: "abab…", username: "server", password: "secret" }
 * parseToken("secret"); // { caHash: "", username: "", password: "secret" }
 * ```
 */
export function parseToken(text: string): ParsedToken {
  if (text.length === 0) throw new Error("token must not be empty");
  let rest = text;
  if (!rest.startsWith(PREFIX)) rest = BOOTSTRAP_TOKEN.test(rest) ? `${PREFIX}::${rest}` : `${PREFIX}:::${rest}`;
  rest = rest.slice(PREFIX.length);
  let caHash = "";
  const separator = rest.indexOf("::");
  if (separator >= 0) {
    caHash = rest.slice(0, separator);
    if (caHash.length > 0 && caHash.length !== HASH_LENGTH) throw new Error("invalid token CA hash length");
    rest = rest.slice(separator + 2);
  }
  if (BOOTSTRAP_TOKEN.test(rest)) return { caHash, bootstrapToken: rest };
  const colon = rest.indexOf(":");
  if (colon < 0 || colon === rest.length - 1) throw new Error("invalid token format");
  return { caHash, username: rest.slice(0, colon), password: rest.slice(colon + 1) };
}

/**
 * The hash a token carries for a CA bundle: SHA-256 of the file's bytes for a single certificate;
 * for a bundle, of the DER of the root its first certificate chains to, so renewing an intermediate
 * keeps existing tokens valid.
 *
 * @example
 * ```ts
 * hashCA(readFileSync("/var/lib/rancher/k3s/server/tls/server-ca.crt")); // "3f…" (64 hex characters)
 * ```
 */
export function hashCA(bundle: string | Uint8Array): string {
  const bytes = typeof bundle === "string" ? new TextEncoder().encode(bundle) : bundle;
  const blocks = pemCertificates(new TextDecoder().decode(bytes));
  const root = blocks.length > 1 ? rootOf(blocks.map((pem) => new X509Certificate(pem))) : undefined;
  return createHash("sha256").update(root ?? bytes).digest("hex");
}

/** The DER of the root certificate the first one chains to through the others, if the chain verifies. */
function rootOf(certs: X509Certificate[]): Uint8Array | undefined {
  let current = certs[0];
  const others = certs.slice(1);
  for (let depth = 0; depth < others.length; depth++) {
    const issuer = others.find((c) => current.checkIssued(c) && current.verify(c.publicKey));
    if (!issuer) return undefined;
    if (issuer.checkIssued(issuer)) return issuer.raw;
    current = issuer;
  }
  return undefined;
}

/**
 * Whether `hash` is the hash of the CA bundle `caPem`; the error names both, as K3s's agent does.
 *
 * @example
 * ```ts
 * validateCAHash(await (await fetch(`${server}/cacerts`)).text(), parseToken(token).caHash);
 * ```
 */
export function validateCAHash(caPem: string | Uint8Array, hash: string): void {
  const actual = hashCA(caPem);
  if (actual !== hash) {
    throw new Error(`token CA hash does not match the Cluster CA certificate hash: ${hash} != ${actual}`);
  }
}

/** Inputs of {@link ensureServerToken}: the data dir, and `--token` / `--agent-token` when given. */
export interface ServerTokenOptions {
  dataDir: string;
  /** `--token` / `K3S_TOKEN`: a password, or a full `K10<hash>::server:<password>` token for this CA. */
  token?: string;
  /** `--agent-token` / `K3S_AGENT_TOKEN`: joins agents only. */
  agentToken?: string;
}

/** The tokens a server hands out, in full K10 form. */
export interface ServerTokens {
  /** `K10<hash>::server:<password>`, the content of `server/token`. */
  token: string;
  /** The server password (the part `--token` sets). */
  password: string;
  /** `K10<hash>::node:<password>` when `--agent-token` is set, else the server token. */
  agentToken: string;
  /** The hash of `server-ca.crt` both tokens carry. */
  caHash: string;
}

/**
 * Write `<data-dir>/server/token` (and `node-token`, `agent-token`) for the server CA already in
 * `server/tls`: the password comes from `--token`, else the existing token file, else 16 random
 * bytes in hex. A full token whose CA hash does not match this server's CA is refused.
 *
 * @example
 * ```ts
 * const { token } = await ensureServerToken({ dataDir: "/var/lib/rancher/k3s", token: process.env.K3S_TOKEN });
 * ```
 */
export async function ensureServerToken(options: ServerTokenOptions): Promise<ServerTokens> {
  const serverDir = join(options.dataDir, "server");
  const caBytes = await readFile(join(tlsDir(options.dataDir), "server-ca.crt"));
  const caHash = hashCA(caBytes);
  const tokenPath = join(serverDir, "token");
  const password = options.token
    ? passwordOf(options.token, "server", caHash, "--token")
    : await storedPassword(tokenPath) ?? randomBytes(16).toString("hex");
  const token = `${PREFIX}${caHash}::server:${password}`;
  await writeFileAtomic(tokenPath, token + "\n", 0o600, 0o700);
  await linkTo("token", join(serverDir, "node-token"));
  const agentPath = join(serverDir, "agent-token");
  if (!options.agentToken) {
    await linkTo("token", agentPath);
    return { token, password, agentToken: token, caHash };
  }
  const agentToken = `${PREFIX}${caHash}::node:${passwordOf(options.agentToken, "node", caHash, "--agent-token")}`;
  await rm(agentPath, { force: true });
  await writeFileAtomic(agentPath, agentToken + "\n", 0o600, 0o700);
  return { token, password, agentToken, caHash };
}

/** The password a `--token` value sets; a full token must name this CA and the expected user. */
function passwordOf(text: string, user: string, caHash: string, flag: string): string {
  const parsed = parseToken(text.trim());
  if (parsed.caHash && parsed.caHash !== caHash) {
    throw new Error(
      `${flag}: token CA hash does not match the Cluster CA certificate hash: ${parsed.caHash} != ${caHash}`,
    );
  }
  if (parsed.bootstrapToken) return parsed.bootstrapToken;
  if (parsed.username && parsed.username !== user) {
    throw new Error(`${flag}: the token is for user "${parsed.username}"; expected "${user}" or a bare password`);
  }
  return parsed.password!;
}

async function storedPassword(path: string): Promise<string | undefined> {
  try {
    return parseToken((await readFile(path, "utf8")).trim()).password;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`cannot reuse the password in ${path}: ${(error as Error).message}`);
  }
}

/** Make `path` a symlink to `target` (relative), replacing a file left by an older layout. */
async function linkTo(target: string, path: string): Promise<void> {
  const existing = await lstat(path).catch(() => undefined);
  if (existing?.isSymbolicLink()) return;
  if (existing) await rm(path, { force: true });
  await symlink(target, path);
}
