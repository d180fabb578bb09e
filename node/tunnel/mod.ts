/**
 * The tunnels between joined agents and the servers (K3s's `/v1-k3s/connect`): the agent keeps a session open to every
 * server with its client-kubelet certificate, and any server reaches the agent's kubelet through its own — no inbound
 * port on the agent. The agent follows the cluster's servers to know where to tunnel to.
 *
 * @example
 * ```ts
 * import { registerTunnelledKubelets, runTunnel, TunnelServer } from "./mod.ts";
 * // server
 * const tunnels = new TunnelServer({ log });
 * registerTunnelledKubelets(tunnels, server.nodes, { ca, cert, key });
 * // agent: one tunnel, or one to every server the cluster lists (a server's own agent: every other server)
 * await runTunnel({ server: "https://10.0.0.1:6443", caPem, certPem, keyPem, allow, signal, log });
 * await followAPIServerAddresses({ servers: loadBalancer, client, apiServers,
 *   tunnel: { caPem, certPem, keyPem, allow, log }, signal, log });
 * await followAPIServerAddresses({ servers: new OtherServers("10.0.0.1:6443"), client, apiServers, tunnel, signal,
 *   log });
 * ```
 *
 * @module
 */
export { runTunnel, type TunnelOptions } from "./agent.ts";
export { type APIServerAddressesOptions, followAPIServerAddresses, type ServerList } from "./apiserver_addresses.ts";
export { OtherServers } from "./other_servers.ts";
export { TunnelManager, type TunnelManagerOptions } from "./manager.ts";
export type { KeepAliveOptions } from "./keepalive.ts";
export { backendError, kubeletLogError } from "./kubelet_errors.ts";
export { type KubeletClientTLS, kubeletStreaming } from "./kubelet_streaming.ts";
export { KUBELET_PORT, registerTunnelledKubelets } from "./node_streams.ts";
export { type SessionListener, tunnelNodeName, TunnelServer, type TunnelServerOptions } from "./server.ts";
export { CONNECT_PATH, joinHostPort, TUNNEL_PROTOCOL } from "./wire.ts";
