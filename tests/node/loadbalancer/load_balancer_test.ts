// The agent's load balancer in front of real TLS servers: TLS passes through it untouched, a failed dial moves on,
// a failed server's connections move to the next one, a recovered server is taken back when K3s takes it back, the
// `--server` address is kept on standby, and the list survives a restart.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import tls from "node:tls";
import { createCertificateAuthority, issueCertificate } from "../../../core/pki/certs.ts";
import {
  configPath,
  type LoadBalancer,
  type ServerState,
  startLoadBalancer,
  SUPERVISOR_SERVICE_NAME,
} from "../../../node/loadbalancer/mod.ts";
import { until } from "../../support/cluster.ts";

const TEST = { sanitizeOps: false, sanitizeResources: false };

const ca = await createCertificateAuthority("k3s-server-ca@1");
const serving = await issueCertificate(ca, {
  commonName: "kube-apiserver",
  usages: ["serverAuth"],
  sans: { dns: ["localhost"], ips: ["127.0.0.1"] },
});

/** A TLS server on 127.0.0.1 that greets each connection with its name; it can stop and start again on its port. */
class NamedServer {
  #server?: tls.Server;
  #sockets = new Set<net.Socket>();
  port = 0;

  constructor(readonly name: string) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get listening(): boolean {
    return this.#server !== undefined;
  }

  async start(): Promise<this> {
    const server = tls.createServer({ cert: serving.certPem, key: serving.keyPem }, (socket) => {
      this.#sockets.add(socket);
      socket.on("error", () => socket.destroy());
      socket.once("close", () => this.#sockets.delete(socket));
      socket.write(`${this.name}\n`);
    });
    await new Promise<void>((resolve) => server.listen(this.port, "127.0.0.1", resolve));
    this.port = (server.address() as net.AddressInfo).port;
    this.#server = server;
    return this;
  }

  /** Stop listening and drop every connection, as a server that goes down does. */
  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    const closed = new Promise((resolve) => server.close(resolve));
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }
}

/** A TLS connection through the balancer, trusting the test CA, and the name the server behind it said. */
async function ask(lb: LoadBalancer): Promise<{ name: string; socket: tls.TLSSocket }> {
  const url = new URL(lb.localURL);
  const socket = tls.connect({ host: url.hostname, port: Number(url.port), ca: ca.certPem });
  return await new Promise((resolve, reject) => {
    let received = "";
    socket.once("error", reject);
    socket.once("close", () => reject(new Error(`connection closed after ${JSON.stringify(received)}`)));
    socket.on("data", (chunk) => {
      received += chunk;
      if (received.endsWith("\n")) resolve({ name: received.trim(), socket });
    });
  });
}

/** Resolves once `socket` is closed. */
const closed = (socket: net.Socket) =>
  socket.closed ? Promise.resolve() : new Promise((resolve) => socket.once("close", resolve));

const stateOf = (lb: LoadBalancer, server: NamedServer): ServerState | undefined =>
  lb.status().find((s) => s.address === server.address)?.state;

/** Run `fn` with a balancer whose `--server` is `defaultServer`, and its log; everything is stopped afterwards. */
async function withLoadBalancer(
  defaultServer: NamedServer,
  others: NamedServer[],
  fn: (lb: LoadBalancer, log: string[], agentDir: string) => Promise<void>,
): Promise<void> {
  const agentDir = mkdtempSync(join(tmpdir(), "k3s-lb-"));
  const log: string[] = [];
  const lb = await startLoadBalancer({
    agentDir,
    serverURL: `https://${defaultServer.address}`,
    port: 0,
    log: (line) => log.push(line),
  });
  try {
    await fn(lb, log, agentDir);
  } finally {
    await lb.close();
    for (const server of [defaultServer, ...others]) await server.stop();
    rmSync(agentDir, { recursive: true, force: true });
  }
}

/** Each server's health as the agent's tunnels would report it: ok while it listens. */
function checkHealth(lb: LoadBalancer, ...servers: NamedServer[]): void {
  for (const server of servers) lb.setHealthCheck(server.address, () => server.listening ? "ok" : "failed");
}

Deno.test({
  name: "loadBalancer: a TLS connection on 127.0.0.1 reaches the --server address; the log says where it forwards",
  ...TEST,
  fn: async () => {
    const a = await new NamedServer("a").start();
    await withLoadBalancer(a, [], async (lb, log) => {
      assert.match(lb.localURL, /^https:\/\/127\.0\.0\.1:\d+$/);
      const { name, socket } = await ask(lb);
      assert.equal(name, "a");
      socket.destroy();
      assert.ok(
        log.includes(
          `Running load balancer ${SUPERVISOR_SERVICE_NAME} ${lb.localURL.slice(8)} -> [] [default: ${a.address}]`,
        ),
        log.join("\n"),
      );
    });
  },
});

Deno.test({
  name: "loadBalancer: a failed dial moves on to the next server for the same connection and marks the first FAILED",
  ...TEST,
  fn: async () => {
    const down = await new NamedServer("down").start();
    await down.stop(); // its port now refuses connections
    const b = await new NamedServer("b").start();
    await withLoadBalancer(down, [b], async (lb, log) => {
      await lb.update([down.address, b.address]);
      const { name, socket } = await ask(lb);
      assert.equal(name, "b");
      socket.destroy();
      assert.equal(stateOf(lb, down), "FAILED");
      assert.ok(log.includes(`Server ${down.address}@UNCHECKED*->FAILED from failed dial`), log.join("\n"));
      assert.ok(log.includes(`Server ${b.address}@UNCHECKED->RECOVERING from successful dial`), log.join("\n"));
    });
  },
});

