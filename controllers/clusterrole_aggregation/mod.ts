/**
 * The ClusterRole aggregation controller: aggregated ClusterRoles (`admin`, `edit`, `view`, and any a user
 * defines) get the rules of the ClusterRoles their selectors match.
 *
 * @example
 * ```ts
 * import { clusterRoleAggregationController } from "./controllers/clusterrole_aggregation/mod.ts";
 * manager.add(clusterRoleAggregationController({ client, registry, manager }));
 * ```
 *
 * @module
 */
export { aggregatedRules, clusterRoleAggregationController, FIELD_MANAGER } from "./controller.ts";
