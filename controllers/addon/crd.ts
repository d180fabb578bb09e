/**
 * The `k3s.cattle.io/v1` `Addon`: one per manifest file, in `kube-system`, recording the file's path and the checksum
 * of its last successful apply. It is the owner the applied objects are labelled with, as in K3s (k3s-io/api).
 *
 * @module
 */
import type { CustomResourceDefinition } from "../../core/apiextensions/mod.ts";
import type { KubeObject } from "../../core/operator/mod.ts";

/** The namespace every Addon lives in. */
export const ADDON_NAMESPACE = "kube-system";

/** The Addon annotation listing the kinds of the last apply, `;`-separated (`/v1, Kind=ConfigMap;apps/v1, Kind=…`). */
export const GVK_ANNOTATION = "addon.k3s.cattle.io/gvks";

/** How the client names the Addon kind. */
export const ADDON = { apiVersion: "k3s.cattle.io/v1", kind: "Addon" } as const;

/** An Addon as this controller reads and writes it. */
export interface Addon extends KubeObject {
  metadata: { name: string; namespace: string; uid?: string; annotations?: Record<string, string> };
  spec?: {
    /** The path of the manifest file on disk. */
    source?: string;
    /** SHA-256 (hex) of the file content last applied successfully. */
    checksum?: string;
  };
}

/**
 * The Addon CRD, with K3s's schema and printer columns.
 *
 * @example
 * ```ts
 * await ensureCustomResourceDefinition(client, ADDON_CRD);
 * ```
 */
export const ADDON_CRD: CustomResourceDefinition = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "addons.k3s.cattle.io" },
  spec: {
    group: "k3s.cattle.io",
    names: { kind: "Addon", listKind: "AddonList", plural: "addons", singular: "addon" },
    scope: "Namespaced",
    versions: [{
      name: "v1",
      served: true,
      storage: true,
      additionalPrinterColumns: [
        { name: "Source", type: "string", jsonPath: ".spec.source" },
        { name: "Checksum", type: "string", jsonPath: ".spec.checksum" },
      ],
      schema: {
        openAPIV3Schema: {
          type: "object",
          properties: {
            apiVersion: { type: "string" },
            kind: { type: "string" },
            metadata: { type: "object" },
            spec: {
              type: "object",
              properties: { source: { type: "string" }, checksum: { type: "string" } },
            },
          },
        },
      },
    }],
  },
};
