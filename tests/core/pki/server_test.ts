import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { certificateInfo, ensureServerCertificates, pemCertificates, TLS_FILES } from "../../../core/pki/mod.ts";
import { opensslText, opensslVerify, run, tempDir } from "./tools.ts";

const DAY = 86_400_000;
const ALL_FILES = Object.values(TLS_FILES).sort();

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name), "utf8")]));
}

Deno.test("pki server: first start writes K3s's files under server/tls with private keys 0600", async () => {
  const dataDir = tempDir();
  const lines: string[] = [];
  const pki = await ensureServerCertificates({
    dataDir,
    tlsSans: ["k3s.example.com", "203.0.113.7"],
    log: (line) => lines.push(line),
  });
  const dir = join(dataDir, "server", "tls");
  assert.equal(pki.dir, dir);
  assert.deepEqual(readdirSync(dir).sort(), ALL_FILES);
  assert.deepEqual([...pki.written].sort(), ALL_FILES);
  assert.equal(lines.length, 6);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  for (const name of ALL_FILES) {
    assert.equal(statSync(join(dir, name)).mode & 0o777, name.endsWith(".key") ? 0o600 : 0o644, name);
  }

  const files = snapshot(dir);
  assert.equal(files["server-ca.crt"], pki.serverCA.certPem);
  assert.equal(files["client-ca.crt"], pki.clientCA.certPem);
  assert.equal(files["serving-kube-apiserver.crt"], pki.serving.certPem);
  assert.equal(files["serving-kube-apiserver.key"], pki.serving.keyPem);
  assert.equal(files["client-admin.crt"], pki.admin.certPem);
  assert.equal(files["client-admin.key"], pki.admin.keyPem);

  const seconds = "\\d{10}";
  assert.match(certificateInfo(pki.serverCA.certPem).commonName, new RegExp(`^k3s-server-ca@${seconds}$`));
  assert.match(certificateInfo(pki.clientCA.certPem).commonName, new RegExp(`^k3s-client-ca@${seconds}$`));
  assert.match(
    certificateInfo(pki.requestHeaderCA.certPem).commonName,
    new RegExp(`^k3s-request-header-ca@${seconds}$`),
  );
  const admin = certificateInfo(pki.admin.certPem);
  assert.equal(admin.commonName, "system:admin");
  assert.deepEqual(admin.organizations, ["system:masters"]);
  assert.equal(files["client-kube-apiserver.crt"], pki.kubeAPIServerClient.certPem);
  assert.equal(files["client-kube-apiserver.key"], pki.kubeAPIServerClient.keyPem);
  const kubeletClient = certificateInfo(pki.kubeAPIServerClient.certPem);
  assert.equal(kubeletClient.commonName, "system:apiserver");
  assert.deepEqual(kubeletClient.organizations, ["system:masters"]);
  assert.deepEqual(kubeletClient.usages, ["clientAuth"]);
  assert.equal(pemCertificates(pki.kubeAPIServerClient.certPem)[1], pki.clientCA.certPem);
  assert.equal(certificateInfo(pki.serving.certPem).commonName, "kube-apiserver");
  assert.equal(pemCertificates(pki.serving.certPem)[1], pki.serverCA.certPem);
});

