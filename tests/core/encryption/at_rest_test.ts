// --secrets-encryption on a real server: Secrets are ciphertext in the SQLite file, kubectl reads them back
// (get, list, watch), other kinds stay plain, and a restart reads them with the kept configuration.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { encryptionConfigPath, readEncryptionConfiguration } from "../../../core/encryption/mod.ts";
import { type Server, startServer } from "../../../core/server/start.ts";
import { kubectl } from "../../support/k3s_process.ts";
import { tempDir } from "../pki/tools.ts";

async function encryptedServer(dataDir: string, secretsEncryption = true): Promise<Server> {
  return await startServer({
    dataDir,
    httpsPort: 0,
    bindAddress: "127.0.0.1",
    kubeconfigPath: join(dataDir, "k3s.yaml"),
    secretsEncryption,
    log: () => {},
  });
}

/** Every byte the datastore keeps on disk (the database and its write-ahead log). */
function databaseBytes(dataDir: string): Buffer {
  const dir = join(dataDir, "server", "db");
  return Buffer.concat(readdirSync(dir).map((name) => readFileSync(join(dir, name))));
}

async function ok(server: Server, ...args: string[]): Promise<string> {
  const result = await kubectl({ kubeconfig: server.kubeconfigPath }, ...args);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}

Deno.test("secrets encryption: secret values are absent from the database file and readable through kubectl", async () => {
  const dataDir = tempDir("k3s-enc-");
  let server = await encryptedServer(dataDir);
  try {
    const marker = `PLAINTEXT-MARKER-${crypto.randomUUID()}`;
    await ok(server, "create", "secret", "generic", "marker", `--from-literal=v=${marker}`);
    const visible = `CONFIGMAP-${crypto.randomUUID()}`;
    await ok(server, "create", "configmap", "plain", `--from-literal=v=${visible}`);

    const bytes = databaseBytes(dataDir);
    assert.ok(!bytes.includes(Buffer.from(marker)), "plaintext found in the database");
    assert.ok(!bytes.includes(Buffer.from(Buffer.from(marker).toString("base64"))), "base64 found in the database");
    assert.ok(bytes.includes(Buffer.from("k8s:enc:aescbc:v1:aescbckey:")), "kube's envelope prefix is stored");
    assert.ok(bytes.includes(Buffer.from(visible)), "only Secrets are encrypted");

    const value = await ok(server, "get", "secret", "marker", "-o", "jsonpath={.data.v}");
    assert.equal(Buffer.from(value, "base64").toString(), marker);
    const listed = JSON.parse(await ok(server, "get", "secrets", "-o", "json"));
    assert.ok(listed.items.some((s: { metadata: { name: string } }) => s.metadata.name === "marker"));

    // A watch sees the change decrypted.
    const watch = kubectl(
      { kubeconfig: server.kubeconfigPath },
      "get",
      "secret",
      "marker",
      "--watch-only",
      "-o",
      'jsonpath={.data.w}{"\\n"}',
      "--request-timeout=5s",
    );
    await new Promise((r) => setTimeout(r, 1000));
    await ok(server, "patch", "secret", "marker", "-p", `{"stringData":{"w":"watched-${marker}"}}`);
    const watched = await watch;
    assert.ok(watched.stdout.includes(Buffer.from(`watched-${marker}`).toString("base64")), watched.stdout);

    // The configuration K3s writes, kept across a restart.
    const config = await readEncryptionConfiguration(dataDir);
    assert.deepEqual(config?.resources[0].resources, ["secrets"]);
    assert.equal(config?.resources[0].providers[0].aescbc?.keys[0].name, "aescbckey");
    assert.equal(Buffer.from(config!.resources[0].providers[0].aescbc!.keys[0].secret, "base64").length, 32);
    assert.deepEqual(config?.resources[0].providers[1], { identity: {} });
    await server.stop();
    server = await encryptedServer(dataDir);
    const again = await ok(server, "get", "secret", "marker", "-o", "jsonpath={.data.v}");
    assert.equal(Buffer.from(again, "base64").toString(), marker);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

Deno.test("secrets encryption: without the flag no configuration is written and Secrets stay plain", async () => {
  const dataDir = tempDir("k3s-enc-");
  const server = await encryptedServer(dataDir, false);
  try {
    await ok(server, "create", "secret", "generic", "plain", "--from-literal=v=NOT-ENCRYPTED");
    assert.ok(!existsSync(encryptionConfigPath(dataDir)));
    assert.ok(databaseBytes(dataDir).includes(Buffer.from(Buffer.from("NOT-ENCRYPTED").toString("base64"))));
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
