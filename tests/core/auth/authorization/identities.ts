/**
 * A real server started in-process, and the real kubectl run against it as several identities: the admin
 * kubeconfig, or any user and groups with a client certificate signed by the server's client CA.
 *
 * ```ts
 * await withIdentities(async (cluster) => {
 *   const jane = await cluster.identity("jane", ["dev"]);
 *   const { code, stderr } = await cluster.kubectl(jane, "get", "pods");
 * });
 * ```
 *
 * @module
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { issueClientCertificate, loadCertificateAuthority, TLS_FILES, tlsDir } from "../../../../core/pki/mod.ts";
import { renderKubeconfig } from "../../../../core/kubeconfig/mod.ts";
import { type ServerOptions, startServer } from "../../../../core/server/start.ts";

/** What a test gets: the data dir, the admin kubeconfig, and identities to run kubectl as. */
export interface IdentityCluster {
  dataDir: string;
  port: number;
  /** The admin kubeconfig (`system:admin` in `system:masters`). */
  admin: string;
  /** A kubeconfig for `user` in `groups`, with a certificate signed by the client CA. */
  identity(user: string, groups?: string[]): Promise<string>;
  /** The real kubectl with `kubeconfig`. */
  kubectl(kubeconfig: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** kubectl that must succeed; its stdout. */
  ok(kubeconfig: string, ...args: string[]): Promise<string>;
  /** kubectl that must fail; its stderr. */
  fails(kubeconfig: string, ...args: string[]): Promise<string>;
}

/** Deno test options for tests that start a server (its timers and sockets outlive single steps). */
export const SERVER_TEST = { sanitizeOps: false, sanitizeResources: false };

/**
 * Run `fn` against a fresh in-process server (restarted on the same data dir if `fn` calls `restart`).
 *
 * ```ts
 * await withIdentities(async (cluster) => { … }, { controllers: (deps) => [clusterRoleAggregationController(deps)] });
 * ```
 */
export async function withIdentities(
  fn: (cluster: IdentityCluster, restart: () => Promise<void>) => Promise<void>,
  options: Pick<ServerOptions, "controllers"> = {},
): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "k3s-authz-"));
  const admin = join(dataDir, "k3s.yaml");
  const start = () =>
    startServer({
      dataDir,
      httpsPort: 0,
      bindAddress: "127.0.0.1",
      kubeconfigPath: admin,
      log: () => {},
      controllers: options.controllers,
    });
  let server = await start();
  const kubectl = async (kubeconfig: string, ...args: string[]) => {
    const out = await new Deno.Command("kubectl", {
      args: ["--request-timeout=20s", ...args],
      env: { KUBECONFIG: kubeconfig, HOME: dataDir },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
  };
  const cluster: IdentityCluster = {
    dataDir,
    get port() {
      return server.port;
    },
    admin,
    async identity(user, groups = []) {
      const tls = tlsDir(dataDir);
      const read = (file: string) => readFileSync(join(tls, file), "utf8");
      const ca = await loadCertificateAuthority(read(TLS_FILES.clientCA), read(TLS_FILES.clientCAKey));
      const cert = await issueClientCertificate(ca, { commonName: user, organizations: groups });
      // KUBECONFIG is a colon-separated list: no colons in the file name.
      const path = join(dataDir, `${[user, ...groups].join("-").replace(/[^\w.-]/g, "_")}.kubeconfig`);
      writeFileSync(
        path,
        renderKubeconfig({
          server: `https://127.0.0.1:${server.port}`,
          caPem: read(TLS_FILES.serverCA),
          certPem: cert.certPem,
          keyPem: cert.keyPem,
        }),
      );
      return path;
    },
    kubectl,
    async ok(kubeconfig, ...args) {
      const r = await kubectl(kubeconfig, ...args);
      assert.equal(r.code, 0, `kubectl ${args.join(" ")} failed: ${r.stderr}${r.stdout}`);
      return r.stdout;
    },
    async fails(kubeconfig, ...args) {
      const r = await kubectl(kubeconfig, ...args);
      assert.notEqual(r.code, 0, `kubectl ${args.join(" ")} should fail: ${r.stdout}`);
      return r.stderr;
    },
  };
  const restart = async () => {
    await server.stop();
    server = await start();
  };
  try {
    await fn(cluster, restart);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
