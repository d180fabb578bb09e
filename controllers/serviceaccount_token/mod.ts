/**
 * The service-account token controller: fills `kubernetes.io/service-account-token` Secrets with a
 * legacy token, and deletes them with their ServiceAccount.
 *
 * @example
 * ```ts
 * import { serviceAccountTokenController } from "./controllers/serviceaccount_token/mod.ts";
 * manager.add(serviceAccountTokenController(deps, { serviceAccountKeyFile, rootCAFile }));
 * ```
 *
 * @module
 */
export { serviceAccountTokenController, type TokenControllerOptions } from "./controller.ts";
