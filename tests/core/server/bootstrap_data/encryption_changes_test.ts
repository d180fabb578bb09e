// `k3s secrets-encrypt` stages reach the datastore as they are made, as K3s saves its bootstrap data after each one:
// driven through the real `/v1-k3s/encrypt/config` handler of a real SecretsEncryption whose `onWrite` saves them.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { encryptionHandler, SecretsEncryption } from "../../../../core/encryption/mod.ts";
import {
  decodeBootstrapFiles,
  decryptBootstrap,
  loadBootstrapData,
  saveBootstrapData,
  storageKey,
} from "../../../../core/server/bootstrap_data/mod.ts";
import { bootstrapFixture } from "./support.ts";

const ADMIN = { username: "system:admin", groups: ["system:masters"] };

function put(stage: string): Request {
  return new Request("https://127.0.0.1/v1-k3s/encrypt/config", {
    method: "PUT",
    body: JSON.stringify({ stage }),
  });
}

async function withEncryptedServer(
  fn: (
    endpoints: ReturnType<typeof encryptionHandler>,
    stored: () => Promise<{ config: string; revision: number }>,
    dataDir: string,
  ) => Promise<void>,
): Promise<void> {
  await using fixture = await bootstrapFixture();
  const dataDir = fixture.dataDir();
  const options = { store: fixture.store, dataDir, token: "pw" };
  await loadBootstrapData(options);
  await fixture.server({ dataDir, token: "pw", encryption: true });
  await saveBootstrapData(options);
  const encryption = await SecretsEncryption.load({
    dataDir,
    enabled: true,
    store: fixture.store,
    onWrite: () => saveBootstrapData({ ...options, override: true }),
  });
  const endpoints = encryptionHandler(encryption);
  const stored = async () => {
    const kv = (await fixture.store.get(storageKey("pw"))).kv!;
    const files = decodeBootstrapFiles(decryptBootstrap("pw", kv.value));
    return { config: new TextDecoder().decode(files.get("EncryptionConfig")!.content), revision: kv.modRevision };
  };
  await fn(endpoints, stored, dataDir);
}

Deno.test("bootstrap encryption changes: a secrets-encrypt stage saves the new configuration to the datastore", async () => {
  await withEncryptedServer(async (endpoints, stored, dataDir) => {
    const before = await stored();
    const response = await endpoints(put("prepare"), ADMIN);
    assert.equal(response?.status, 200);
    const after = await stored();
    const onDisk = readFileSync(join(dataDir, "server", "cred", "encryption-config.json"), "utf8");
    assert.notEqual(onDisk, before.config);
    assert.equal(after.config, onDisk);
  });
});

Deno.test("bootstrap encryption changes: a refused stage leaves the stored data alone", async () => {
  await withEncryptedServer(async (endpoints, stored) => {
    const before = await stored();
    const response = await endpoints(put("rotate"), ADMIN); // rotate before prepare is out of order
    assert.equal(response?.status, 400);
    assert.equal((await stored()).revision, before.revision);
  });
});

Deno.test("bootstrap encryption changes: the status endpoint and other paths pass through unsaved", async () => {
  await withEncryptedServer(async (endpoints, stored) => {
    const before = await stored();
    assert.equal((await endpoints(new Request("https://127.0.0.1/v1-k3s/encrypt/status"), ADMIN))?.status, 200);
    assert.equal(await endpoints(new Request("https://127.0.0.1/api/v1"), ADMIN), undefined);
    assert.equal((await stored()).revision, before.revision);
  });
});
