/**
 * The ReplicaSet controller: keeps `spec.replicas` pods of a ReplicaSet running.
 *
 * @example
 * ```ts
 * import { replicaSetController } from "./controllers/replicaset/mod.ts";
 * manager.add(replicaSetController({ client, registry, manager }));
 * ```
 *
 * @module
 */
export { type ReplicaSet, replicaSetController, type ReplicaSetStatus } from "./controller.ts";
export { deletionOrder, isActive, isReady, untilAvailable } from "./pods.ts";
export { Expectations, podExpectations } from "./expectations.ts";
