/**
 * Compact JWS as kube-apiserver writes service-account tokens: a `{"alg","kid"}` header, a JSON claims
 * payload, base64url without padding, signed with the service-account key.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { type KeyObject, sign, verify } from "node:crypto";
import type { SigningAlgorithm, SigningKey, VerifyingKey } from "./keys.ts";

/** The protected header of a token. */
export interface JWTHeader {
  alg: string;
  kid?: string;
}

const HASHES: Record<SigningAlgorithm, string> = {
  RS256: "sha256",
  ES256: "sha256",
  ES384: "sha384",
  ES512: "sha512",
};

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/** Go's `encoding/json` writes map keys sorted; go-jose builds the payload from a map, so tokens list claims A–Z. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.keys(value).sort().map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
  );
}

/** ECDSA signatures in JWS are r‖s, not DER. */
function keyInput(key: KeyObject, algorithm: SigningAlgorithm) {
  return algorithm.startsWith("ES") ? { key, dsaEncoding: "ieee-p1363" as const } : key;
}

/**
 * Sign `claims` into a compact JWS.
 *
 * @example
 * ```ts
 * const token = signJWT(keys.signer, { iss: "https://kubernetes.default.svc.cluster.local", sub: "system:serviceaccount:ns:robot" });
 * ```
 */
export function signJWT(signer: SigningKey, claims: Record<string, unknown>): string {
  const input = `${encode({ alg: signer.algorithm, kid: signer.keyId })}.${encode(sorted(claims))}`;
  const signature = sign(HASHES[signer.algorithm], Buffer.from(input), keyInput(signer.key, signer.algorithm));
  return `${input}.${signature.toString("base64url")}`;
}

/**
 * The claims of a compact JWS, read without checking its signature — only to decide which
 * authenticator a token is for (its issuer); never trust them before {@link verifyJWT}.
 *
 * @example
 * ```ts
 * unverifiedClaims(token)?.iss; // "https://kubernetes.default.svc.cluster.local"
 * ```
 */
export function unverifiedClaims(token: string): Record<string, unknown> | undefined {
  if (token.trimStart().startsWith("{")) return undefined;
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    return claims !== null && typeof claims === "object" && !Array.isArray(claims) ? claims : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Check a token's signature against the keys its `kid` names (all keys when it names none) and
 * return its claims; throws when no key verifies it. The header's `alg` must be the key's own, so a
 * token cannot choose a weaker check.
 *
 * @example
 * ```ts
 * const claims = verifyJWT(token, keys.verifiers);
 * ```
 */
export function verifyJWT(token: string, keys: VerifyingKey[]): Record<string, unknown> {
  const [headerPart, payloadPart, signaturePart, ...extra] = token.split(".");
  if (!signaturePart || extra.length > 0) throw new Error("malformed token: not a compact JWS");
  let header: JWTHeader;
  try {
    header = JSON.parse(Buffer.from(headerPart, "base64url").toString("utf8"));
  } catch {
    throw new Error("malformed token: unreadable header");
  }
  const candidates = header.kid ? keys.filter((k) => k.keyId === header.kid) : keys;
  if (candidates.length === 0) throw new Error("invalid signature, no keys found");
  const input = Buffer.from(`${headerPart}.${payloadPart}`);
  const signature = Buffer.from(signaturePart, "base64url");
  const verified = candidates.some((k) =>
    k.algorithm === header.alg && verify(HASHES[k.algorithm], input, keyInput(k.key, k.algorithm), signature)
  );
  if (!verified) throw new Error("invalid signature");
  const claims = unverifiedClaims(token);
  if (!claims) throw new Error("malformed token: unreadable claims");
  return claims;
}
