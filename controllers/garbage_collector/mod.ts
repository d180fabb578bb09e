/**
 * The garbage collector: deletes objects whose owners are gone, and finishes Orphan and Foreground
 * deletions of owners.
 *
 * @example
 * ```ts
 * import { garbageCollector } from "./controllers/garbage_collector/mod.ts";
 * for (const c of garbageCollector({ client, registry, manager })) manager.add(c);
 * ```
 *
 * @module
 */
export { garbageCollector } from "./controller.ts";
export { collectableKinds, itemKey, kindId, parseItemKey } from "./kinds.ts";
