/**
 * The front door's serving certificate as dynamiclistener keeps it: a `kubernetes.io/tls` Secret whose
 * `listener.cattle.io/cn-<name>` annotations list the names it must cover, re-signed by the server CA (same
 * key) whenever a name is added, with `listener.cattle.io/fingerprint` naming the certificate. Pure functions
 * of a Secret (rancher/dynamiclistener `factory/gen.go`); storage and triggers live in dynamic_listener.ts.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { type CertificateAuthority, issueCertificate, LEAF_DAYS } from "./certs.ts";
import { parseCertificate } from "./info.ts";
import { generateKeyPair, importPrivateKeyPem } from "./keys.ts";
import { splitSANs } from "./sans.ts";

/** A `v1` Secret of type `kubernetes.io/tls`, as stored in the API and in `dynamic-cert.json`. */
export interface TLSSecret {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name?: string;
    namespace?: string;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  type?: string;
  data?: Record<string, string>;
}

/** The annotation prefix that records each name on the certificate. */
export const CN_PREFIX = "listener.cattle.io/cn-";
/** The annotation naming the certificate: `SHA1=<hex of its DER>`. */
export const FINGERPRINT = "listener.cattle.io/fingerprint";
/** The annotation of a user-provided certificate, which is never re-signed. */
export const STATIC = "listener.cattle.io/static";

/** Names dynamiclistener accepts (a leading `*.` only comes from configured names). */
const CN_PATTERN = /^(\*\.)?([A-Za-z0-9:][-A-Za-z0-9_.:]*)?[A-Za-z0-9:]$/;

/** What the certificate is issued as: K3s's front door is CN `k3s`, O `k3s`. */
export interface DynamicCertOptions {
  ca: CertificateAuthority;
  commonName?: string;
  organizations?: string[];
  /** Days before expiry within which the certificate counts as expired (K3s: `CertificateRenewDays`). */
  renewDays: number;
  now?: Date;
}

/**
 * The annotation key of a name: as is when short and plain, else shortened with `:` and `*` replaced and a
 * hash suffix (annotation keys may not hold them).
 *
 * @example
 * ```ts
 * cnAnnotationKey("10.0.0.1"); // "listener.cattle.io/cn-10.0.0.1"
 * cnAnnotationKey("::1");      // "listener.cattle.io/cn-__1-<6 hex>"
 * ```
 */
export function cnAnnotationKey(cn: string): string {
  const key = CN_PREFIX + cn;
  if (key.length < 64 && !key.includes(":") && !key.includes("*")) return key;
  const digest = createHash("sha256").update(key).digest("hex").slice(0, 6);
  return `${key.replaceAll(":", "_").replaceAll("*", "_").slice(0, Math.min(key.length, 56))}-${digest}`;
}

/**
 * The names a Secret's certificate records.
 *
 * @example
 * ```ts
 * secretCNs(secret); // ["127.0.0.1", "kubernetes", "localhost"]
 * ```
 */
export function secretCNs(secret: TLSSecret | undefined): string[] {
  return Object.entries(secret?.metadata.annotations ?? {}).filter(([k]) => k.startsWith(CN_PREFIX)).map(([, v]) => v);
}

/**
 * Whether the Secret holds a certificate and key.
 *
 * @example
 * ```ts
 * isValidTLSSecret({ metadata: {}, data: { "tls.crt": "…", "tls.key": "…" } }); // true
 * ```
 */
export function isValidTLSSecret(secret: TLSSecret | undefined): secret is TLSSecret {
  return Boolean(secret?.data?.["tls.crt"] && secret.data["tls.key"]);
}

/**
 * Whether a user provided the certificate (then it is never re-signed).
 *
 * @example
 * ```ts
 * isStatic({ metadata: { annotations: { "listener.cattle.io/static": "true" } } }); // true
 * ```
 */
export function isStatic(secret: TLSSecret | undefined): boolean {
  return secret?.metadata.annotations?.[STATIC] === "true";
}

/**
 * The certificate and key PEM of a TLS Secret.
 *
 * @example
 * ```ts
 * const { cert, key } = secretKeyPair(secret);
 * ```
 */
export function secretKeyPair(secret: TLSSecret): { cert: string; key: string } {
  const decode = (field: string) => Buffer.from(secret.data?.[field] ?? "", "base64").toString();
  return { cert: decode("tls.crt"), key: decode("tls.key") };
}

/**
 * Whether any of `cns` is missing (and not covered by a recorded `*.` name one label up).
 *
 * @example
 * ```ts
 * needsUpdate(secret, ["127.0.0.2"]); // true until 127.0.0.2 was added
 * ```
 */
export function needsUpdate(secret: TLSSecret | undefined, cns: string[]): boolean {
  if (!secret) return true;
  const existing = secretCNs(secret);
  const annotations = secret.metadata.annotations ?? {};
  return cns.some((cn) => !annotations[cnAnnotationKey(cn)] && !coveredByWildcard(cn, existing));
}

