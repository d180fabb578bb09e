// The agent's tunnels to several servers: two real HTTPS front doors with their own TunnelServer each; the manager
// opens a session to every listed server, closes the one dropped from the list, and reports each as health.
import assert from "node:assert/strict";
import { issueClientCertificate } from "../../../core/pki/certs.ts";
import { TunnelManager, TunnelServer } from "../../../node/tunnel/mod.ts";
import { until } from "../../support/cluster.ts";
import { frontDoorCertificates, sessionEvent, startFrontDoor } from "./support.ts";

const TEST = { sanitizeOps: false, sanitizeResources: false };

/** Two servers' front doors sharing the cluster's certificates, and a manager with node-1's identity. */
async function withTwoServers(
  fn: (
    servers: { address: string; tunnels: TunnelServer; close(): Promise<void> }[],
    manager: TunnelManager,
    log: string[],
  ) => Promise<void>,
): Promise<void> {
  const certificates = await frontDoorCertificates();
  const servers = await Promise.all([0, 1].map(async () => {
    const tunnels = new TunnelServer({});
    const https = await startFrontDoor(certificates, tunnels);
    let closed = false;
    return {
      address: `127.0.0.1:${https.port}`,
      tunnels,
      async close() {
        if (closed) return;
        closed = true;
        await tunnels.close();
        await https.close();
      },
    };
  }));
  const identity = await issueClientCertificate(certificates.clientCA, {
    commonName: "system:node:node-1",
    organizations: ["system:nodes"],
  });
  const log: string[] = [];
  const manager = new TunnelManager({
    caPem: certificates.serverCA.certPem,
    certPem: identity.certPem,
    keyPem: identity.keyPem,
    allow: (host) => host === "127.0.0.1",
    log: (line) => log.push(line),
  });
  try {
    await fn(servers, manager, log);
  } finally {
    await manager.close();
    for (const server of servers) await server.close();
  }
}

Deno.test({
  name: "tunnelManager: opens a tunnel to every listed server and closes the one removed from the list",
  ...TEST,
  fn: async () => {
    await withTwoServers(async ([a, b], manager, log) => {
      const up = [sessionEvent(a.tunnels, "node-1", true), sessionEvent(b.tunnels, "node-1", true)];
      manager.sync([a.address, b.address]);
      await Promise.all(up);
      assert.deepEqual(manager.addresses(), [a.address, b.address]);

      const gone = sessionEvent(b.tunnels, "node-1", false);
      manager.sync([a.address]);
      await gone;
      assert.deepEqual(manager.addresses(), [a.address]);
      assert.ok(log.includes(`Started tunnel to ${b.address}`), log.join("\n"));
      assert.ok(log.includes(`Stopped tunnel to ${b.address}`), log.join("\n"));
      // The remaining server still reaches the node.
      await assert.rejects(a.tunnels.dial("node-1", "127.0.0.1", 1), /ECONNREFUSED/);
    });
  },
});

Deno.test({
  name: "tunnelManager: a tunnel's health is ok while its session is up and failed once its server goes away",
  ...TEST,
  fn: async () => {
    await withTwoServers(async ([a, b], manager) => {
      assert.equal(manager.health(a.address), "unknown");
      manager.sync([a.address, b.address]);
      await until(
        () => Promise.resolve(manager.health(a.address) === "ok" && manager.health(b.address) === "ok"),
        "both tunnels connect",
      );
      await b.close();
      await until(() => Promise.resolve(manager.health(b.address) === "failed"), "b's tunnel is down");
      assert.equal(manager.health(a.address), "ok");
    });
  },
});
