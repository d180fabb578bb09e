// `k3s secrets-encrypt` against a real server: K3s's status text, the manual rotation (prepare, rotate,
// reencrypt), rotate-keys, disable/enable, and stages refused out of order — every Secret stays readable.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { ApiClient, type Client, inProcessTransport } from "../../../core/client/mod.ts";
import { readEncryptionConfiguration, secretsEncryptCommand } from "../../../core/encryption/mod.ts";
import { type Server, startServer } from "../../../core/server/start.ts";
import { tempDir } from "../pki/tools.ts";

const SECRET = { apiVersion: "v1", kind: "Secret" };
const COUNT = 60;

interface Harness {
  server: Server;
  client: Client;
  dataDir: string;
  /** Run `k3s secrets-encrypt <args>`: its output lines, or the error line it ended with. */
  cli(...args: string[]): Promise<{ out: string; error?: string }>;
  /** The prefixes (`k8s:enc:aescbc:v1:<key>:` or `plain`) the stored Secrets have now. */
  storedPrefixes(): Promise<Set<string>>;
  /** Every Secret's value as the API returns it. */
  values(): Promise<Map<string, string>>;
}

async function withEncryptedServer(fn: (h: Harness) => Promise<void>): Promise<void> {
  const dataDir = tempDir("k3s-enc-");
  const server = await startServer({
    dataDir,
    httpsPort: 0,
    bindAddress: "127.0.0.1",
    kubeconfigPath: join(dataDir, "k3s.yaml"),
    secretsEncryption: true,
    log: () => {},
  });
  const client = new ApiClient(inProcessTransport(server.router), server.registry);
  const h: Harness = {
    server,
    client,
    dataDir,
    async cli(...args) {
      const lines: string[] = [];
      const errors: string[] = [];
      const command = secretsEncryptCommand((line) => lines.push(line));
      for (const sub of [command, ...command.commands] as Command[]) {
        sub.exitOverride().configureOutput({ writeErr: (text) => errors.push(text.trim()) });
      }
      try {
        await command.parseAsync([...args, "--kubeconfig", server.kubeconfigPath], { from: "user" });
      } catch {
        return { out: lines.join("\n"), error: errors.join("\n") };
      }
      return { out: lines.join("\n") };
    },
    async storedPrefixes() {
      const { kvs } = await server.store.list("/registry/secrets/");
      return new Set(
        kvs.map((kv) =>
          /^k8s:enc:aescbc:v1:aescbckey(-\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)?:/.exec(Buffer.from(kv.value).toString())
            ?.[0] ?? "plain"
        ),
      );
    },
    async values() {
      const list = await client.list<{ metadata: { name: string }; data?: Record<string, string> }>(SECRET, "default");
      return new Map(list.items.map((s) => [s.metadata.name, Buffer.from(s.data?.v ?? "", "base64").toString()]));
    },
  };
  try {
    for (let i = 0; i < COUNT; i++) {
      await client.create({
        ...SECRET,
        metadata: { name: `s${i}`, namespace: "default" },
        stringData: { v: `value-${i}` },
      });
    }
    await fn(h);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function assertAllReadable(h: Harness): Promise<void> {
  const values = await h.values();
  for (let i = 0; i < COUNT; i++) assert.equal(values.get(`s${i}`), `value-${i}`);
}

async function keyNames(dataDir: string): Promise<string[]> {
  const config = await readEncryptionConfiguration(dataDir);
  return config!.resources[0].providers.flatMap((p) => p.aescbc?.keys.map((k) => k.name) ?? []);
}

Deno.test("secrets-encrypt: status prints K3s's text and json", async () => {
  await withEncryptedServer(async (h) => {
    const { out } = await h.cli("status");
    assert.equal(
      out,
      [
        "Encryption Status: Enabled",
        "Current Rotation Stage: start",
        "Server Encryption Hashes: All hashes match",
        "",
        "Active  Key Type  Name",
        "------  --------  ----",
        " *      AES-CBC   aescbckey",
        "",
      ].join("\n"),
    );
    const json = JSON.parse((await h.cli("status", "-o", "json")).out);
    assert.deepEqual(json, { stage: "start", activekey: "AES-CBC aescbckey", enable: true, hashmatch: true });
  });
});

Deno.test("secrets-encrypt: prepare, rotate and reencrypt move every Secret to the new key", async () => {
  await withEncryptedServer(async (h) => {
    assert.deepEqual(await h.storedPrefixes(), new Set(["k8s:enc:aescbc:v1:aescbckey:"]));

    assert.equal((await h.cli("prepare")).out, "prepare completed successfully");
    const [, added] = await keyNames(h.dataDir);
    assert.match(added, /^aescbckey-\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    let status = JSON.parse((await h.cli("status", "-o", "json")).out);
    assert.equal(status.stage, "prepare");
    assert.equal(status.activekey, "AES-CBC aescbckey");
    assert.deepEqual(status.inactivekeys, [`AES-CBC ${added}`]);

    assert.equal((await h.cli("rotate")).out, "rotate completed successfully");
    status = JSON.parse((await h.cli("status", "-o", "json")).out);
    assert.equal(status.stage, "rotate");
    assert.equal(status.activekey, `AES-CBC ${added}`);
    // New writes use the new key; old Secrets are still read with the old one.
    await h.client.create({ ...SECRET, metadata: { name: "fresh", namespace: "default" }, stringData: { v: "new" } });
    assert.deepEqual(
      await h.storedPrefixes(),
      new Set(["k8s:enc:aescbc:v1:aescbckey:", `k8s:enc:aescbc:v1:${added}:`]),
    );
    await assertAllReadable(h);

    assert.equal((await h.cli("reencrypt")).out, "reencryption started");
    assert.deepEqual(await h.storedPrefixes(), new Set([`k8s:enc:aescbc:v1:${added}:`]));
    assert.deepEqual(await keyNames(h.dataDir), [added]);
    status = JSON.parse((await h.cli("status", "-o", "json")).out);
    assert.equal(status.stage, "reencrypt_finished");
    await assertAllReadable(h);
  });
});

Deno.test("secrets-encrypt: rotate-keys replaces the key in one step and keeps every Secret readable", async () => {
  await withEncryptedServer(async (h) => {
    assert.equal((await h.cli("rotate-keys")).out, "keys rotated, reencryption started");
    const names = await keyNames(h.dataDir);
    assert.equal(names.length, 1);
    assert.notEqual(names[0], "aescbckey");
    assert.deepEqual(await h.storedPrefixes(), new Set([`k8s:enc:aescbc:v1:${names[0]}:`]));
    await assertAllReadable(h);
    const status = JSON.parse((await h.cli("status", "-o", "json")).out);
    assert.equal(status.stage, "reencrypt_finished");
  });
});

Deno.test("secrets-encrypt: a stage out of order is refused with K3s's message", async () => {
  await withEncryptedServer(async (h) => {
    const result = await h.cli("rotate");
    assert.match(result.error ?? "", /^k3s: see server log for details: incorrect stage: start found on node /);
    assert.deepEqual(await keyNames(h.dataDir), ["aescbckey"]);
    assert.equal((await h.cli("rotate", "--force")).out, "rotate completed successfully");
  });
});

Deno.test("secrets-encrypt: disable stores Secrets plain again and enable encrypts them back", async () => {
  await withEncryptedServer(async (h) => {
    assert.equal((await h.cli("disable")).out, "secrets-encryption disabled");
    assert.deepEqual(await h.storedPrefixes(), new Set(["plain"]));
    assert.match((await h.cli("status")).out, /^Encryption Status: Disabled\n/);
    await assertAllReadable(h);
    assert.equal((await h.cli("enable")).out, "secrets-encryption enabled");
    assert.deepEqual(await h.storedPrefixes(), new Set(["k8s:enc:aescbc:v1:aescbckey:"]));
    await assertAllReadable(h);
  });
});
