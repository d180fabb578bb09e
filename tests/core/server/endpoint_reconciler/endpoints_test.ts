// Several servers on one datastore (K3s's HA with an external datastore): the `kubernetes` Service's endpoints list
// every live server, from the leases each server keeps in /registry/masterleases/, as kube-apiserver's lease
// endpoint reconciler keeps them.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../../../datastore/mod.ts";
import { decodeObject } from "../../../../core/api/storage.ts";
import { ApiClient, type Client, inProcessTransport } from "../../../../core/client/mod.ts";
import { MASTER_LEASES_PREFIX } from "../../../../core/server/endpoint_reconciler/mod.ts";
import { type Server, type ServerOptions, startServer } from "../../../../core/server/start.ts";
import { until } from "../../../support/cluster.ts";
import { startPostgres, type TestServer } from "../../../support/servers.ts";

const SERVER_TEST = { sanitizeOps: false, sanitizeResources: false };
const ENDPOINTS = { apiVersion: "v1", kind: "Endpoints" };
const ENDPOINT_SLICE = { apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice" };

let postgres: TestServer | undefined;
const database = async () => postgres ??= await startPostgres();

/** A port free on every given loopback address, so each server binds its own address on the same port. */
async function freePortOn(addresses: string[]): Promise<number> {
  while (true) {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, addresses[0], resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const free = await Promise.all(
      addresses.slice(1).map((address) =>
        new Promise<boolean>((resolve) => {
          const other = net.createServer().once("error", () => resolve(false));
          other.listen(port, address, () => other.close(() => resolve(true)));
        })
      ),
    );
    if (free.every(Boolean)) return port;
  }
}

interface Member {
  ip: string;
  server: Server;
  client: Client;
  dataDir: string;
  stop(): Promise<void>;
}

/** A server advertising and binding `ip`:`port`, its own data dir (so its own CAs) and the given datastore. */
async function member(
  ip: string,
  port: number,
  datastoreEndpoint: string | undefined,
  extra: Partial<ServerOptions> = {},
): Promise<Member> {
  const dataDir = mkdtempSync(join(tmpdir(), "k3s-ha-endpoints-"));
  const server = await startServer({
    dataDir,
    datastoreEndpoint,
    httpsPort: port,
    bindAddress: ip,
    advertiseAddress: ip,
    tlsSans: [ip],
    token: "pw",
    kubeconfigPath: join(dataDir, "k3s.yaml"),
    log: () => {},
    ...extra,
  });
  let stopped = false;
  return {
    ip,
    server,
    dataDir,
    client: new ApiClient(inProcessTransport(server.router), server.registry),
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

interface EndpointsObject {
  metadata: { labels?: Record<string, string>; resourceVersion?: string };
  subsets?: { addresses?: { ip: string }[]; ports?: { name?: string; port: number; protocol?: string }[] }[];
}

interface SliceObject {
  metadata: { labels?: Record<string, string>; resourceVersion?: string };
  addressType: string;
  endpoints: { addresses: string[]; conditions?: { ready?: boolean } }[];
  ports?: { name?: string; port?: number; protocol?: string }[];
}

const endpointsOf = (client: Client) => client.get<EndpointsObject>(ENDPOINTS, "default", "kubernetes");
const sliceOf = (client: Client) => client.get<SliceObject>(ENDPOINT_SLICE, "default", "kubernetes");
const addressesOf = async (client: Client) =>
  ((await endpointsOf(client)).subsets ?? []).flatMap((subset) => subset.addresses ?? []).map((a) => a.ip);
const leaseKeys = async (member: Member) =>
  (await member.server.store.list(MASTER_LEASES_PREFIX)).kvs.map((kv) => kv.key.slice(MASTER_LEASES_PREFIX.length));

Deno.test({
  name: "endpoint leases: two servers on one datastore are both in the kubernetes Endpoints, its slice and apiservers",
  ...SERVER_TEST,
  fn: async () => {
    const { endpoint } = await database();
    const port = await freePortOn(["127.0.0.2", "127.0.0.3"]);
    const a = await member("127.0.0.2", port, endpoint);
    try {
      const b = await member("127.0.0.3", port, endpoint);
      try {
        await until(async () => (await addressesOf(a.client)).length === 2, "both servers in the endpoints");
        const ports = [{ name: "https", port, protocol: "TCP" }];
        const endpoints = await endpointsOf(a.client);
        assert.equal(endpoints.metadata.labels?.["endpointslice.kubernetes.io/skip-mirror"], "true");
        assert.deepEqual(endpoints.subsets, [{ addresses: [{ ip: "127.0.0.2" }, { ip: "127.0.0.3" }], ports }]);
        const slice = await sliceOf(b.client);
        assert.deepEqual(slice.metadata.labels, { "kubernetes.io/service-name": "kubernetes" });
        assert.equal(slice.addressType, "IPv4");
        assert.deepEqual(slice.endpoints.map((e) => [e.addresses, e.conditions?.ready]), [
          [["127.0.0.2"], true],
          [["127.0.0.3"], true],
        ]);
        assert.deepEqual(slice.ports, ports);
        assert.deepEqual(await leaseKeys(a), ["127.0.0.2", "127.0.0.3"]);
        // What an agent's load balancer learns from either server.
        for (const { ip, dataDir } of [a, b]) {
          const http = Deno.createHttpClient({
            caCerts: [readFileSync(join(dataDir, "server", "tls", "server-ca.crt"), "utf8")],
          });
          try {
            const response = await fetch(`https://${ip}:${port}/v1-k3s/apiservers`, {
              client: http,
              headers: { authorization: `Basic ${Buffer.from("node:pw").toString("base64")}` },
            });
            assert.deepEqual(await response.json(), [`127.0.0.2:${port}`, `127.0.0.3:${port}`]);
          } finally {
            http.close();
          }
        }
      } finally {
        await b.stop();
      }
    } finally {
      await a.stop();
    }
  },
});

Deno.test({
  name: "endpoint leases: a server that stops cleanly deletes its lease and leaves the endpoints at once",
  ...SERVER_TEST,
  fn: async () => {
    const { endpoint } = await database();
    const port = await freePortOn(["127.0.0.4", "127.0.0.5"]);
    const a = await member("127.0.0.4", port, endpoint);
    try {
      const b = await member("127.0.0.5", port, endpoint);
      try {
        await until(async () => (await addressesOf(a.client)).length === 2, "both servers in the endpoints");
      } finally {
        await b.stop();
      }
      assert.deepEqual(await addressesOf(a.client), ["127.0.0.4"]);
      assert.deepEqual((await sliceOf(a.client)).endpoints.map((e) => e.addresses), [["127.0.0.4"]]);
      assert.deepEqual(await leaseKeys(a), ["127.0.0.4"]);
    } finally {
      await a.stop();
    }
  },
});

Deno.test({
  name: "endpoint leases: the last server to stop empties the endpoints, so no client is sent to it",
  ...SERVER_TEST,
  fn: async () => {
    const { endpoint } = await database();
    const port = await freePortOn(["127.0.0.6"]);
    const a = await member("127.0.0.6", port, endpoint);
    await until(async () => (await addressesOf(a.client)).includes("127.0.0.6"), "the server in the endpoints");
    await a.stop();
    const store = await openStore(endpoint, { defaultSqlitePath: "", maxAttempts: 1 });
    try {
      const endpoints = decodeObject((await store.get("/registry/endpoints/default/kubernetes")).kv!);
      assert.deepEqual(endpoints.subsets ?? [], []);
      const slice = decodeObject((await store.get("/registry/discovery.k8s.io/endpointslices/default/kubernetes")).kv!);
      assert.deepEqual(slice.endpoints, []);
      assert.deepEqual((await store.list(MASTER_LEASES_PREFIX)).kvs, []);
    } finally {
      await store.close();
    }
  },
});

Deno.test({
  name: "endpoint leases: a server that dies without stopping drops out once its lease expires",
  ...SERVER_TEST,
  fn: async () => {
    const { endpoint } = await database();
    const port = await freePortOn(["127.0.0.7", "127.0.0.8"]);
    const timings = { intervalSeconds: 1, ttlSeconds: 2 };
    const a = await member("127.0.0.7", port, endpoint, { endpointReconciler: timings });
    try {
      const crash = new AbortController();
      const b = await member("127.0.0.8", port, endpoint, {
        endpointReconciler: { ...timings, signal: crash.signal },
      });
      try {
        await until(async () => (await addressesOf(a.client)).length === 2, "both servers in the endpoints");
        crash.abort();
        await until(async () => (await leaseKeys(a)).length === 1, "the dead server's lease expired");
        await until(async () => (await addressesOf(a.client)).length === 1, "the dead server out of the endpoints");
        assert.deepEqual(await addressesOf(a.client), ["127.0.0.7"]);
        assert.deepEqual((await sliceOf(a.client)).endpoints.map((e) => e.addresses), [["127.0.0.7"]]);
      } finally {
        await b.stop();
      }
    } finally {
      await a.stop();
    }
  },
});

Deno.test({
  name: "endpoint leases: a refresh rewrites the lease but leaves unchanged endpoints unwritten",
  ...SERVER_TEST,
  fn: async () => {
    const port = await freePortOn(["127.0.0.1"]);
    const a = await member("127.0.0.1", port, undefined, { endpointReconciler: { intervalSeconds: 0.2 } });
    try {
      const before = [
        (await endpointsOf(a.client)).metadata.resourceVersion,
        (await sliceOf(a.client)).metadata
          .resourceVersion,
      ];
      const lease = async () => (await a.server.store.get(`${MASTER_LEASES_PREFIX}127.0.0.1`)).kv!.modRevision;
      const first = await lease();
      await until(async () => (await lease()) > first, "the lease refreshed once");
      const second = await lease();
      await until(async () => (await lease()) > second, "the lease refreshed twice");
      const after = [
        (await endpointsOf(a.client)).metadata.resourceVersion,
        (await sliceOf(a.client)).metadata
          .resourceVersion,
      ];
      assert.deepEqual(after, before);
    } finally {
      await a.stop();
    }
  },
});

Deno.test({
  name: "endpoint leases: a server restarted on another port puts that port in the endpoints",
  ...SERVER_TEST,
  fn: async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "k3s-ha-endpoints-"));
    const start = async (port: number) =>
      await startServer({
        dataDir,
        httpsPort: port,
        bindAddress: "127.0.0.1",
        advertiseAddress: "127.0.0.1",
        kubeconfigPath: join(dataDir, "k3s.yaml"),
        log: () => {},
      });
    try {
      const first = await start(await freePortOn(["127.0.0.1"]));
      await first.stop();
      const port = await freePortOn(["127.0.0.1"]);
      const second = await start(port);
      try {
        const client = new ApiClient(inProcessTransport(second.router), second.registry);
        assert.deepEqual((await endpointsOf(client)).subsets, [
          { addresses: [{ ip: "127.0.0.1" }], ports: [{ name: "https", port, protocol: "TCP" }] },
        ]);
        assert.deepEqual((await sliceOf(client)).ports, [{ name: "https", port, protocol: "TCP" }]);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});

Deno.test({
  name: "endpoint leases: stop the database",
  ...SERVER_TEST,
  fn: () => postgres?.stop(),
});
