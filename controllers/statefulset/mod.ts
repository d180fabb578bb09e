/**
 * The StatefulSet controller: ordered, stably named pods with their own claims, rolled through
 * ControllerRevisions.
 *
 * @example
 * ```ts
 * import { statefulSetController } from "./controllers/statefulset/mod.ts";
 * manager.add(statefulSetController({ client, registry, manager }));
 * ```
 *
 * @module
 */
export { REVISION_HASH_LABEL, statefulSetController } from "./controller.ts";
export { POD_INDEX_LABEL, POD_NAME_LABEL, REVISION_LABEL } from "./identity.ts";
export type { StatefulSet, StatefulSetStatus } from "./statefulset.ts";
