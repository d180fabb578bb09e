import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { openStore } from "../../datastore/mod.ts";

Deno.test({
  name: "sqlite: acknowledged writes survive kill -9",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const path = join(mkdtempSync(join(tmpdir(), "k3s-durable-")), "state.db");
    const writer = spawn(Deno.execPath(), [
      "run",
      "-A",
      new URL("fixtures/sqlite_writer.ts", import.meta.url).pathname,
      path,
    ], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const acknowledged: string[] = [];
    for await (const line of createInterface({ input: writer.stdout! })) {
      acknowledged.push(line);
      if (acknowledged.length === 2000) {
        writer.kill("SIGKILL");
        break;
      }
    }
    await new Promise((resolve) => writer.once("exit", resolve));
    const store = await openStore("", { defaultSqlitePath: path });
    try {
      const { kvs } = await store.list("/durable/");
      const stored = new Set(kvs.map((kv) => kv.key));
      const lost = acknowledged.filter((key) => !stored.has(key));
      assert.deepEqual(lost, [], `${lost.length} acknowledged writes lost`);
    } finally {
      await store.close();
    }
  },
});
