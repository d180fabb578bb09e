/**
 * `k3s agent --server URL --token T` up to the point where the kubelet can talk to the API (K3s's
 * `pkg/agent/config.Get`): trust the server by the token's CA hash, read the server configuration, fetch the cluster
 * CAs, and have the kubelet's serving and client certificates signed under the node password (and the agent
 * controllers' `system:k3s-controller` one), writing everything to `<data-dir>/agent` with K3s's file names. While
 * the server is unreachable or not ready this waits and retries, one log line per attempt; a wrong token, CA hash or
 * node password fails at once.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseToken } from "../../core/auth/server_token.ts";
import { sleep } from "../../core/operator/mod.ts";
import { writeFileAtomic } from "../../core/pki/mod.ts";
import type { ControlConfig } from "../../core/server/supervisor/config.ts";
import { getCACerts } from "./cacerts.ts";
import { CONTROLLER_CERT_NAME, requestControllerCertificate } from "./controller_cert.ts";
import { writeFileKubeconfig } from "./kubeconfig.ts";
import { requestKubeletCertificate } from "./kubelet_certs.ts";
import { ensureNodePasswordFile, NODE_PASSWORD_FILE } from "./node_password.ts";
import { authorizationHeader, SupervisorError, supervisorRequest } from "./supervisor_client.ts";

/** How often K3s's agent asks again while the server is not ready. */
const RETRY_INTERVAL_MS = 5_000;

/** What `k3s agent` joins with. */
export interface JoinOptions {
  /** `--server` / `K3S_URL`, e.g. `https://10.0.0.1:6443`. */
  server: string;
  /** `--token` / `K3S_TOKEN`: a full `K10…` token, a bare password, or a bootstrap token. */
  token: string;
  /** `--data-dir`: certificates go to `<data-dir>/agent`. */
  dataDir: string;
  /** `--node-name` (lower-cased, as K3s does). */
  nodeName: string;
  /** `--node-ip` and `--node-external-ip`: put in the serving certificate. */
  nodeIPs?: string[];
  /** The node password file (default K3s's `/etc/rancher/node/password`). */
  nodePasswordFile?: string;
  /** Progress, warnings and retries (default: the console). */
  log?: (line: string) => void;
  /** Milliseconds between attempts while the server is not ready (default 5000, K3s's). */
  retryInterval?: number;
  signal?: AbortSignal;
}

/** A joined agent: where the server is, what it said, and the PEM material for an HTTPS client as the node. */
export interface JoinedServer {
  /** The server's base URL, without a trailing slash. */
  server: string;
  nodeName: string;
  config: ControlConfig;
  /** `server-ca.crt`: trust the API with it. */
  serverCA: string;
  /** `client-ca.crt`: the kubelet's HTTPS server verifies API server clients with it. */
  clientCA: string;
  /** `client-kubelet.crt` (with its CA chain) and key: the API knows the node as `system:node:<name>` by it. */
  clientCert: string;
  clientKey: string;
  /** `serving-kubelet.crt` (with its CA chain) and key: the kubelet's HTTPS server presents it. */
  servingCert: string;
  servingKey: string;
  /** `client-k3s-controller.crt` (with its CA chain) and key: `system:k3s-controller`, for the agent's watches. */
  controllerCert: string;
  controllerKey: string;
  /** The join token's `Authorization` header, for later supervisor requests. */
  authorization: string;
  /** `<data-dir>/agent/kubelet.kubeconfig`. */
  kubeconfigPath: string;
}

/**
 * Join the server: resolves once every file is written; rejects with one clear message on a fatal refusal.
 *
 * @example
 * ```ts
 * const joined = await joinServer({ server: "https://10.0.0.1:6443", token: process.env.K3S_TOKEN!,
 *   dataDir: "/var/lib/rancher/k3s", nodeName: "worker-1", nodeIPs: ["10.0.0.2"] });
 * const client = new ApiClient(httpsTransport({ server: joined.server, caPem: joined.serverCA,
 *   certPem: joined.clientCert, keyPem: joined.clientKey }), new Registry());
 * ```
 */
export async function joinServer(options: JoinOptions): Promise<JoinedServer> {
  const log = options.log ?? ((line: string) => console.log(line));
  const server = parseServerURL(options.server);
  const token = parseToken(options.token.trim());
  for (;;) {
    try {
      return await attempt(server, token, { ...options, log });
    } catch (error) {
      if (!(error instanceof SupervisorError) || !error.retry || options.signal?.aborted) throw error;
      log(`Waiting to retrieve agent configuration; server is not ready: ${error.message}`);
      await sleep(options.retryInterval ?? RETRY_INTERVAL_MS, options.signal);
      options.signal?.throwIfAborted();
    }
  }
}

