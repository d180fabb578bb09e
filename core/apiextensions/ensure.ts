/**
 * CRDs installed by code (K3s's `Addon`, `HelmChart`, `HelmChartConfig`): create the CRD, or bring an existing
 * one's spec up to date, and wait until it is Established so its resources can be used straight away.
 *
 * @module
 */
import { type Client, isAlreadyExists, isConflict, isNotFound } from "../client/mod.ts";
import { type CustomResourceDefinition, isConditionTrue } from "./types.ts";

const CRD_REF = { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition" };

/**
 * Make sure `crd` exists with this spec, and is Established.
 *
 * @example
 * ```ts
 * await ensureCustomResourceDefinition(client, {
 *   apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition",
 *   metadata: { name: "addons.k3s.cattle.io" },
 *   spec: { group: "k3s.cattle.io", scope: "Namespaced", names: { plural: "addons", singular: "addon", kind: "Addon" },
 *     versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object",
 *       "x-kubernetes-preserve-unknown-fields": true } } }] },
 * });
 * ```
 */
export async function ensureCustomResourceDefinition(
  client: Client,
  crd: CustomResourceDefinition,
  options: { signal?: AbortSignal } = {},
): Promise<CustomResourceDefinition> {
  const name = crd.metadata!.name!;
  let current: CustomResourceDefinition | undefined;
  for (let attempt = 0; !current; attempt++) {
    try {
      const existing = await client.get<CustomResourceDefinition>(CRD_REF, undefined, name);
      current = JSON.stringify(existing.spec) === JSON.stringify({ ...existing.spec, ...crd.spec })
        ? existing
        : await client.update({ ...existing, spec: { ...existing.spec, ...crd.spec } });
    } catch (error) {
      if (isNotFound(error)) {
        try {
          current = await client.create({ ...CRD_REF, ...crd });
        } catch (createError) {
          if (!isAlreadyExists(createError)) throw createError;
        }
      } else if (!isConflict(error) || attempt >= 5) throw error;
    }
  }
  if (isConditionTrue(current, "Established")) return current;
  for await (
    const event of client.watch<CustomResourceDefinition>(CRD_REF, undefined, {
      fieldSelector: `metadata.name=${name}`,
      resourceVersion: current.metadata?.resourceVersion,
      signal: options.signal,
    })
  ) {
    if (event.type === "ADDED" || event.type === "MODIFIED") {
      if (isConditionTrue(event.object, "Established")) return event.object;
    }
  }
  throw new Error(`CustomResourceDefinition ${name} was not established`);
}
