/**
 * The kubelet's two certificates, K3s's way: the agent keeps `<data-dir>/agent/{serving,client}-kubelet.key` across
 * restarts (made once), sends a CSR for it with its node name, node password and IPs, and stores what the server
 * signed (the certificate followed by the CA chain) next to the key, both mode 0600.
 *
 * @module
 */
import { join } from "node:path";
import { requestSignedCertificate, type SignedCertificate } from "./certificate_request.ts";
import { SupervisorError, supervisorRequest } from "./supervisor_client.ts";

/** Which certificate: the kubelet's HTTPS serving certificate, or its client certificate for the API. */
export type KubeletCertificateKind = "serving" | "client";

/** Where and as whom to ask. */
export interface KubeletCertificateRequest {
  kind: KubeletCertificateKind;
  /** `<data-dir>/agent`. */
  agentDir: string;
  /** The server's base URL. */
  server: string;
  /** The CA bundle the server is trusted with (undefined: the host's roots). */
  caPem?: string;
  authorization: string;
  /** The node's current client certificate, tried first as K3s does (a deleted node falls back to the token). */
  identity?: { certPem: string; keyPem: string };
  nodeName: string;
  nodeIPs: string[];
  nodePassword: string;
  /** Named in the error when the server rejects the password. */
  nodePasswordFile: string;
  log: (line: string) => void;
}

/** A certificate (with its CA chain) and its key, PEM, as written. */
export type KubeletCertificate = SignedCertificate;

/**
 * Ask the server to sign this node's `kind` certificate and write it to `<agent-dir>/<kind>-kubelet.{crt,key}`.
 *
 * @example
 * ```ts
 * const client = await requestKubeletCertificate({ kind: "client", agentDir, server, caPem, authorization,
 *   nodeName: "worker-1", nodeIPs: ["10.0.0.2"], nodePassword, nodePasswordFile, log: console.log });
 * ```
 */
export function requestKubeletCertificate(options: KubeletCertificateRequest): Promise<KubeletCertificate> {
  const commonName = options.kind === "client" ? `system:node:${options.nodeName}` : options.nodeName;
  return requestSignedCertificate(join(options.agentDir, `${options.kind}-kubelet`), commonName, async (csr) => {
    const request = {
      url: `${options.server}/v1-k3s/${options.kind}-kubelet.crt`,
      method: "POST" as const,
      trust: options.caPem,
      authorization: options.authorization,
      headers: {
        "K3s-Node-Name": options.nodeName,
        "K3s-Node-Password": options.nodePassword,
        "K3s-Node-IP": options.nodeIPs.join(","),
      },
      body: csr,
    };
    try {
      return await supervisorRequest({ ...request, identity: options.identity }).catch((error) => {
        if (!options.identity || !(error instanceof SupervisorError) || error.status !== 401) throw error;
        options.log("Node authorization rejected, retrying without client certificate authentication");
        return supervisorRequest(request);
      });
    } catch (error) {
      if (error instanceof SupervisorError && error.status === 403) {
        throw new SupervisorError(
          `Node password rejected, duplicate hostname or contents of '${options.nodePasswordFile}' may not match ` +
            "server node-passwd entry, try enabling a unique node name with the --with-node-id flag",
          403,
          false,
        );
      }
      throw error;
    }
  });
}
