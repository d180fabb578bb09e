/**
 * The bootstrap token cleaner: deletes `bootstrap.kubernetes.io/token` Secrets once they expire.
 *
 * @example
 * ```ts
 * import { bootstrapTokenCleaner } from "./controllers/bootstrap_token_cleaner/mod.ts";
 * manager.add(bootstrapTokenCleaner({ client, registry, manager }));
 * ```
 *
 * @module
 */
export { bootstrapTokenCleaner } from "./controller.ts";
