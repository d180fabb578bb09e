/**
 * K3s's supervisor endpoints for agents (`pkg/server/handlers/router.go`), on the API port under `/v1-k3s/`: the
 * cluster CAs, kubelet and component certificates signed from the agent's CSR, the server configuration, the API
 * server addresses and readiness. Callers must be agents (`k3s:agent`, the agent token's user), nodes
 * (`system:nodes`) or holders of a K3s bootstrap token; anyone else authenticated gets K3s's 403 "forbidden".
 * `/v1-k3s/connect` (the tunnel) and `/v1-k3s/encrypt/*` are answered elsewhere.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { errorResponse, jsonResponse, type UserInfo } from "../../api/router.ts";
import { badRequest, forbidden, serviceUnavailable } from "../../api/status.ts";
import type { Client } from "../../client/mod.ts";
import type { KubeObject } from "../../api/storage.ts";
import { type CertificateSpec, loadCertificateAuthority, normalizeIP, TLS_FILES, tlsDir } from "../../pki/mod.ts";
import { NODES_GROUP } from "../../auth/node/identity.ts";
import { DEFAULT_NODE_TOKEN_GROUP } from "../../auth/bootstrap/token.ts";
import { AGENT_ROLE } from "../../auth/supervisor_credentials.ts";
import type { ControlConfig } from "./config.ts";
import { parseCertificateRequest, signCertificateRequest } from "./csr_signing.ts";
import { authorizeNode, NODE_IP_HEADER } from "./node_auth.ts";

/** The prefix K3s serves its supervisor API under (`/v1-<program>`). */
export const SUPERVISOR_PREFIX = "/v1-k3s/";

/** Where agents open their tunnel (K3s's path); the HTTPS layer routes its upgrades to the tunnel server. */
export const TUNNEL_PATH = "/v1-k3s/connect";

/** The groups K3s lets into the agent endpoints. */
const AGENT_GROUPS = [AGENT_ROLE, NODES_GROUP, DEFAULT_NODE_TOKEN_GROUP];

/** What the supervisor endpoints read. */
export interface SupervisorDeps {
  /** The server's data dir: the CAs are read from `server/tls` on every request, as K3s does. */
  dataDir: string;
  /** The server's in-process client: node password Secrets, Nodes, the `kubernetes` EndpointSlices. */
  client: Client;
  /** What `/v1-k3s/config` answers (asked per request: the port is known only once the server listens). */
  config: () => ControlConfig;
  /** Whether the core controllers run, for `/v1-k3s/readyz` (default: always). */
  ready?: () => boolean;
  /** Why a request failed, when it is worth the operator's attention. */
  log?: (line: string) => void;
  now?: () => Date;
}

type Route = (request: Request, user: UserInfo) => Promise<Response>;

/**
 * A handler answering the agent endpoints (undefined for any other path).
 *
 * @example
 * ```ts
 * const supervisor = supervisorHandler({ dataDir, client, config: () => controlConfig({ httpsPort: port, clusterDNS }) });
 * const response = await supervisor(request, user) ?? await router.handle(request, user, signal);
 * ```
 */
