/**
 * Sprig's hashing, password and symmetric crypto functions: `sha1sum`, `sha256sum`, `sha512sum`, `adler32sum`,
 * `bcrypt`, `htpasswd`, `derivePassword` (Master Password), `encryptAES`/`decryptAES` (AES-256-CBC, Sprig's
 * key padding) and `randBytes`.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, scryptSync } from "node:crypto";
import { withSignature as fn } from "../gotemplate/signature.ts";
import type { GoFunc } from "../gotemplate/value.ts";
import { generateFromPassword } from "./bcrypt.ts";
import { base64DecodeBytes } from "./encoding.ts";
import { text, utf8 } from "./bytes.ts";

/**
 * Go's `hash/adler32` checksum of the string's bytes, in decimal.
 *
 * @example
 * ```ts
 * adler32sum("Wikipedia"); // "300286872"
 * ```
 */
export function adler32sum(s: string): string {
  let a = 1;
  let b = 0;
  for (const byte of utf8(s)) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return String(((b << 16) | a) >>> 0);
}

const hex = (algorithm: string) => (s: unknown) => createHash(algorithm).update(utf8(s as string)).digest("hex");

/** Sprig's `bcrypt`: the hash, or the failure as text. */
function bcrypt(password: string): string {
  try {
    return generateFromPassword(password);
  } catch (err) {
    return `failed to encrypt string with bcrypt: ${(err as Error).message}`;
  }
}

const TEMPLATES: Record<string, string[]> = {
  maximum: ["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
  long: [
    "CvcvnoCvcvCvcv",
    "CvcvCvcvnoCvcv",
    "CvcvCvcvCvcvno",
    "CvccnoCvcvCvcv",
    "CvccCvcvnoCvcv",
    "CvccCvcvCvcvno",
    "CvcvnoCvccCvcv",
    "CvcvCvccnoCvcv",
    "CvcvCvccCvcvno",
    "CvcvnoCvcvCvcc",
    "CvcvCvcvnoCvcc",
    "CvcvCvcvCvccno",
    "CvccnoCvccCvcv",
    "CvccCvccnoCvcv",
    "CvccCvccCvcvno",
    "CvcvnoCvccCvcc",
    "CvcvCvccnoCvcc",
    "CvcvCvccCvccno",
    "CvccnoCvcvCvcc",
    "CvccCvcvnoCvcc",
    "CvccCvcvCvccno",
  ],
  medium: ["CvcnoCvc", "CvcCvcno"],
  short: ["Cvcn"],
  basic: ["aaanaaan", "aannaaan", "aaannaaa"],
  pin: ["nnnn"],
};

const CHARACTERS: Record<string, string> = {
  V: "AEIOU",
  C: "BCDFGHJKLMNPQRSTVWXYZ",
  v: "aeiou",
  c: "bcdfghjklmnpqrstvwxyz",
  A: "AEIOUBCDFGHJKLMNPQRSTVWXYZ",
  a: "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
  n: "0123456789",
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
};

const SEED = "com.lyndir.masterpassword";

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

/**
 * Sprig's `derivePassword`: the Master Password algorithm (scrypt then HMAC-SHA256 into a password template).
 *
 * @example
 * ```ts
 * derivePassword(1, "long", "password", "user", "example.com"); // "ZedaFaxcZaso9*"
 * ```
 */
export function derivePassword(counter: number, type: string, password: string, user: string, site: string): string {
  const templates = TEMPLATES[type];
  if (!templates) return `cannot find password template ${type}`;
  const userBytes = Buffer.from(user);
  const salt = Buffer.concat([Buffer.from(SEED), uint32(userBytes.length), userBytes]);
  const key = scryptSync(Buffer.from(password), salt, 64, { N: 32768, r: 8, p: 2, maxmem: 128 * 1024 * 1024 });
  const siteBytes = Buffer.from(site);
  const message = Buffer.concat([Buffer.from(SEED), uint32(siteBytes.length), siteBytes, uint32(counter)]);
  const seed = createHmac("sha256", key).update(message).digest();
  const template = templates[seed[0] % templates.length];
  let out = "";
  for (let i = 0; i < template.length; i++) {
    const chars = CHARACTERS[template[i]];
    out += chars[seed[i + 1] % chars.length];
  }
  return out;
}

/** Sprig's AES key: the password's bytes, cut or zero-padded to 32. */
function aesKey(password: string): Buffer {
  const key = Buffer.alloc(32);
  Buffer.from(password).copy(key, 0, 0, 32);
  return key;
}

/**
 * Sprig's `encryptAES`: AES-256-CBC with PKCS#7 padding and a random IV in front, base64-encoded.
 *
 * @example
 * ```ts
 * decryptAES("secretkey", encryptAES("secretkey", "plaintext")); // "plaintext"
 * ```
 */
export function encryptAES(password: string, plaintext: string): string {
  if (plaintext === "") return "";
  const iv = randomBytes(16);
  const cipher = createCipheriv("aes-256-cbc", aesKey(password), iv);
  return Buffer.concat([iv, cipher.update(utf8(plaintext)), cipher.final()]).toString("base64");
}

/**
 * Sprig's `decryptAES`. Like Sprig it does not check the padding, so a wrong key gives garbage, not an error.
 *
 * @example
 * ```ts
 * decryptAES("k", ""); // ""
 * ```
 */
export function decryptAES(password: string, crypt64: string): string {
  if (crypt64 === "") return "";
  const data = Buffer.from(base64DecodeBytes(crypt64));
  if (data.length < 16) {
    throw new Error(`runtime error: slice bounds out of range [:16] with capacity ${data.length}`);
  }
  const body = data.subarray(16);
  if (body.length % 16 !== 0) throw new Error("crypto/cipher: input not full blocks");
  if (body.length === 0) throw new Error("runtime error: index out of range [-1]");
  const decipher = createDecipheriv("aes-256-cbc", aesKey(password), data.subarray(0, 16)).setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(body), decipher.final()]);
  const end = plain.length - plain[plain.length - 1];
  if (end < 0) throw new Error(`runtime error: slice bounds out of range [:${end}]`);
  return text(plain.subarray(0, end));
}

/** Sprig's crypto functions by their template names. */
export const cryptoFunctions: Record<string, GoFunc> = {
  sha1sum: fn(hex("sha1"), ["string"]),
  sha256sum: fn(hex("sha256"), ["string"]),
  sha512sum: fn(hex("sha512"), ["string"]),
  adler32sum: fn((s) => adler32sum(s as string), ["string"]),
  bcrypt: fn((s) => bcrypt(s as string), ["string"]),
  htpasswd: fn((user, password) => {
    if ((user as string).includes(":")) return `invalid username: ${user}`;
    return `${user}:${bcrypt(password as string)}`;
  }, ["string", "string"]),
  derivePassword: fn((c, t, p, u, s) => derivePassword(Number(c), t as string, p as string, u as string, s as string), [
    "int",
    "string",
    "string",
    "string",
    "string",
  ]),
  encryptAES: fn((p, s) => encryptAES(p as string, s as string), ["string", "string"]),
  decryptAES: fn((p, s) => decryptAES(p as string, s as string), ["string", "string"]),
  randBytes: fn((n) => {
    if (Number(n) < 0) throw new Error("runtime error: makeslice: len out of range");
    return randomBytes(Number(n)).toString("base64");
  }, ["int"]),
};
