import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../../../core/server/start.ts";

Deno.test({
  name: "static files: /static/ serves <data-dir>/server/static without credentials, as K3s does",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "k3s-static-"));
    mkdirSync(join(dataDir, "server", "static", "charts"), { recursive: true });
    writeFileSync(join(dataDir, "server", "static", "charts", "demo.tgz"), "chart bytes");
    const server = await startServer({
      dataDir,
      httpsPort: 0,
      bindAddress: "127.0.0.1",
      kubeconfigPath: join(dataDir, "k3s.yaml"),
      log: () => {},
    });
    const client = Deno.createHttpClient({
      caCerts: [Deno.readTextFileSync(join(dataDir, "server/tls/server-ca.crt"))],
    });
    const get = async (path: string) => {
      const response = await fetch(`https://127.0.0.1:${server.port}${path}`, { client });
      return { status: response.status, text: await response.text() };
    };
    try {
      assert.deepEqual(await get("/static/charts/demo.tgz"), { status: 200, text: "chart bytes" });
      assert.deepEqual(await get("/static/charts/missing.tgz"), { status: 404, text: "404 page not found\n" });
      assert.equal((await get("/static/charts")).status, 404);
      assert.equal((await get("/static/charts/..%2f..%2ftls%2fserver-ca.key")).status, 404);
      assert.equal((await get("/api")).status, 401);
    } finally {
      client.close();
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});
