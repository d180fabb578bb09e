/**
 * Node lifecycle: the node lifecycle controller (node health from Leases and heartbeats, condition and
 * readiness taints) and the taint eviction controller (deleting pods that do not tolerate NoExecute taints).
 *
 * @example
 * ```ts
 * import { nodeLifecycleController, taintEvictionController } from "./controllers/node_lifecycle/mod.ts";
 * manager.add(nodeLifecycleController({ client, registry, manager }));
 * manager.add(taintEvictionController({ client, registry, manager }));
 * ```
 *
 * @module
 */
export {
  DEFAULT_MONITOR_PERIOD_MS,
  NODE_LEASE_NAMESPACE,
  nodeLifecycleController,
  type NodeLifecycleOptions,
} from "./controller.ts";
export { taintEvictionController } from "./taint_eviction.ts";
export { DEFAULT_GRACE_PERIOD_SECONDS, STARTUP_GRACE_PERIOD_SECONDS } from "./health.ts";
export {
  TAINT_DISK_PRESSURE,
  TAINT_MEMORY_PRESSURE,
  TAINT_NETWORK_UNAVAILABLE,
  TAINT_NOT_READY,
  TAINT_PID_PRESSURE,
  TAINT_UNREACHABLE,
  TAINT_UNSCHEDULABLE,
} from "./taints.ts";
