/**
 * Private keys: generated with WebCrypto, stored as PEM, and loaded back from whatever PEM an
 * operator may have placed in the TLS directory (PKCS#8, SEC1 "EC PRIVATE KEY" as OpenSSL and K3s
 * write them, or PKCS#1 RSA for custom CAs).
 *
 * @module
 */
import { createPrivateKey, createPublicKey } from "node:crypto";
import { x509 } from "./x509.ts";

/** ECDSA P-256 with SHA-256: the kind of key K3s generates for every CA and leaf. */
export const KEY_ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

/** OpenSSL's curve names as WebCrypto spells them. */
const CURVES: Record<string, string> = { prime256v1: "P-256", secp384r1: "P-384", secp521r1: "P-521" };

/** The hash Go pairs with each curve, so a P-384 custom CA signs with SHA-384 as K3s would. */
const CURVE_HASH: Record<string, string> = { "P-256": "SHA-256", "P-384": "SHA-384", "P-521": "SHA-512" };

/**
 * A fresh, extractable ECDSA P-256 key pair.
 *
 * @example
 * ```ts
 * const keys = await generateKeyPair();
 * const pem = await privateKeyToPem(keys.privateKey);
 * ```
 */
export function generateKeyPair(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(KEY_ALGORITHM, true, ["sign", "verify"]);
}

/**
 * PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`) of an extractable private key.
 *
 * @example
 * ```ts
 * const pem = await privateKeyToPem((await generateKeyPair()).privateKey);
 * ```
 */
export async function privateKeyToPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await crypto.subtle.exportKey("pkcs8", key), "PRIVATE KEY") + "\n";
}

/**
 * Parse a PEM private key into a WebCrypto key pair (the public half is derived from it).
 * Throws when the text is not a supported EC (P-256/384/521) or RSA private key.
 *
 * @example
 * ```ts
 * const { privateKey, publicKey } = await importPrivateKeyPem(readFileSync("server-ca.key", "utf8"));
 * ```
 */
export async function importPrivateKeyPem(pem: string): Promise<CryptoKeyPair> {
  // WebCrypto only reads PKCS#8; node:crypto converts the other PEM flavours to it.
  const key = createPrivateKey(pem);
  let algorithm: EcKeyImportParams | RsaHashedImportParams;
  if (key.asymmetricKeyType === "ec") {
    const namedCurve = CURVES[key.asymmetricKeyDetails?.namedCurve ?? ""];
    if (!namedCurve) throw new Error(`unsupported EC curve ${key.asymmetricKeyDetails?.namedCurve}`);
    algorithm = { name: "ECDSA", namedCurve };
  } else if (key.asymmetricKeyType === "rsa") {
    algorithm = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  } else {
    throw new Error(`unsupported private key type ${key.asymmetricKeyType}`);
  }
  const pkcs8 = new Uint8Array(key.export({ type: "pkcs8", format: "der" }));
  const spki = new Uint8Array(createPublicKey(key).export({ type: "spki", format: "der" }));
  return {
    privateKey: await crypto.subtle.importKey("pkcs8", pkcs8, algorithm, true, ["sign"]),
    publicKey: await crypto.subtle.importKey("spki", spki, algorithm, true, ["verify"]),
  };
}

/**
 * The signature algorithm a key signs certificates with.
 *
 * @example
 * ```ts
 * signingAlgorithm(keys.privateKey); // { name: "ECDSA", hash: "SHA-256" }
 * ```
 */
export function signingAlgorithm(key: CryptoKey): EcdsaParams | RsaHashedImportParams {
  if (key.algorithm.name === "ECDSA") {
    return { name: "ECDSA", hash: CURVE_HASH[(key.algorithm as EcKeyAlgorithm).namedCurve] ?? "SHA-256" };
  }
  return { name: key.algorithm.name, hash: "SHA-256" };
}

/**
 * Whether a public key is the one encoded in a SubjectPublicKeyInfo (e.g. a certificate's key).
 *
 * @example
 * ```ts
 * await publicKeyMatches(cert.publicKey.rawData, keys.publicKey); // true when the key pair belongs to the cert
 * ```
 */
export async function publicKeyMatches(spki: ArrayBuffer, key: CryptoKey): Promise<boolean> {
  const a = new Uint8Array(spki);
  const b = new Uint8Array(await crypto.subtle.exportKey("spki", key));
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