Deno.test("pki server: openssl verifies the chain and sees every SAN, including --tls-san and 127.0.0.1", async () => {
  const dataDir = tempDir();
  await ensureServerCertificates({ dataDir, tlsSans: ["k3s.example.com", "203.0.113.7"] });
  const dir = join(dataDir, "server", "tls");
  const serving = join(dir, "serving-kube-apiserver.crt");
  assert.equal(await opensslVerify(join(dir, "server-ca.crt"), serving), `${serving}: OK`);
  const admin = join(dir, "client-admin.crt");
  assert.equal(await opensslVerify(join(dir, "client-ca.crt"), admin), `${admin}: OK`);
  const kubeletClient = join(dir, "client-kube-apiserver.crt");
  assert.equal(await opensslVerify(join(dir, "client-ca.crt"), kubeletClient), `${kubeletClient}: OK`);
  assert.match(await opensslText(kubeletClient), /Subject: O = system:masters, CN = system:apiserver/);
  // A certificate from the wrong CA must not verify: the CAs really are distinct.
  assert.match(await opensslVerify(join(dir, "client-ca.crt"), serving), /unable to get local issuer certificate/);

  const text = await opensslText(serving);
  const sanLine = text.match(/X509v3 Subject Alternative Name:\s*\n\s*(.*)/)![1];
  const sans = sanLine.split(", ");
  for (
    const want of [
      "DNS:kubernetes",
      "DNS:kubernetes.default",
      "DNS:kubernetes.default.svc",
      "DNS:kubernetes.default.svc.cluster.local",
      "DNS:localhost",
      "DNS:k3s.example.com",
      "IP Address:127.0.0.1",
      "IP Address:0:0:0:0:0:0:0:1",
      "IP Address:10.43.0.1",
      "IP Address:203.0.113.7",
    ]
  ) {
    assert.ok(sans.includes(want), `${want} missing from ${sanLine}`);
  }
  assert.match(text, /Subject: CN = kube-apiserver/);
  assert.match(text, /TLS Web Server Authentication/);
  assert.match(await opensslText(join(dir, "server-ca.crt")), /CA:TRUE/);
  const keyCheck = await run("openssl", ["pkey", "-in", join(dir, "serving-kube-apiserver.key"), "-noout"]);
  assert.equal(keyCheck.code, 0, keyCheck.stderr);
});

Deno.test("pki server: a restart reuses every file; a new --tls-san reissues only the serving certificate", async () => {
  const dataDir = tempDir();
  const dir = join(dataDir, "server", "tls");
  const first = await ensureServerCertificates({ dataDir, tlsSans: ["k3s.example.com"] });
  const before = snapshot(dir);

  const again = await ensureServerCertificates({ dataDir, tlsSans: ["k3s.example.com"] });
  assert.deepEqual(again.written, []);
  assert.deepEqual(snapshot(dir), before);
  assert.equal(again.serving.certPem, first.serving.certPem);
  assert.equal(again.serverCA.certPem, first.serverCA.certPem);
  assert.equal(again.admin.keyPem, first.admin.keyPem);

  const grown = await ensureServerCertificates({
    dataDir,
    tlsSans: ["k3s.example.com", "api.example.org", "198.51.100.9"],
  });
  assert.deepEqual(grown.written, ["serving-kube-apiserver.key", "serving-kube-apiserver.crt"]);
  const after = snapshot(dir);
  for (const name of ALL_FILES) {
    if (name.startsWith("serving-")) assert.notEqual(after[name], before[name], name);
    else assert.equal(after[name], before[name], name);
  }
  const info = certificateInfo(after["serving-kube-apiserver.crt"]);
  assert.ok(info.dnsNames.includes("api.example.org"));
  assert.ok(info.ipAddresses.includes("198.51.100.9"));
  const serving = join(dir, "serving-kube-apiserver.crt");
  assert.equal(await opensslVerify(join(dir, "server-ca.crt"), serving), `${serving}: OK`);

  // Dropping a SAN keeps the certificate, as K3s does (it only checks that required names are present).
  const shrunk = await ensureServerCertificates({ dataDir, tlsSans: [] });
  assert.deepEqual(shrunk.written, []);
});

Deno.test("pki server: leaves are renewed inside 120 days of expiry, the CAs are kept", async () => {
  const dataDir = tempDir();
  const dir = join(dataDir, "server", "tls");
  const now = new Date();
  await ensureServerCertificates({ dataDir, now });
  const before = snapshot(dir);
  const later = await ensureServerCertificates({ dataDir, now: new Date(now.getTime() + 200 * DAY) });
  assert.deepEqual(later.written, []);
  const renewed = await ensureServerCertificates({ dataDir, now: new Date(now.getTime() + 300 * DAY) });
  assert.deepEqual(renewed.written.sort(), [
    "client-admin.crt",
    "client-admin.key",
    "client-kube-apiserver.crt",
    "client-kube-apiserver.key",
    "serving-kube-apiserver.crt",
    "serving-kube-apiserver.key",
  ]);
  const after = snapshot(dir);
  for (const name of ["server-ca.crt", "server-ca.key", "client-ca.crt", "client-ca.key", "request-header-ca.crt"]) {
    assert.equal(after[name], before[name], name);
  }
  // X.509 times have whole seconds.
  const expected = Math.floor((now.getTime() + (300 + 365) * DAY) / 1000) * 1000;
  assert.equal(certificateInfo(after["client-admin.crt"]).notAfter.getTime(), expected);
});

