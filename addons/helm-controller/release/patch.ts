/**
 * The patch an upgrade sends for an object that already exists (Helm 3's `createPatch`): for built-in kinds a
 * three-way strategic merge patch — what changed from the live object to the new manifest, plus what the old
 * manifest had and the new one dropped — so fields other writers set (defaults, allocated IPs, injected sidecars)
 * survive; for custom resources and CRDs a two-way JSON merge patch from the old manifest to the new one, as Helm 3
 * sends.
 *
 * @module
 */
import { FREE_FORM, type PatchField, type PatchMeta } from "../../../core/patch/meta.ts";
import { patchMetaFor, supportsStrategicMerge } from "../../../core/patch/strategic.ts";
import { deepEqual } from "../../../core/fieldmanager/compare.ts";
import { splitApiVersion } from "../../../core/client/mod.ts";

type JsonMap = Record<string, unknown>;

/** A patch to send, or none when the object already says what the manifest says. */
export type ObjectPatch = { type: "strategic" | "merge"; patch: JsonMap } | undefined;

/**
 * The patch taking `current` (live) to `target` (new manifest), given `original` (old manifest).
 *
 * @example
 * ```ts
 * createPatch(oldCm, newCm, liveCm); // { type: "strategic", patch: { data: { greeting: "HOWDY" } } }
 * ```
 */
export function createPatch(original: JsonMap, target: JsonMap, current: JsonMap): ObjectPatch {
  const { group, version } = splitApiVersion(String(target.apiVersion ?? ""));
  const kind = String(target.kind ?? "");
  // Helm sends CRDs a merge patch too: strategic merge is not defined for them.
  if (!supportsStrategicMerge(group, kind) || kind === "CustomResourceDefinition") {
    const patch = createMergePatch(original, target);
    return Object.keys(patch).length > 0 ? { type: "merge", patch } : undefined;
  }
  let meta: PatchMeta = FREE_FORM;
  try {
    meta = patchMetaFor(group, version, kind);
  } catch {
    // A served version without a built-in schema: maps merge and lists are replaced.
  }
  const patch = threeWayMap(original, target, current, meta);
  return Object.keys(patch).length > 0 ? { type: "strategic", patch } : undefined;
}

/**
 * RFC 7386's merge patch from `from` to `to` (`jsonpatch.CreateMergePatch`): removed keys are null, lists replaced.
 *
 * @example
 * ```ts
 * createMergePatch({ spec: { a: 1, b: 2 } }, { spec: { a: 3 } }); // { spec: { a: 3, b: null } }
 * ```
 */
export function createMergePatch(from: JsonMap, to: JsonMap): JsonMap {
  const patch: JsonMap = {};
  for (const key of Object.keys(from)) if (!(key in to)) patch[key] = null;
  for (const [key, value] of Object.entries(to)) {
    const before = from[key];
    if (isMap(value) && isMap(before)) {
      const nested = createMergePatch(before, value);
      if (Object.keys(nested).length > 0) patch[key] = nested;
    } else if (!(key in from) || !deepEqual(before, value)) {
      patch[key] = value;
    }
  }
  return patch;
}

/** Additions and changes from `current` to `target`, and deletions from `original` to `target`. */
function threeWayMap(original: unknown, target: JsonMap, current: unknown, meta: PatchMeta): JsonMap {
  const patch: JsonMap = {};
  const live = isMap(current) ? current : {};
  for (const [key, value] of Object.entries(target)) {
    const field = meta.field(key);
    const now = live[key];
    const before = isMap(original) ? original[key] : undefined;
    if (!(key in live)) {
      patch[key] = value;
    } else if (isMap(value) && isMap(now)) {
      const nested = threeWayMap(before, value, now, field.value);
      if (Object.keys(nested).length > 0) patch[key] = nested;
    } else if (Array.isArray(value) && Array.isArray(now) && field.meta.strategy.split(",").includes("merge")) {
      Object.assign(patch, threeWayList(key, before, value, now, field));
    } else if (!deepEqual(value, now)) {
      patch[key] = value;
    }
  }
  if (isMap(original)) {
    for (const key of Object.keys(original)) if (!(key in target)) patch[key] = null;
  }
  return patch;
}

/**
 * A list with the `merge` strategy: elements keyed by the merge key are patched one by one (dropped ones with
 * `$patch: delete`), primitive elements are added or removed with `$deleteFromPrimitiveList`; either way
 * `$setElementOrder` keeps the manifest's order, as kube's `CreateThreeWayMergePatch` writes it.
 */
function threeWayList(key: string, original: unknown, target: unknown[], current: unknown[], field: PatchField) {
  const before = Array.isArray(original) ? original : [];
  const mergeKey = field.meta.mergeKey;
  const out: JsonMap = {};
  if (mergeKey && [...target, ...current].every((e) => isMap(e) && mergeKey in e)) {
    const id = (e: unknown) => JSON.stringify((e as JsonMap)[mergeKey]);
    const live = new Map(current.map((e) => [id(e), e as JsonMap]));
    const previous = new Map(before.filter(isMap).map((e) => [id(e), e]));
    const wanted = new Set(target.map(id));
    const changes: unknown[] = [];
    for (const element of target as JsonMap[]) {
      const now = live.get(id(element));
      if (!now) {
        changes.push(element);
        continue;
      }
      const nested = threeWayMap(previous.get(id(element)), element, now, field.value);
      if (Object.keys(nested).length > 0) changes.push({ [mergeKey]: element[mergeKey], ...nested });
    }
    for (const element of previous.values()) {
      if (!wanted.has(id(element))) changes.push({ [mergeKey]: element[mergeKey], $patch: "delete" });
    }
    if (changes.length > 0) {
      out[key] = changes;
      out[`$setElementOrder/${key}`] = target.map((e) => ({ [mergeKey]: (e as JsonMap)[mergeKey] }));
    }
    return out;
  }
  if ([...target, ...current].every((e) => !isMap(e) && !Array.isArray(e))) {
    const added = target.filter((e) => !current.some((c) => deepEqual(c, e)));
    const removed = before.filter((e) => !target.some((t) => deepEqual(t, e)));
    if (added.length > 0) out[key] = added;
    if (removed.length > 0) out[`$deleteFromPrimitiveList/${key}`] = removed;
    if (added.length > 0 || removed.length > 0) out[`$setElementOrder/${key}`] = target;
    return out;
  }
  if (!deepEqual(target, current)) out[key] = target;
  return out;
}

function isMap(value: unknown): value is JsonMap {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
