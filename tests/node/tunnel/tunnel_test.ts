// Both ends of the tunnel over a real HTTPS front door with real certificates, dialling real TCP targets.
import assert from "node:assert/strict";
import type { Buffer } from "node:buffer";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { text } from "node:stream/consumers";
import { connect as tlsConnect } from "node:tls";
import { NodeStreams } from "../../../core/api/pod_streams.ts";
import { issueClientCertificate } from "../../../core/pki/certs.ts";
import { spdyClientUpgrade } from "../../../node/streaming/spdy/mod.ts";
import type { StatusError } from "../../../core/api/status.ts";
import {
  CONNECT_PATH,
  kubeletStreaming,
  registerTunnelledKubelets,
  TUNNEL_PROTOCOL,
  TunnelServer,
} from "../../../node/tunnel/mod.ts";
import { until } from "../../support/cluster.ts";
import { frontDoorCertificates, sessionEvent, startAgent, startFrontDoor, withTunnelServer } from "./support.ts";

/** A TCP echo server that keeps echoing after the client's FIN and then ends its side too. */
async function withEchoServer(fn: (port: number, seen: string[]) => Promise<void>): Promise<void> {
  const seen: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    let received = "";
    socket.on("data", (chunk: Buffer) => received += chunk);
    socket.on("end", () => seen.push(received));
    socket.on("close", () => sockets.delete(socket));
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await fn((server.address() as AddressInfo).port, seen);
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

Deno.test("tunnel: a dialled connection carries bytes both ways; the server's FIN reaches the target and the reply still arrives", async () => {
  await withTunnelServer(async (fixture) => {
    const agent = await startAgent(fixture, "node-1");
    try {
      await withEchoServer(async (port, seen) => {
        const connection = await fixture.tunnels.dial("node-1", "127.0.0.1", port);
        const big = "x".repeat(200_000);
        connection.end(`hello ${big}`);
        assert.equal(await text(connection), `hello ${big}`);
        assert.deepEqual(seen, [`hello ${big}`]);
      });
    } finally {
      await agent.stop();
    }
  });
});

Deno.test("tunnel: a target that closes first half-closes the server's side, which can still send", async () => {
  await withTunnelServer(async (fixture) => {
    const agent = await startAgent(fixture, "node-1");
    let received: (words: string) => void;
    const heard = new Promise<string>((resolve) => received = resolve);
    const server = net.createServer({ allowHalfOpen: true }, (socket) => {
      socket.end("greeting");
      text(socket).then(received);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const connection = await fixture.tunnels.dial("node-1", "127.0.0.1", (server.address() as AddressInfo).port);
      // Read without an async iterator, which would destroy (reset) the stream at its end.
      let greeting = "";
      connection.on("data", (chunk: Buffer) => greeting += chunk);
      await new Promise((resolve) => connection.once("end", resolve));
      assert.equal(greeting, "greeting");
      connection.end("late words");
      assert.equal(await heard, "late words");
    } finally {
      await agent.stop();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

Deno.test("tunnel: a refused or disallowed dial is a rejected connect naming the reason", async () => {
  await withTunnelServer(async (fixture) => {
    const agent = await startAgent(fixture, "node-1", (host, port) => host === "127.0.0.1" && port !== 1);
    try {
      const port = await closedPort();
      await assert.rejects(
        fixture.tunnels.dial("node-1", "127.0.0.1", port),
        new RegExp(`dial 127\\.0\\.0\\.1:${port} through the tunnel of node "node-1": .*ECONNREFUSED`),
      );
      await assert.rejects(fixture.tunnels.dial("node-1", "127.0.0.1", 1), /connect not allowed: 127\.0\.0\.1:1$/);
      await assert.rejects(fixture.tunnels.dial("node-1", "10.0.0.1", 80), /connect not allowed: 10\.0\.0\.1:80$/);
      await assert.rejects(
        fixture.tunnels.dial("node-2", "127.0.0.1", port),
        /no tunnel session for node "node-2"/,
      );
    } finally {
      await agent.stop();
    }
  });
});

Deno.test("tunnel: users that are not nodes are refused with a 403 Status", async () => {
  await withTunnelServer(async (fixture) => {
    const offer = (certPem: string, keyPem: string) =>
      spdyClientUpgrade(`${fixture.url}${CONNECT_PATH}`, {
        protocols: [TUNNEL_PROTOCOL],
        tls: { ca: fixture.serverCA, cert: certPem, key: keyPem },
      });
    const alice = await issueClientCertificate(fixture.clientCA, { commonName: "alice", organizations: ["ops"] });
    await assert.rejects(offer(alice.certPem, alice.keyPem), (error: Error) => {
      assert.match(error.message, /^SPDY upgrade refused: 403 /);
      const status = JSON.parse(error.message.replace(/^SPDY upgrade refused: 403 /, ""));
      assert.equal(status.reason, "Forbidden");
      assert.match(status.message, /User "alice" cannot connect a node tunnel/);
      return true;
    });
    // The node name alone is not enough: the certificate must also put it in system:nodes.
    const impostor = await issueClientCertificate(fixture.clientCA, { commonName: "system:node:node-1" });
    await assert.rejects(offer(impostor.certPem, impostor.keyPem), /SPDY upgrade refused: 403 /);
    assert.equal(fixture.tunnels.connected("node-1"), false);
  });
});

Deno.test("tunnel: a newer session of a node replaces its older one", async () => {
  await withTunnelServer(async (fixture) => {
    const certificate = await fixture.nodeCertificate("node-1");
    const offer = () =>
      spdyClientUpgrade(`${fixture.url}${CONNECT_PATH}`, {
        protocols: [TUNNEL_PROTOCOL],
        tls: { ca: fixture.serverCA, cert: certificate.certPem, key: certificate.keyPem },
      });
    const down: string[] = [];
    fixture.tunnels.onSession((node, connected) => connected || down.push(node));
    const first = await offer();
    const second = await offer();
    await first.session.closed;
    assert.equal(fixture.tunnels.connected("node-1"), true);
    assert.deepEqual(down, [], "the node never went away");
    second.session.close();
    await sessionEvent(fixture.tunnels, "node-1", false);
  });
});

Deno.test("tunnel: the agent reconnects after the server drops, logging the outage once", async () => {
  const certificates = await frontDoorCertificates();
  const tunnels = new TunnelServer();
  let https = await startFrontDoor(certificates, tunnels);
  const port = https.port;
  const fixture = {
    url: `https://127.0.0.1:${port}`,
    port,
    serverCA: certificates.serverCA.certPem,
    clientCA: certificates.clientCA,
    tunnels,
    https,
    nodeCertificate: (node: string) =>
      issueClientCertificate(certificates.clientCA, {
        commonName: `system:node:${node}`,
        organizations: ["system:nodes"],
      }),
  };
  const agent = await startAgent(fixture, "node-1");
  try {
    // The server goes away entirely; connection attempts are counted by a bare listener on its port.
    const down = sessionEvent(tunnels, "node-1", false);
    await tunnels.close();
    await https.close();
    await down;
    let attempts = 0;
    const refuser = net.createServer((socket) => {
      attempts++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => refuser.listen(port, "127.0.0.1", resolve));
    while (attempts < 2) await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => refuser.close(resolve));
    const up = sessionEvent(tunnels, "node-1", true);
    https = await startFrontDoor(certificates, tunnels, port);
    await up;
    await until(() => Promise.resolve(agent.log.length >= 3), "the agent logged its reconnection");
    assert.equal(agent.log.length, 3, agent.log.join("\n"));
    assert.match(agent.log[0], new RegExp(`^Connected the tunnel to https://127\\.0\\.0\\.1:${port}$`));
    assert.match(agent.log[1], /^Tunnel to https:\/\/127\.0\.0\.1:\d+ lost; reconnecting every 1s$/);
    assert.match(agent.log[2], /^Reconnected the tunnel to /);
  } finally {
    await agent.stop();
    await tunnels.close();
    await https.close();
  }
});

Deno.test("tunnel: a session whose agent stops answering PINGs is dropped", async () => {
  await withTunnelServer(async (fixture) => {
    const certificate = await fixture.nodeCertificate("node-1");
    const up = sessionEvent(fixture.tunnels, "node-1", true);
    const down = sessionEvent(fixture.tunnels, "node-1", false);
    // A client that upgrades and then never reads or answers a frame, like a host that froze.
    const socket = tlsConnect({
      host: "127.0.0.1",
      port: fixture.port,
      ca: fixture.serverCA,
      cert: certificate.certPem,
      key: certificate.keyPem,
      servername: "localhost",
    });
    socket.write(
      `POST ${CONNECT_PATH} HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n` +
        `X-Stream-Protocol-Version: ${TUNNEL_PROTOCOL}\r\nContent-Length: 0\r\n\r\n`,
    );
    socket.on("data", () => {});
    await up;
    await down;
    assert.equal(fixture.tunnels.connected("node-1"), false);
    socket.destroy();
  }, { interval: 50, timeout: 300 });
});

Deno.test("tunnel: a node's kubelet streaming is registered while its session is up", async () => {
  await withTunnelServer(async (fixture) => {
    const nodes = new NodeStreams();
    const stop = registerTunnelledKubelets(fixture.tunnels, nodes, { ca: "", cert: "", key: "" });
    assert.throws(() => nodes.of("node-1"), /not connected to this server/);
    const agent = await startAgent(fixture, "node-1");
    assert.ok(nodes.of("node-1"));
    const down = sessionEvent(fixture.tunnels, "node-1", false);
    await agent.stop();
    await down;
    assert.throws(() => nodes.of("node-1"), /not connected to this server/);
    stop();
  });
});

Deno.test("tunnel: logs of a node without a session are a 500 'error dialing backend' Status", async () => {
  await withTunnelServer(async (fixture) => {
    const streaming = kubeletStreaming(() => fixture.tunnels.dial("node-2", "127.0.0.1", 10250), {
      ca: fixture.serverCA,
      cert: "",
      key: "",
    });
    const target = { namespace: "default", name: "web", uid: "", container: "main" };
    await assert.rejects(streaming.logs(target, {}, new AbortController().signal), (error: StatusError) => {
      assert.equal(error.code, 500);
      assert.equal(error.message, `error dialing backend: dial 127.0.0.1:10250: no tunnel session for node "node-2"`);
      return true;
    });
  });
});
