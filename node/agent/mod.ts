/**
 * The node agent: containerd, images, the Node and its heartbeat, the CNI network and the kubelet; `k3s server`'s
 * own agent also joins its server for the kubelet's certificates and tunnels to the other servers.
 *
 * @example
 * ```ts
 * import { startAgent, startServerAgent } from "./mod.ts";
 * const agent = await startAgent({ client, dataDir, kubeletServing, signal, log: console.log });
 * const own = await startServerAgent({ client, dataDir, nodeName: "server-1", streams: server.nodes,
 *   server: { port: server.port, advertiseAddress: "10.0.0.1" }, signal, log: console.log });
 * ```
 *
 * @module
 */
export { type Agent, type AgentOptions, runtimeReadiness, startAgent } from "./start.ts";
export { type LocalServer, localSupervisorURL, type ServerAgentOptions, startServerAgent } from "./server_agent.ts";
export { KUBELET_DEFAULTS, type KubeletArgs, parseKubeletArgs, parseLabel, parseTaint } from "./kubelet_args.ts";
export { goArch, machineCapacity, machineInfo } from "./machine.ts";
export {
  type HeartbeatOptions,
  nodeConditions,
  nodeObject,
  type NodeSpecInputs,
  type Readiness,
  registerNode,
  runNodeHeartbeat,
} from "./node_status.ts";
export { checkAgentPrerequisites, type PrerequisiteOptions } from "./prerequisites.ts";
export { defaultClusterDNS } from "./cluster_dns.ts";
export { type KubeletAPIOptions, type KubeletServing, serveKubeletAPI, subjectAccessReview } from "./kubelet_server.ts";
