/**
 * Deciding whether a stored leaf certificate can be kept. One pure check shared by start-up and
 * (later) the certificate-rotation operator, so both follow K3s's rules: reissue when the files are
 * missing or unreadable, the key does not fit, the CA changed, the subject changed, a required SAN
 * is missing (extra SANs are kept, as K3s does), or expiry is within the renewal window.
 *
 * @module
 */
import type { CertificateAuthority, CertificateSpec } from "./certs.ts";
import { certificateInfo, certificateStatus, parseCertificate, RENEW_DAYS } from "./info.ts";
import { importPrivateKeyPem, publicKeyMatches } from "./keys.ts";
import { normalizeIP } from "./sans.ts";

/** When the check runs and how early to renew. */
export interface RenewalOptions {
  now?: Date;
  /** Renew this many days before expiry (default {@link RENEW_DAYS}). */
  renewDays?: number;
}

/**
 * Why the stored certificate must be reissued, or `undefined` to keep it.
 *
 * @example
 * ```ts
 * const reason = await renewalReason({ certPem, keyPem }, clientCA, {
 *   commonName: "system:admin", organizations: ["system:masters"], usages: ["clientAuth"],
 * });
 * if (reason) log(`Regenerating client-admin.crt: ${reason}`);
 * ```
 */
export async function renewalReason(
  stored: { certPem?: string; keyPem?: string },
  ca: CertificateAuthority,
  spec: CertificateSpec,
  options: RenewalOptions = {},
): Promise<string | undefined> {
  if (stored.certPem === undefined) return "certificate missing";
  if (stored.keyPem === undefined) return "key missing";
  let cert, keys;
  try {
    cert = parseCertificate(stored.certPem);
  } catch (error) {
    return `certificate unreadable: ${(error as Error).message}`;
  }
  try {
    keys = await importPrivateKeyPem(stored.keyPem);
  } catch (error) {
    return `key unreadable: ${(error as Error).message}`;
  }
  if (!await publicKeyMatches(cert.publicKey.rawData, keys.publicKey)) return "key does not match the certificate";
  // Both checks: a CA re-created for the same key still verifies the signature, but TLS clients
  // find the issuer by name, so a leaf naming the old CA would no longer chain.
  if (
    cert.issuer !== ca.cert.subject || !await cert.verify({ publicKey: ca.cert.publicKey, signatureOnly: true })
  ) return "not signed by the current CA";

  const info = certificateInfo(stored.certPem);
  if (info.commonName !== spec.commonName) return `common name is "${info.commonName}", want "${spec.commonName}"`;
  const wantOrgs = [...new Set(spec.organizations ?? [])].sort();
  const haveOrgs = [...new Set(info.organizations)].sort();
  if (wantOrgs.join("\n") !== haveOrgs.join("\n")) {
    return `organizations are [${haveOrgs.join(", ")}], want [${wantOrgs.join(", ")}]`;
  }
  const missingUsages = spec.usages.filter((usage) => !info.usages.includes(usage));
  if (missingUsages.length) return `missing usage ${missingUsages.join(", ")}`;
  const missing = [
    ...(spec.sans?.dns ?? []).filter((name) => !info.dnsNames.includes(name)),
    ...(spec.sans?.ips ?? []).filter((ip) => !info.ipAddresses.includes(normalizeIP(ip) ?? ip)),
  ];
  if (missing.length) return `missing SANs ${missing.join(", ")}`;
  const status = certificateStatus(info, { now: options.now, renewDays: options.renewDays ?? RENEW_DAYS });
  if (status === "EXPIRED") return `expired ${info.notAfter.toISOString()}`;
  if (status === "WARNING") {
    return `expires ${info.notAfter.toISOString()}, within ${options.renewDays ?? RENEW_DAYS} days`;
  }
  return undefined;
}
