// The agent following the cluster's servers against a real server: it takes the server list from the supervisor,
// tunnels to the servers on it, and follows the `kubernetes` Endpoints when a second server (a front door sharing the
// cluster's CAs) joins and leaves — a joined agent through its load balancer, watching as system:k3s-controller, to
// every server; a server's own agent in-process, to every server but its own.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApiClient, type Client, httpsTransport, inProcessTransport } from "../../../core/client/mod.ts";
import { issueCertificate, loadCertificateAuthority, TLS_FILES } from "../../../core/pki/mod.ts";
import { Registry } from "../../../core/registry/registry.ts";
import { type Server, startServer } from "../../../core/server/start.ts";
import { getAPIServers, joinServer } from "../../../node/join/mod.ts";
import { startLoadBalancer } from "../../../node/loadbalancer/mod.ts";
import { followAPIServerAddresses, OtherServers, TunnelServer } from "../../../node/tunnel/mod.ts";
import { until } from "../../support/cluster.ts";
import { sessionEvent, startFrontDoor } from "./support.ts";

/** Set the `kubernetes` Endpoints to one subset per port on 127.0.0.1 (the servers here differ by port only). */
async function setKubernetesEndpoints(client: Client, ports: number[]): Promise<void> {
  const ref = { apiVersion: "v1", kind: "Endpoints" };
  const current = await client.get<{ subsets?: { ports?: { port: number }[] }[] }>(ref, "default", "kubernetes");
  const have = (current.subsets ?? []).map((subset) => subset.ports?.[0]?.port);
  if (have.length === ports.length && ports.every((port) => have.includes(port))) return;
  await client.update({
    ...current,
    ...ref,
    subsets: ports.map((port) => ({
      addresses: [{ ip: "127.0.0.1" }],
      ports: [{ name: "https", port, protocol: "TCP" }],
    })),
  });
}

/** A real server on 127.0.0.1 with its tunnel server, and a second server's front door with the cluster's CAs. */
interface TwoServers {
  server: Server;
  admin: Client;
  tunnels: TunnelServer;
  secondTunnels: TunnelServer;
  first: string;
  second: string;
  token: string;
  /** Lists both servers in the `kubernetes` endpoints until `done` holds (the server's reconciler resets them). */
  listBoth(done: () => boolean, what: string): Promise<void>;
}

