/**
 * Trusting the server before sending it credentials (K3s's `getCACerts` and `validateCAHash`): `/cacerts` is fetched
 * without verification, then again trusting the bundle it gave, which proves the serving certificate chains to it;
 * the bundle's hash must be the one the token carries. A server whose certificate the host already trusts needs no
 * bundle, and its hash is not checked.
 *
 * @module
 */
import { validateCAHash } from "../../core/auth/server_token.ts";
import { SupervisorError, supervisorRequest } from "./supervisor_client.ts";

/** The CA bundle to trust the server with, or undefined when the host's roots already trust it. */
export interface ServerTrust {
  caPem?: string;
}

/**
 * The server's CA bundle, checked against the token's `caHash` ("" for a short token: trusted on first use, with
 * the warning K3s logs). A mismatch throws K3s's "token CA hash does not match" error, which waiting cannot fix.
 *
 * @example
 * ```ts
 * const { caPem } = await getCACerts("https://10.0.0.1:6443", parseToken(token).caHash, console.warn);
 * ```
 */
export async function getCACerts(server: string, caHash: string, warn: (line: string) => void): Promise<ServerTrust> {
  const url = `${server}/cacerts`;
  const trustedByHost = await supervisorRequest({ url }).then(() => true, () => false);
  if (trustedByHost) {
    if (caHash) warn("Cluster CA certificate is trusted by the host CA bundle. Token CA hash will not be validated.");
    return {};
  }
  const bundle = new TextDecoder().decode(
    await supervisorRequest({ url, trust: "insecure" }).catch((error) => {
      throw new SupervisorError(`failed to get CA certs: ${(error as Error).message}`, undefined, true);
    }),
  );
  await supervisorRequest({ url, trust: bundle }).catch((error) => {
    throw new SupervisorError(`CA cert validation failed: ${(error as Error).message}`, undefined, false);
  });
  if (!caHash) {
    warn(
      "Cluster CA certificate is not trusted by the host CA bundle, but the token does not include a CA hash. " +
        "Use the full token from the server's node-token file to enable Cluster CA validation.",
    );
    return { caPem: bundle };
  }
  try {
    validateCAHash(bundle, caHash);
  } catch (error) {
    throw new SupervisorError((error as Error).message, undefined, false);
  }
  return { caPem: bundle };
}
