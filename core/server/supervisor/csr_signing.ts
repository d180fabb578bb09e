/**
 * Signing an agent's certificate signing request as K3s's `signAndSend` does: the agent keeps its private key and
 * POSTs a DER CSR; the server issues a certificate for the CSR's public key with the subject and names it decides
 * (the CSR's own subject is ignored), valid from the CA's start for a year, and answers the certificate followed by
 * the CA chain, PEM.
 *
 * @module
 */
import { badRequest } from "../../api/status.ts";
import { type CertificateAuthority, type CertificateSpec, LEAF_DAYS, pemCertificates } from "../../pki/mod.ts";
import { signingAlgorithm } from "../../pki/keys.ts";
import { x509 } from "../../pki/x509.ts";

const DAY_MS = 86_400_000;

/**
 * The parsed request in a POST body; a body that is not a DER PKCS#10 request whose signature holds is a 400.
 *
 * @example
 * ```ts
 * const csr = await parseCertificateRequest(new Uint8Array(await request.arrayBuffer()));
 * ```
 */
export async function parseCertificateRequest(der: Uint8Array<ArrayBuffer>): Promise<x509.Pkcs10CertificateRequest> {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(der);
  } catch (error) {
    throw badRequest(`invalid certificate signing request: ${(error as Error).message}`);
  }
  // Proof that the agent holds the key it asks a certificate for.
  if (!await csr.verify().catch(() => false)) throw badRequest("invalid certificate signing request: bad signature");
  return csr;
}

/**
 * A certificate for `csr`'s key, shaped by `spec` and signed by `ca`, followed by the CA chain (PEM).
 *
 * @example
 * ```ts
 * const pem = await signCertificateRequest(clientCA, csr, {
 *   commonName: "system:node:worker-1", organizations: ["system:nodes"], usages: ["clientAuth"],
 * });
 * ```
 */
export async function signCertificateRequest(
  ca: CertificateAuthority,
  csr: x509.Pkcs10CertificateRequest,
  spec: CertificateSpec,
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
    subject: [...(spec.organizations ?? []).map((o) => ({ O: [o] })), { CN: [spec.commonName] }],
    issuer: ca.cert.subjectName,
    notBefore: ca.cert.notBefore,
    notAfter: new Date(now.getTime() + (spec.days ?? LEAF_DAYS) * DAY_MS),
    publicKey: csr.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: signingAlgorithm(ca.keys.privateKey),
    extensions,
  });
  return cert.toString("pem") + "\n" + pemCertificates(ca.certPem).join("");
}

function authorityKeyIdentifier(ca: CertificateAuthority): Promise<x509.AuthorityKeyIdentifierExtension> {
  const ski = ca.cert.getExtension(x509.SubjectKeyIdentifierExtension);
  if (ski) return Promise.resolve(new x509.AuthorityKeyIdentifierExtension(ski.keyId));
  return x509.AuthorityKeyIdentifierExtension.create(ca.cert.publicKey);
}
