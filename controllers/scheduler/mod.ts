/**
 * The scheduler: kube-scheduler's default profile as a leader-elected controller that binds pending pods to
 * nodes.
 *
 * @example
 * ```ts
 * import { schedulerController } from "./controllers/scheduler/mod.ts";
 * manager.add(schedulerController({ client, registry, manager }));
 * ```
 *
 * @module
 */
export { schedulerController, type SchedulerOptions } from "./controller.ts";
export { SCHEDULER_NAME } from "./pod_info.ts";
export { NO_NODES_AVAILABLE } from "./messages.ts";
