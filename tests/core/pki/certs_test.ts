import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  CA_DAYS,
  caCommonName,
  certificateInfo,
  type CertificateSpec,
  certificateStatus,
  createCertificateAuthority,
  importPrivateKeyPem,
  issueCertificate,
  issueClientCertificate,
  LEAF_DAYS,
  loadCertificateAuthority,
  parseCertificate,
  pemCertificates,
  renewalReason,
} from "../../../core/pki/mod.ts";
import { opensslText, opensslVerify, run, tempDir } from "./tools.ts";

const DAY = 86_400_000;
const NOW = new Date("2025-06-01T12:00:00Z");

Deno.test("pki certs: a CA is self-signed, ten years, named <prefix>-ca@<unix seconds>", async () => {
  const ca = await createCertificateAuthority(caCommonName("k3s-server", NOW), { now: NOW });
  const info = certificateInfo(ca.certPem);
  assert.equal(info.commonName, "k3s-server-ca@1748779200");
  assert.equal(info.subject, info.issuer);
  assert.equal(info.isCA, true);
  assert.equal(info.notBefore.getTime(), NOW.getTime());
  assert.equal(info.notAfter.getTime() - info.notBefore.getTime(), CA_DAYS * DAY);
  assert.ok(await ca.cert.verify({ signatureOnly: true }));
  assert.match(ca.keyPem, /^-----BEGIN PRIVATE KEY-----\n/);
});

Deno.test("pki certs: a client certificate names user and groups, carries its CA, and openssl verifies it", async () => {
  const dir = tempDir();
  const ca = await createCertificateAuthority(caCommonName("k3s-client", NOW), { now: NOW });
  const kubelet = await issueClientCertificate(ca, {
    commonName: "system:node:n1",
    organizations: ["system:nodes", "extra"],
    now: NOW,
  });
  const info = certificateInfo(kubelet.certPem);
  assert.equal(info.commonName, "system:node:n1");
  assert.deepEqual(info.organizations, ["system:nodes", "extra"]);
  assert.deepEqual(info.usages, ["clientAuth"]);
  assert.equal(info.isCA, false);
  assert.equal(info.notBefore.getTime(), NOW.getTime()); // the CA's start, as K3s backdates
  assert.equal(info.notAfter.getTime() - NOW.getTime(), LEAF_DAYS * DAY);
  assert.deepEqual(pemCertificates(kubelet.certPem).slice(1), [ca.certPem]);

  writeFileSync(join(dir, "ca.crt"), ca.certPem);
  writeFileSync(join(dir, "leaf.crt"), kubelet.certPem);
  // openssl checks validity against the real clock; NOW is in the past, so verify at NOW.
  const verdict = await run("openssl", [
    "verify",
    "-attime",
    String(NOW.getTime() / 1000 + 60),
    "-CAfile",
    join(dir, "ca.crt"),
    join(dir, "leaf.crt"),
  ]);
  assert.equal(verdict.stdout.trim(), `${join(dir, "leaf.crt")}: OK`, verdict.stderr);
  const text = await opensslText(join(dir, "leaf.crt"));
  assert.match(text, /Subject: O = system:nodes, O = extra, CN = system:node:n1/);
  assert.match(text, /TLS Web Client Authentication/);
  assert.match(text, /Public Key Algorithm: id-ecPublicKey[\s\S]*NIST CURVE: P-256/);
  assert.match(text, /CA:FALSE/);
});

Deno.test("pki certs: a CA loads back from its PEM files; a foreign key or a non-CA is refused", async () => {
  const ca = await createCertificateAuthority("a-ca");
  const other = await createCertificateAuthority("b-ca");
  const loaded = await loadCertificateAuthority(ca.certPem, ca.keyPem);
  assert.equal(loaded.cert.subject, "CN=a-ca");
  const leaf = await issueClientCertificate(loaded, { commonName: "u" });
  assert.ok(await parseCertificate(leaf.certPem).verify({ publicKey: ca.cert.publicKey, signatureOnly: true }));
  await assert.rejects(loadCertificateAuthority(ca.certPem, other.keyPem), /private key does not belong/);
  await assert.rejects(loadCertificateAuthority(leaf.certPem, leaf.keyPem), /is not a CA/);
  await assert.rejects(loadCertificateAuthority("garbage", ca.keyPem), /no PEM certificate/);
});

