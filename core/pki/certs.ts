/**
 * Creating certificates: self-signed CAs and the leaves they sign, shaped like the ones K3s makes
 * (Go's `certutil.NewSelfSignedCACert` / `NewSignedCert`). Pure functions of their inputs plus fresh
 * randomness; nothing here touches the disk.
 *
 * @module
 */
import { parseCertificate, pemCertificates } from "./info.ts";
import { generateKeyPair, importPrivateKeyPem, privateKeyToPem, publicKeyMatches, signingAlgorithm } from "./keys.ts";
import type { SubjectAltNames } from "./sans.ts";
import { x509 } from "./x509.ts";

/** A CA ready to sign: its certificate and its key. */
export interface CertificateAuthority {
  cert: x509.X509Certificate;
  /** The CA file's text: the CA certificate, then its own chain when it is an intermediate. */
  certPem: string;
  keyPem: string;
  keys: CryptoKeyPair;
}

/** A signed leaf as K3s stores it: the certificate followed by its CA chain, and its private key. */
export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
}

/** Extended key usages a leaf can be issued for. */
export type ExtendedKeyUsageName = "serverAuth" | "clientAuth";

/** What a leaf certificate says about its holder. */
export interface CertificateSpec {
  commonName: string;
  /** Subject O values: Kubernetes reads them as the user's groups. */
  organizations?: string[];
  usages: ExtendedKeyUsageName[];
  sans?: SubjectAltNames;
  /** Validity in days (default {@link LEAF_DAYS}). */
  days?: number;
}

/** CA validity: ten years of 365 days, as `NewSelfSignedCACert`. */
export const CA_DAYS = 3650;

/** Leaf validity: 365 days, as dynamiclistener's `duration365d`. */
export const LEAF_DAYS = 365;

const DAY_MS = 86_400_000;

/**
 * K3s's CA common name: `<prefix>-ca@<unix seconds>`, so a regenerated CA is told apart from the old one.
 *
 * @example
 * ```ts
 * caCommonName("k3s-server", new Date(1_700_000_000_000)); // "k3s-server-ca@1700000000"
 * ```
 */
export function caCommonName(prefix: string, now: Date = new Date()): string {
  return `${prefix}-ca@${Math.floor(now.getTime() / 1000)}`;
}

/**
 * A new self-signed CA (ECDSA P-256 unless `keys` are given, e.g. a key found on disk without its certificate).
 *
 * @example
 * ```ts
 * const ca = await createCertificateAuthority(caCommonName("k3s-client"));
 * ca.certPem; // "-----BEGIN CERTIFICATE-----\n…"
 * ```
 */
export async function createCertificateAuthority(
  commonName: string,
  options: { now?: Date; days?: number; keys?: CryptoKeyPair } = {},
): Promise<CertificateAuthority> {
  const now = options.now ?? new Date();
  const keys = options.keys ?? await generateKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: [{ CN: [commonName] }],
    notBefore: now,
    notAfter: new Date(now.getTime() + (options.days ?? CA_DAYS) * DAY_MS),
    keys,
    signingAlgorithm: signingAlgorithm(keys.privateKey),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, certPem: cert.toString("pem") + "\n", keyPem: await privateKeyToPem(keys.privateKey), keys };
}

/**
 * A CA from its PEM files; throws when either does not parse, the certificate is not a CA, or the
 * key is not the certificate's key — signing with a mismatched pair would produce unverifiable leaves.
 *
 * @example
 * ```ts
 * const ca = await loadCertificateAuthority(readFileSync("server-ca.crt", "utf8"), readFileSync("server-ca.key", "utf8"));
 * ```
 */
export async function loadCertificateAuthority(certPem: string, keyPem: string): Promise<CertificateAuthority> {
  const cert = parseCertificate(certPem);
  const constraints = cert.getExtension(x509.BasicConstraintsExtension);
  if (!constraints?.ca) throw new Error(`certificate "${cert.subject}" is not a CA`);
  const keys = await importPrivateKeyPem(keyPem);
  if (!await publicKeyMatches(cert.publicKey.rawData, keys.publicKey)) {
    throw new Error(`private key does not belong to CA certificate "${cert.subject}"`);
  }
  return { cert, certPem, keyPem, keys };
}