Deno.test("pki server: a CA placed by the operator is used as is; a replaced CA reissues its leaves", async () => {
  const dataDir = tempDir();
  const dir = join(dataDir, "server", "tls");
  mkdirSync(dir, { recursive: true });
  const ssl = async (...args: string[]) => assert.equal((await run("openssl", args)).code, 0);
  await ssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", join(dir, "server-ca.key"));
  await ssl(
    "req",
    "-x509",
    "-new",
    "-key",
    join(dir, "server-ca.key"),
    "-subj",
    "/CN=my-own-server-ca",
    "-days",
    "3650",
    "-out",
    join(dir, "server-ca.crt"),
  );
  const customCA = readFileSync(join(dir, "server-ca.crt"), "utf8");
  const customKey = readFileSync(join(dir, "server-ca.key"), "utf8");
  const pki = await ensureServerCertificates({ dataDir });
  assert.ok(!pki.written.includes("server-ca.crt") && !pki.written.includes("server-ca.key"));
  assert.equal(readFileSync(join(dir, "server-ca.crt"), "utf8"), customCA);
  assert.equal(readFileSync(join(dir, "server-ca.key"), "utf8"), customKey);
  assert.equal(certificateInfo(pki.serving.certPem).issuer, "CN=my-own-server-ca");
  const serving = join(dir, "serving-kube-apiserver.crt");
  assert.equal(await opensslVerify(join(dir, "server-ca.crt"), serving), `${serving}: OK`);

  // Removing the CA certificate but keeping its key: a new certificate is self-signed for that key
  // (K3s's behaviour); its name has a new timestamp, so the leaves naming the old one are reissued.
  rmSync(join(dir, "client-ca.crt"));
  const clientKey = readFileSync(join(dir, "client-ca.key"), "utf8");
  const reissued = await ensureServerCertificates({ dataDir, now: new Date(Date.now() - DAY) });
  assert.deepEqual(reissued.written, [
    "client-ca.crt",
    "client-admin.key",
    "client-admin.crt",
    "client-kube-apiserver.key",
    "client-kube-apiserver.crt",
  ]);
  assert.equal(readFileSync(join(dir, "client-ca.key"), "utf8"), clientKey);
  const admin = join(dir, "client-admin.crt");
  assert.equal(await opensslVerify(join(dir, "client-ca.crt"), admin), `${admin}: OK`);

  // Deleting both files makes a new CA, and everything it signed is reissued.
  rmSync(join(dir, "server-ca.crt"));
  rmSync(join(dir, "server-ca.key"));
  const fresh = await ensureServerCertificates({ dataDir });
  assert.deepEqual(fresh.written, [
    "server-ca.key",
    "server-ca.crt",
    "serving-kube-apiserver.key",
    "serving-kube-apiserver.crt",
  ]);
});

Deno.test("pki server: a CA certificate without its key is an error naming both files", async () => {
  const dataDir = tempDir();
  const dir = join(dataDir, "server", "tls");
  await ensureServerCertificates({ dataDir });
  rmSync(join(dir, "server-ca.key"));
  await assert.rejects(
    ensureServerCertificates({ dataDir }),
    new RegExp(`${dir}/server-ca.crt exists but ${dir}/server-ca.key is missing`),
  );
  await Deno.writeTextFile(join(dir, "server-ca.key"), readFileSync(join(dir, "client-ca.key"), "utf8"));
  await assert.rejects(ensureServerCertificates({ dataDir }), /cannot use .*server-ca.crt .*does not belong/);
});