export function supervisorHandler(
  deps: SupervisorDeps,
): (request: Request, user: UserInfo) => Promise<Response | undefined> {
  const tls = tlsDir(deps.dataDir);
  const now = deps.now ?? (() => new Date());
  const sign =
    (ca: "server" | "client", spec: (request: Request, user: UserInfo) => Promise<CertificateSpec>) =>
    async (request: Request, user: UserInfo): Promise<Response> => {
      if (request.method !== "POST") {
        throw badRequest("a DER certificate signing request must be POSTed: shared legacy keys are not served");
      }
      const certificateSpec = await spec(request, user);
      const csr = await parseCertificateRequest(new Uint8Array(await request.arrayBuffer()));
      const [certPem, keyPem] = await Promise.all([
        readFile(join(tls, ca === "server" ? TLS_FILES.serverCA : TLS_FILES.clientCA), "utf8"),
        readFile(join(tls, ca === "server" ? TLS_FILES.serverCAKey : TLS_FILES.clientCAKey), "utf8"),
      ]);
      const pem = await signCertificateRequest(
        await loadCertificateAuthority(certPem, keyPem),
        csr,
        certificateSpec,
        now(),
      );
      return text(pem);
    };
  const routes: Record<string, Route> = {
    "serving-kubelet.crt": sign("server", async (request, user) => {
      const nodeName = await authorizeNode(deps.client, request, user);
      return {
        commonName: nodeName,
        usages: ["serverAuth"],
        sans: { dns: [nodeName, "localhost"], ips: ["127.0.0.1", ...nodeIPs(request)] },
      };
    }),
    "client-kubelet.crt": sign("client", async (request, user) => ({
      commonName: `system:node:${await authorizeNode(deps.client, request, user)}`,
      organizations: [NODES_GROUP],
      usages: ["clientAuth"],
    })),
    "client-kube-proxy.crt": sign(
      "client",
      () => Promise.resolve({ commonName: "system:kube-proxy", usages: ["clientAuth"] }),
    ),
    "client-k3s-controller.crt": sign(
      "client",
      () => Promise.resolve({ commonName: "system:k3s-controller", usages: ["clientAuth"] }),
    ),
    "client-ca.crt": async () => text(await readFile(join(tls, TLS_FILES.clientCA), "utf8")),
    "server-ca.crt": async () => text(await readFile(join(tls, TLS_FILES.serverCA), "utf8")),
    "apiservers": async () => jsonResponse(await apiServerAddresses(deps.client, deps.log)),
    "config": () => Promise.resolve(jsonResponse(deps.config())),
    "readyz": () => {
      if (deps.ready && !deps.ready()) throw serviceUnavailable("runtime core not ready");
      return Promise.resolve(text("ok"));
    },
  };
  return async (request, user) => {
    const path = new URL(request.url).pathname;
    if (!path.startsWith(SUPERVISOR_PREFIX)) return undefined;
    const name = path.slice(SUPERVISOR_PREFIX.length);
    if (!Object.hasOwn(routes, name)) return undefined;
    try {
      if (!user.groups.some((group) => AGENT_GROUPS.includes(group))) throw forbidden("forbidden");
      return await routes[name](request, user);
    } catch (error) {
      const response = errorResponse(error);
      deps.log?.(`Sending ${response.status} response to ${user.username} for ${path}: ${(error as Error).message}`);
      return response;
    }
  };
}

/** The IPs of the `K3s-Node-IP` header (comma-separated); a malformed one is a 400. */
function nodeIPs(request: Request): string[] {
  const header = request.headers.get(NODE_IP_HEADER);
  if (!header) return [];
  return header.split(",").map((part) => {
    const ip = normalizeIP(part.trim());
    if (!ip) throw badRequest(`invalid node IP address ${part}`);
    return ip;
  });
}

/**
 * `host:port` of every ready endpoint of the `kubernetes` EndpointSlices (K3s's `GetAddressesFromSlices`: the
 * slice's first port, 443 without one); an API error gives an empty list, as in K3s, since agents retry.
 */
async function apiServerAddresses(client: Client, log?: (line: string) => void): Promise<string[]> {
  let slices: KubeObject[];
  try {
    slices = (await client.list<KubeObject>({ apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice" }, "default", {
      labelSelector: "kubernetes.io/service-name=kubernetes",
    })).items;
  } catch (error) {
    log?.(`Failed to get apiserver addresses from kubernetes: ${(error as Error).message}`);
    return [];
  }
  const addresses = new Set<string>();
  for (const slice of slices) {
    const ports = slice.ports as { port?: number }[] | undefined;
    const port = ports?.[0]?.port ?? 443;
    const endpoints = slice.endpoints as { addresses?: string[]; conditions?: { ready?: boolean } }[] | undefined;
    for (const endpoint of endpoints ?? []) {
      if (endpoint.conditions?.ready === false) continue;
      for (const address of endpoint.addresses ?? []) {
        addresses.add(address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`);
      }
    }
  }
  return [...addresses];
}

function text(body: string): Response {
  return new Response(body, { headers: { "content-type": "text/plain" } });
}
