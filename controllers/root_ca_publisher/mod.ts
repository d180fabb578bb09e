/**
 * The root CA publisher: the `kube-root-ca.crt` ConfigMap in every Namespace.
 *
 * @example
 * ```ts
 * import { rootCAPublisher } from "./controllers/root_ca_publisher/mod.ts";
 * manager.add(rootCAPublisher({ client, registry, manager }, { rootCAFile }));
 * ```
 *
 * @module
 */
export { rootCAPublisher } from "./controller.ts";
