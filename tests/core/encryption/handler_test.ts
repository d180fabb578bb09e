// The /v1-k3s/encrypt endpoints: only the admin (or K3s's server role) may call them, and malformed or
// refused requests answer with a Status naming why.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { openStore } from "../../../datastore/mod.ts";
import { encryptionHandler, SecretsEncryption } from "../../../core/encryption/mod.ts";
import { tempDir } from "../pki/tools.ts";

const ADMIN = { username: "system:admin", groups: ["system:masters", "system:authenticated"] };
const JANE = { username: "jane", groups: ["dev", "system:authenticated"] };

async function withHandler(enabled: boolean, fn: (h: ReturnType<typeof encryptionHandler>) => Promise<void>) {
  const dataDir = tempDir("k3s-enc-");
  const store = await openStore("", { defaultSqlitePath: join(dataDir, "state.db") });
  try {
    await fn(encryptionHandler(await SecretsEncryption.load({ dataDir, enabled, store })));
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const request = (path: string, method = "GET", body?: string) =>
  new Request(`https://k3s.invalid${path}`, { method, body });

Deno.test("encrypt endpoints: other users are refused, other paths are not answered", async () => {
  await withHandler(true, async (handle) => {
    const refused = await handle(request("/v1-k3s/encrypt/status"), JANE);
    assert.equal(refused?.status, 403);
    assert.equal((await refused!.json()).message, "forbidden");
    assert.equal(await handle(request("/v1-k3s/token"), ADMIN), undefined);
    const ok = await handle(request("/v1-k3s/encrypt/status"), ADMIN);
    assert.equal((await ok!.json()).stage, "start");
  });
});

Deno.test("encrypt endpoints: config takes PUT with a known stage", async () => {
  await withHandler(true, async (handle) => {
    assert.equal((await handle(request("/v1-k3s/encrypt/config"), ADMIN))?.status, 405);
    const garbled = await handle(request("/v1-k3s/encrypt/config", "PUT", "{"), ADMIN);
    assert.equal(garbled?.status, 400);
    const unknown = await handle(request("/v1-k3s/encrypt/config", "PUT", '{"stage":"sideways"}'), ADMIN);
    assert.equal((await unknown!.json()).message, "unknown stage sideways requested");
  });
});

Deno.test("encrypt endpoints: without --secrets-encryption status says there is no configuration and changes are refused", async () => {
  await withHandler(false, async (handle) => {
    const status = await (await handle(request("/v1-k3s/encrypt/status"), ADMIN))!.json();
    assert.deepEqual(status, { stage: "", activekey: "" });
    const enable = await handle(request("/v1-k3s/encrypt/config", "PUT", '{"enable":true}'), ADMIN);
    assert.equal(enable?.status, 400);
    assert.match((await enable!.json()).message, /start it with --secrets-encryption/);
  });
});
