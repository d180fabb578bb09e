/**
 * Reading certificates back: what a PEM certificate says (for `k3s certificate check`, tests, and
 * the renewal decision) and how close it is to expiry.
 *
 * @module
 */
import { normalizeIP } from "./sans.ts";
import { x509 } from "./x509.ts";

/** The facts about a certificate that K3s's tools print or decide on. */
export interface CertificateInfo {
  /** Distinguished name as `O=system:masters, CN=system:admin`. */
  subject: string;
  issuer: string;
  commonName: string;
  organizations: string[];
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  dnsNames: string[];
  /** IP SANs in canonical text form. */
  ipAddresses: string[];
  isCA: boolean;
  /** Extended key usages by name (`serverAuth`, `clientAuth`), or the OID when unnamed. */
  usages: string[];
}

/**
 * Days before expiry at which K3s renews leaf certificates (`CertificateRenewDays`: 120 from v1.32.5,
 * the release this project reports; 90 before).
 */
export const RENEW_DAYS = 120;

const DAY_MS = 86_400_000;

/** `k3s certificate check`'s STATUS column. */
export type CertificateStatus = "OK" | "WARNING" | "EXPIRED" | "NOT YET VALID";

const EKU_NAMES: Record<string, string> = Object.fromEntries(
  Object.entries(x509.ExtendedKeyUsage).map(([name, oid]) => [oid, name]),
);

/**
 * The PEM blocks of every certificate in a text, in order (K3s writes a leaf followed by its CA).
 *
 * @example
 * ```ts
 * pemCertificates(readFileSync("client-admin.crt", "utf8")).length; // 2: the leaf, then the client CA
 * ```
 */
export function pemCertificates(pem: string): string[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)].map((m) => m[0] + "\n");
}

/**
 * Parse the first certificate of a PEM text; throws a plain message when there is none.
 *
 * @example
 * ```ts
 * const cert = parseCertificate(readFileSync("server-ca.crt", "utf8"));
 * ```
 */
export function parseCertificate(pem: string): x509.X509Certificate {
  const first = pemCertificates(pem)[0];
  if (!first) throw new Error("no PEM certificate found");
  return new x509.X509Certificate(first);
}

/**
 * Subject, issuer, validity, SANs and usages of the first certificate in a PEM text.
 *
 * @example
 * ```ts
 * const info = certificateInfo(readFileSync("serving-kube-apiserver.crt", "utf8"));
 * info.commonName;  // "kube-apiserver"
 * info.ipAddresses; // ["127.0.0.1", "::1", …, "10.43.0.1"]
 * ```
 */
export function certificateInfo(pem: string): CertificateInfo {
  const cert = parseCertificate(pem);
  const names = cert.getExtension(x509.SubjectAlternativeNameExtension)?.names.toJSON() ?? [];
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    commonName: cert.subjectName.getField("CN")[0] ?? "",
    organizations: cert.subjectName.getField("O"),
    serialNumber: cert.serialNumber,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    dnsNames: names.filter((n) => n.type === "dns").map((n) => n.value),
    ipAddresses: names.filter((n) => n.type === "ip").map((n) => normalizeIP(n.value) ?? n.value),
    isCA: cert.getExtension(x509.BasicConstraintsExtension)?.ca ?? false,
    usages: Array.from(eku?.usages ?? [], (oid) => EKU_NAMES[String(oid)] ?? String(oid)),
  };
}

/**
 * Where a certificate stands at `now`: WARNING once it is inside the renewal window of
 * `renewDays` (default {@link RENEW_DAYS}), EXPIRED after `notAfter`.
 *
 * @example
 * ```ts
 * certificateStatus(certificateInfo(pem), { now: new Date(), renewDays: 90 }); // "OK"
 * ```
 */
export function certificateStatus(
  info: Pick<CertificateInfo, "notBefore" | "notAfter">,
  options: { now?: Date; renewDays?: number } = {},
): CertificateStatus {
  const now = (options.now ?? new Date()).getTime();
  if (now < info.notBefore.getTime()) return "NOT YET VALID";
  if (now > info.notAfter.getTime()) return "EXPIRED";
  const window = (options.renewDays ?? RENEW_DAYS) * DAY_MS;
  return now > info.notAfter.getTime() - window ? "WARNING" : "OK";
}
