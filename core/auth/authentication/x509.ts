/**
 * Client certificates the TLS layer could not judge: X.509 version 1 certificates (what
 * `openssl x509 -req` makes without an extensions file). Go's crypto/x509 — and so kube-apiserver —
 * accepts them, and so does Node's TLS (OpenSSL), which the `k3s` binary runs on. Deno's TLS
 * (rustls/webpki) cannot parse them: it reports them unauthorized and never checks the handshake's
 * proof that the client holds the private key. Checking only the signature here would let anyone who
 * has seen such a certificate act as its user, so they are refused, with a log line that says why and
 * what to do.
 *
 * @module
 */

/**
 * Whether a DER certificate is X.509 version 1: its TBSCertificate starts with the serial number
 * rather than the explicit `[0]` version field.
 *
 * @example
 * ```ts
 * isVersion1(socket.getPeerCertificate(true).raw); // true for `openssl x509 -req` output
 * ```
 */
export function isVersion1(der: Uint8Array): boolean {
  const tbs = 1 + lengthSize(der, 1); // inside the outer SEQUENCE
  if (der[0] !== 0x30 || der[tbs] !== 0x30) return false;
  return der[tbs + 1 + lengthSize(der, tbs + 1)] === 0x02;
}

/** Bytes taken by the DER length at `at` (short form, or 0x8N then N bytes). */
function lengthSize(der: Uint8Array, at: number): number {
  return der[at] < 0x80 ? 1 : 1 + (der[at] & 0x7f);
}

/**
 * The log line for a refused version 1 client certificate.
 *
 * @example
 * ```ts
 * version1Refusal("jane"); // "Refused the X.509 version 1 client certificate of \"jane\": …"
 * ```
 */
export function version1Refusal(commonName: string | undefined): string {
  return `Refused the X.509 version 1 client certificate of ${JSON.stringify(commonName ?? "")}: this runtime's ` +
    "TLS (Deno's rustls) cannot verify that the client holds its key. Re-issue it as version 3 " +
    "(openssl x509 -req … -extfile <(echo extendedKeyUsage=clientAuth)), or run the k3s binary, whose TLS can.";
}
