/**
 * The server side of `application/strategic-merge-patch+json`, with apimachinery's semantics: maps merge and
 * `null` deletes; lists merge by merge key or as sets where the schema says `patchStrategy: merge`, and are
 * replaced otherwise; the directives `$patch`, `$retainKeys`, `$setElementOrder/<list>` and
 * `$deleteFromPrimitiveList/<list>` are honoured.
 *
 * @module
 */
import {
  BAD_JSON_DOC,
  BAD_PRIMITIVE_LIST,
  BAD_RETAIN_KEYS,
  BAD_SET_ELEMENT_ORDER,
  badArgType,
  badPatch,
  badPatchType,
  goFormat,
  noMergeKey,
  StrategicMergePatchError,
} from "./errors.ts";
import type { PatchMeta } from "./meta.ts";
import { type ElementKind, normalizeElementOrder, partition, validateSetElementOrder } from "./order.ts";
import {
  DELETE_FROM_PRIMITIVE_LIST,
  DIRECTIVE,
  isMap,
  type JsonMap,
  kindOf,
  RETAIN_KEYS,
  SET_ELEMENT_ORDER,
} from "./values.ts";

// One import for the server's PATCH handler: the function, its metadata and its error.
export { StrategicMergePatchError } from "./errors.ts";
export { type FieldPatchMeta, type PatchMeta, patchMetaFor, supportsStrategicMerge } from "./meta.ts";

/**
 * Apply a strategic merge patch to `original` (neither is modified). `meta` is the metadata of the object's type,
 * usually `patchMetaFor(group, version, kind)`. A null patch changes nothing; a patch that is not a JSON object
 * throws, as does a malformed directive: the thrown `StrategicMergePatchError` carries the HTTP status
 * kube-apiserver would answer with.
 *
 * @example
 * ```ts
 * const meta = patchMetaFor("apps", "v1", "Deployment");
 * strategicMergePatch(deployment, {
 *   spec: { template: { spec: { containers: [{ name: "web", image: "nginx:1.27" }] } } },
 * }, meta); // the container named web gets the new image; other containers stay
 * ```
 */
export function strategicMergePatch(original: unknown, patch: unknown, meta: PatchMeta): unknown {
  if (patch === null || patch === undefined) return structuredClone(original);
  if (!isMap(patch)) throw badPatch(BAD_JSON_DOC);
  if (original !== null && original !== undefined && !isMap(original)) throw badPatch(BAD_JSON_DOC);
  return mergeMap(isMap(original) ? structuredClone(original) : {}, structuredClone(patch), meta);
}

/** Merge `patch` into `original`; both are private copies and are consumed. */
function mergeMap(original: JsonMap, patch: JsonMap, meta: PatchMeta): JsonMap {
  if (Object.hasOwn(patch, DIRECTIVE)) return mapDirective(patch[DIRECTIVE], patch);
  applyRetainKeys(original, patch);
  mergeOrderedLists(original, patch, meta);
  for (const [patchKey, patchValue] of Object.entries(patch)) {
    let key = patchKey;
    const deletion = patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST);
    if (deletion) key = fieldOf(patchKey, DELETE_FROM_PRIMITIVE_LIST, BAD_PRIMITIVE_LIST);
    if (patchValue === null || patchValue === undefined) {
      delete original[key];
      continue;
    }
    const kind = kindOf(patchValue);
    if (!Object.hasOwn(original, key) || kindOf(original[key]) !== kind) {
      // Nothing to merge with: the patch value is taken, less what only makes sense as a change to something.
      if (!deletion) {
        const added = pruneAdded(patchValue, true);
        if (added === REMOVED) delete original[key];
        else original[key] = added;
      }
      continue;
    }
    const { meta: field, value } = meta.field(key);
    const strategy = listStrategy(field.strategy);
    if (kind === "map") {
      original[key] = strategy === "replace"
        ? patchValue
        : mergeMap(original[key] as JsonMap, patchValue as JsonMap, value);
    } else if (kind === "list") {
      original[key] = strategy === "merge"
        ? mergeList(original[key] as unknown[], patchValue as unknown[], value, field.mergeKey, deletion)
        : patchValue;
    } else {
      original[key] = patchValue;
    }
  }
  return original;
}

