/**
 * A real server started in-process, and the real kubectl run against it as several identities: the
 * admin, a user with a client certificate signed by the server's client CA (or any other CA), and a
 * bare bearer token with no kubeconfig at all.
 *
 * ```ts
 * await using cluster = await startAuthCluster();
 * await cluster.kubectl("get", "ns");
 * await cluster.kubectlWithToken(token, "auth", "whoami");
 * ```
 *
 * @module
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type CertificateAuthority,
  issueClientCertificate,
  loadCertificateAuthority,
} from "../../../../core/pki/mod.ts";
import { renderKubeconfig } from "../../../../core/kubeconfig/mod.ts";
import { type Server, type ServerOptions, startServer } from "../../../../core/server/start.ts";
import { withPodPrerequisites } from "../../../support/cluster.ts";

/** What a kubectl run gives back. */
export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A running in-process server and ways to reach it. */
export interface AuthCluster {
  server: Server;
  dataDir: string;
  url: string;
  /** The server CA, as `/cacerts` serves it. */
  serverCAPem: string;
  /** The CA that signs client certificates (`server/tls/client-ca.{crt,key}`). */
  clientCA: CertificateAuthority;
  /** kubectl with the admin kubeconfig. */
  kubectl(...args: string[]): Promise<KubectlResult>;
  /** kubectl with only `--token` (no kubeconfig), so the token alone identifies the caller. */
  kubectlWithToken(token: string, ...args: string[]): Promise<KubectlResult>;
  /** A kubeconfig whose user is a fresh client certificate for `commonName` in `organizations`. */
  userKubeconfig(
    commonName: string,
    organizations?: string[],
    ca?: CertificateAuthority,
    days?: number,
    now?: Date,
  ): Promise<string>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Start a server in a fresh data dir (extra `options`, or a function of the data dir giving them, are
 * passed on); dispose it to stop and clean up.
 *
 * ```ts
 * await using cluster = await startAuthCluster({ token: "secret" });
 * ```
 */
export async function startAuthCluster(
  options: Partial<ServerOptions> | ((dataDir: string) => Partial<ServerOptions>) = {},
): Promise<AuthCluster> {
  const dataDir = mkdtempSync(join(tmpdir(), "k3s-auth-"));
  const kubeconfigPath = join(dataDir, "k3s.yaml");
  let server: Server;
  try {
    const given = typeof options === "function" ? options(dataDir) : options;
    server = await startServer({
      dataDir,
      httpsPort: 0,
      bindAddress: "127.0.0.1",
      kubeconfigPath,
      log: () => {},
      ...given,
      controllers: withPodPrerequisites(dataDir, given.controllers),
    });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const tls = join(dataDir, "server", "tls");
  const serverCAPem = readFileSync(join(tls, "server-ca.crt"), "utf8");
  const clientCA = await loadCertificateAuthority(
    readFileSync(join(tls, "client-ca.crt"), "utf8"),
    readFileSync(join(tls, "client-ca.key"), "utf8"),
  );
  const url = `https://127.0.0.1:${server.port}`;
  let users = 0;
  return {
    server,
    dataDir,
    url,
    serverCAPem,
    clientCA,
    kubectl: (...args) => runKubectl(["--kubeconfig", kubeconfigPath, ...args], dataDir),
    kubectlWithToken: (token, ...args) =>
      runKubectl([
        "--kubeconfig=/dev/null",
        `--server=${url}`,
        `--certificate-authority=${join(tls, "server-ca.crt")}`,
        `--token=${token}`,
        ...args,
      ], dataDir),
    async userKubeconfig(commonName, organizations = [], ca = clientCA, days, now) {
      const cert = await issueClientCertificate(ca, { commonName, organizations, days, now });
      const path = join(dataDir, `user-${++users}.kubeconfig`);
      writeFileSync(path, renderKubeconfig({ server: url, caPem: serverCAPem, ...cert }));
      return path;
    },
    async [Symbol.asyncDispose]() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function runKubectl(args: string[], home: string): Promise<KubectlResult> {
  const out = await new Deno.Command("kubectl", {
    args: ["--request-timeout=20s", ...args],
    env: { HOME: home, KUBECONFIG: "" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: new TextDecoder().decode(out.stdout), stderr: new TextDecoder().decode(out.stderr) };
}
