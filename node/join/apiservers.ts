/**
 * The cluster's API server addresses as the supervisor reports them (`/v1-k3s/apiservers`, K3s's `GetAPIServers`):
 * `host:port` of every server the `kubernetes` endpoints list, which the agent balances over and tunnels to.
 *
 * @module
 */
import { type SupervisorRequest, supervisorRequest } from "./supervisor_client.ts";

/** Where to ask and with which credentials: the join token, and the node's certificate once it has one. */
export type APIServersRequest = Pick<SupervisorRequest, "trust" | "authorization" | "identity"> & {
  /** The server's (or the load balancer's) base URL. */
  server: string;
};

/**
 * The addresses the server reports (empty while it knows none yet); an unreachable server or a bad answer throws.
 *
 * @example
 * ```ts
 * await getAPIServers({ server: "https://127.0.0.1:6444", trust: caPem, authorization });
 * // ["10.0.0.1:6443", "10.0.0.2:6443"]
 * ```
 */
export async function getAPIServers(request: APIServersRequest): Promise<string[]> {
  const url = `${request.server}/v1-k3s/apiservers`;
  const body = await supervisorRequest({ ...request, url });
  const addresses = JSON.parse(new TextDecoder().decode(body)) as unknown;
  if (!Array.isArray(addresses) || addresses.some((a) => typeof a !== "string")) {
    throw new Error(`${url}: expected a JSON list of addresses`);
  }
  return addresses;
}
