/**
 * The `kubernetes` Service's endpoints when several servers share one datastore: kube-apiserver's lease endpoint
 * reconciler. Each server keeps `/registry/masterleases/<ip>` alive and lists every live server in the
 * `default/kubernetes` Endpoints and EndpointSlice.
 *
 * @example
 * ```ts
 * import { startEndpointReconciler } from "./core/server/endpoint_reconciler/mod.ts";
 * const endpoints = await startEndpointReconciler({ client, store, ip: "10.0.0.5", port: 6443 });
 * await endpoints.stop();
 * ```
 *
 * @module
 */
export * from "./controller.ts";
export { MASTER_LEASES_PREFIX } from "./leases.ts";
