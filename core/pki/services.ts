/**
 * K3s's certificate "services": the names `k3s certificate check|rotate --service` take and the files under
 * `<data-dir>/server/tls` (and `<data-dir>/agent`) each one owns (K3s `pkg/util/services`). The CAs are a
 * service of their own that is never part of the defaults: rotating them needs the user's action.
 *
 * @module
 */
import { join } from "node:path";
import { tlsDir } from "./server.ts";

/** The server's services, in K3s's order. */
export const SERVER_SERVICES = [
  "api-server",
  "admin",
  "auth-proxy",
  "cloud-controller",
  "controller-manager",
  "etcd",
  "scheduler",
  "supervisor",
  "k3s-server",
] as const;

/** The agent's services, in K3s's order. */
export const AGENT_SERVICES = ["kube-proxy", "kubelet", "k3s-controller"] as const;

/** Every service `--service` accepts (the CAs excluded, as K3s does). */
export const ALL_SERVICES: readonly string[] = [...SERVER_SERVICES, ...AGENT_SERVICES];

/** The service of the CA certificates, checked but never rotated by default. */
export const CERTIFICATE_AUTHORITY = "certificate-authority";

const SERVER_FILES: Record<string, string[]> = {
  "admin": ["client-admin.crt", "client-admin.key"],
  "api-server": [
    "client-kube-apiserver.crt",
    "client-kube-apiserver.key",
    "serving-kube-apiserver.crt",
    "serving-kube-apiserver.key",
  ],
  "controller-manager": ["client-controller.crt", "client-controller.key"],
  "scheduler": ["client-scheduler.crt", "client-scheduler.key"],
  "etcd": [
    "etcd/client.crt",
    "etcd/client.key",
    "etcd/server-client.crt",
    "etcd/server-client.key",
    "etcd/peer-server-client.crt",
    "etcd/peer-server-client.key",
  ],
  "cloud-controller": ["client-k3s-cloud-controller.crt", "client-k3s-cloud-controller.key"],
  "k3s-controller": ["client-k3s-controller.crt", "client-k3s-controller.key"],
  "supervisor": ["client-supervisor.crt", "client-supervisor.key"],
  "auth-proxy": ["client-auth-proxy.crt", "client-auth-proxy.key"],
  "kubelet": ["client-kubelet.key", "serving-kubelet.key"],
  "kube-proxy": ["client-kube-proxy.crt", "client-kube-proxy.key"],
  // The dynamic listener's certificate is not a file of its own: rotate leaves a regenerate marker instead.
  "k3s-server": [],
  [CERTIFICATE_AUTHORITY]: [
    "server-ca.crt",
    "server-ca.key",
    "client-ca.crt",
    "client-ca.key",
    "request-header-ca.crt",
    "request-header-ca.key",
    "etcd/peer-ca.crt",
    "etcd/peer-ca.key",
    "etcd/server-ca.crt",
    "etcd/server-ca.key",
  ],
};

const AGENT_FILES: Record<string, string[]> = {
  "k3s-controller": ["client-k3s-controller.crt", "client-k3s-controller.key"],
  "kubelet": ["client-kubelet.crt", "client-kubelet.key", "serving-kubelet.crt", "serving-kubelet.key"],
  "kube-proxy": ["client-kube-proxy.crt", "client-kube-proxy.key"],
};

/**
 * Whether `--service` accepts the name.
 *
 * @example
 * ```ts
 * isValidService("admin"); // true
 * ```
 */
export function isValidService(name: string): boolean {
  return ALL_SERVICES.includes(name);
}

/**
 * The absolute paths of each service's files (existing or not), K3s's `FilesForServices`; throws on an
 * unknown service.
 *
 * @example
 * ```ts
 * filesForServices("/var/lib/rancher/k3s", ["admin"]);
 * // Map { "admin" => ["/var/lib/rancher/k3s/server/tls/client-admin.crt", "…/client-admin.key"] }
 * ```
 */
export function filesForServices(dataDir: string, services: readonly string[]): Map<string, string[]> {
  const tls = tlsDir(dataDir);
  const agent = join(dataDir, "agent");
  const files = new Map<string, string[]>();
  for (const service of services) {
    const server = SERVER_FILES[service];
    if (!server) throw new Error(`${service} is not a recognized service`);
    files.set(service, [
      ...server.map((name) => join(tls, name)),
      ...(AGENT_FILES[service] ?? []).map((name) => join(agent, name)),
    ]);
  }
  return files;
}
