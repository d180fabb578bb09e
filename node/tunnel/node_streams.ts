/**
 * Serving a node's pods' logs, exec, attach and port-forward through its tunnel for as long as the tunnel is up:
 * the server's {@linkcode NodeStreams} gets a {@linkcode kubeletStreaming} for each node whose session connects, and
 * loses it when the session goes.
 *
 * @module
 */
import type { NodeStreams } from "../../core/api/pod_streams.ts";
import { type KubeletClientTLS, kubeletStreaming } from "./kubelet_streaming.ts";
import type { TunnelServer } from "./server.ts";

/** K3s's kubelet port, which agents allow the server to reach on their loopback. */
export const KUBELET_PORT = 10250;

/**
 * Keeps `nodes` in step with `tunnels`' sessions; returns the function that stops it (and unregisters them all).
 * `kubeletPort` says where each node's kubelet listens (the port its Node reports), asked at every connection.
 *
 * @example
 * ```ts
 * const stop = registerTunnelledKubelets(tunnels, server.nodes, {
 *   ca: pki.serverCA.certPem, cert: pki.kubeAPIServerClient.certPem, key: pki.kubeAPIServerClient.keyPem,
 * });
 * ```
 */
export function registerTunnelledKubelets(
  tunnels: TunnelServer,
  nodes: NodeStreams,
  tls: KubeletClientTLS,
  kubeletPort: (node: string) => Promise<number> = () => Promise.resolve(KUBELET_PORT),
): () => void {
  const registered = new Map<string, () => void>();
  const unsubscribe = tunnels.onSession((node, connected) => {
    registered.get(node)?.();
    registered.delete(node);
    if (!connected) return;
    const streaming = kubeletStreaming(async () => tunnels.dial(node, "127.0.0.1", await kubeletPort(node)), tls);
    registered.set(node, nodes.register(node, streaming));
  });
  return () => {
    unsubscribe();
    for (const unregister of registered.values()) unregister();
    registered.clear();
  };
}
