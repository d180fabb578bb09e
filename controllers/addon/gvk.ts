/**
 * Group/version/kind triples as K3s records them in the `addon.k3s.cattle.io/gvks` annotation and wrangler in
 * `objectset.rio.cattle.io/owner-gvk`: Go's `GroupVersionKind.String()` (`apps/v1, Kind=Deployment`, `/v1, Kind=Pod`).
 *
 * @module
 */
import { splitApiVersion } from "../../core/client/mod.ts";

/** A group, version and kind. */
export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

const KIND_SEPARATOR = ", Kind=";
const LIST_SEPARATOR = ";";

/**
 * The GVK of an object.
 *
 * @example
 * ```ts
 * gvkOf({ apiVersion: "apps/v1", kind: "Deployment" }); // { group: "apps", version: "v1", kind: "Deployment" }
 * ```
 */
export function gvkOf(object: { apiVersion: string; kind: string }): Gvk {
  return { ...splitApiVersion(object.apiVersion), kind: object.kind };
}

/**
 * Go's string form of a GVK.
 *
 * @example
 * ```ts
 * formatGvk({ group: "", version: "v1", kind: "ConfigMap" }); // "/v1, Kind=ConfigMap"
 * ```
 */
export function formatGvk(gvk: Gvk): string {
  return `${gvk.group}/${gvk.version}${KIND_SEPARATOR}${gvk.kind}`;
}

/**
 * The distinct GVKs of `gvks`, first occurrence first, as the annotation lists them.
 *
 * @example
 * ```ts
 * formatGvks([cm, deploy, cm]); // "/v1, Kind=ConfigMap;apps/v1, Kind=Deployment"
 * ```
 */
export function formatGvks(gvks: readonly Gvk[]): string {
  return uniqueGvks(gvks).map(formatGvk).join(LIST_SEPARATOR);
}

/**
 * The GVKs an annotation lists; malformed entries are skipped, as K3s skips them.
 *
 * @example
 * ```ts
 * parseGvks("/v1, Kind=ConfigMap;junk"); // [{ group: "", version: "v1", kind: "ConfigMap" }]
 * ```
 */
export function parseGvks(annotation: string | undefined): Gvk[] {
  const gvks: Gvk[] = [];
  for (const entry of (annotation ?? "").split(LIST_SEPARATOR)) {
    const parts = entry.split(KIND_SEPARATOR);
    if (parts.length !== 2) continue;
    const slash = parts[0].indexOf("/");
    // Go's kv.Split: no "/" leaves the version empty, so such an entry never matches a served kind.
    const [group, version] = slash < 0 ? [parts[0], ""] : [parts[0].slice(0, slash), parts[0].slice(slash + 1)];
    gvks.push({ group, version, kind: parts[1] });
  }
  return gvks;
}

/**
 * `gvks` without repeats, first occurrence first.
 *
 * @example
 * ```ts
 * uniqueGvks([cm, cm]).length; // 1
 * ```
 */
export function uniqueGvks(gvks: readonly Gvk[]): Gvk[] {
  const seen = new Map<string, Gvk>();
  for (const gvk of gvks) if (!seen.has(formatGvk(gvk))) seen.set(formatGvk(gvk), gvk);
  return [...seen.values()];
}
