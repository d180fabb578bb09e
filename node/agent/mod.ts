/**
 * The node agent: containerd, images, the Node and its heartbeat, the CNI network and the kubelet.
 *
 * @example
 * ```ts
 * import { startAgent } from "./mod.ts";
 * const agent = await startAgent({ client, dataDir, controlPlane: true, signal, log: console.log });
 * ```
 *
 * @module
 */
export { type Agent, type AgentOptions, runtimeReadiness, startAgent } from "./start.ts";
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
