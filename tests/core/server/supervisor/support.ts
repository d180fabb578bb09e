/**
 * A real server started in-process, fronted by an HTTPS listener wired the way `k3s server` wires the supervisor:
 * the server's authenticator chain plus the supervisor passwords, then the `/v1-k3s/` handler, then the REST router.
 *
 * ```ts
 * await withSupervisor({ token: "secret" }, async (cluster) => {
 *   const config = await cluster.fetch("/v1-k3s/config", { basic: "node:secret" });
 * });
 * ```
 *
 * @module
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Buffer } from "node:buffer";
import { ApiClient, type Client, inProcessTransport } from "../../../../core/client/mod.ts";
import { type Server, startServer } from "../../../../core/server/start.ts";
import { startHttps } from "../../../../core/server/https.ts";
import { ensureServerToken, type ServerTokens } from "../../../../core/auth/server_token.ts";
import { serverAuthenticator, unionAuthenticator } from "../../../../core/auth/authentication/mod.ts";
import { ensureServiceAccountKey } from "../../../../core/auth/serviceaccount/mod.ts";
import {
  supervisorCredentialsAuthenticator,
  supervisorPasswords,
} from "../../../../core/auth/supervisor_credentials.ts";
import {
  type CertificateAuthority,
  ensureServerCertificates,
  issueClientCertificate,
  loadCertificateAuthority,
} from "../../../../core/pki/mod.ts";
import { controlConfig, supervisorHandler } from "../../../../core/server/supervisor/mod.ts";

/** Deno test options for tests that start a server (its timers and sockets outlive single steps). */
export const SERVER_TEST = { sanitizeOps: false, sanitizeResources: false };

/** A running server with the supervisor in front of it. */
export interface SupervisorCluster {
  dataDir: string;
  server: Server;
  /** The server's in-process client (a privileged identity). */
  client: Client;
  tokens: ServerTokens;
  serverCAPem: string;
  clientCA: CertificateAuthority;
  /** `https://127.0.0.1:<port>` of the supervisor front door, once started. */
  url: string;
  /** What `/v1-k3s/readyz` reports. */
  ready: boolean;
  /** Start the front door (on `port`, default a free one); `withSupervisor` starts one unless told not to. */
  listen(port?: number): Promise<void>;
  /** An HTTPS request to the front door, trusting the server CA, with Basic credentials or a client certificate. */
  fetch(path: string, options?: FetchOptions): Promise<Response>;
  /** A client certificate for `commonName` in `organizations`, signed by the client CA. */
  identity(commonName: string, organizations?: string[]): Promise<{ certPem: string; keyPem: string }>;
}

/** How {@linkcode SupervisorCluster.fetch} authenticates and what it sends. */
export interface FetchOptions {
  /** `user:password` sent as HTTP Basic. */
  basic?: string;
  bearer?: string;
  identity?: { certPem: string; keyPem: string };
  method?: string;
  headers?: Record<string, string>;
  body?: Uint8Array<ArrayBuffer>;
}

/**
 * Run `fn` against a fresh server started with `options` (`token`, `agentToken`); pass `listen: false` to start the
 * front door later with `cluster.listen(port)`.
 */
export async function withSupervisor(
  options: { token?: string; agentToken?: string; listen?: boolean },
  fn: (cluster: SupervisorCluster) => Promise<void>,
): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "k3s-supervisor-"));
  const server = await startServer({
    dataDir,
    httpsPort: 0,
    bindAddress: "127.0.0.1",
    advertiseAddress: "127.0.0.1",
    kubeconfigPath: join(dataDir, "k3s.yaml"),
    token: options.token,
    agentToken: options.agentToken,
    log: () => {},
  });
  const closers: (() => Promise<void>)[] = [];
  try {
    const client = new ApiClient(inProcessTransport(server.router), server.registry);
    const tokens = await ensureServerToken({ dataDir, token: options.token, agentToken: options.agentToken });
    const pki = await ensureServerCertificates({ dataDir });
    const tls = join(dataDir, "server", "tls");
    const clientCA = await loadCertificateAuthority(
      readFileSync(join(tls, "client-ca.crt"), "utf8"),
      readFileSync(join(tls, "client-ca.key"), "utf8"),
    );
    const serviceAccountKeys = await ensureServiceAccountKey(dataDir);
    const cluster: SupervisorCluster = {
      dataDir,
      server,
      client,
      tokens,
      serverCAPem: pki.serverCA.certPem,
      clientCA,
      url: "",
      ready: true,
      async listen(port = 0) {
        const supervisor = supervisorHandler({
          dataDir,
          client,
          config: () => controlConfig({ httpsPort: https.port, clusterDNS: ["10.43.0.10"] }),
          ready: () => cluster.ready,
        });
        const https = await startHttps({
          port,
          bindAddress: "127.0.0.1",
          certificates: {
            cert: pki.serving.certPem,
            key: pki.serving.keyPem,
            clientCA: pki.clientCA.certPem,
            serverCA: pki.serverCA.certPem,
          },
          authenticate: unionAuthenticator(
            serverAuthenticator({ client, serviceAccountKeys }),
            supervisorCredentialsAuthenticator(supervisorPasswords(tokens)),
          ),
          handler: async (request, user, signal) =>
            await supervisor(request, user) ?? await server.router.handle(request, user, signal),
        });
        closers.push(() => https.close());
        cluster.url = `https://127.0.0.1:${https.port}`;
      },
      async fetch(path, request = {}) {
        const http = Deno.createHttpClient({
          caCerts: [pki.serverCA.certPem],
          ...(request.identity && { cert: request.identity.certPem, key: request.identity.keyPem }),
        });
        const headers: Record<string, string> = { ...request.headers };
        if (request.basic) headers.authorization = `Basic ${Buffer.from(request.basic).toString("base64")}`;
        if (request.bearer) headers.authorization = `Bearer ${request.bearer}`;
        try {
          const response = await fetch(`${cluster.url}${path}`, {
            client: http,
            method: request.method ?? "GET",
            headers,
            body: request.body,
          });
          const body = await response.arrayBuffer();
          return new Response(body, { status: response.status, headers: response.headers });
        } finally {
          http.close();
        }
      },
      identity: (commonName, organizations = []) => issueClientCertificate(clientCA, { commonName, organizations }),
    };
    if (options.listen !== false) await cluster.listen();
    await fn(cluster);
  } finally {
    for (const close of closers) await close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
