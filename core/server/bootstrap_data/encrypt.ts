/**
 * How K3s seals the bootstrap data it keeps in the datastore (`pkg/cluster/encrypt.go`): the key name is a hash of
 * the server password, and the bytes are AES-256-GCM under a PBKDF2-SHA1 key derived from that password and a random
 * salt, stored as `<salt>:<base64(nonce ‖ ciphertext ‖ tag)>` — so any server holding the token can open it, and the
 * same blob written by K3s opens here.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { createCipheriv, createDecipheriv, createHash, pbkdf2Sync, randomBytes } from "node:crypto";

/** The datastore prefix every bootstrap key lives under. */
export const BOOTSTRAP_PREFIX = "/bootstrap/";

const ITERATIONS = 4096;
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** K3s's `token.Random(8)`: 8 random bytes, hex — the salt is those 16 characters. */
const SALT_BYTES = 8;

/**
 * The first 12 hex characters of the SHA-256 of `password`: the bootstrap key's name.
 *
 * @example
 * ```ts
 * keyHash("pw"); // "30c952fab122"
 * ```
 */
export function keyHash(password: string): string {
  return createHash("sha256").update(password, "utf8").digest("hex").slice(0, 12);
}

/**
 * The datastore key the bootstrap data for `password` is stored at.
 *
 * @example
 * ```ts
 * storageKey("pw"); // "/bootstrap/30c952fab122"
 * ```
 */
export function storageKey(password: string): string {
  return BOOTSTRAP_PREFIX + keyHash(password);
}

/**
 * Seal `plaintext` with `password` as K3s does.
 *
 * @example
 * ```ts
 * const sealed = encryptBootstrap("secret", new TextEncoder().encode("{}\n")); // "9f3c…e1:q83v…" as bytes
 * ```
 */
export function encryptBootstrap(password: string, plaintext: Uint8Array): Uint8Array {
  const salt = randomBytes(SALT_BYTES).toString("hex");
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", deriveKey(password, salt), nonce);
  const sealed = Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return new TextEncoder().encode(`${salt}:${sealed.toString("base64")}`);
}

/**
 * Open what {@link encryptBootstrap} (or K3s) sealed; throws when the password is wrong or the bytes are damaged.
 *
 * @example
 * ```ts
 * new TextDecoder().decode(decryptBootstrap("secret", sealed)); // "{}\n"
 * ```
 */
export function decryptBootstrap(password: string, data: Uint8Array): Uint8Array {
  const text = new TextDecoder().decode(data);
  const colon = text.indexOf(":");
  if (colon < 0) throw new Error("invalid cipher text, not : delimited");
  const sealed = Buffer.from(text.slice(colon + 1), "base64");
  if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new Error("invalid cipher text, too short");
  const decipher = createDecipheriv(
    "aes-256-gcm",
    deriveKey(password, text.slice(0, colon)),
    sealed.subarray(0, NONCE_BYTES),
  );
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch {
    // Go's wording, which K3s users search for.
    throw new Error("cipher: message authentication failed");
  }
}

function deriveKey(password: string, salt: string): Buffer {
  return pbkdf2Sync(Buffer.from(password, "utf8"), Buffer.from(salt, "utf8"), ITERATIONS, KEY_BYTES, "sha1");
}
