/**
 * kube-apiserver's value transformers for data at rest: each stored value starts with the prefix of the
 * provider and key that wrote it (`k8s:enc:aescbc:v1:<key name>:`), the first key of the first provider
 * writes, and every configured key reads — so values written before a rotation stay readable until they
 * are rewritten. AES-CBC (random IV first, PKCS#7 padding), AES-GCM (random 12-byte nonce first, the
 * storage key as additional data) and identity, as `k8s.io/apiserver/pkg/storage/value/encrypt/aes`.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { type EncryptionConfiguration, type EncryptionKey, secretProviders } from "./config.ts";

/** Turns values into what is stored and back. */
export interface ValueTransformer {
  /** The bytes to store for `data` under storage key `key`. */
  toStorage(data: Uint8Array, key: string): Uint8Array;
  /**
   * The value stored bytes hold; `stale` when a key other than the writing one wrote them (so a rewrite
   * would change the stored bytes). Throws when no configured key can read them.
   */
  fromStorage(data: Uint8Array, key: string): { data: Uint8Array; stale: boolean };
  /** The prefix new values are written with (`""` for identity). */
  readonly writePrefix: string;
}

/** The marker every encrypted value starts with. */
const ENCRYPTED = Buffer.from("k8s:enc:");

interface KeyTransformer {
  prefix: Buffer;
  seal(data: Uint8Array, key: string): Uint8Array;
  open(data: Uint8Array, key: string): Uint8Array;
}

function isEncrypted(data: Uint8Array): boolean {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).subarray(0, ENCRYPTED.length).equals(ENCRYPTED);
}

/** Plain values; it refuses to pass encrypted bytes off as plain. */
const identity: KeyTransformer = {
  prefix: Buffer.alloc(0),
  seal: (data) => data,
  open: (data) => {
    if (isEncrypted(data)) throw new Error("identity transformer tried to read encrypted data");
    return data;
  },
};

/**
 * Values stored as they are (no encryption configured).
 *
 * @example
 * ```ts
 * identityTransformer.toStorage(bytes, "/registry/secrets/default/a") === bytes; // true
 * ```
 */
export const identityTransformer: ValueTransformer = {
  writePrefix: "",
  toStorage: (data) => data,
  fromStorage: (data, key) => ({ data: identity.open(data, key), stale: false }),
};

function aesKey(provider: string, key: EncryptionKey): Buffer {
  const bytes = Buffer.from(key.secret ?? "", "base64");
  if (![16, 24, 32].includes(bytes.length)) {
    throw new Error(`${provider} key "${key.name}": key must be 16, 24 or 32 bytes (got ${bytes.length})`);
  }
  return bytes;
}

function aescbc(key: EncryptionKey): KeyTransformer {
  const secret = aesKey("aescbc", key);
  const algorithm = `aes-${secret.length * 8}-cbc`;
  return {
    prefix: Buffer.from(`k8s:enc:aescbc:v1:${key.name}:`),
    seal(data) {
      const iv = randomBytes(16);
      const cipher = createCipheriv(algorithm, secret, iv);
      return Buffer.concat([iv, cipher.update(data), cipher.final()]);
    },
    open(data) {
      if (data.length < 16) throw new Error("the stored data was shorter than the required size");
      if ((data.length - 16) % 16 !== 0) throw new Error("the stored data is not a multiple of the block size");
      const decipher = createDecipheriv(algorithm, secret, data.subarray(0, 16));
      try {
        return Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]);
      } catch {
        throw new Error("invalid padding on input");
      }
    },
  };
}

function aesgcm(key: EncryptionKey): KeyTransformer {
  const secret = aesKey("aesgcm", key);
  const algorithm = `aes-${secret.length * 8}-gcm` as "aes-256-gcm";
  return {
    prefix: Buffer.from(`k8s:enc:aesgcm:v1:${key.name}:`),
    seal(data, storageKey) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv(algorithm, secret, nonce);
      cipher.setAAD(Buffer.from(storageKey));
      return Buffer.concat([nonce, cipher.update(data), cipher.final(), cipher.getAuthTag()]);
    },
    open(data, storageKey) {
      if (data.length < 12 + 16) throw new Error("the stored data was shorter than the required size");
      const decipher = createDecipheriv(algorithm, secret, data.subarray(0, 12));
      decipher.setAAD(Buffer.from(storageKey));
      decipher.setAuthTag(data.subarray(data.length - 16));
      try {
        return Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]);
      } catch {
        throw new Error("cipher: message authentication failed");
      }
    },
  };
}

/**
 * The transformer a configuration describes for Secrets: every key of every provider in order, the first
 * one writing. Throws on providers this server cannot run (secretbox, KMS) or malformed keys.
 *
 * @example
 * ```ts
 * const t = transformerFor(encryptionConfiguration([newEncryptionKey("aescbckey")], true));
 * t.writePrefix; // "k8s:enc:aescbc:v1:aescbckey:"
 * ```
 */
export function transformerFor(config: EncryptionConfiguration): ValueTransformer {
  const chain: KeyTransformer[] = [];
  for (const provider of secretProviders(config)) {
    if (provider.aescbc) chain.push(...provider.aescbc.keys.map(aescbc));
    else if (provider.aesgcm) chain.push(...provider.aesgcm.keys.map(aesgcm));
    else if (provider.identity) chain.push(identity);
    else if (provider.secretbox) throw new Error("the secretbox provider is not supported: use aescbc");
    else throw new Error("the kms provider is not supported: use aescbc");
  }
  const writer = chain[0];
  return {
    writePrefix: writer.prefix.toString(),
    toStorage(data, key) {
      return writer === identity ? data : new Uint8Array(Buffer.concat([writer.prefix, writer.seal(data, key)]));
    },
    fromStorage(data, key) {
      const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      for (const [index, transformer] of chain.entries()) {
        if (!bytes.subarray(0, transformer.prefix.length).equals(transformer.prefix)) continue;
        // Identity placed first (encryption being turned off) must let encrypted values reach the keys after it.
        if (transformer === identity && isEncrypted(bytes)) continue;
        const opened = transformer.open(bytes.subarray(transformer.prefix.length), key);
        return { data: new Uint8Array(opened.buffer, opened.byteOffset, opened.byteLength), stale: index !== 0 };
      }
      throw new Error("no matching prefix found");
    },
  };
}
