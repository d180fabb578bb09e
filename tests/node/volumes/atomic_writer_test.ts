// The AtomicWriter layout: a timestamped data dir behind `..data`, visible entries as symlinks through it, and
// updates that swap everything at once.
import assert from "node:assert/strict";
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Payload, writeAtomically } from "../../../node/volumes/mod.ts";

const text = (data: string, mode = 0o644): Payload => ({ data: new TextEncoder().encode(data), mode });

async function inTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "atomic-writer-"));
  try {
    await fn(join(dir, "vol"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

Deno.test("writeAtomically lays files out behind ..data with per-entry symlinks", async () => {
  await inTempDir(async (dir) => {
    await writeAtomically(dir, { key: text("v1", 0o600), "conf/app.ini": text("x=1") });
    const stamp = readlinkSync(join(dir, "..data"));
    assert.match(stamp, /^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\w+$/);
    assert.equal(statSync(join(dir, stamp)).mode & 0o777, 0o755);
    assert.equal(readlinkSync(join(dir, "key")), "..data/key");
    assert.equal(readlinkSync(join(dir, "conf")), "..data/conf");
    assert.equal(readFileSync(join(dir, "conf/app.ini"), "utf8"), "x=1");
    assert.equal(statSync(join(dir, "key")).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir).sort(), ["..data", stamp, "conf", "key"].sort());
  });
});

Deno.test("writeAtomically swaps in new content, drops removed keys and the old data dir", async () => {
  await inTempDir(async (dir) => {
    await writeAtomically(dir, { a: text("1"), b: text("2") });
    const first = readlinkSync(join(dir, "..data"));
    assert.equal(await writeAtomically(dir, { a: text("one"), c: text("3") }), true);
    const second = readlinkSync(join(dir, "..data"));
    assert.notEqual(second, first);
    assert.equal(readFileSync(join(dir, "a"), "utf8"), "one");
    assert.equal(readFileSync(join(dir, "c"), "utf8"), "3");
    assert.deepEqual(readdirSync(dir).sort(), ["..data", second, "a", "c"].sort());
  });
});

Deno.test("writeAtomically writes nothing when the content is unchanged", async () => {
  await inTempDir(async (dir) => {
    await writeAtomically(dir, { a: text("1") });
    const stamp = readlinkSync(join(dir, "..data"));
    assert.equal(await writeAtomically(dir, { a: text("1") }), false);
    assert.equal(readlinkSync(join(dir, "..data")), stamp);
    assert.equal(lstatSync(join(dir, "a")).isSymbolicLink(), true);
  });
});
