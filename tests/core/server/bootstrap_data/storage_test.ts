// Bootstrap data through a real datastore: the first server locks and saves, later servers with the token adopt its
// CAs and keys before making any, other tokens are refused with K3s's message, and a lock is waited on or taken over.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  decodeBootstrapFiles,
  decryptBootstrap,
  encodeBootstrapFiles,
  encryptBootstrap,
  loadBootstrapData,
  readBootstrapFiles,
  saveBootstrapData,
  storageKey,
} from "../../../../core/server/bootstrap_data/mod.ts";
import type { Store } from "../../../../datastore/mod.ts";
import { bootstrapFixture, snapshot } from "./support.ts";

const KEY = "/bootstrap/30c952fab122"; // storageKey("pw")

const ca = (dataDir: string) => readFileSync(join(dataDir, "server", "tls", "server-ca.crt"), "utf8");

async function storedFiles(store: Store, password: string) {
  const { kv } = await store.get(storageKey(password));
  assert.ok(kv, "no bootstrap key");
  return decodeBootstrapFiles(decryptBootstrap(password, kv.value));
}

/** A first server on an empty datastore: it locks, makes its files, saves. */
async function firstServer(fixture: Awaited<ReturnType<typeof bootstrapFixture>>, token = "pw"): Promise<string> {
  const dataDir = fixture.dataDir();
  const loaded = await loadBootstrapData({ store: fixture.store, dataDir, token });
  assert.equal(loaded.save, true);
  await fixture.server({ dataDir, token });
  await saveBootstrapData({ store: fixture.store, dataDir, token });
  return dataDir;
}

Deno.test("bootstrap storage: the first server locks the key, then saves its files sealed with its password", async () => {
  await using fixture = await bootstrapFixture();
  const dataDir = fixture.dataDir();
  assert.deepEqual(await loadBootstrapData({ store: fixture.store, dataDir, token: "pw" }), {
    save: true,
    written: [],
  });
  assert.deepEqual((await fixture.store.get(KEY)).kv?.value, new Uint8Array());
  await fixture.server({ dataDir, token: "pw" });
  await saveBootstrapData({ store: fixture.store, dataDir, token: "pw" });
  assert.deepEqual(await storedFiles(fixture.store, "pw"), await readBootstrapFiles(dataDir));
});

Deno.test("bootstrap storage: a server joining with the token takes the CAs and keys before making any", async () => {
  await using fixture = await bootstrapFixture();
  const first = await firstServer(fixture);
  const dataDir = fixture.dataDir();
  const loaded = await loadBootstrapData({ store: fixture.store, dataDir, token: "pw" });
  assert.equal(loaded.save, false);
  assert.ok(loaded.written.includes(join(dataDir, "server", "tls", "server-ca.key")));
  await fixture.server({ dataDir, token: "pw" });
  assert.equal(ca(dataDir), ca(first));
  for (const name of ["client-ca.key", "request-header-ca.key", "service.key"]) {
    assert.deepEqual(
      readFileSync(join(dataDir, "server", "tls", name)),
      readFileSync(join(first, "server", "tls", name)),
    );
  }
});

Deno.test("bootstrap storage: the full K10 token of server/token seals with its password part", async () => {
  await using fixture = await bootstrapFixture();
  const first = await firstServer(fixture);
  const token = readFileSync(join(first, "server", "token"), "utf8").trim();
  assert.match(token, /^K10[0-9a-f]{64}::server:pw$/);
  const dataDir = fixture.dataDir();
  await loadBootstrapData({ store: fixture.store, dataDir, token });
  await fixture.server({ dataDir, token });
  assert.equal(
    readFileSync(join(dataDir, "server", "token"), "utf8"),
    readFileSync(join(first, "server", "token"), "utf8"),
  );
});

Deno.test("bootstrap storage: a restart without --token reconciles with the password of server/token", async () => {
  await using fixture = await bootstrapFixture();
  const dataDir = await firstServer(fixture);
  const before = snapshot(dataDir);
  assert.deepEqual(await loadBootstrapData({ store: fixture.store, dataDir }), { save: false, written: [] });
  assert.deepEqual(snapshot(dataDir), before);
});