async function withTwoServers(fn: (servers: TwoServers) => Promise<void>): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "k3s-server-"));
  const tunnels = new TunnelServer({});
  const server = await startServer({
    dataDir,
    httpsPort: 0,
    bindAddress: "127.0.0.1",
    advertiseAddress: "127.0.0.1",
    kubeconfigPath: join(dataDir, "k3s.yaml"),
    token: "secret",
    tunnel: tunnels,
    log: () => {},
  });
  const tls = join(dataDir, "server", "tls");
  const ca = (cert: string, key: string) =>
    loadCertificateAuthority(readFileSync(join(tls, cert), "utf8"), readFileSync(join(tls, key), "utf8"));
  const serverCA = await ca(TLS_FILES.serverCA, TLS_FILES.serverCAKey);
  const secondTunnels = new TunnelServer({});
  const door = await startFrontDoor({
    serverCA,
    clientCA: await ca(TLS_FILES.clientCA, TLS_FILES.clientCAKey),
    serving: await issueCertificate(serverCA, {
      commonName: "kube-apiserver",
      usages: ["serverAuth"],
      sans: { dns: ["localhost"], ips: ["127.0.0.1"] },
    }),
  }, secondTunnels);
  const admin = new ApiClient(inProcessTransport(server.router), server.registry);
  try {
    await fn({
      server,
      admin,
      tunnels,
      secondTunnels,
      first: `127.0.0.1:${server.port}`,
      second: `127.0.0.1:${door.port}`,
      token: readFileSync(join(dataDir, "server", "token"), "utf8").trim(),
      listBoth: (done, what) =>
        until(async () => {
          await setKubernetesEndpoints(admin, [server.port, door.port]);
          return done();
        }, what),
    });
  } finally {
    await secondTunnels.close();
    await door.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

Deno.test({
  name: "followAPIServerAddresses: tunnels to every server the kubernetes endpoints list, opening and closing with it",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withTwoServers(async ({ server, admin, tunnels, secondTunnels, first, second, token, listBoth }) => {
      const agentDataDir = mkdtempSync(join(tmpdir(), "k3s-agent-"));
      const log: string[] = [];
      const lb = await startLoadBalancer({
        agentDir: join(agentDataDir, "agent"),
        serverURL: `https://${first}`,
        port: 0,
        log: (line) => log.push(line),
      });
      const joined = await joinServer({
        server: lb.localURL,
        token,
        dataDir: agentDataDir,
        nodeName: "worker-1",
        nodePasswordFile: join(agentDataDir, "node-password"),
        log: () => {},
      });
      let secondUp = false;
      const secondDown = sessionEvent(secondTunnels, "worker-1", false);
      sessionEvent(secondTunnels, "worker-1", true).then(() => secondUp = true);

      const stop = new AbortController();
      const controllerTransport = httpsTransport({
        server: joined.server,
        caPem: joined.serverCA,
        certPem: joined.controllerCert,
        keyPem: joined.controllerKey,
      });
      const identity = { certPem: joined.clientCert, keyPem: joined.clientKey };
      const firstUp = sessionEvent(tunnels, "worker-1", true);
      const following = followAPIServerAddresses({
        servers: lb,
        client: new ApiClient(controllerTransport, new Registry()),
        apiServers: () =>
          getAPIServers({
            server: joined.server,
            trust: joined.serverCA,
            authorization: joined.authorization,
            identity,
          }),
        tunnel: { caPem: joined.serverCA, ...identity, allow: () => false, log: (line) => log.push(line) },
        debounce: 50,
        signal: stop.signal,
        log: (line) => log.push(line),
      });
      try {
        await firstUp;
        assert.deepEqual(lb.serverAddresses(), [first]);
        assert.ok(log.includes(`Got apiserver addresses from supervisor: [${first}]`), log.join("\n"));
        // The tunnel is up and the agent's watch goes through the balancer: the server is the active one.
        await until(() => Promise.resolve(lb.status()[0]?.state === "ACTIVE"), `${first} becomes ACTIVE`);

        await listBoth(() => secondUp, "a tunnel to the second server");
        assert.ok(log.includes(`Started tunnel to ${second}`), log.join("\n"));

        await setKubernetesEndpoints(admin, [server.port]);
        await secondDown;
        assert.deepEqual(lb.serverAddresses(), [first]);
        assert.ok(log.includes(`Stopped tunnel to ${second}`), log.join("\n"));
      } finally {
        stop.abort();
        await following;
        controllerTransport.close();
        await lb.close();
        rmSync(agentDataDir, { recursive: true, force: true });
      }
    }),
});

Deno.test({
  name: "followAPIServerAddresses: a server's own agent tunnels to every other server, never to its own",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withTwoServers(async ({ server, admin, tunnels, secondTunnels, first, second, token, listBoth }) => {
      const agentDataDir = mkdtempSync(join(tmpdir(), "k3s-agent-"));
      // The server's own agent joins its supervisor for the node's certificates, as the server's agent does.
      const joined = await joinServer({
        server: `https://${first}`,
        token,
        dataDir: agentDataDir,
        nodeName: "server-1",
        nodePasswordFile: join(agentDataDir, "node-password"),
        log: () => {},
      });
      const sessionsHome: boolean[] = [];
      const stopWatchingHome = tunnels.onSession((node, up) => node === "server-1" && sessionsHome.push(up));
      let secondUp = false;
      const secondDown = sessionEvent(secondTunnels, "server-1", false);
      sessionEvent(secondTunnels, "server-1", true).then(() => secondUp = true);
      const log: string[] = [];
      const stop = new AbortController();
      const identity = { certPem: joined.clientCert, keyPem: joined.clientKey };
      const following = followAPIServerAddresses({
        servers: new OtherServers(first),
        client: admin,
        apiServers: () =>
          getAPIServers({
            server: joined.server,
            trust: joined.serverCA,
            authorization: joined.authorization,
            identity,
          }),
        tunnel: { caPem: joined.serverCA, ...identity, allow: () => false, log: (line) => log.push(line) },
        debounce: 50,
        signal: stop.signal,
        log: (line) => log.push(line),
      });
      try {
        await until(
          () => Promise.resolve(log.includes(`Got apiserver addresses from supervisor: [${first}]`)),
          "the supervisor's list",
        );
        await listBoth(() => secondUp, "a tunnel to the other server");
        assert.ok(log.includes(`Started tunnel to ${second}`), log.join("\n"));

        await setKubernetesEndpoints(admin, [server.port]);
        await secondDown;
        assert.ok(log.includes(`Stopped tunnel to ${second}`), log.join("\n"));
        assert.ok(!log.some((line) => line.includes(`tunnel to ${first}`)), log.join("\n"));
        assert.deepEqual(sessionsHome, [], "no session to its own server");
      } finally {
        stop.abort();
        await following;
        stopWatchingHome();
        rmSync(agentDataDir, { recursive: true, force: true });
      }
    }),
});
