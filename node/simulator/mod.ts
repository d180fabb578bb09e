/**
 * Simulated nodes (like KWOK): Nodes that register, heartbeat and run pods without containers, for
 * testing the control plane at scale.
 *
 * @example
 * ```ts
 * import { startSimulatedNodes } from "./node/simulator/mod.ts";
 * const nodes = await startSimulatedNodes({ client, count: 100, signal });
 * ```
 *
 * @module
 */
export { type SimulatedNodes, type SimulatedNodesOptions, startSimulatedNodes } from "./start.ts";
export { internalIP, SIMULATED_ANNOTATION, SIMULATOR_RUNTIME } from "./node_object.ts";
export { NODE_LEASE_NAMESPACE, STATUS_REPORT_INTERVAL_MS } from "./heartbeat.ts";
export { sleepSeconds } from "./run_time.ts";
