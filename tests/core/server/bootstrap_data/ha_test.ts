// K3s's "HA with an external datastore" on real servers: two in-process servers on one PostgreSQL become one cluster
// when the second starts with the first's token — same CAs, each other's credentials accepted, one set of objects —
// and a server with another token is turned away. With the default SQLite datastore a restart reconciles cleanly.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApiClient, type Client, httpsTransport, readKubeconfig } from "../../../../core/client/mod.ts";
import { Registry } from "../../../../core/registry/registry.ts";
import { type Server, startServer } from "../../../../core/server/start.ts";
import { storageKey } from "../../../../core/server/bootstrap_data/mod.ts";
import { startPostgres } from "../../../support/servers.ts";

const options = { sanitizeOps: false, sanitizeResources: false };
const registry = new Registry();

/** Data dirs for one test, removed at the end. */
function dataDirs(): { make(): string } & Disposable {
  const root = mkdtempSync(join(tmpdir(), "k3s-ha-"));
  let count = 0;
  return {
    make: () => mkdtempSync(join(root, `server-${count++}-`)),
    [Symbol.dispose]: () => rmSync(root, { recursive: true, force: true }),
  };
}

async function start(dataDir: string, datastoreEndpoint?: string, token?: string): Promise<Server & AsyncDisposable> {
  const server = await startServer({
    dataDir,
    datastoreEndpoint,
    token,
    httpsPort: 0,
    bindAddress: "127.0.0.1",
    kubeconfigPath: join(dataDir, "k3s.yaml"),
    log: () => {},
  });
  return Object.assign(server, { [Symbol.asyncDispose]: () => server.stop() });
}

/** An HTTPS client to `server` with the credentials of `kubeconfig` (or only its CA and `token`). */
async function clientOf(server: Server, kubeconfig: string, token?: string): Promise<Client & Disposable> {
  const config = await readKubeconfig(kubeconfig);
  const transport = httpsTransport({
    ...config,
    server: `https://127.0.0.1:${server.port}`,
    ...(token ? { certPem: undefined, keyPem: undefined, token } : {}),
  });
  return Object.assign(new ApiClient(transport, registry), { [Symbol.dispose]: () => transport.close() });
}

type SelfSubjectReview = { apiVersion: string; kind: string; status?: { userInfo?: { username?: string } } };

const tlsFile = (dataDir: string, name: string) => readFileSync(join(dataDir, "server", "tls", name), "utf8");

Deno.test({
  name: "bootstrap HA: a second server started with the first's token is the same cluster",
  ...options,
  fn: async () => {
    await using postgres = await startPostgres();
    using dirs = dataDirs();
    const firstDir = dirs.make();
    await using first = await start(firstDir, postgres.endpoint);
    const token = readFileSync(join(firstDir, "server", "token"), "utf8").trim();
    const secondDir = dirs.make();
    await using second = await start(secondDir, postgres.endpoint, token);

    for (const name of ["server-ca.crt", "client-ca.crt", "request-header-ca.crt", "service.key"]) {
      assert.equal(tlsFile(secondDir, name), tlsFile(firstDir, name), name);
    }
    assert.equal(readFileSync(join(secondDir, "server", "token"), "utf8").trim(), token);

    // The first server's admin kubeconfig trusts and is trusted by the second.
    using viaFirst = await clientOf(first, first.kubeconfigPath);
    using viaSecond = await clientOf(second, first.kubeconfigPath);
    await viaFirst.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "shared", namespace: "default" },
      data: { from: "first" },
    });
    const read = await viaSecond.get<{ data: Record<string, string> }>(
      { apiVersion: "v1", kind: "ConfigMap" },
      "default",
      "shared",
    );
    assert.deepEqual(read.data, { from: "first" });

    // A service-account token issued by the first server authenticates at the second.
    await viaFirst.create({
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "robot", namespace: "default" },
    });
    const request = await viaFirst.createSubresource<{ status: { token: string } }>(
      { apiVersion: "v1", kind: "ServiceAccount" },
      "default",
      "robot",
      "token",
      { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: {} },
    );
    using asRobot = await clientOf(second, first.kubeconfigPath, request.status.token);
    const review = await asRobot.create<SelfSubjectReview>({
      apiVersion: "authentication.k8s.io/v1",
      kind: "SelfSubjectReview",
    });
    assert.equal(review.status?.userInfo?.username, "system:serviceaccount:default:robot");
  },
});

Deno.test({
  name: "bootstrap HA: a server with a different token fails with K3s's message and makes no certificates",
  ...options,
  fn: async () => {
    await using postgres = await startPostgres();
    using dirs = dataDirs();
    await using _first = await start(dirs.make(), postgres.endpoint, "cluster-secret");
    const secondDir = dirs.make();
    await assert.rejects(
      start(secondDir, postgres.endpoint, "another-secret"),
      /bootstrap data already found and encrypted with different token: start this server with the cluster's token/,
    );
    assert.equal(existsSync(join(secondDir, "server", "tls")), false);
  },
});

Deno.test({
  name: "bootstrap HA: with the default SQLite datastore a restart reconciles the stored data cleanly",
  ...options,
  fn: async () => {
    using dirs = dataDirs();
    const dataDir = dirs.make();
    const first = await start(dataDir);
    const ca = tlsFile(dataDir, "server-ca.crt");
    const { kvs } = await first.store.list("/bootstrap/");
    const password = readFileSync(join(dataDir, "server", "token"), "utf8").trim().split(":").pop()!;
    assert.deepEqual(kvs.map((kv) => kv.key), [storageKey(password)]);
    await first.stop();
    await using again = await start(dataDir);
    assert.equal(tlsFile(dataDir, "server-ca.crt"), ca);
    using client = await clientOf(again, again.kubeconfigPath);
    assert.ok((await client.list({ apiVersion: "v1", kind: "Namespace" })).items.length > 0);
  },
});
