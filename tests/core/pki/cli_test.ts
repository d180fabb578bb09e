// `k3s certificate check|rotate` over a real data dir: K3s's table, text, json and yaml, a certificate in the
// warning window, and rotate's backup, deletions and regenerate marker.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { parse } from "yaml";
import { certificateCommand } from "../../../core/pki/cli.ts";
import {
  ensureServerCertificates,
  issueClientCertificate,
  loadCertificateAuthority,
  writeFileAtomic,
} from "../../../core/pki/mod.ts";
import { tempDir } from "./tools.ts";

const DAY_MS = 86_400_000;

async function certificate(...args: string[]): Promise<{ out: string[]; err: string[]; failed?: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const command = certificateCommand({ out: (l) => out.push(l), err: (l) => err.push(l) });
  let failed: string | undefined;
  for (const sub of [command, ...command.commands] as Command[]) {
    sub.exitOverride().configureOutput({ writeErr: (text) => (failed = text.trim()) });
  }
  try {
    await command.parseAsync(args, { from: "user" });
  } catch {
    // the message is in `failed`
  }
  return { out, err, failed };
}

async function serverDataDir(): Promise<string> {
  const dataDir = tempDir();
  await ensureServerCertificates({ dataDir, hostname: "node1", addresses: [] });
  return dataDir;
}

/** A controller certificate that expires in 65 days: issued through core/pki with the clock 300 days back. */
async function addShortLived(dataDir: string): Promise<void> {
  const tls = join(dataDir, "server/tls");
  const ca = await loadCertificateAuthority(
    readFileSync(join(tls, "client-ca.crt"), "utf8"),
    readFileSync(join(tls, "client-ca.key"), "utf8"),
  );
  const issued = await issueClientCertificate(ca, {
    commonName: "system:kube-controller-manager",
    now: new Date(Date.now() - 300 * DAY_MS),
  });
  await writeFileAtomic(join(tls, "client-controller.crt"), issued.certPem, 0o644);
  await writeFileAtomic(join(tls, "client-controller.key"), issued.keyPem, 0o600);
}

Deno.test("certificate check: the table lists each certificate and its CA with K3s's columns", async () => {
  const dataDir = await serverDataDir();
  await addShortLived(dataDir);
  const { out } = await certificate("check", "--data-dir", dataDir, "--output", "table");
  const lines = out.join("\n").split("\n");
  assert.equal(lines[0], "");
  assert.match(lines[1], /^FILENAME {3,}SUBJECT {3,}USAGES {3,}EXPIRES {3,}RESIDUAL TIME {3,}STATUS$/);
  assert.match(lines[2], /^-{8} {3,}-{7} {3,}-{6} {3,}-{7} {3,}-{13} {3,}-{6}$/);
  const row = (file: string, subject: string) =>
    lines.find((l) => l.startsWith(`${file} `) && l.split(/ {3,}/)[1] === subject)?.split(/ {3,}/);
  assert.deepEqual(row("client-admin.crt", "system:admin")?.slice(2), [
    "ClientAuth",
    row("client-admin.crt", "system:admin")![3],
    "1 year",
    "OK",
  ]);
  assert.match(row("client-admin.crt", "system:admin")![3], /^[A-Z][a-z]{2} \d\d, \d{4} \d\d:\d\d UTC$/);
  assert.deepEqual(row("client-admin.crt", lines.find((l) => /k3s-client-ca@/.test(l))!.split(/ {3,}/)[1])?.slice(4), [
    "10 years",
    "OK",
  ]);
  assert.deepEqual(row("serving-kube-apiserver.crt", "kube-apiserver")?.[2], "ServerAuth");
  assert.deepEqual(row("client-controller.crt", "system:kube-controller-manager")?.slice(4), ["2 months", "WARNING"]);
  // Columns line up: every row's cells start where the header's do.
  const starts = (l: string) => [...l.matchAll(/(?<=^| {3})\S/g)].map((m) => m.index);
  for (const l of lines.slice(2).filter(Boolean)) assert.deepEqual(starts(l), starts(lines[1]), l);
});

Deno.test("certificate check: text, json and yaml say the same as K3s's formatters", async () => {
  const dataDir = await serverDataDir();
  await addShortLived(dataDir);
  const text = await certificate("check", "--data-dir", dataDir);
  assert.equal(text.err[0], "Server detected, checking agent and server certificates");
  assert.ok(
    text.out.some((l) =>
      /^client-admin\.crt: certificate system:admin \(ClientAuth\) is ok, expires at \d{4}-.*Z$/.test(l)
    ),
  );
  assert.ok(
    text.err.some((l) =>
      /^WARN client-controller\.crt: certificate system:kube-controller-manager \(ClientAuth\) will expire within \d+ days at /
        .test(l)
    ),
    text.err.join("\n"),
  );

  const json = JSON.parse((await certificate("check", "--data-dir", dataDir, "-o", "json")).out.join("\n"));
  const admin = json.Certificates.find((c: { Filename: string }) => c.Filename === "client-admin.crt");
  assert.deepEqual(Object.keys(admin), [
    "Filename",
    "Subject",
    "Issuer",
    "Usages",
    "ExpiryTime",
    "ResidualTime",
    "Status",
  ]);
  assert.equal(admin.Subject, "system:admin");
  assert.match(admin.Issuer, /^k3s-client-ca@\d+$/);
  assert.ok(admin.ResidualTime > 364 * DAY_MS * 1e6, "nanoseconds, as Go encodes a Duration");

  const yaml = parse((await certificate("check", "--data-dir", dataDir, "-o", "yaml")).out.join("\n"));
  const short = yaml.certificates.find((c: { filename: string }) => c.filename === "client-controller.crt");
  assert.equal(short.status, "WARNING");
  assert.match(short.residualtime, /^15\d\dh\d+m[\d.]+s$/);

  assert.equal(
    (await certificate("check", "--data-dir", dataDir, "-o", "xml")).failed,
    "k3s: invalid output format xml",
  );
});

Deno.test("certificate rotate: backs up tls, deletes the services' files and marks the listener certificate for regeneration", async () => {
  const dataDir = await serverDataDir();
  const tls = join(dataDir, "server/tls");
  const adminKey = readFileSync(join(tls, "client-admin.key"), "utf8");
  const { out } = await certificate("rotate", "--data-dir", dataDir, "--service", "admin,k3s-server");
  const backup = readdirSync(join(dataDir, "server")).find((d) => /^tls-\d+$/.test(d));
  assert.ok(backup, "a tls-<unix time> backup");
  assert.equal(readFileSync(join(dataDir, "server", backup, "client-admin.key"), "utf8"), adminKey);
  assert.ok(!existsSync(join(tls, "client-admin.crt")) && !existsSync(join(tls, "client-admin.key")));
  assert.ok(existsSync(join(tls, "serving-kube-apiserver.crt")), "other services are left alone");
  assert.ok(existsSync(join(tls, "dynamic-cert-regenerate")));
  assert.deepEqual(out, [
    "Rotating dynamic listener certificate",
    "Rotating certificates for admin",
    "Rotating certificates for k3s-server",
    `Successfully backed up certificates to ${
      join(dataDir, "server", backup)
    }, please restart k3s server or agent to rotate certificates`,
  ]);

  // The next start issues the admin certificate again, with a new key.
  const pki = await ensureServerCertificates({ dataDir, hostname: "node1", addresses: [] });
  assert.notEqual(pki.admin.keyPem, adminKey);

  const bad = await certificate("rotate", "--data-dir", dataDir, "--service", "bogus");
  assert.equal(bad.failed, "k3s: service bogus is not recognized");
});
