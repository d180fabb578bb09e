/**
 * The marks wrangler's apply (the `DesiredSet` K3s applies manifests with) puts on every object it applies, so the
 * objects a K3s user selects by these labels are found here too: the `objectset.rio.cattle.io/hash` label naming the
 * owner, the owner's annotations, and `objectset.rio.cattle.io/applied`, the last applied configuration the next
 * apply compares against (gzipped JSON with long strings cut, small enough for any manifest).
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import type { KubeObject } from "../../core/operator/mod.ts";
import { formatGvk, type Gvk } from "./gvk.ts";

/** The label selecting everything one owner applied. */
export const LABEL_HASH = "objectset.rio.cattle.io/hash";
/** Set to "false" on an applied object to keep it when it leaves the set. */
export const LABEL_PRUNE = "objectset.rio.cattle.io/prune";
/** The last applied configuration. */
export const ANNOTATION_APPLIED = "objectset.rio.cattle.io/applied";
const ANNOTATION_ID = "objectset.rio.cattle.io/id";
const ANNOTATION_OWNER_GVK = "objectset.rio.cattle.io/owner-gvk";
const ANNOTATION_OWNER_NAME = "objectset.rio.cattle.io/owner-name";
const ANNOTATION_OWNER_NAMESPACE = "objectset.rio.cattle.io/owner-namespace";

/** The object a set of applied objects belongs to. */
export interface SetOwner {
  gvk: Gvk;
  name: string;
  namespace: string;
}

/** The labels and annotations marking an object as applied by one owner. */
export interface OwnerMarks {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/**
 * The marks of `owner`'s objects; K3s's deploy controller applies without a set ID, so the ID is empty.
 *
 * @example
 * ```ts
 * const { labels } = ownerMarks({ gvk: { group: "k3s.cattle.io", version: "v1", kind: "Addon" }, name: "ccm", namespace: "kube-system" });
 * labels["objectset.rio.cattle.io/hash"]; // sha1 hex of the ID, owner GVK, name and namespace
 * ```
 */
export function ownerMarks(owner: SetOwner, setId = ""): OwnerMarks {
  const annotations: Record<string, string> = {
    [ANNOTATION_ID]: setId,
    [ANNOTATION_OWNER_GVK]: formatGvk(owner.gvk),
    [ANNOTATION_OWNER_NAME]: owner.name,
    [ANNOTATION_OWNER_NAMESPACE]: owner.namespace,
  };
  const hash = createHash("sha1");
  for (const key of [ANNOTATION_ID, ANNOTATION_OWNER_GVK, ANNOTATION_OWNER_NAME, ANNOTATION_OWNER_NAMESPACE]) {
    hash.update(annotations[key]);
  }
  return { labels: { [LABEL_HASH]: hash.digest("hex") }, annotations };
}

/** Values of these keys in list elements are kept whole: they are how elements are told apart. */
const LIST_KEYS = new Set([
  "apiVersion",
  "containerPort",
  "devicePath",
  "ip",
  "kind",
  "mountPath",
  "name",
  "port",
  "topologyKey",
  "type",
]);
const MAX_STRING = 64;

/**
 * The `objectset.rio.cattle.io/applied` value recording `object` (without its own applied annotation): strings
 * longer than 64 characters are cut, since only the fields present matter to the next apply.
 *
 * @example
 * ```ts
 * const value = encodeApplied(desired);
 * decodeApplied(value)?.metadata?.name === desired.metadata?.name; // true
 * ```
 */
export function encodeApplied(object: KubeObject): string {
  const json = JSON.stringify(sortedKeys(shortened(object, false)));
  return gzipSync(json).toString("base64").replace(/=+$/, "");
}

/**
 * The configuration an `objectset.rio.cattle.io/applied` value records (plain JSON is read too); undefined when it
 * cannot be read.
 *
 * @example
 * ```ts
 * decodeApplied(current.metadata?.annotations?.["objectset.rio.cattle.io/applied"]);
 * ```
 */
export function decodeApplied(value: string | undefined): KubeObject | undefined {
  if (!value) return undefined;
  try {
    const json = value.startsWith("{") ? value : gunzipSync(Buffer.from(value, "base64")).toString("utf8");
    const object = JSON.parse(json);
    return typeof object === "object" && object !== null && !Array.isArray(object) ? object : undefined;
  } catch {
    return undefined;
  }
}

function shortened(value: unknown, inList: boolean): unknown {
  if (Array.isArray(value)) return value.map((item) => shortened(item, true));
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === "object" && v !== null) out[key] = shortened(v, false);
    else if (typeof v === "string" && v.length > MAX_STRING && !(inList && LIST_KEYS.has(key))) {
      out[key] = v.slice(0, MAX_STRING);
    } else out[key] = v;
  }
  return out;
}

/** Go marshals maps with sorted keys; doing the same keeps the value stable for the same object. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.keys(value).sort().map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]),
  );
}
