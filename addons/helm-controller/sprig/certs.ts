/**
 * Sprig's key and certificate functions: `genPrivateKey`, `genCA`, `genCAWithKey`, `genSelfSignedCert`,
 * `genSelfSignedCertWithKey`, `genSignedCert`, `genSignedCertWithKey` and `buildCustomCert`. Certificates are
 * built as Go's `x509.CreateCertificate` builds Sprig's template (random 128-bit serial, CN-only subject,
 * key usage, server and client auth, basic constraints, a SHA-1 subject key ID for CAs, the issuer's key ID) and
 * signed synchronously with node:crypto; results carry PEM `.Cert` and `.Key` like Sprig's certificate struct.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  X509Certificate,
} from "node:crypto";
import { isIP } from "node:net";
import { withSignature as fn } from "../gotemplate/signature.ts";
import { formatValue } from "../gotemplate/fmt.ts";
import { type GoFunc, goTypeName } from "../gotemplate/value.ts";
import { base64Decode } from "./encoding.ts";
import { bitString, children, goString, integer, oid, readTlv, sequence, time, tlv } from "./der.ts";

/** Sprig's `certificate` struct. */
export class Certificate {
  constructor(public Cert: string, public Key: string) {}
}

/** A parsed private key: node's key object, or a DSA key, which Go can hold but not sign certificates with. */
type PrivateKey = { kind: "node"; key: KeyObject } | { kind: "dsa" };

/**
 * PEM text of one block, as Go's `pem.EncodeToMemory` writes it (64-column base64).
 *
 * @example
 * ```ts
 * pemEncode("CERTIFICATE", new Uint8Array([1])); // "-----BEGIN CERTIFICATE-----\nAQ==\n-----END CERTIFICATE-----\n"
 * ```
 */
export function pemEncode(type: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString("base64").replace(/.{64}/g, "$&\n").replace(/\n$/, "");
  return `-----BEGIN ${type}-----\n${b64}\n-----END ${type}-----\n`;
}

/** Go's `pem.Decode`: the first PEM block in the text. */
function pemDecode(text: string): { type: string; der: Uint8Array } | undefined {
  const m = /-----BEGIN ([^\n-]*)-----\r?\n([\s\S]*?)-----END \1-----/.exec(text);
  if (!m) return undefined;
  const body = m[2].split(/\r?\n/).filter((l) => !l.includes(":")).join("");
  return { type: m[1], der: new Uint8Array(Buffer.from(body, "base64")) };
}

/** The PEM block Sprig's `pemBlockForKey` writes for a node key: PKCS#1, SEC 1, or PKCS#8. */
function keyPem(key: KeyObject): string {
  switch (key.asymmetricKeyType) {
    case "rsa":
      return key.export({ type: "pkcs1", format: "pem" }) as string;
    case "ec":
      return key.export({ type: "sec1", format: "pem" }) as string;
  }
  return key.export({ type: "pkcs8", format: "pem" }) as string;
}

/** An unsigned DER INTEGER's value. */
function derInteger(buf: Uint8Array, t: { contentStart: number; end: number }): bigint {
  return BigInt("0x0" + Buffer.from(buf.subarray(t.contentStart, t.end)).toString("hex"));
}

/** Sprig's "DSA PRIVATE KEY" block: OpenSSL's sequence of version, P, Q, G, Y, X, from a node DSA key. */
function dsaPem(key: KeyObject): string {
  const der = new Uint8Array(key.export({ type: "pkcs8", format: "der" }));
  const info = children(der, readTlv(der, 0));
  const params = children(der, children(der, info[1])[1]);
  const [p, q, g] = params.map((t) => derInteger(der, t));
  const inner = readTlv(der, info[2].contentStart);
  const x = derInteger(der, inner);
  let y = 1n;
  for (let base = g % p, e = x; e > 0n; e >>= 1n, base = (base * base) % p) if (e & 1n) y = (y * base) % p;
  return pemEncode(
    "DSA PRIVATE KEY",
    sequence(integer(0n), integer(p), integer(q), integer(g), integer(y), integer(x)),
  );
}

