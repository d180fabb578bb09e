/**
 * K3s's node passwords: the first time a node asks for its kubelet certificates, the server keeps an scrypt hash of
 * the password the agent sent in the immutable Secret `kube-system/<node>.node-password.k3s` (key `hash`); from then
 * on only that password gets certificates for that node name, so an agent with a duplicate host name cannot take
 * over another node. The hash is K3s's text form `$1:<salt hex>:<log2 N>:<r>:<p>:<key base64>`, so a datastore moved
 * between K3s and this server keeps its nodes.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { type Client, isAlreadyExists, isNotFound } from "../../client/mod.ts";
import type { KubeObject } from "../../api/storage.ts";

/** Parameters K3s hashes with (`hash.NewSCrypt`): N = 2^15, r = 8, p = 1, a 64-byte key, an 8-byte salt. */
const LOG2_N = 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 64;
const SALT_LENGTH = 8;
const VERSION = 1;
/** scrypt needs 128·N·r bytes (32 MiB here), just above Node's default limit. */
const MAX_MEMORY = 64 * 1024 * 1024;

/** The password a node sent does not match the hash its Secret holds (answered with 403). */
export class NodePasswordRejected extends Error {}

/**
 * The Secret holding a node's password hash: `<node>.node-password.k3s`, lower-cased, in `kube-system`.
 *
 * @example
 * ```ts
 * nodePasswordSecretName("Worker-1"); // "worker-1.node-password.k3s"
 * ```
 */
export function nodePasswordSecretName(nodeName: string): string {
  return `${nodeName}.node-password.k3s`.toLowerCase();
}

/**
 * The hash of `password` in K3s's format, with a fresh salt.
 *
 * @example
 * ```ts
 * await hashNodePassword("0123abcd…"); // "$1:9f86d081884c7d65:15:8:1:Vm0x…"
 * ```
 */
export async function hashNodePassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, LOG2_N, R, P, KEY_LENGTH);
  return `$${VERSION}:${salt.toString("hex")}:${LOG2_N}:${R}:${P}:${key.toString("base64").replace(/=+$/, "")}`;
}

/**
 * Whether `password` is the one `hash` was made from; throws when the hash is not in K3s's format.
 *
 * @example
 * ```ts
 * await verifyNodePassword(await hashNodePassword("pw"), "pw"); // true
 * ```
 */
export async function verifyNodePassword(hash: string, password: string): Promise<boolean> {
  const match = /^\$(\d+):([0-9a-f]*):(\d+):(\d+):(\d+):([A-Za-z0-9+/]+)$/.exec(hash);
  if (!match) throw new Error("unexpected node password hash format");
  const [, version, salt, logN, r, p, encoded] = match;
  if (Number(version) !== VERSION) {
    throw new Error(`hash version ${version} does not match package version ${VERSION}`);
  }
  const expected = Buffer.from(encoded, "base64");
  const actual = await derive(password, Buffer.from(salt, "hex"), Number(logN), Number(r), Number(p), expected.length);
  return timingSafeEqual(actual, expected);
}

/**
 * Check `password` against the node's Secret, creating the Secret on first use (K3s's `nodepassword.Ensure`).
 * Throws {@link NodePasswordRejected} on a mismatch; API errors pass through.
 *
 * @example
 * ```ts
 * await ensureNodePassword(client, "worker-1", request.headers.get("K3s-Node-Password")!);
 * ```
 */
export async function ensureNodePassword(client: Client, nodeName: string, password: string): Promise<void> {
  const name = nodePasswordSecretName(nodeName);
  const existing = await readSecret(client, name);
  if (existing) return await verifySecret(existing, nodeName, password);
  try {
    await client.create({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name, namespace: "kube-system" },
      immutable: true,
      data: { hash: Buffer.from(await hashNodePassword(password)).toString("base64") },
    });
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
    // Another request for the same node won the race: its password is the one to match.
    const winner = await readSecret(client, name);
    if (!winner) throw error;
    await verifySecret(winner, nodeName, password);
  }
}

async function readSecret(client: Client, name: string): Promise<KubeObject | undefined> {
  try {
    return await client.get<KubeObject>({ apiVersion: "v1", kind: "Secret" }, "kube-system", name);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function verifySecret(secret: KubeObject, nodeName: string, password: string): Promise<void> {
  const data = secret.data as Record<string, string> | undefined;
  if (!data?.hash) {
    throw new Error(`unable to locate hash data for node secret '${secret.metadata?.name}'`);
  }
  if (!await verifyNodePassword(Buffer.from(data.hash, "base64").toString("utf8"), password)) {
    throw new NodePasswordRejected(`unable to verify hash for node '${nodeName}': hash does not match`);
  }
}

function derive(password: string, salt: Buffer, logN: number, r: number, p: number, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, length, { N: 2 ** logN, r, p, maxmem: MAX_MEMORY }, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    })
  );
}
