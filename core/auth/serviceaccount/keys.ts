/**
 * The service-account signing key, `<data-dir>/server/tls/service.key` as K3s keeps it: an RSA 2048
 * key in PKCS#1 PEM, made at first start and never replaced (replacing it would invalidate every
 * token in the cluster). The first private key in the file signs; every key in it verifies, so a
 * rotated-out key can stay listed until its tokens expire.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../../pki/atomic_write.ts";
import { tlsDir } from "../../pki/server.ts";

/** JWS algorithms kube-apiserver signs service-account tokens with (RS256 for RSA keys, ES* by curve). */
export type SigningAlgorithm = "RS256" | "ES256" | "ES384" | "ES512";

/** A key that checks token signatures, with kube's key id for it. */
export interface VerifyingKey {
  key: KeyObject;
  keyId: string;
  algorithm: SigningAlgorithm;
}

/** The key that signs new tokens. */
export interface SigningKey {
  key: KeyObject;
  keyId: string;
  algorithm: SigningAlgorithm;
}

/** The signing key and every verifying key of a `service.key` file. */
export interface ServiceAccountKeys {
  signer: SigningKey;
  verifiers: VerifyingKey[];
}

/** K3s's file name for the key, inside `server/tls`. */
export const SERVICE_KEY_FILE = "service.key";

const PEM_BLOCK = /-----BEGIN ([A-Z ]+)-----[\s\S]+?-----END \1-----/g;

/**
 * kube's key id: the SHA-256 of the public key's PKIX DER, base64url without padding — not
 * reversible, yet the same on every server that holds the key.
 *
 * @example
 * ```ts
 * keyIdOf(createPublicKey(pem)); // "yq0cTsM0…" (43 characters)
 * ```
 */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(der).digest().toString("base64url");
}

function algorithmOf(key: KeyObject): SigningAlgorithm {
  if (key.asymmetricKeyType === "rsa") return "RS256";
  if (key.asymmetricKeyType === "ec") {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === "prime256v1" || curve === "P-256") return "ES256";
    if (curve === "secp384r1" || curve === "P-384") return "ES384";
    if (curve === "secp521r1" || curve === "P-521") return "ES512";
    throw new Error(`unsupported elliptic curve ${curve}: service-account keys must use P-256, P-384 or P-521`);
  }
  throw new Error(`unsupported ${key.asymmetricKeyType} key: service-account keys must be RSA or ECDSA`);
}

/**
 * The keys of a PEM file: private keys (PKCS#1, PKCS#8, SEC1) and public keys; the first private key signs.
 *
 * @example
 * ```ts
 * const { signer, verifiers } = parseServiceAccountKeys(readFileSync("service.key", "utf8"));
 * ```
 */
export function parseServiceAccountKeys(pem: string): ServiceAccountKeys {
  let signer: SigningKey | undefined;
  const verifiers: VerifyingKey[] = [];
  for (const [block, type] of pem.matchAll(PEM_BLOCK)) {
    const isPrivate = type.endsWith("PRIVATE KEY");
    if (!isPrivate && type !== "PUBLIC KEY" && type !== "RSA PUBLIC KEY") continue;
    const publicKey = isPrivate ? createPublicKey(createPrivateKey(block)) : createPublicKey(block);
    const entry = { key: publicKey, keyId: keyIdOf(publicKey), algorithm: algorithmOf(publicKey) };
    verifiers.push(entry);
    if (isPrivate && !signer) signer = { ...entry, key: createPrivateKey(block) };
  }
  if (!signer) throw new Error("no private key found: the service-account key file must hold a PEM private key");
  return { signer, verifiers };
}

/**
 * Load `<data-dir>/server/tls/service.key`, creating it (RSA 2048, PKCS#1 PEM, mode 0600) when missing.
 *
 * @example
 * ```ts
 * const keys = await ensureServiceAccountKey("/var/lib/rancher/k3s");
 * keys.signer.algorithm; // "RS256"
 * ```
 */
export async function ensureServiceAccountKey(dataDir: string): Promise<ServiceAccountKeys> {
  const path = join(tlsDir(dataDir), SERVICE_KEY_FILE);
  let pem: string;
  try {
    pem = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    pem = Buffer.from(privateKey.export({ type: "pkcs1", format: "pem" })).toString("utf8");
    await writeFileAtomic(path, pem, 0o600, 0o700);
  }
  try {
    return parseServiceAccountKeys(pem);
  } catch (error) {
    throw new Error(`cannot use ${path}: ${(error as Error).message}`);
  }
}