/** A map carrying `$patch`: `replace` takes the rest of the patch as is, `delete` empties the map. */
function mapDirective(directive: unknown, patch: JsonMap): JsonMap {
  if (directive === "replace") {
    delete patch[DIRECTIVE];
    return patch;
  }
  if (directive === "delete") return {};
  // `merge` is the default and clients never send it on a map; apimachinery refuses it there.
  throw badPatchType(directive, patch);
}

/**
 * `$retainKeys`: the live map keeps only the listed fields, and the patch may set no others. Applied wherever it
 * appears (clients send it only for retainKeys fields such as Deployment `spec.strategy` and pod `volumes[]`).
 */
function applyRetainKeys(original: JsonMap, patch: JsonMap): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const retain = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(retain)) throw badPatch(BAD_RETAIN_KEYS);
  const keep = new Set(retain);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key.startsWith(DELETE_FROM_PRIMITIVE_LIST) || key.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!keep.has(key)) throw badPatch(BAD_RETAIN_KEYS);
  }
  for (const key of Object.keys(original)) if (!keep.has(key)) delete original[key];
}

/**
 * `$setElementOrder/<list>`: merge the list (if patched) and order it as listed; elements the order does not name
 * keep their live order. Consumes the directive and its list from `patch`.
 */
function mergeOrderedLists(original: JsonMap, patch: JsonMap, meta: PatchMeta): void {
  for (const directiveKey of Object.keys(patch)) {
    if (!directiveKey.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[directiveKey];
    delete patch[directiveKey];
    if (!Array.isArray(order)) throw badArgType([], order);
    const key = fieldOf(directiveKey, SET_ELEMENT_ORDER, BAD_SET_ELEMENT_ORDER);
    const hasOriginal = Object.hasOwn(original, key);
    const hasPatch = Object.hasOwn(patch, key);
    const originalList = hasOriginal ? original[key] : [];
    const patchList = hasPatch ? patch[key] : [];
    if (!Array.isArray(originalList)) throw badArgType([], originalList);
    if (!Array.isArray(patchList)) throw badArgType([], patchList);
    const { meta: field, value } = meta.field(key);
    const strategy = listStrategy(field.strategy);
    const mergeKey = field.mergeKey;
    validateSetElementOrder(patchList, order, mergeKey);
    let merged: unknown[];
    if (hasOriginal && hasPatch) {
      merged = strategy === "merge" ? mergeList(originalList, patchList, value, mergeKey, false) : patchList;
    } else if (hasPatch) {
      merged = pruneAdded(patchList, false) as unknown[];
    } else if (hasOriginal) {
      merged = originalList;
    } else continue;
    const kind = elementKind(originalList, patchList);
    const [named, unnamed] = mergeKey === ""
      ? partition(merged, order, "", "scalar")
      : partition(merged, order, mergeKey, "map");
    original[key] = normalizeElementOrder(named, unnamed, order, originalList, mergeKey, kind);
    delete patch[key];
  }
}

/** Merge a `patchStrategy: merge` list: maps by merge key, scalars as a set (or remove them, for a deletion list). */
function mergeList(
  original: unknown[],
  patch: unknown[],
  meta: PatchMeta,
  mergeKey: string,
  deletion: boolean,
): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = elementKind(original, patch);
  let merged: unknown[];
  if (kind === "scalar") {
    if (deletion) {
      const remove = new Set(patch);
      return original.filter((item) => !remove.has(item));
    }
    merged = [...new Set([...original, ...patch])];
  } else {
    if (mergeKey === "") throw new StrategicMergePatchError(`cannot merge lists without merge key for ${meta.name}`);
    [original, patch] = applyElementDirectives(original as JsonMap[], patch as JsonMap[], mergeKey);
    merged = mergeByKey(original as JsonMap[], patch as JsonMap[], mergeKey, meta);
  }
  const [inPatch, serverOnly] = mergeKey === ""
    ? partition(merged, patch, "", "scalar")
    : partition(merged, patch, mergeKey, "map");
  return normalizeElementOrder(inPatch, serverOnly, patch, original, mergeKey, kind);
}