Deno.test("pki certs: OpenSSL-made keys and CAs (SEC1 EC, RSA) can sign leaves openssl accepts", async () => {
  const dir = tempDir();
  const sh = async (...args: string[]) => {
    const result = await run("openssl", args);
    assert.equal(result.code, 0, result.stderr);
  };
  await sh("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", join(dir, "ec.key"));
  assert.match(readFileSync(join(dir, "ec.key"), "utf8"), /BEGIN EC PRIVATE KEY/);
  const ec = await importPrivateKeyPem(readFileSync(join(dir, "ec.key"), "utf8"));
  assert.equal((ec.privateKey.algorithm as EcKeyAlgorithm).namedCurve, "P-256");

  await sh("genrsa", "-traditional", "-out", join(dir, "rsa.key"), "2048");
  await sh(
    "req",
    "-x509",
    "-new",
    "-key",
    join(dir, "rsa.key"),
    "-subj",
    "/CN=custom-root",
    "-days",
    "30",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
    "-out",
    join(dir, "rsa.crt"),
  );
  const ca = await loadCertificateAuthority(
    readFileSync(join(dir, "rsa.crt"), "utf8"),
    readFileSync(join(dir, "rsa.key"), "utf8"),
  );
  const serving = await issueCertificate(ca, {
    commonName: "kube-apiserver",
    usages: ["serverAuth"],
    sans: { dns: ["localhost"], ips: ["127.0.0.1"] },
  });
  writeFileSync(join(dir, "serving.crt"), serving.certPem);
  assert.equal(await opensslVerify(join(dir, "rsa.crt"), join(dir, "serving.crt")), `${join(dir, "serving.crt")}: OK`);
  assert.match(await opensslText(join(dir, "serving.crt")), /Signature Algorithm: sha256WithRSAEncryption/);
});

Deno.test("pki certs: renewal follows K3s's rules", async () => {
  const ca = await createCertificateAuthority("ca", { now: NOW });
  const spec: CertificateSpec = {
    commonName: "kube-apiserver",
    usages: ["serverAuth"],
    sans: { dns: ["kubernetes", "localhost"], ips: ["127.0.0.1", "::1"] },
  };
  const issued = await issueCertificate(ca, spec, { now: NOW });
  const at = (days: number) => ({ now: new Date(NOW.getTime() + days * DAY) });

  assert.equal(await renewalReason(issued, ca, spec, at(1)), undefined);
  // Extra names on the certificate are harmless (K3s checks "has all", not equality).
  assert.equal(await renewalReason(issued, ca, { ...spec, sans: { dns: ["localhost"], ips: [] } }, at(1)), undefined);
  assert.equal(
    await renewalReason(issued, ca, { ...spec, sans: { dns: ["kubernetes"], ips: ["0:0::1"] } }, at(1)),
    undefined,
  );
  assert.equal(
    await renewalReason(issued, ca, { ...spec, sans: { dns: ["k3s.example.com"], ips: ["203.0.113.7"] } }, at(1)),
    "missing SANs k3s.example.com, 203.0.113.7",
  );
  assert.equal(await renewalReason({ keyPem: issued.keyPem }, ca, spec), "certificate missing");
  assert.equal(await renewalReason({ certPem: issued.certPem }, ca, spec), "key missing");
  assert.match((await renewalReason({ ...issued, certPem: "junk" }, ca, spec))!, /^certificate unreadable/);
  assert.match((await renewalReason({ ...issued, keyPem: "junk" }, ca, spec))!, /^key unreadable/);
  const other = await issueCertificate(ca, spec, { now: NOW });
  assert.equal(
    await renewalReason({ ...issued, keyPem: other.keyPem }, ca, spec, at(1)),
    "key does not match the certificate",
  );
  const newCA = await createCertificateAuthority("ca", { now: NOW });
  assert.equal(await renewalReason(issued, newCA, spec, at(1)), "not signed by the current CA");
  assert.match((await renewalReason(issued, ca, { ...spec, commonName: "x" }, at(1)))!, /^common name is/);
  assert.match((await renewalReason(issued, ca, { ...spec, organizations: ["g"] }, at(1)))!, /^organizations are/);
  assert.equal(await renewalReason(issued, ca, { ...spec, usages: ["clientAuth"] }, at(1)), "missing usage clientAuth");
  assert.equal(await renewalReason(issued, ca, spec, at(LEAF_DAYS - 121)), undefined);
  assert.match((await renewalReason(issued, ca, spec, at(LEAF_DAYS - 119)))!, /^expires .*, within 120 days$/);
  assert.equal(await renewalReason(issued, ca, spec, { ...at(LEAF_DAYS - 119), renewDays: 90 }), undefined);
  assert.match((await renewalReason(issued, ca, spec, at(LEAF_DAYS + 1)))!, /^expired /);
});

Deno.test("pki certs: status is what `k3s certificate check` prints", () => {
  const info = { notBefore: new Date(NOW.getTime()), notAfter: new Date(NOW.getTime() + 365 * DAY) };
  const at = (days: number) => ({ now: new Date(NOW.getTime() + days * DAY) });
  assert.equal(certificateStatus(info, at(-1)), "NOT YET VALID");
  assert.equal(certificateStatus(info, at(10)), "OK");
  assert.equal(certificateStatus(info, at(300)), "WARNING");
  assert.equal(certificateStatus(info, at(250)), "WARNING");
  assert.equal(certificateStatus(info, { ...at(250), renewDays: 90 }), "OK");
  assert.equal(certificateStatus(info, at(366)), "EXPIRED");
});
