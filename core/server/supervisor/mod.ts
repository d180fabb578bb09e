/**
 * K3s's supervisor API for agents joining with `k3s agent --server URL --token T`: the `/v1-k3s/` endpoints (CAs,
 * kubelet certificates from CSRs with the node password check, configuration, API server addresses, readiness).
 *
 * @example
 * ```ts
 * import { controlConfig, supervisorHandler } from "./core/server/supervisor/mod.ts";
 * const supervisor = supervisorHandler({ dataDir, client, config: () => controlConfig({ httpsPort, clusterDNS }) });
 * ```
 *
 * @module
 */
export { type ControlConfig, controlConfig, type ControlConfigOptions } from "./config.ts";
export { parseCertificateRequest, signCertificateRequest } from "./csr_signing.ts";
export { SUPERVISOR_PREFIX, type SupervisorDeps, supervisorHandler, TUNNEL_PATH } from "./handler.ts";
export { authorizeNode, NODE_IP_HEADER, NODE_NAME_HEADER, NODE_PASSWORD_HEADER } from "./node_auth.ts";
export {
  ensureNodePassword,
  hashNodePassword,
  NodePasswordRejected,
  nodePasswordSecretName,
  verifyNodePassword,
} from "./node_password.ts";
