/**
 * How the agent gets each of its certificates, K3s's way: a key kept in `<name>.key` across restarts (made once), a
 * CSR for it sent to the supervisor, and the signed certificate (followed by its CA chain) stored in `<name>.crt`,
 * both mode 0600.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import {
  generateKeyPair,
  importPrivateKeyPem,
  pemCertificates,
  privateKeyToPem,
  writeFileAtomic,
} from "../../core/pki/mod.ts";
import { signingAlgorithm } from "../../core/pki/keys.ts";
import { x509 } from "../../core/pki/x509.ts";
import { SupervisorError } from "./supervisor_client.ts";

/** A certificate (with its CA chain) and its key, PEM, as written. */
export interface SignedCertificate {
  certPem: string;
  keyPem: string;
}

/**
 * Send a CSR for the key at `<base>.key` (made now if missing) through `sign`, which answers the supervisor's PEM, and
 * write the result to `<base>.crt`.
 *
 * @example
 * ```ts
 * const signed = await requestSignedCertificate("/var/lib/rancher/k3s/agent/client-k3s-controller",
 *   "system:k3s-controller", (csr) => supervisorRequest({ url, method: "POST", body: csr, trust, authorization }));
 * ```
 */
export async function requestSignedCertificate(
  base: string,
  commonName: string,
  sign: (csr: Uint8Array) => Promise<Uint8Array>,
): Promise<SignedCertificate> {
  const keyPem = await readFile(`${base}.key`, "utf8").catch((error) => {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  });
  const keys = keyPem ? await importPrivateKeyPem(keyPem) : await generateKeyPair();
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: [{ CN: [commonName] }],
    keys,
    signingAlgorithm: signingAlgorithm(keys.privateKey),
  });
  const body = await sign(new Uint8Array(csr.rawData));
  const certPem = pemCertificates(new TextDecoder().decode(body)).join("");
  if (!certPem) throw new SupervisorError(`${base}.crt: the server's answer holds no certificate`, undefined, false);
  const written = { certPem, keyPem: keyPem ?? await privateKeyToPem(keys.privateKey) };
  if (!keyPem) await writeFileAtomic(`${base}.key`, written.keyPem, 0o600, 0o700);
  await writeFileAtomic(`${base}.crt`, written.certPem, 0o600, 0o700);
  return written;
}
