// SQLite's WAL is checkpointed on a worker thread between writes: under sustained writes the database file takes in
// what was written and the WAL keeps starting over.
import assert from "node:assert/strict";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../datastore/mod.ts";

Deno.test("sqlite: under sustained writes the WAL is checkpointed into the database file and starts over", async () => {
  const path = join(mkdtempSync(join(tmpdir(), "k3s-checkpoint-")), "state.db");
  const store = await openStore("", { defaultSqlitePath: path });
  try {
    const value = new TextEncoder().encode("x".repeat(16 * 1024));
    const revisions = new Map<string, number>();
    let written = 0;
    // Long enough for several checkpoints (at most one a second), from 16 writers as the API server writes.
    const until = Date.now() + 3500;
    await Promise.all(Array.from({ length: 16 }, async (_, w) => {
      for (let i = 0; Date.now() < until; i++) {
        const key = `/wal/${w}/${i % 20}`;
        const revision = revisions.get(key);
        const kv = revision === undefined ? await store.create(key, value) : await store.update(key, value, revision);
        revisions.set(key, kv.modRevision);
        written += value.length;
      }
    }));
    const wal = statSync(`${path}-wal`).size;
    const database = statSync(path).size;
    assert.ok(database > written / 3, `the database file holds ${database} bytes after ${written} were written`);
    assert.ok(wal < written, `the WAL holds ${wal} bytes after ${written} were written`);
  } finally {
    await store.close();
  }
});
