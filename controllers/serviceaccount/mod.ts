/**
 * The ServiceAccount controller: a `default` ServiceAccount in every active Namespace.
 *
 * @example
 * ```ts
 * import { serviceAccountController } from "./controllers/serviceaccount/mod.ts";
 * manager.add(serviceAccountController({ client, registry, manager }));
 * ```
 *
 * @module
 */
export { SERVICE_ACCOUNTS_TO_ENSURE, serviceAccountController } from "./controller.ts";
