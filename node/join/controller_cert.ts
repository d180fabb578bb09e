/**
 * The certificate of the agent's own controllers (K3s's `client-k3s-controller.crt`): the API knows its holder as
 * `system:k3s-controller`, whose K3s role may list and watch Endpoints — the agent follows the cluster's servers
 * through the `kubernetes` Endpoints with it, which a node's own identity may not watch.
 *
 * @module
 */
import { join } from "node:path";
import { requestSignedCertificate, type SignedCertificate } from "./certificate_request.ts";
import { supervisorRequest } from "./supervisor_client.ts";

/** K3s's file name (without extension) for the certificate and key under `<data-dir>/agent`. */
export const CONTROLLER_CERT_NAME = "client-k3s-controller";

/** Where and with what credentials to ask. */
export interface ControllerCertificateRequest {
  /** `<data-dir>/agent`. */
  agentDir: string;
  /** The server's base URL. */
  server: string;
  /** The CA bundle the server is trusted with (undefined: the host's roots). */
  caPem?: string;
  /** The join token's `Authorization` header. */
  authorization: string;
}

/**
 * Have the server sign the `system:k3s-controller` certificate, kept in `<agent-dir>/client-k3s-controller.{crt,key}`.
 *
 * @example
 * ```ts
 * const controller = await requestControllerCertificate({ agentDir, server, caPem, authorization });
 * ```
 */
export function requestControllerCertificate(options: ControllerCertificateRequest): Promise<SignedCertificate> {
  return requestSignedCertificate(
    join(options.agentDir, CONTROLLER_CERT_NAME),
    "system:k3s-controller",
    (csr) =>
      supervisorRequest({
        url: `${options.server}/v1-k3s/${CONTROLLER_CERT_NAME}.crt`,
        method: "POST",
        trust: options.caPem,
        authorization: options.authorization,
        body: csr,
      }),
  );
}
