/**
 * The agent `k3s server` runs for its own node, a regular agent as in K3s (`cmds/server.go` hands it the server's
 * supervisor URL and agent token): it joins its own supervisor over the bind address (loopback when the server binds
 * every address) for its kubelet certificates and node password Secret, serves the kubelet HTTPS API, and keeps a
 * tunnel to every other server in the `kubernetes` endpoints, so whichever server a client asks reaches this node's
 * pods. Unlike a joined agent it talks to the API in-process (its own server is always there, so it needs no load
 * balancer) and registers its streams straight with its own server.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { firstIPv4 } from "../../core/pki/mod.ts";
import { getAPIServers, joinServer } from "../join/mod.ts";
import { followAPIServerAddresses, joinHostPort, OtherServers } from "../tunnel/mod.ts";
import { parseKubeletArgs } from "./kubelet_args.ts";
import { type Agent, type AgentOptions, startAgent } from "./start.ts";

/** Where the server listens and what it advertises, as given to it. */
export interface LocalServer {
  /** `--bind-address` (an unspecified address means loopback for its own agent). */
  bindAddress?: string;
  /** The port the server listens on. */
  port: number;
  /** The address the server lists itself under in the `kubernetes` endpoints (`--advertise-address`). */
  advertiseAddress: string;
}

/** What the server's agent is told: the agent's options, its server, and the node's addresses. */
export interface ServerAgentOptions extends Omit<AgentOptions, "controlPlane" | "kubeletServing" | "nodeIP"> {
  nodeName: string;
  /** `--node-ip` (default: the first non-loopback IPv4 address): the node's address, and the serving certificate's. */
  nodeIPs?: string[];
  server: LocalServer;
  /** The node password file (default K3s's `/etc/rancher/node/password`). */
  nodePasswordFile?: string;
}

/**
 * The URL a server's own agent joins at: the server's bind address, or 127.0.0.1 when it binds every address.
 *
 * @example
 * ```ts
 * localSupervisorURL({ bindAddress: "0.0.0.0", port: 6443, advertiseAddress: "10.0.0.1" }); // "https://127.0.0.1:6443"
 * localSupervisorURL({ bindAddress: "10.0.0.1", port: 6443, advertiseAddress: "10.0.0.1" }); // "https://10.0.0.1:6443"
 * ```
 */
export function localSupervisorURL(server: LocalServer): string {
  const unspecified = !server.bindAddress || server.bindAddress === "0.0.0.0" || server.bindAddress === "::";
  return `https://${joinHostPort(unspecified ? "127.0.0.1" : server.bindAddress!, server.port)}`;
}

/**
 * Join the local supervisor, start the agent with the kubelet API, and follow the other servers with tunnels; it all
 * runs until `options.signal` aborts (an abort before the agent started rejects with the signal's reason).
 *
 * @example
 * ```ts
 * const agent = await startServerAgent({ client, dataDir, nodeName: "server-1", streams: server.nodes,
 *   server: { bindAddress: "0.0.0.0", port: server.port, advertiseAddress: "10.0.0.1" }, signal, log });
 * await agent.stopped;
 * ```
 */
export async function startServerAgent(options: ServerAgentOptions): Promise<Agent> {
  const { server, signal, log } = options;
  const supervisor = localSupervisorURL(server);
  const nodeIPs = options.nodeIPs?.length ? options.nodeIPs : [firstIPv4()];
  // K3s's server hands its agent the agent token: the server token unless --agent-token is set.
  const token = (await readFile(join(options.dataDir, "server", "agent-token"), "utf8")).trim();
  const joined = await joinServer({
    server: supervisor,
    token,
    dataDir: options.dataDir,
    nodeName: options.nodeName,
    nodeIPs,
    nodePasswordFile: options.nodePasswordFile,
    signal,
    log,
  });
  // A shutdown asked for while joining stops here: the agent would start only to stop again.
  signal.throwIfAborted();
  const agent = await startAgent({
    ...options,
    nodeName: joined.nodeName,
    nodeIP: nodeIPs[0],
    controlPlane: true,
    kubeletServing: { cert: joined.servingCert, key: joined.servingKey, clientCA: joined.clientCA },
  });
  const kubeletPort = parseKubeletArgs(options.kubeletArgs ?? []).port;
  const identity = { certPem: joined.clientCert, keyPem: joined.clientKey };
  const following = followAPIServerAddresses({
    servers: new OtherServers(joinHostPort(server.advertiseAddress, server.port)),
    client: options.client,
    apiServers: () =>
      getAPIServers({ server: supervisor, trust: joined.serverCA, authorization: joined.authorization, identity }),
    // As a joined agent's: the other servers may reach only this node's kubelet API through the tunnels.
    tunnel: {
      caPem: joined.serverCA,
      ...identity,
      allow: (host, port) => (host === "127.0.0.1" || host === "localhost") && port === kubeletPort,
      log,
    },
    signal,
    log,
  }).catch((error) => log(`Following the cluster's servers failed: ${(error as Error).message}`));
  return { ...agent, stopped: Promise.all([agent.stopped, following]).then(() => {}) };
}
