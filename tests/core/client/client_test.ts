// The same Client behaviours against a real in-process server, once through the router directly and
// once over HTTPS with the admin kubeconfig the server writes.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApiClient, inProcessTransport, transportFromKubeconfig } from "../../../core/client/mod.ts";
import { Registry } from "../../../core/registry/registry.ts";
import { type Server, startServer } from "../../../core/server/start.ts";
import { clientBehaviours } from "./suite.ts";

async function withServer(fn: (server: Server) => Promise<void>): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), "k3s-client-"));
  const server = await startServer({
    dataDir,
    httpsPort: 0,
    bindAddress: "127.0.0.1",
    kubeconfigPath: join(dataDir, "k3s.yaml"),
    log: () => {},
  });
  try {
    await fn(server);
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

Deno.test("in-process client: CRUD, selectors, conflicts, patches, status and watch through the router", async (t) => {
  await withServer(async (server) => {
    await clientBehaviours(t, new ApiClient(inProcessTransport(server.router), server.registry));
  });
});

Deno.test("HTTPS client from the kubeconfig: the same behaviours over TLS with client certificates", async (t) => {
  await withServer(async (server) => {
    const transport = await transportFromKubeconfig(server.kubeconfigPath);
    try {
      // A remote client has no handle on the server's registry; the built-in one resolves the same kinds.
      await clientBehaviours(t, new ApiClient(transport, new Registry()));
    } finally {
      transport.close();
    }
  });
});