Deno.test("bootstrap storage: a server with another token is refused with K3s's message and writes nothing", async () => {
  await using fixture = await bootstrapFixture();
  await firstServer(fixture);
  const dataDir = fixture.dataDir();
  await assert.rejects(
    loadBootstrapData({ store: fixture.store, dataDir, token: "other" }),
    /^Error: bootstrap data already found and encrypted with different token: start this server with the cluster's token \(--token or K3S_TOKEN/,
  );
  assert.equal(existsSync(join(dataDir, "server")), false);
  assert.deepEqual((await fixture.store.list("/bootstrap/")).kvs.map((kv) => kv.key), [KEY]);
});

Deno.test("bootstrap storage: a fresh server without a token is refused once a cluster's data is stored", async () => {
  await using fixture = await bootstrapFixture();
  await firstServer(fixture);
  await assert.rejects(
    loadBootstrapData({ store: fixture.store, dataDir: fixture.dataDir() }),
    /bootstrap data already found and encrypted with different token/,
  );
});

Deno.test("bootstrap storage: a fresh server without a token on an empty datastore saves under its new password", async () => {
  await using fixture = await bootstrapFixture();
  const dataDir = fixture.dataDir();
  assert.deepEqual(await loadBootstrapData({ store: fixture.store, dataDir }), { save: true, written: [] });
  await fixture.server({ dataDir });
  await saveBootstrapData({ store: fixture.store, dataDir });
  const password = readFileSync(join(dataDir, "server", "token"), "utf8").trim().split(":").pop()!;
  assert.deepEqual(await storedFiles(fixture.store, password), await readBootstrapFiles(dataDir));
});

Deno.test("bootstrap storage: data that does not open with the password is a clear error, nothing written", async () => {
  await using fixture = await bootstrapFixture();
  await fixture.store.create(KEY, encryptBootstrap("not-pw", encodeBootstrapFiles(new Map())));
  const dataDir = fixture.dataDir();
  await assert.rejects(
    loadBootstrapData({ store: fixture.store, dataDir, token: "pw" }),
    /^Error: cannot decrypt the bootstrap data at \/bootstrap\/30c952fab122 with this server token \(cipher: message authentication failed\): start the server with the cluster's token/,
  );
  assert.equal(existsSync(join(dataDir, "server")), false);
});

Deno.test("bootstrap storage: saving again leaves the stored data as it is unless told to override", async () => {
  await using fixture = await bootstrapFixture();
  const dataDir = await firstServer(fixture);
  const stored = (await fixture.store.get(KEY)).kv!;
  await fixture.server({ dataDir, token: "pw", encryption: true }); // a file the stored data lacks
  await saveBootstrapData({ store: fixture.store, dataDir, token: "pw" });
  assert.equal((await fixture.store.get(KEY)).kv!.modRevision, stored.modRevision);
  await saveBootstrapData({ store: fixture.store, dataDir, token: "pw", override: true });
  assert.ok((await storedFiles(fixture.store, "pw")).has("EncryptionConfig"));
});

Deno.test("bootstrap storage: a server waits on another server's lock and then takes that server's data", async () => {
  await using fixture = await bootstrapFixture();
  await fixture.store.create(KEY, new Uint8Array()); // another server is making the data
  const dataDir = fixture.dataDir();
  let sawLock: () => void;
  const locked = new Promise<void>((resolve) => sawLock = resolve);
  const loading = loadBootstrapData({
    store: fixture.store,
    dataDir,
    token: "pw",
    log: (line) => line.startsWith("Bootstrap key is locked") && sawLock(),
  });
  await locked;
  const other = await fixture.server({ token: "pw" });
  await saveBootstrapData({ store: fixture.store, dataDir: other, token: "pw" });
  const loaded = await loading;
  assert.equal(loaded.save, false);
  assert.equal(ca(dataDir), ca(other));
});

Deno.test("bootstrap storage: a lock left by a server that died is taken over after K3s's five checks", async () => {
  await using fixture = await bootstrapFixture();
  await fixture.store.create(KEY, new Uint8Array());
  const lines: string[] = [];
  const loaded = await loadBootstrapData({
    store: fixture.store,
    dataDir: fixture.dataDir(),
    token: "pw",
    log: (line) => lines.push(line),
  });
  assert.equal(loaded.save, true);
  assert.deepEqual(lines, [
    ...Array(4).fill("Bootstrap key is locked - waiting for data to be populated by another server"),
    "Bootstrap key lock timed out - deleting lock and retrying",
    "Bootstrap key locked for initial create",
  ]);
});
