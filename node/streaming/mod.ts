/**
 * The node's streaming API: container logs, exec, attach and port-forward, over WebSocket and SPDY/3.1.
 *
 * @example
 * ```ts
 * import { nodeStreaming } from "./mod.ts";
 * server.nodes.register(nodeName, nodeStreaming(cri));
 * ```
 *
 * @module
 */
export { parseCriLog, readContainerLog } from "./container_logs.ts";
export { nodeStreaming } from "./node_streaming.ts";
export { servePortForward, TUNNEL_PROTOCOL } from "./port_forward.ts";
export { remoteCommand, serveRemoteCommand } from "./remote_command.ts";
