/**
 * Signing an agent's certificate signing request as K3s's `signAndSend` does: the agent keeps its private key and
 * POSTs a DER CSR; the server issues a certificate for the CSR's public key with the subject and names it decides
 * (the CSR's own subject is ignored), valid from the CA's start for a year, and answers the certificate followed by
 * the CA chain, PEM.
 *
 * @module
 */
import { badRequest } from "../../api/status.ts";
import { type CertificateAuthority, type CertificateSpec, signCertificate } from "../../pki/mod.ts";
import { x509 } from "../../pki/x509.ts";

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
export function signCertificateRequest(
  ca: CertificateAuthority,
  csr: x509.Pkcs10CertificateRequest,
  spec: CertificateSpec,
  now: Date = new Date(),
): Promise<string> {
  return signCertificate(ca, spec, csr.publicKey, now);
}