/**
 * Sprig's `genPrivateKey`: a new "rsa" (4096-bit, the default), "dsa", "ecdsa" (P-256) or "ed25519" key as PEM;
 * any other type is the text "Unknown type <type>".
 *
 * @example
 * ```ts
 * genPrivateKey("ecdsa").startsWith("-----BEGIN EC PRIVATE KEY-----"); // true
 * ```
 */
export function genPrivateKey(type: string): string {
  switch (type) {
    case "":
    case "rsa":
      return keyPem(generateKeyPairSync("rsa", { modulusLength: 4096 }).privateKey);
    case "dsa":
      return dsaPem(generateKeyPairSync("dsa", { modulusLength: 2048, divisorLength: 256 }).privateKey);
    case "ecdsa":
      return keyPem(generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey);
    case "ed25519":
      return keyPem(generateKeyPairSync("ed25519").privateKey);
  }
  return "Unknown type " + type;
}

/** Sprig's `parsePrivateKeyPEM`, with its error texts. */
function parsePrivateKey(text: string): PrivateKey {
  const block = pemDecode(text);
  if (!block) throw new Error("no PEM data in input");
  const load = (type: "pkcs1" | "sec1" | "pkcs8", what: string): PrivateKey => {
    try {
      return { kind: "node", key: createPrivateKey({ key: Buffer.from(block.der), format: "der", type }) };
    } catch (err) {
      throw new Error(`${what}: ${(err as Error).message}`);
    }
  };
  if (block.type === "PRIVATE KEY") return load("pkcs8", "decoding PEM as PKCS#8");
  if (!block.type.endsWith(" PRIVATE KEY")) throw new Error(`no private key data in PEM block of type ${block.type}`);
  switch (block.type.slice(0, -12)) {
    case "RSA":
      return load("pkcs1", "parsing RSA private key from PEM");
    case "EC":
      return load("sec1", "parsing EC private key from PEM");
    case "DSA":
      try {
        if (children(block.der, readTlv(block.der, 0)).length !== 6) throw new Error("asn1: structure error");
      } catch (err) {
        throw new Error(`parsing DSA private key from PEM: ${(err as Error).message}`);
      }
      return { kind: "dsa" };
  }
  throw new Error(`invalid private key type ${block.type}`);
}

function signer(key: PrivateKey): KeyObject {
  if (key.kind !== "node") throw new Error("x509: certificate private key does not implement crypto.Signer");
  return key.key;
}

/** The signature algorithm Go picks for a key: SHA-256 with RSA, ECDSA by curve size, or Ed25519. */
function signatureAlgorithm(key: KeyObject): { id: Uint8Array; hash: string | null } {
  if (key.asymmetricKeyType === "rsa") {
    return { id: sequence(oid("1.2.840.113549.1.1.11"), tlv(0x05)), hash: "sha256" };
  }
  if (key.asymmetricKeyType === "ec") {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const [o, hash] = curve === "secp384r1"
      ? ["1.2.840.10045.4.3.3", "sha384"]
      : curve === "secp521r1"
      ? ["1.2.840.10045.4.3.4", "sha512"]
      : ["1.2.840.10045.4.3.2", "sha256"];
    return { id: sequence(oid(o)), hash };
  }
  if (key.asymmetricKeyType === "ed25519") return { id: sequence(oid("1.3.101.112")), hash: null };
  throw new Error(`x509: unsupported public key type: ${key.asymmetricKeyType}`);
}

function extension(id: string, critical: boolean, value: Uint8Array): Uint8Array {
  return sequence(oid(id), ...(critical ? [tlv(0x01, new Uint8Array([0xff]))] : []), tlv(0x04, value));
}

