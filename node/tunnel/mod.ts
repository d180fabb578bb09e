/**
 * The tunnel between joined agents and the server (K3s's `/v1-k3s/connect`): the agent keeps a session open with its
 * client-kubelet certificate, and the server reaches the agent's kubelet through it — no inbound port on the agent.
 *
 * @example
 * ```ts
 * import { registerTunnelledKubelets, runTunnel, TunnelServer } from "./mod.ts";
 * // server
 * const tunnels = new TunnelServer({ log });
 * registerTunnelledKubelets(tunnels, server.nodes, { ca, cert, key });
 * // agent
 * await runTunnel({ server: "https://10.0.0.1:6443", caPem, certPem, keyPem, allow, signal, log });
 * ```
 *
 * @module
 */
export { runTunnel, type TunnelOptions } from "./agent.ts";
export type { KeepAliveOptions } from "./keepalive.ts";
export { backendError, kubeletLogError } from "./kubelet_errors.ts";
export { type KubeletClientTLS, kubeletStreaming } from "./kubelet_streaming.ts";
export { KUBELET_PORT, registerTunnelledKubelets } from "./node_streams.ts";
export { type SessionListener, tunnelNodeName, TunnelServer, type TunnelServerOptions } from "./server.ts";
export { CONNECT_PATH, TUNNEL_PROTOCOL } from "./wire.ts";
