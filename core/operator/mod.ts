/**
 * The operator framework: informers into indexed caches, a work queue, controllers declared with
 * for / owns / watches, leader election on a Lease, and the manager that runs them.
 *
 * @example
 * ```ts
 * import { controller, Manager } from "./core/operator/mod.ts";
 * const manager = new Manager({ source: (kind) => listWatcherFor(client, kind) });
 * manager.add(controller("demo").for(configmaps).owns(secrets).complete(async ({ key }) => {}));
 * await manager.start(signal);
 * ```
 *
 * @module
 */
export * from "./source.ts";
export * from "./cache/indexer.ts";
export * from "./workqueue.ts";
export * from "./informer.ts";
export * from "./controller.ts";
export * from "./leader_election.ts";
export * from "./manager.ts";
export * from "./client_source.ts";
export * from "./ownership.ts";
export * from "./events.ts";
export * from "./metrics.ts";