/** The public key bits of a SubjectPublicKeyInfo, which Go hashes for the subject key ID. */
function publicKeyBits(spki: Uint8Array): Uint8Array {
  const bits = children(spki, readTlv(spki, 0))[1];
  return spki.subarray(bits.contentStart + 1, bits.end);
}

interface Template {
  cn: string;
  ips: Uint8Array[];
  dnsNames: string[];
  daysValid: number;
  isCA: boolean;
}

interface Issuer {
  subject: Uint8Array;
  spki: Uint8Array;
  subjectKeyId?: Uint8Array;
  key: PrivateKey;
}

/** Go's `x509.CreateCertificate` for Sprig's template; returns the certificate's DER. */
function createCertificate(t: Template, publicKey: KeyObject, issuer: Issuer | undefined, key: PrivateKey) {
  const signingKey = signer(key);
  const spki = new Uint8Array(publicKey.export({ type: "spki", format: "der" }));
  const subject = sequence(...(t.cn === "" ? [] : [tlv(0x31, sequence(oid("2.5.4.3"), goString(t.cn)))]));
  const issuerName = issuer ? issuer.subject : subject;
  if (issuer) {
    const signerSpki = new Uint8Array(createPublicKey(signingKey).export({ type: "spki", format: "der" }));
    if (Buffer.compare(signerSpki, issuer.spki) !== 0) {
      throw new Error("x509: provided PrivateKey doesn't match parent's PublicKey");
    }
  }
  const { id: algorithm, hash } = signatureAlgorithm(signingKey);
  const now = new Date();
  const notAfter = new Date(now.getTime() + t.daysValid * 86_400_000);
  // Key usage bits in ASN.1 order: digitalSignature, keyEncipherment and, for a CA, keyCertSign.
  const keyUsage = t.isCA ? bitString(new Uint8Array([0xa4]), 2) : bitString(new Uint8Array([0xa0]), 5);
  const extensions = [
    extension("2.5.29.15", true, keyUsage),
    extension("2.5.29.37", false, sequence(oid("1.3.6.1.5.5.7.3.1"), oid("1.3.6.1.5.5.7.3.2"))),
    extension("2.5.29.19", true, sequence(...(t.isCA ? [tlv(0x01, new Uint8Array([0xff]))] : []))),
  ];
  if (t.isCA) {
    const keyId = createHash("sha1").update(publicKeyBits(spki)).digest();
    extensions.push(extension("2.5.29.14", false, tlv(0x04, keyId)));
  }
  const sameName = Buffer.compare(issuerName, subject) === 0;
  if (issuer?.subjectKeyId && !sameName) {
    extensions.push(extension("2.5.29.35", false, sequence(tlv(0x80, issuer.subjectKeyId))));
  }
  if (t.dnsNames.length > 0 || t.ips.length > 0) {
    const names = [
      ...t.dnsNames.map((n) => tlv(0x82, new TextEncoder().encode(n))),
      ...t.ips.map((ip) => tlv(0x87, ip)),
    ];
    extensions.push(extension("2.5.29.17", t.cn === "", sequence(...names)));
  }
  const serial = BigInt("0x" + randomBytes(16).toString("hex"));
  const tbs = sequence(
    tlv(0xa0, integer(2n)),
    integer(serial),
    algorithm,
    issuerName,
    sequence(time(now), time(notAfter)),
    subject,
    spki,
    tlv(0xa3, sequence(...extensions)),
  );
  const signature = sign(hash, tbs, signingKey);
  return sequence(tbs, algorithm, bitString(new Uint8Array(signature)));
}