/**
 * The `--server` URL without trailing slashes; only `https://` is accepted, as in K3s.
 *
 * @example
 * ```ts
 * parseServerURL("https://10.0.0.1:6443/"); // "https://10.0.0.1:6443"
 * parseServerURL("http://10.0.0.1:6443"); // throws "only https:// URLs are supported, invalid scheme: …"
 * ```
 */
export function parseServerURL(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`Invalid server url, failed to parse: ${text}`);
  }
  if (url.protocol !== "https:") throw new Error(`only https:// URLs are supported, invalid scheme: ${text}`);
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

async function attempt(
  server: string,
  token: ReturnType<typeof parseToken>,
  options: JoinOptions & { log: (line: string) => void },
): Promise<JoinedServer> {
  const agentDir = join(options.dataDir, "agent");
  const files = {
    serverCA: join(agentDir, "server-ca.crt"),
    clientCA: join(agentDir, "client-ca.crt"),
    clientCert: join(agentDir, "client-kubelet.crt"),
    clientKey: join(agentDir, "client-kubelet.key"),
    kubeconfig: join(agentDir, "kubelet.kubeconfig"),
    controllerKubeconfig: join(agentDir, "k3scontroller.kubeconfig"),
  };
  const { caPem } = await getCACerts(server, token.caHash, (line) => options.log(`Warning: ${line}`));
  const authorization = authorizationHeader(token);
  const identity = await existingIdentity(files.clientCert, files.clientKey);
  const get = async (path: string) =>
    new TextDecoder().decode(
      await supervisorRequest({ url: `${server}${path}`, trust: caPem, authorization, identity }).catch((error) => {
        if (error instanceof SupervisorError && (error.status === 401 || error.status === 403)) {
          throw new SupervisorError(`${error.message}: the server does not accept this token`, error.status, false);
        }
        throw error;
      }),
    );
  const config = JSON.parse(await get("/v1-k3s/config")) as ControlConfig;
  const clientCA = await get("/v1-k3s/client-ca.crt");
  const serverCA = await get("/v1-k3s/server-ca.crt");
  await writeFileAtomic(files.clientCA, clientCA, 0o600, 0o700);
  await writeFileAtomic(files.serverCA, serverCA, 0o600, 0o700);
  const nodePasswordFile = options.nodePasswordFile ?? NODE_PASSWORD_FILE;
  const nodeName = options.nodeName.toLowerCase();
  const common = {
    agentDir,
    server,
    caPem,
    authorization,
    identity,
    nodeName,
    nodeIPs: options.nodeIPs ?? [],
    nodePassword: await ensureNodePasswordFile(nodePasswordFile),
    nodePasswordFile,
    log: options.log,
  };
  const serving = await requestKubeletCertificate({ ...common, kind: "serving" });
  const client = await requestKubeletCertificate({ ...common, kind: "client" });
  const controller = await requestControllerCertificate({ agentDir, server, caPem, authorization });
  await writeFileKubeconfig(files.kubeconfig, {
    server,
    caFile: files.serverCA,
    certFile: files.clientCert,
    keyFile: files.clientKey,
  });
  await writeFileKubeconfig(files.controllerKubeconfig, {
    server,
    caFile: files.serverCA,
    certFile: join(agentDir, `${CONTROLLER_CERT_NAME}.crt`),
    keyFile: join(agentDir, `${CONTROLLER_CERT_NAME}.key`),
  });
  return {
    server,
    nodeName,
    config,
    serverCA,
    clientCA,
    clientCert: client.certPem,
    clientKey: client.keyPem,
    servingCert: serving.certPem,
    servingKey: serving.keyPem,
    controllerCert: controller.certPem,
    controllerKey: controller.keyPem,
    authorization,
    kubeconfigPath: files.kubeconfig,
  };
}

/** The node's client certificate from an earlier join, presented first as K3s does. */
async function existingIdentity(certFile: string, keyFile: string) {
  try {
    return { certPem: await readFile(certFile, "utf8"), keyPem: await readFile(keyFile, "utf8") };
  } catch {
    return undefined;
  }
}
