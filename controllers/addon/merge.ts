/**
 * The three-way merge of an apply, in the spirit of `kubectl apply` and wrangler: the manifest's fields win over the
 * live object, fields the last applied configuration had and the manifest dropped are removed, and everything else on
 * the live object (defaults, allocated ports and IPs, other writers' fields) stays. Lists of built-in kinds merge by
 * their strategic-merge keys (containers by name, ports by port); other lists are the manifest's, unless the live
 * list already says all it says. The result is compared with the live object as a JSON merge patch, so an unchanged
 * manifest sends nothing.
 *
 * @module
 */
import { deepEqual } from "../../core/fieldmanager/compare.ts";
import { FREE_FORM, type PatchField, type PatchMeta } from "../../core/patch/meta.ts";
import { patchMetaFor, supportsStrategicMerge } from "../../core/patch/strategic.ts";
import type { Gvk } from "./gvk.ts";

type JsonMap = Record<string, unknown>;

/**
 * How a kind's fields merge: built-in kinds by their strategic-merge metadata, custom kinds as free-form maps with
 * atomic lists.
 *
 * @example
 * ```ts
 * mergeMetaFor({ group: "apps", version: "v1", kind: "Deployment" }).field("spec").value.name; // "DeploymentSpec"
 * ```
 */
export function mergeMetaFor(gvk: Gvk): PatchMeta {
  if (!supportsStrategicMerge(gvk.group, gvk.kind)) return FREE_FORM;
  try {
    return patchMetaFor(gvk.group, gvk.version, gvk.kind);
  } catch {
    // A built-in kind in a version without a schema: the API will refuse the object anyway.
    return FREE_FORM;
  }
}

/**
 * The object an apply wants: `desired` merged into `current`, dropping what `original` (the last applied
 * configuration, if any) had and `desired` no longer has.
 *
 * @example
 * ```ts
 * mergeApplied({ data: { a: "1", b: "2" } }, { data: { a: "3" } }, { data: { a: "1", b: "2", c: "x" } }, FREE_FORM);
 * // { data: { a: "3", c: "x" } }
 * ```
 */
export function mergeApplied(original: unknown, desired: JsonMap, current: JsonMap, meta: PatchMeta): JsonMap {
  return mergeMap(original, desired, current, meta, false);
}

function mergeMap(original: unknown, desired: JsonMap, current: unknown, meta: PatchMeta, retain: boolean): JsonMap {
  if (!isMap(current)) return desired;
  // retainKeys (a Deployment's strategy, a volume's source): only the keys the manifest gives survive.
  const out: JsonMap = retain ? {} : { ...current };
  if (isMap(original)) { for (const key of Object.keys(original)) if (!(key in desired)) delete out[key]; }
  for (const [key, value] of Object.entries(desired)) {
    out[key] = mergeField(isMap(original) ? original[key] : undefined, value, current[key], meta.field(key));
  }
  return out;
}

function mergeField(original: unknown, desired: unknown, current: unknown, field: PatchField): unknown {
  const strategy = field.meta.strategy.split(",");
  if (Array.isArray(desired) && Array.isArray(current)) return mergeList(original, desired, current, field, strategy);
  if (isMap(desired)) return mergeMap(original, desired, current, field.value, strategy.includes("retainKeys"));
  return desired;
}

function mergeList(original: unknown, desired: unknown[], current: unknown[], field: PatchField, strategy: string[]) {
  const key = field.meta.mergeKey;
  const previous = Array.isArray(original) ? original : [];
  if (strategy.includes("merge") && key && [...desired, ...current].every((e) => isMap(e) && key in e)) {
    const id = (element: unknown) => JSON.stringify((element as JsonMap)[key]);
    const live = new Map(current.map((e) => [id(e), e as JsonMap]));
    const before = new Map(previous.filter(isMap).map((e) => [id(e), e]));
    const wanted = new Set(desired.map(id));
    const retain = strategy.includes("retainKeys");
    const merged: unknown[] = desired.map((e) =>
      mergeMap(before.get(id(e)), e as JsonMap, live.get(id(e)), field.value, retain)
    );
    // Elements someone else added stay; those the manifest had and dropped go.
    for (const e of current) if (!wanted.has(id(e)) && !before.has(id(e))) merged.push(e);
    return merged;
  }
  if (strategy.includes("merge") && [...desired, ...current].every((e) => !isMap(e) && !Array.isArray(e))) {
    return [...desired, ...current.filter((e) => !desired.includes(e) && !previous.includes(e))];
  }
  return covers(current, desired) && !dropsFields(original, desired) ? current : desired;
}

/** Whether `current` says everything `desired` says (it may say more: defaults). */
function covers(current: unknown, desired: unknown): boolean {
  if (isMap(desired)) {
    return isMap(current) &&
      Object.entries(desired).every(([k, v]) => v === null ? current[k] == null : covers(current[k], v));
  }
  if (Array.isArray(desired)) {
    return Array.isArray(current) && current.length === desired.length &&
      desired.every((v, i) => covers(current[i], v));
  }
  return current === desired;
}

/** Whether `original` had a field `desired` no longer has. */
function dropsFields(original: unknown, desired: unknown): boolean {
  if (isMap(original) && isMap(desired)) {
    return Object.keys(original).some((k) => !(k in desired) || dropsFields(original[k], desired[k]));
  }
  if (Array.isArray(original) && Array.isArray(desired)) {
    return original.length !== desired.length || original.some((v, i) => dropsFields(v, desired[i]));
  }
  return false;
}

/** Fields a manifest apply never writes: the status is its controller's, the type is in the URL. */
const UNPATCHED = ["apiVersion", "kind", "status"];

/**
 * The JSON merge patch turning `current` into `merged`; undefined when they already agree.
 *
 * @example
 * ```ts
 * mergePatch({ data: { a: "1", b: "2" } }, { data: { a: "3" } }); // { data: { a: "3", b: null } }
 * ```
 */
export function mergePatch(current: JsonMap, merged: JsonMap): JsonMap | undefined {
  const patch = diff(current, merged);
  for (const key of UNPATCHED) delete patch[key];
  return Object.keys(patch).length > 0 ? patch : undefined;
}

function diff(current: JsonMap, merged: JsonMap): JsonMap {
  const patch: JsonMap = {};
  for (const key of Object.keys(current)) if (!(key in merged)) patch[key] = null;
  for (const [key, value] of Object.entries(merged)) {
    if (!(key in current)) {
      if (value !== null) patch[key] = value;
    } else if (isMap(value) && isMap(current[key])) {
      const nested = diff(current[key] as JsonMap, value);
      if (Object.keys(nested).length > 0) patch[key] = nested;
    } else if (!deepEqual(current[key], value)) {
      patch[key] = value;
    }
  }
  return patch;
}

function isMap(value: unknown): value is JsonMap {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