/**
 * Sign a leaf certificate with a fresh key (or the given one). Its validity starts at the CA's own
 * start, as K3s's leaves do, so a node whose clock lags the server's still accepts it.
 *
 * @example
 * ```ts
 * const serving = await issueCertificate(serverCA, {
 *   commonName: "kube-apiserver", usages: ["serverAuth"], sans: { dns: ["localhost"], ips: ["127.0.0.1"] },
 * });
 * ```
 */
export async function issueCertificate(
  ca: CertificateAuthority,
  spec: CertificateSpec,
  options: { now?: Date; keys?: CryptoKeyPair } = {},
): Promise<IssuedCertificate> {
  const keys = options.keys ?? await generateKeyPair();
  return {
    certPem: await signCertificate(ca, spec, keys.publicKey, options.now),
    keyPem: await privateKeyToPem(keys.privateKey),
  };
}

/**
 * Sign a leaf certificate for a public key held elsewhere (an agent's certificate signing request): the
 * certificate followed by the CA chain, PEM.
 *
 * @example
 * ```ts
 * const pem = await signCertificate(clientCA, { commonName: "system:node:n1", usages: ["clientAuth"] }, csr.publicKey);
 * ```
 */
export async function signCertificate(
  ca: CertificateAuthority,
  spec: CertificateSpec,
  publicKey: CryptoKey | x509.PublicKey,
  now: Date = new Date(),
): Promise<string> {
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension(spec.usages.map((usage) => x509.ExtendedKeyUsage[usage])),
    await authorityKeyIdentifier(ca),
  ];
  const names = [
    ...(spec.sans?.dns ?? []).map((value) => ({ type: "dns" as const, value })),
    ...(spec.sans?.ips ?? []).map((value) => ({ type: "ip" as const, value })),
  ];
  if (names.length) extensions.push(new x509.SubjectAlternativeNameExtension(names));
  const cert = await x509.X509CertificateGenerator.create({
    // Go writes O before CN; keeping its order makes `openssl x509 -subject` read the same as with K3s.
    subject: [...(spec.organizations ?? []).map((o) => ({ O: [o] })), { CN: [spec.commonName] }],
    // The CA's subject bytes verbatim: Go (kubectl) finds issuers by exact DER match, and a
    // re-encoded name can pick other string types (PrintableString vs UTF8String) than the CA did.
    issuer: ca.cert.subjectName,
    notBefore: ca.cert.notBefore,
    notAfter: new Date(now.getTime() + (spec.days ?? LEAF_DAYS) * DAY_MS),
    publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: signingAlgorithm(ca.keys.privateKey),
    extensions,
  });
  return cert.toString("pem") + "\n" + pemCertificates(ca.certPem).join("");
}

/**
 * Sign a client certificate: Kubernetes authenticates it as user `commonName` in groups `organizations`.
 *
 * @example
 * ```ts
 * const controller = await issueClientCertificate(clientCA, { commonName: "system:kube-controller-manager" });
 * const admin = await issueClientCertificate(clientCA, { commonName: "system:admin", organizations: ["system:masters"] });
 * ```
 */
export function issueClientCertificate(
  ca: CertificateAuthority,
  options: { commonName: string; organizations?: string[]; days?: number; now?: Date },
): Promise<IssuedCertificate> {
  const { commonName, organizations, days, now } = options;
  return issueCertificate(ca, { commonName, organizations, days, usages: ["clientAuth"] }, { now });
}

/** The CA's own key identifier when it has one (custom CAs may compute it differently), else derived from its key. */
function authorityKeyIdentifier(ca: CertificateAuthority): Promise<x509.AuthorityKeyIdentifierExtension> {
  const ski = ca.cert.getExtension(x509.SubjectKeyIdentifierExtension);
  if (ski) return Promise.resolve(new x509.AuthorityKeyIdentifierExtension(ski.keyId));
  return x509.AuthorityKeyIdentifierExtension.create(ca.cert.publicKey);
}