Deno.test({
  name: "loadBalancer: when the active server stops, its connections close and a new connection reaches the next",
  ...TEST,
  fn: async () => {
    const a = await new NamedServer("a").start();
    const b = await new NamedServer("b").start();
    await withLoadBalancer(a, [b], async (lb, log) => {
      await lb.update([a.address, b.address]);
      checkHealth(lb, a, b);
      const first = await ask(lb);
      assert.equal(first.name, "a");
      await until(() => Promise.resolve(stateOf(lb, a) === "ACTIVE"), "a becomes the active server");
      await until(() => Promise.resolve(stateOf(lb, b) === "PREFERRED"), "b passes its health checks");

      await a.stop();
      await closed(first.socket);
      const second = await ask(lb);
      assert.equal(second.name, "b");
      second.socket.destroy();
      assert.equal(stateOf(lb, a), "FAILED");
      // Whichever notices first: the health check, or the dial of the next connection.
      assert.ok(
        log.some((line) => line.startsWith(`Server ${a.address}@ACTIVE*->FAILED from failed `)),
        log.join("\n"),
      );
      assert.ok(log.includes(`Server ${b.address}@PREFERRED->ACTIVE from successful dial`), log.join("\n"));
    });
  },
});

Deno.test({
  name: "loadBalancer: a recovered server is not taken back while the active one works, but is next when it fails",
  ...TEST,
  fn: async () => {
    const a = await new NamedServer("a").start();
    const b = await new NamedServer("b").start();
    await withLoadBalancer(a, [b], async (lb, log) => {
      await lb.update([a.address, b.address]);
      checkHealth(lb, a, b);
      await a.stop();
      const moved = await ask(lb);
      assert.equal(moved.name, "b");
      await until(() => Promise.resolve(stateOf(lb, b) === "ACTIVE"), "b becomes the active server");
      moved.socket.destroy();

      await a.start();
      await until(() => Promise.resolve(stateOf(lb, a) === "PREFERRED"), "a recovers to PREFERRED");
      assert.ok(log.includes(`Server ${a.address}@FAILED*->RECOVERING from successful health check`), log.join("\n"));
      const stays = await ask(lb);
      assert.equal(stays.name, "b", "K3s keeps using the active server");
      stays.socket.destroy();

      await b.stop();
      await until(() => Promise.resolve(stateOf(lb, b) === "FAILED"), "b fails its health check");
      const back = await ask(lb);
      assert.equal(back.name, "a");
      back.socket.destroy();
      assert.ok(log.includes(`Server ${a.address}@PREFERRED*->ACTIVE from successful dial`), log.join("\n"));
    });
  },
});

Deno.test({
  name: "loadBalancer: the --server address the cluster stops listing is kept on standby and used when all else fails",
  ...TEST,
  fn: async () => {
    const a = await new NamedServer("a").start();
    const b = await new NamedServer("b").start();
    await withLoadBalancer(a, [b], async (lb, log) => {
      await lb.update([a.address, b.address]);
      const held = await ask(lb);
      assert.equal(held.name, "a");

      await lb.update([b.address]);
      await closed(held.socket);
      assert.deepEqual(lb.serverAddresses(), [b.address]);
      assert.equal(stateOf(lb, a), "STANDBY");
      assert.ok(
        log.includes(
          `Updated load balancer ${SUPERVISOR_SERVICE_NAME} server addresses -> [${b.address}] [default: ${a.address}]`,
        ),
        log.join("\n"),
      );
      const listed = await ask(lb);
      assert.equal(listed.name, "b");
      listed.socket.destroy();

      await b.stop();
      const fallback = await ask(lb);
      assert.equal(fallback.name, "a");
      fallback.socket.destroy();
    });
  },
});

Deno.test({
  name: "loadBalancer: the server list is saved under agent/etc and restored by a restart with the same --server",
  ...TEST,
  fn: async () => {
    const a = await new NamedServer("a").start();
    const b = await new NamedServer("b").start();
    await withLoadBalancer(a, [b], async (lb, _log, agentDir) => {
      await lb.update([a.address, b.address]);
      const file = configPath(agentDir, SUPERVISOR_SERVICE_NAME);
      assert.equal(file, join(agentDir, "etc", "k3s-agent-load-balancer.json"));
      assert.deepEqual(JSON.parse(readFileSync(file, "utf8")), {
        ServerURL: `https://${a.address}`,
        ServerAddresses: [a.address, b.address],
      });
      await lb.close();

      const again = await startLoadBalancer({ agentDir, serverURL: `https://${a.address}`, port: 0, log: () => {} });
      assert.deepEqual(again.serverAddresses().sort(), [a.address, b.address].sort());
      await again.close();

      const other = await startLoadBalancer({ agentDir, serverURL: `https://${b.address}`, port: 0, log: () => {} });
      assert.deepEqual(other.serverAddresses(), [], "another --server starts from its own address");
      await other.close();
      assert.deepEqual(JSON.parse(readFileSync(file, "utf8")).ServerURL, `https://${b.address}`);
    });
  },
});