/**
 * Whether the certificate expires within `renewDays` of `now` (or does not parse).
 *
 * @example
 * ```ts
 * isExpiring(secret, 90); // false for a fresh certificate
 * ```
 */
export function isExpiring(secret: TLSSecret, renewDays: number, now: Date = new Date()): boolean {
  try {
    const cert = parseCertificate(secretKeyPair(secret).cert);
    return cert.notAfter.getTime() - now.getTime() <= renewDays * 86_400_000;
  } catch {
    return true;
  }
}

/**
 * Add names to a Secret's certificate: re-signed with the same key when any is new; `undefined` when
 * nothing changes (static certificates never change).
 *
 * @example
 * ```ts
 * const updated = await addCN(secret, ["127.0.0.2"], { ca: serverCA, renewDays: 90 });
 * ```
 */
export async function addCN(
  secret: TLSSecret | undefined,
  cns: string[],
  options: DynamicCertOptions,
): Promise<TLSSecret | undefined> {
  if (isStatic(secret) || !needsUpdate(secret, cns)) return undefined;
  return await generateCert(secret, cns, options);
}

/**
 * Combine two versions of the Secret (the API's and this server's): the one that already has every name
 * (and is not expiring) wins, the second when both do; otherwise a certificate with the union of names is
 * signed with the first one's key. `changed` says whether the result differs from `target`.
 *
 * @example
 * ```ts
 * const { secret, changed } = await mergeSecrets(fromApi, local, { ca: serverCA, renewDays: 90 });
 * ```
 */
export async function mergeSecrets(
  target: TLSSecret,
  additional: TLSSecret,
  options: DynamicCertOptions,
): Promise<{ secret: TLSSecret; changed: boolean }> {
  if (isStatic(target)) return { secret: target, changed: false };
  const merged = [...secretCNs(target), ...secretCNs(additional)];
  const now = options.now ?? new Date();
  if (!needsUpdate(additional, merged) && !isExpiring(additional, options.renewDays, now)) {
    return { secret: additional, changed: true };
  }
  if (!needsUpdate(target, merged) && !isExpiring(target, options.renewDays, now)) {
    return { secret: target, changed: false };
  }
  return { secret: await generateCert(target, merged, options), changed: true };
}

/**
 * The same names on a freshly signed certificate with the same key (extends its validity).
 *
 * @example
 * ```ts
 * const renewed = await renewSecret(secret, { ca: serverCA, renewDays: 90 });
 * ```
 */
export async function renewSecret(secret: TLSSecret, options: DynamicCertOptions): Promise<TLSSecret> {
  const cns = secretCNs(secret);
  return await generateCert({ ...secret, metadata: { ...secret.metadata, annotations: {} } }, cns, options);
}

/**
 * The same names on a certificate with a new key (`k3s certificate rotate` asks for this at next start).
 *
 * @example
 * ```ts
 * const fresh = await regenerateSecret(secret, { ca: serverCA, renewDays: 90 });
 * ```
 */
export async function regenerateSecret(secret: TLSSecret | undefined, options: DynamicCertOptions): Promise<TLSSecret> {
  return await generateCert(undefined, secretCNs(secret), options);
}

async function generateCert(
  secret: TLSSecret | undefined,
  cns: string[],
  options: DynamicCertOptions,
): Promise<TLSSecret> {
  const annotations = { ...secret?.metadata.annotations };
  for (const cn of cns) if (CN_PATTERN.test(cn)) annotations[cnAnnotationKey(cn)] = cn;
  const keys = isValidTLSSecret(secret)
    ? await importPrivateKeyPem(secretKeyPair(secret).key).catch(() => generateKeyPair())
    : await generateKeyPair();
  const names = Object.entries(annotations).filter(([k]) => k.startsWith(CN_PREFIX)).map(([, v]) => v).sort();
  const issued = await issueCertificate(options.ca, {
    commonName: options.commonName ?? "k3s",
    organizations: options.organizations ?? ["k3s"],
    usages: ["serverAuth"],
    sans: splitSANs(names),
    days: LEAF_DAYS,
  }, { now: options.now, keys });
  const der = parseCertificate(issued.certPem).rawData;
  annotations[FINGERPRINT] = `SHA1=${createHash("sha1").update(new Uint8Array(der)).digest("hex").toUpperCase()}`;
  return {
    ...secret,
    metadata: { ...secret?.metadata, annotations },
    type: "kubernetes.io/tls",
    data: {
      ...secret?.data,
      "tls.crt": Buffer.from(issued.certPem).toString("base64"),
      "tls.key": Buffer.from(issued.keyPem).toString("base64"),
    },
  };
}

function coveredByWildcard(cn: string, existing: string[]): boolean {
  if (cn.startsWith("*.")) return false;
  const dot = cn.indexOf(".");
  if (dot < 1) return false;
  return existing.includes(`*${cn.slice(dot)}`);
}
