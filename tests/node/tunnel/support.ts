// A real HTTPS front door (core/server/https.ts) with certificates from CAs made for the test, whose upgrade hook
// hands /v1-k3s/connect to a TunnelServer, and agents' client certificates for it.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { Buffer } from "node:buffer";
import { pathNotFound } from "../../../core/api/status.ts";
import type { UserInfo } from "../../../core/api/router.ts";
import { unionAuthenticator, x509Authenticator } from "../../../core/auth/authentication/mod.ts";
import {
  type CertificateAuthority,
  createCertificateAuthority,
  issueCertificate,
  issueClientCertificate,
  type IssuedCertificate,
} from "../../../core/pki/certs.ts";
import { type HttpsServer, startHttps } from "../../../core/server/https.ts";
import { CONNECT_PATH, type KeepAliveOptions, runTunnel, TunnelServer } from "../../../node/tunnel/mod.ts";

/** The running front door and what agents need to reach it. */
export interface TunnelFixture {
  url: string;
  port: number;
  serverCA: string;
  clientCA: CertificateAuthority;
  tunnels: TunnelServer;
  https: HttpsServer;
  /** A client certificate for `system:node:<node>` in `system:nodes`. */
  nodeCertificate(node: string): Promise<IssuedCertificate>;
}

/** The front door's certificates: a serving certificate for 127.0.0.1 and the client CA it trusts. */
export async function frontDoorCertificates() {
  const serverCA = await createCertificateAuthority("k3s-server-ca@1");
  const clientCA = await createCertificateAuthority("k3s-client-ca@1");
  const serving = await issueCertificate(serverCA, {
    commonName: "kube-apiserver",
    usages: ["serverAuth"],
    sans: { dns: ["localhost"], ips: ["127.0.0.1"] },
  });
  return { serverCA, clientCA, serving };
}

/** Start an HTTPS server on `port` (0 for any) whose upgrades of CONNECT_PATH go to `tunnels`. */
export function startFrontDoor(
  certificates: Awaited<ReturnType<typeof frontDoorCertificates>>,
  tunnels: TunnelServer,
  port = 0,
): Promise<HttpsServer> {
  return startHttps({
    port,
    bindAddress: "127.0.0.1",
    certificates: {
      cert: certificates.serving.certPem,
      key: certificates.serving.keyPem,
      clientCA: certificates.clientCA.certPem,
      serverCA: certificates.serverCA.certPem,
    },
    authenticate: unionAuthenticator(x509Authenticator()),
    handler: () => undefined,
    // The dispatch the server's upgrade hook does: the tunnel's path, else (here) nothing.
    upgrade: (request: IncomingMessage, socket: Duplex, head: Buffer, user: UserInfo) => {
      if (new URL(request.url ?? "/", "https://localhost").pathname === CONNECT_PATH) {
        return tunnels.upgrade(request, socket, head, user);
      }
      return Promise.reject(pathNotFound());
    },
  });
}

/** Run `fn` against a front door with a TunnelServer; everything is closed afterwards. */
export async function withTunnelServer(
  fn: (fixture: TunnelFixture) => Promise<void>,
  keepAlive?: KeepAliveOptions,
): Promise<void> {
  const certificates = await frontDoorCertificates();
  const tunnels = new TunnelServer({ keepAlive });
  const https = await startFrontDoor(certificates, tunnels);
  try {
    await fn({
      url: `https://127.0.0.1:${https.port}`,
      port: https.port,
      serverCA: certificates.serverCA.certPem,
      clientCA: certificates.clientCA,
      tunnels,
      https,
      nodeCertificate: (node) =>
        issueClientCertificate(certificates.clientCA, {
          commonName: `system:node:${node}`,
          organizations: ["system:nodes"],
        }),
    });
  } finally {
    await tunnels.close();
    await https.close();
  }
}

/** Resolves when `node`'s session comes up (`true`) or goes (`false`). */
export function sessionEvent(tunnels: TunnelServer, node: string, connected: boolean): Promise<void> {
  return new Promise((resolve) => {
    const stop = tunnels.onSession((name, up) => {
      if (name !== node || up !== connected) return;
      stop();
      resolve();
    });
  });
}

/** A running agent end for `node`, allowed to reach loopback only; `stop()` ends it. */
export async function startAgent(
  fixture: TunnelFixture,
  node: string,
  allow: (host: string, port: number) => boolean = (host) => host === "127.0.0.1",
) {
  const certificate = await fixture.nodeCertificate(node);
  const abort = new AbortController();
  const log: string[] = [];
  const up = sessionEvent(fixture.tunnels, node, true);
  const done = runTunnel({
    server: fixture.url,
    caPem: fixture.serverCA,
    certPem: certificate.certPem,
    keyPem: certificate.keyPem,
    allow,
    signal: abort.signal,
    log: (line) => log.push(line),
  });
  await up;
  return {
    log,
    async stop() {
      abort.abort();
      await done;
    },
  };
}
