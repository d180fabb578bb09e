/**
 * The certificate operator: renews the leaf certificates under `<data-dir>/server/tls` and the front door's
 * dynamic certificate before they expire, keeps the `kube-system/k3s-serving` Secret in step with the names
 * clients use, and records expiry warnings and renewals as Events.
 *
 * @example
 * ```ts
 * import { certificateController } from "./controllers/certificates/mod.ts";
 * manager.add(certificateController(deps, { dataDir: "/var/lib/rancher/k3s", listener: deps.serving }));
 * ```
 *
 * @module
 */
export { certificateController, type CertificateControllerOptions, RESYNC_MS } from "./controller.ts";
export { leafFiles, leafRenewalReason, leafSpec, loadCAs, renewLeaf } from "./leaf_files.ts";
export { SERVING_SECRET, syncServingSecret } from "./serving_secret.ts";
