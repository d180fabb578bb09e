/**
 * The TTL-after-finished controller: deletes finished Jobs once their `ttlSecondsAfterFinished` has passed.
 *
 * @example
 * ```ts
 * import { ttlAfterFinishedController } from "./controllers/ttl_after_finished/mod.ts";
 * manager.add(ttlAfterFinishedController({ client, registry, manager }));
 * ```
 *
 * @module
 */
export { expiresAt, type FinishedJob, ttlAfterFinishedController } from "./controller.ts";
