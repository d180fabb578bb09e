// K3s's rules for bringing a server's shared files in step with the datastore's copy: missing or older files are
// replaced, files newer on disk stop the start (nothing written), and files already in step are left alone.
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import {
  type BootstrapFile,
  goTimestamp,
  readBootstrapFiles,
  reconcileBootstrapFiles,
  sharedFiles,
} from "../../../../core/server/bootstrap_data/mod.ts";
import { bootstrapFixture, snapshot } from "./support.ts";

const HOUR = 3600;
const now = () => Math.floor(Date.now() / 1000);

/** The files of `dataDir` as the datastore would hold them, all stamped `seconds` since the epoch. */
async function stored(dataDir: string, seconds: number): Promise<Map<string, BootstrapFile>> {
  const files = await readBootstrapFiles(dataDir);
  for (const [name, file] of files) {
    files.set(name, { ...file, timestamp: goTimestamp(BigInt(seconds) * 1_000_000_000n) });
  }
  return files;
}

/** Stamp every shared file `dataDir` has with `seconds` since the epoch. */
function touch(dataDir: string, seconds: number): void {
  for (const { path } of sharedFiles(dataDir)) if (existsSync(path)) utimesSync(path, seconds, seconds);
}

const ca = (dataDir: string) => readFileSync(join(dataDir, "server", "tls", "server-ca.crt"), "utf8");

Deno.test("bootstrap reconcile: a missing file is written from the datastore with the stored time", async () => {
  await using fixture = await bootstrapFixture();
  const dataDir = await fixture.server({ token: "pw" });
  const then = now() - HOUR;
  const files = await stored(dataDir, then);
  const key = join(dataDir, "server", "tls", "service.key");
  rmSync(key);
  const { written } = await reconcileBootstrapFiles(dataDir, files);
  assert.ok(written.includes(key));
  assert.deepEqual(new Uint8Array(readFileSync(key)), files.get("ServiceKey")!.content);
  assert.equal(Math.floor(statSync(key).mtimeMs / 1000), then);
});

Deno.test("bootstrap reconcile: a differing file older on disk is replaced by the datastore's", async () => {
  await using fixture = await bootstrapFixture();
  const first = await fixture.server({ token: "pw" });
  const files = await stored(first, now());
  const dataDir = await fixture.server({ token: "pw" });
  touch(dataDir, now() - HOUR);
  await reconcileBootstrapFiles(dataDir, files);
  assert.equal(ca(dataDir), ca(first));
});

Deno.test("bootstrap reconcile: a file newer on disk by less than the clock skew still takes the datastore's", async () => {
  await using fixture = await bootstrapFixture();
  const first = await fixture.server({ token: "pw" });
  // One clock reading for both stamps: two could straddle a second and widen the gap to the skew itself.
  const then = now() - HOUR;
  const files = await stored(first, then);
  const dataDir = await fixture.server({ token: "pw" });
  touch(dataDir, then + 2);
  await reconcileBootstrapFiles(dataDir, files);
  assert.equal(ca(dataDir), ca(first));
});

Deno.test("bootstrap reconcile: a differing file newer on disk stops the start with K3s's message, writing nothing", async () => {
  await using fixture = await bootstrapFixture();
  const files = await stored(await fixture.server({ token: "pw" }), now() - HOUR);
  const dataDir = await fixture.server({ token: "pw" });
  const before = snapshot(dataDir);
  const tls = join(dataDir, "server", "tls");
  await assert.rejects(
    reconcileBootstrapFiles(dataDir, files),
    new RegExp(
      `^Error: ${tls}/server-ca.crt, ${tls}/server-ca.key, .*${tls}/service.key, ${dataDir}/server/agent-token newer than datastore and could ` +
        "cause a cluster outage\\. Remove the file\\(s\\) from disk and restart to be recreated from datastore\\.$",
    ),
  );
  assert.deepEqual(snapshot(dataDir), before);
});

Deno.test("bootstrap reconcile: files already in step are left untouched", async () => {
  await using fixture = await bootstrapFixture();
  const dataDir = await fixture.server({ token: "pw" });
  const files = await stored(dataDir, now() - HOUR);
  const before = snapshot(dataDir);
  assert.deepEqual(await reconcileBootstrapFiles(dataDir, files), { written: [] });
  assert.deepEqual(snapshot(dataDir), before);
});

Deno.test("bootstrap reconcile: a data dir without certificates takes every stored file", async () => {
  await using fixture = await bootstrapFixture();
  const first = await fixture.server({ token: "pw", encryption: true });
  const files = await stored(first, now() + HOUR);
  const dataDir = fixture.dataDir();
  const { written } = await reconcileBootstrapFiles(dataDir, files);
  assert.equal(written.length, files.size);
  assert.equal(ca(dataDir), ca(first));
  assert.deepEqual(
    readFileSync(join(dataDir, "server", "cred", "encryption-config.json")),
    readFileSync(join(first, "server", "cred", "encryption-config.json")),
  );
});

Deno.test("bootstrap reconcile: entries this server has no file for are skipped", async () => {
  await using fixture = await bootstrapFixture();
  const dataDir = await fixture.server({ token: "pw" });
  const files = await stored(dataDir, now() - HOUR);
  files.set("ETCDPeerCA", { timestamp: goTimestamp(0n), content: new Uint8Array([1]) });
  const lines: string[] = [];
  assert.deepEqual(await reconcileBootstrapFiles(dataDir, files, (line) => lines.push(line)), { written: [] });
  assert.ok(lines.includes("Unable to lookup path to reconcile ETCDPeerCA"));
});