/** Go's `net.ParseIP` as the bytes a SAN holds: 4 for IPv4 (and IPv4-mapped IPv6), else 16. */
function ipBytes(ip: string): Uint8Array | undefined {
  const version = isIP(ip);
  if (version === 4) return new Uint8Array(ip.split(".").map(Number));
  if (version !== 6 || ip.includes("%")) return undefined;
  const out = new Uint8Array(16);
  let s = ip;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (v4) s = s.slice(0, v4.index) + "0:0";
  const [head, tail] = s.split("::");
  const first = head === "" ? [] : head.split(":");
  const last = tail === undefined || tail === "" ? [] : tail.split(":");
  const groups = tail === undefined ? first : [...first, ...Array(8 - first.length - last.length).fill("0"), ...last];
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    out[2 * i] = v >> 8;
    out[2 * i + 1] = v & 0xff;
  });
  if (v4) out.set(v4.slice(1).map(Number), 12);
  const mapped = out.subarray(0, 10).every((b) => b === 0) && out[10] === 0xff && out[11] === 0xff;
  return mapped ? out.subarray(12) : out;
}

function netIPs(ips: unknown): Uint8Array[] {
  return ((ips ?? []) as unknown[]).map((ip) => {
    if (typeof ip !== "string") throw new Error(`error parsing ip: ${formatValue(ip)} is not a string`);
    const bytes = ipBytes(ip);
    if (!bytes) throw new Error(`error parsing ip: ${ip}`);
    return bytes;
  });
}

function dnsNames(names: unknown): string[] {
  return ((names ?? []) as unknown[]).map((n) => {
    if (typeof n !== "string") {
      throw new Error(`error processing alternate dns name: ${formatValue(n)} is not a string`);
    }
    return n;
  });
}

/** Parses the parts of a CA certificate that signing with it needs. */
function issuerOf(ca: Certificate): Issuer {
  const block = pemDecode(ca.Cert);
  if (!block) throw new Error("unable to decode certificate");
  const der = block.der;
  let parts;
  try {
    new X509Certificate(Buffer.from(der));
    const tbs = children(der, children(der, readTlv(der, 0))[0]);
    parts = tbs[0].tag === 0xa0 ? tbs.slice(1) : tbs;
  } catch {
    throw new Error("error parsing certificate: decodedSignerCert.Bytes: x509: malformed certificate");
  }
  let subjectKeyId: Uint8Array | undefined;
  const extensions = parts.find((p) => p.tag === 0xa3);
  if (extensions) {
    for (const ext of children(der, readTlv(der, extensions.contentStart))) {
      const [id, ...rest] = children(der, ext);
      if (Buffer.from(der.subarray(id.start, id.end)).equals(Buffer.from(oid("2.5.29.14")))) {
        const value = rest[rest.length - 1];
        const inner = readTlv(der, value.contentStart);
        subjectKeyId = der.slice(inner.contentStart, inner.end);
      }
    }
  }
  let key: PrivateKey;
  try {
    key = parsePrivateKey(ca.Key);
  } catch (err) {
    throw new Error(`error parsing private key: ${(err as Error).message}`);
  }
  return {
    subject: der.slice(parts[4].start, parts[4].end),
    spki: der.slice(parts[5].start, parts[5].end),
    subjectKeyId,
    key,
  };
}

/** Issues a certificate for `key` from Sprig's arguments, signed by `issuer` or self-signed. */
function issue(t: Template, key: PrivateKey, issuer?: Issuer): Certificate {
  if (key.kind !== "node") {
    throw new Error("error creating certificate: x509: certificate private key does not implement crypto.Signer");
  }
  let der: Uint8Array;
  try {
    der = createCertificate(t, createPublicKey(key.key), issuer, issuer ? issuer.key : key);
  } catch (err) {
    throw new Error(`error creating certificate: ${(err as Error).message}`);
  }
  return new Certificate(pemEncode("CERTIFICATE", der), keyPem(key.key));
}

function newRSAKey(): PrivateKey {
  return { kind: "node", key: generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey };
}

function keyFromPem(pem: unknown): PrivateKey {
  try {
    return parsePrivateKey(pem as string);
  } catch (err) {
    throw new Error(`parsing private key: ${(err as Error).message}`);
  }
}