/**
 * Elements carrying `$patch`: `{<key>: v, $patch: delete}` removes the live elements with that key;
 * `{$patch: replace}` makes the rest of the patch list the whole list. Returns the new live list and the patch
 * without those elements.
 */
function applyElementDirectives(original: JsonMap[], patch: JsonMap[], mergeKey: string): [JsonMap[], JsonMap[]] {
  const rest: JsonMap[] = [];
  let replace = false;
  for (const element of patch) {
    if (!Object.hasOwn(element, DIRECTIVE)) {
      rest.push(element);
      continue;
    }
    switch (element[DIRECTIVE]) {
      case "delete":
        if (!Object.hasOwn(element, mergeKey)) throw noMergeKey(element, mergeKey);
        original = original.filter((item) => item[mergeKey] !== element[mergeKey]);
        break;
      case "replace":
        replace = true;
        break;
      case "merge":
        throw new StrategicMergePatchError("merging lists cannot yet be specified in the patch");
      default:
        throw badPatchType(element[DIRECTIVE], element);
    }
  }
  return replace ? [rest, []] : [original, rest];
}

/** Patch elements merge into the live element with the same merge-key value, or are appended as they are. */
function mergeByKey(original: JsonMap[], patch: JsonMap[], mergeKey: string, meta: PatchMeta): JsonMap[] {
  const merged = [...original];
  for (const element of patch) {
    if (!Object.hasOwn(element, mergeKey)) throw noMergeKey(element, mergeKey);
    const at = merged.findIndex((item) => Object.hasOwn(item, mergeKey) && item[mergeKey] === element[mergeKey]);
    if (at >= 0) merged[at] = mergeMap(merged[at], element, meta);
    else merged.push(element);
  }
  return merged;
}

/** Whether the elements of both lists are maps or scalars; mixed types and nested lists are refused. */
function elementKind(...lists: unknown[][]): ElementKind {
  let seen: string | undefined;
  for (const list of lists) {
    for (const item of list) {
      const kind = kindOf(item);
      if (seen === undefined) {
        if (kind === "list") throw new StrategicMergePatchError("lists of lists are not supported", 422);
        seen = kind;
      } else if (kind !== seen) {
        throw new StrategicMergePatchError(`list element types are not identical: ${goFormat(lists)}`);
      }
    }
  }
  if (seen === undefined) throw new StrategicMergePatchError("no elements in any of the given slices");
  return seen === "map" ? "map" : "scalar";
}

/** The list strategy of a field: "merge", "replace" or "", with `retainKeys` (a client-side hint) set aside. */
function listStrategy(strategy: string): string {
  const parts = strategy === "" ? [] : strategy.split(",");
  const others = parts.filter((part) => part !== "retainKeys");
  if (parts.length > 2 || others.length > 1 || (parts.length === 2 && others.length !== 1)) {
    throw new StrategicMergePatchError(`unexpected patch strategy: ${goFormat(parts)}`);
  }
  return others[0] ?? "";
}

/** `$setElementOrder/containers` → `containers`. */
function fieldOf(key: string, prefix: string, error: string): string {
  const slash = key.indexOf("/");
  if (slash < 0 || key.slice(0, slash) !== prefix) throw badPatch(error);
  return key.slice(slash + 1);
}

const REMOVED = Symbol("removed");

/**
 * A patch value that lands where nothing was: maps carrying `$patch` (at any depth, including list elements) are
 * dropped, since there is nothing for them to replace or delete, and with `dropNulls` so are null fields of maps.
 * Other directives stay, as apimachinery leaves them.
 */
function pruneAdded(value: unknown, dropNulls: boolean): unknown {
  if (Array.isArray(value)) {
    return value.filter((item) => !(isMap(item) && Object.hasOwn(item, DIRECTIVE))).map((item) =>
      pruneAdded(item, dropNulls)
    );
  }
  if (!isMap(value)) return value;
  if (Object.hasOwn(value, DIRECTIVE)) return REMOVED;
  for (const [key, child] of Object.entries(value)) {
    if (child === null && dropNulls) delete value[key];
    else {
      const pruned = pruneAdded(child, dropNulls);
      if (pruned === REMOVED) delete value[key];
      else value[key] = pruned;
    }
  }
  return value;
}
