// Sprig's key and certificate functions: PEM keys of each type, a parseable CA, and certificates signed by it
// with Go's extensions, checked with node:crypto's X.509 parser.
import assert from "node:assert/strict";
import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import { x509 } from "../../../../core/pki/x509.ts";
import { call, callError } from "./support.ts";
import type { Certificate } from "../../../../addons/helm-controller/sprig/mod.ts";

Deno.test("genCA produces a parseable self-signed CA valid for the given days", () => {
  const ca = call("genCA", "my-ca", 365n) as Certificate;
  const cert = new X509Certificate(ca.Cert);
  assert.equal(cert.subject, "CN=my-ca");
  assert.equal(cert.issuer, "CN=my-ca");
  assert.ok(cert.ca);
  assert.ok(cert.verify(cert.publicKey));
  const days = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000;
  assert.equal(days, 365);
  assert.match(ca.Key, /^-----BEGIN RSA PRIVATE KEY-----\n/);
  assert.equal(createPrivateKey(ca.Key).asymmetricKeyDetails?.modulusLength, 2048);
});

Deno.test("genSignedCert is signed by the CA and carries the SANs", () => {
  const ca = call("genCA", "my-ca", 30n) as Certificate;
  const leaf = call("genSignedCert", "web", ["10.0.0.1", "::1"], ["web.example"], 10n, ca) as Certificate;
  const cert = new X509Certificate(leaf.Cert);
  const caCert = new X509Certificate(ca.Cert);
  assert.equal(cert.subject, "CN=web");
  assert.ok(cert.checkIssued(caCert));
  assert.ok(cert.verify(caCert.publicKey));
  assert.ok(!cert.ca);
  assert.equal(cert.subjectAltName, "DNS:web.example, IP Address:10.0.0.1, IP Address:::1");
});

Deno.test("certificates carry Go's extensions: key usage, server and client auth, key identifiers", () => {
  const caCert = call("genCA", "ca", 1n) as Certificate;
  const ca = new x509.X509Certificate(caCert.Cert);
  const leaf = new x509.X509Certificate((call("genSignedCert", "leaf", null, null, 1n, caCert) as Certificate).Cert);
  const usage = (c: x509.X509Certificate) => c.getExtension(x509.KeyUsagesExtension)!;
  assert.equal(
    usage(ca).usages,
    x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment |
      x509.KeyUsageFlags.keyCertSign,
  );
  assert.ok(usage(ca).critical);
  assert.equal(usage(leaf).usages, x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment);
  assert.deepStrictEqual([...leaf.getExtension(x509.ExtendedKeyUsageExtension)!.usages], [
    x509.ExtendedKeyUsage.serverAuth,
    x509.ExtendedKeyUsage.clientAuth,
  ]);
  assert.equal(ca.getExtension(x509.BasicConstraintsExtension)!.ca, true);
  assert.equal(leaf.getExtension(x509.BasicConstraintsExtension)!.ca, false);
  const caKeyId = ca.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId;
  assert.equal(leaf.getExtension(x509.AuthorityKeyIdentifierExtension)!.keyId, caKeyId);
  assert.equal(leaf.getExtension(x509.SubjectKeyIdentifierExtension), null);
});

Deno.test("genSelfSignedCert is self-signed and not a CA", () => {
  const self = call("genSelfSignedCert", "self", null, ["self.example"], 1n) as Certificate;
  const cert = new X509Certificate(self.Cert);
  assert.ok(cert.verify(cert.publicKey));
  assert.ok(!cert.ca);
});

Deno.test("the WithKey variants use the given ECDSA and Ed25519 keys", () => {
  for (const type of ["ecdsa", "ed25519"]) {
    const key = call("genPrivateKey", type) as string;
    const ca = call("genCAWithKey", "ca-" + type, 1n, key) as Certificate;
    assert.equal(ca.Key, key);
    const leaf = call("genSignedCertWithKey", "leaf", [], [], 1n, ca, call("genPrivateKey", "ecdsa")) as Certificate;
    assert.ok(new X509Certificate(leaf.Cert).verify(new X509Certificate(ca.Cert).publicKey));
    const self = call("genSelfSignedCertWithKey", "self", [], [], 1n, key) as Certificate;
    assert.ok(new X509Certificate(self.Cert).verify(createPublicKey(key)));
  }
});

Deno.test("genPrivateKey writes each key type in Sprig's PEM block", () => {
  assert.match(call("genPrivateKey", "ecdsa") as string, /^-----BEGIN EC PRIVATE KEY-----/);
  assert.match(call("genPrivateKey", "ed25519") as string, /^-----BEGIN PRIVATE KEY-----/);
  assert.equal(call("genPrivateKey", "rsa3"), "Unknown type rsa3");
});

Deno.test("buildCustomCert checks and returns base64 PEM inputs", () => {
  const ca = call("genCA", "x", 1n) as Certificate;
  const built = call("buildCustomCert", btoa(ca.Cert), btoa(ca.Key)) as Certificate;
  assert.deepStrictEqual([built.Cert, built.Key], [ca.Cert, ca.Key]);
  assert.equal(callError("buildCustomCert", "!!", btoa(ca.Key)), "unable to decode base64 certificate");
});

Deno.test("certificate errors carry Sprig's messages", () => {
  assert.equal(callError("genCAWithKey", "x", 1n, "junk"), "parsing private key: no PEM data in input");
  assert.equal(callError("genSelfSignedCert", "x", ["nope"], null, 1n), "error parsing ip: nope");
  assert.equal(
    callError("genSignedCert", "x", null, null, 1n, { Cert: "", Key: "" }),
    "wrong type for value; expected sprig.certificate; got map[string]interface {}",
  );
});