function asCertificate(v: unknown): Certificate {
  if (v instanceof Certificate) return v;
  if (v === null || v === undefined) throw new Error("invalid value; expected sprig.certificate");
  throw new Error(`wrong type for value; expected sprig.certificate; got ${goTypeName(v)}`);
}

/**
 * Sprig's `buildCustomCert`: a certificate struct from base64 PEM certificate and key, both checked.
 *
 * @example
 * ```ts
 * const ca = genCA("x", 1);
 * buildCustomCert(btoa(ca.Cert), btoa(ca.Key)).Cert === ca.Cert; // true
 * ```
 */
export function buildCustomCert(b64cert: string, b64key: string): Certificate {
  const decode = (s: string, what: string) => {
    try {
      return base64Decode(s);
    } catch {
      throw new Error(`unable to decode base64 ${what}`);
    }
  };
  const cert = decode(b64cert, "certificate");
  const key = decode(b64key, "private key");
  const block = pemDecode(cert);
  if (!block) throw new Error("unable to decode certificate");
  try {
    new X509Certificate(Buffer.from(block.der));
  } catch {
    throw new Error("error parsing certificate: decodedCert.Bytes: x509: malformed certificate");
  }
  try {
    parsePrivateKey(key);
  } catch (err) {
    throw new Error(`error parsing private key: ${(err as Error).message}`);
  }
  return new Certificate(cert, key);
}

/**
 * Sprig's `genCA`: a self-signed CA certificate with a new 2048-bit RSA key.
 *
 * @example
 * ```ts
 * const ca = genCA("my-ca", 365);
 * new X509Certificate(ca.Cert).ca; // true
 * ```
 */
export function genCA(cn: string, daysValid: number): Certificate {
  return issueCA(cn, daysValid, newRSAKey());
}

function issueCA(cn: string, daysValid: number, key: PrivateKey): Certificate {
  return issue({ cn, ips: [], dnsNames: [], daysValid, isCA: true }, key);
}

const days = (v: unknown) => Number(v);
const str = (v: unknown) => v as string;
const any = "interface {}";
const list = "[]interface {}";

/** Sprig's certificate functions by their template names. */
export const certFunctions: Record<string, GoFunc> = {
  genPrivateKey: fn((t) => genPrivateKey(str(t)), ["string"]),
  buildCustomCert: fn((c, k) => buildCustomCert(str(c), str(k)), ["string", "string"]),
  genCA: fn((cn, d) => genCA(str(cn), days(d)), ["string", "int"]),
  genCAWithKey: fn((cn, d, k) => issueCA(str(cn), days(d), keyFromPem(k)), ["string", "int", "string"]),
  genSelfSignedCert: fn((cn, ips, alt, d) => {
    const t = { cn: str(cn), ips: netIPs(ips), dnsNames: dnsNames(alt), daysValid: days(d), isCA: false };
    return issue(t, newRSAKey());
  }, ["string", list, list, "int"]),
  genSelfSignedCertWithKey: fn((cn, ips, alt, d, k) => {
    const key = keyFromPem(k);
    return issue({ cn: str(cn), ips: netIPs(ips), dnsNames: dnsNames(alt), daysValid: days(d), isCA: false }, key);
  }, ["string", list, list, "int", "string"]),
  genSignedCert: fn((cn, ips, alt, d, ca) => {
    const key = newRSAKey();
    const issuer = issuerOf(asCertificate(ca));
    const t = { cn: str(cn), ips: netIPs(ips), dnsNames: dnsNames(alt), daysValid: days(d), isCA: false };
    return issue(t, key, issuer);
  }, ["string", list, list, "int", any]),
  genSignedCertWithKey: fn((cn, ips, alt, d, ca, k) => {
    const key = keyFromPem(k);
    const issuer = issuerOf(asCertificate(ca));
    const t = { cn: str(cn), ips: netIPs(ips), dnsNames: dnsNames(alt), daysValid: days(d), isCA: false };
    return issue(t, key, issuer);
  }, ["string", list, list, "int", any, "string"]),
};
