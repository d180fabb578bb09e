/**
 * The agent's bootstrap for `k3s agent --server URL --token T`: trust the server by the token's CA hash, read its
 * configuration, and get the kubelet's certificates signed under the node password.
 *
 * @example
 * ```ts
 * import { joinServer } from "./node/join/mod.ts";
 * const joined = await joinServer({ server: "https://10.0.0.1:6443", token, dataDir, nodeName: "worker-1" });
 * ```
 *
 * @module
 */
export { type APIServersRequest, getAPIServers } from "./apiservers.ts";
export { getCACerts, type ServerTrust } from "./cacerts.ts";
export { type SignedCertificate } from "./certificate_request.ts";
export {
  CONTROLLER_CERT_NAME,
  type ControllerCertificateRequest,
  requestControllerCertificate,
} from "./controller_cert.ts";
export { type JoinedServer, type JoinOptions, joinServer, parseServerURL } from "./join.ts";
export { type FileKubeconfigOptions, writeFileKubeconfig } from "./kubeconfig.ts";
export {
  type KubeletCertificate,
  type KubeletCertificateKind,
  type KubeletCertificateRequest,
  requestKubeletCertificate,
} from "./kubelet_certs.ts";
export { ensureNodePasswordFile, NODE_PASSWORD_FILE } from "./node_password.ts";
export {
  authorizationHeader,
  SupervisorError,
  type SupervisorRequest,
  supervisorRequest,
} from "./supervisor_client.ts";
