// The dynamic listener certificate without a server: dynamiclistener's annotation keys, configured names and
// wildcards, names from clients, the file cache, the regenerate marker, renewal and merging with the Secret.
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  certificateInfo,
  cnAnnotationKey,
  DynamicListener,
  ensureServerCertificates,
  secretCNs,
  secretKeyPair,
} from "../../../core/pki/mod.ts";
import { opensslVerify, tempDir } from "./tools.ts";

async function setUp(sans = ["kubernetes", "127.0.0.1", "*.apps.example.com"]) {
  const dataDir = tempDir();
  const pki = await ensureServerCertificates({ dataDir, hostname: "node1", addresses: [] });
  const load = () => DynamicListener.load({ dataDir, ca: pki.serverCA, sans });
  return { dataDir, pki, load };
}

Deno.test("dynamic listener: annotation keys are dynamiclistener's, hashed where a name cannot be a key", () => {
  assert.equal(cnAnnotationKey("10.0.0.1"), "listener.cattle.io/cn-10.0.0.1");
  assert.equal(cnAnnotationKey("kubernetes.default.svc"), "listener.cattle.io/cn-kubernetes.default.svc");
  assert.match(cnAnnotationKey("::1"), /^listener\.cattle\.io\/cn-__1-[0-9a-f]{6}$/);
  assert.match(cnAnnotationKey("*.apps.example.com"), /^listener\.cattle\.io\/cn-_\.apps\.example\.com-[0-9a-f]{6}$/);
  const long = `${"a".repeat(60)}.example.com`;
  assert.equal(cnAnnotationKey(long).length, 56 + 7);
});

Deno.test("dynamic listener: the certificate is CN k3s from the server CA with the configured names, cached on disk", async () => {
  const { dataDir, load } = await setUp();
  const listener = await load();
  const info = certificateInfo(listener.keyPair.cert);
  assert.equal(info.commonName, "k3s");
  assert.deepEqual(info.organizations, ["k3s"]);
  assert.deepEqual(info.usages, ["serverAuth"]);
  assert.deepEqual(info.dnsNames.sort(), ["*.apps.example.com", "kubernetes"]);
  assert.deepEqual(info.ipAddresses, ["127.0.0.1"]);
  const file = join(dataDir, "server/tls/dynamic-cert.json");
  writeFileSync(join(dataDir, "leaf.crt"), listener.keyPair.cert);
  assert.match(await opensslVerify(join(dataDir, "server/tls/server-ca.crt"), join(dataDir, "leaf.crt")), /OK$/);
  const cached = JSON.parse(readFileSync(file, "utf8"));
  assert.equal(cached.type, "kubernetes.io/tls");
  assert.deepEqual(secretCNs(cached).sort(), ["*.apps.example.com", "127.0.0.1", "kubernetes"]);
  // Loaded again, the same certificate is served.
  assert.equal((await load()).keyPair.cert, listener.keyPair.cert);
});

Deno.test("dynamic listener: names from clients are added with the same key; wildcards from clients are not", async () => {
  const { load } = await setUp();
  const listener = await load();
  const changes: string[] = [];
  listener.onChange((pair) => changes.push(pair.cert));
  const keyBefore = listener.keyPair.key;
  await Promise.all([listener.accepted("::ffff:192.0.2.7"), listener.serverName("api.example.net")]);
  await listener.addNames(["*.evil.example.com"]);
  await listener.accepted("127.0.0.1");
  const info = certificateInfo(listener.keyPair.cert);
  assert.ok(info.ipAddresses.includes("192.0.2.7"));
  assert.ok(info.dnsNames.includes("api.example.net"));
  assert.ok(!info.dnsNames.includes("*.evil.example.com"));
  assert.equal(listener.keyPair.key, keyBefore);
  assert.ok(changes.length >= 1 && changes.length <= 2, "one re-signing per new name at most, none for known ones");
  assert.equal(changes.at(-1), listener.keyPair.cert);
});

Deno.test("dynamic listener: the regenerate marker gives a new key with the same names", async () => {
  const { dataDir, load } = await setUp();
  const first = await load();
  await first.addNames(["192.0.2.9"]);
  writeFileSync(join(dataDir, "server/tls/dynamic-cert-regenerate"), "");
  const second = await load();
  assert.ok(!existsSync(join(dataDir, "server/tls/dynamic-cert-regenerate")));
  assert.notEqual(second.keyPair.key, first.keyPair.key);
  assert.ok(certificateInfo(second.keyPair.cert).ipAddresses.includes("192.0.2.9"));
});

Deno.test("dynamic listener: renewal inside the window keeps the key and the names", async () => {
  const { load } = await setUp();
  const listener = await load();
  const before = certificateInfo(listener.keyPair.cert);
  assert.equal(await listener.renewIfExpiring(new Date()), false);
  const later = new Date(Date.now() + 300 * 86_400_000);
  assert.equal(await listener.renewIfExpiring(later), true);
  const after = certificateInfo(listener.keyPair.cert);
  assert.ok(after.notAfter > before.notAfter);
  assert.deepEqual(after.dnsNames.sort(), before.dnsNames.sort());
  assert.equal(await listener.renewIfExpiring(later), false);
});

Deno.test("dynamic listener: merging with the stored Secret takes its extra names and says when to write back", async () => {
  const { load } = await setUp();
  const here = await load();
  // Nothing stored yet: the API must get this server's certificate.
  const first = await here.merge(undefined);
  assert.ok(first);
  // Another server added a name to the stored copy.
  const other = await load();
  await other.addNames(["198.51.100.4"]);
  const stored = { ...other.secret, metadata: { ...other.secret.metadata, resourceVersion: "5" } };
  assert.equal(await here.merge(stored), undefined, "the stored copy already has every name");
  assert.ok(certificateInfo(here.keyPair.cert).ipAddresses.includes("198.51.100.4"));
  // A name seen here goes back to the API.
  await here.addNames(["203.0.113.8"]);
  const write = await here.merge(stored);
  assert.ok(write);
  const names = secretCNs(write);
  assert.ok(names.includes("198.51.100.4") && names.includes("203.0.113.8"));
  assert.equal(secretKeyPair(write).cert, here.keyPair.cert);
});
