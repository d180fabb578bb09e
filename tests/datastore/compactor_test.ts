import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, startCompactor } from "../../datastore/mod.ts";

Deno.test({
  name: "compactor: compacts periodically and keeps the newest minRetain revisions",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const store = await openStore("", { defaultSqlitePath: join(mkdtempSync(join(tmpdir(), "k3s-compactor-")), "db") });
    try {
      let kv = await store.create("/compactor/k", new Uint8Array([0]));
      for (let i = 0; i < 100; i++) kv = await store.update(kv.key, new Uint8Array([i]), kv.modRevision);
      const compactions: [number, number][] = [];
      const stop = startCompactor(store, {
        intervalMs: 50,
        minRetain: 10,
        onCompact: (from, to) => compactions.push([from, to]),
      });
      while (compactions.length === 0) await new Promise((r) => setTimeout(r, 20));
      stop();
      const current = await store.currentRevision();
      assert.equal(await store.compactRevision(), current - 10);
      assert.deepEqual((await store.get(kv.key, { revision: current - 10 })).kv?.modRevision, current - 10);
      await assert.rejects(store.get(kv.key, { revision: current - 11 }));
    } finally {
      await store.close();
    }
  },
});
