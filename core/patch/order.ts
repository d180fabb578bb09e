/**
 * Element order of merged lists. After a merge, the elements named in the patch (or in `$setElementOrder`) keep
 * the patch's order, the elements only the server had keep theirs, and the two runs are interleaved using the
 * live list as reference: so `[a b c]` patched with `[b d]` gives `[a b d c]`, not `[a b c d]`.
 *
 * @module
 */
import { badArgType, goFormat, noMergeKey, StrategicMergePatchError } from "./errors.ts";
import { DIRECTIVE, isMap, type JsonMap } from "./values.ts";

/** Whether the list's elements are maps (merged by key) or scalars (merged as a set). */
export type ElementKind = "map" | "scalar";

/** What identifies an element: its merge-key value, or the scalar itself. A missing key reads as null, like Go's nil. */
function identity(item: unknown, mergeKey: string, kind: ElementKind): unknown {
  if (kind === "scalar") return item;
  return isMap(item) ? item[mergeKey] ?? null : null;
}

function indexIn(list: readonly unknown[], item: unknown, mergeKey: string, kind: ElementKind): number {
  const id = identity(item, mergeKey, kind);
  return list.findIndex((candidate) => identity(candidate, mergeKey, kind) === id);
}

/**
 * Split `merged` into the elements also in `by` and those only in `merged` (by merge key, or by value).
 *
 * @example
 * ```ts
 * partition([{ name: "a" }, { name: "b" }], [{ name: "b" }], "name", "map"); // [[{ name: "b" }], [{ name: "a" }]]
 * ```
 */
export function partition(
  merged: readonly unknown[],
  by: readonly unknown[],
  mergeKey: string,
  kind: ElementKind,
): [unknown[], unknown[]] {
  const inBy: unknown[] = [];
  const rest: unknown[] = [];
  // An element of `by` without the merge key names nothing (rather than every element whose key is null).
  const named = kind === "map" ? by.filter((item) => isMap(item) && Object.hasOwn(item, mergeKey)) : by;
  const ids = new Set(named.map((item) => identity(item, mergeKey, kind)));
  for (const item of merged) {
    if (kind === "map") {
      if (!isMap(item)) throw badArgType({}, item);
      if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
    }
    (ids.has(identity(item, mergeKey, kind)) ? inBy : rest).push(item);
  }
  return [inBy, rest];
}

/**
 * Order `patchItems` by `patchOrder` and `serverOnly` by `serverOrder`, then interleave them: a server-only element
 * goes first while it comes before the next patch element in the live list.
 *
 * @example
 * ```ts
 * normalizeElementOrder(["b", "d"], ["a", "c"], ["b", "d"], ["a", "b", "c"], "", "scalar"); // ["a", "b", "d", "c"]
 * ```
 */
export function normalizeElementOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  mergeKey: string,
  kind: ElementKind,
): unknown[] {
  const left = sortBy(serverOnly, serverOrder, mergeKey, kind);
  const right = sortBy(patchItems, patchOrder, mergeKey, kind);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (j >= right.length) out.push(left[i++]);
    else if (i >= left.length) out.push(right[j++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      // A patch element the live list lacks has no place to compare with: it goes first.
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

/** Stable sort by position in `order`; elements it lacks go last. */
function sortBy(items: unknown[], order: readonly unknown[], mergeKey: string, kind: ElementKind): unknown[] {
  if (kind === "map") {
    for (const item of [...items, ...order]) {
      if (!isMap(item)) throw badArgType({}, item);
      if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
    }
  }
  const position = (item: unknown) => {
    const i = indexIn(order, item, mergeKey, kind);
    return i < 0 ? Infinity : i;
  };
  return items.map((item, at) => ({ item, at, pos: position(item) }))
    .sort((a, b) => (a.pos === b.pos ? a.at - b.at : a.pos - b.pos))
    .map(({ item }) => item);
}

/**
 * Check that the patch list names its elements in the same relative order as `$setElementOrder` and names none
 * it lacks (`$patch` elements aside).
 *
 * @example
 * ```ts
 * validateSetElementOrder([{ name: "b" }], [{ name: "a" }, { name: "b" }], "name"); // ok
 * validateSetElementOrder([{ name: "c" }], [{ name: "a" }], "name"); // throws "The order in patch list: …"
 * ```
 */
export function validateSetElementOrder(patchList: readonly unknown[], order: readonly unknown[], mergeKey: string) {
  if (order.length === 0 || patchList.length === 0) return;
  const items = mergeKey === "" ? patchList : patchList.filter((item) => {
    if (!isMap(item)) throw badArgType({}, item);
    return item[DIRECTIVE] !== "delete";
  });
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    if (isMap(items[p]) && Object.hasOwn(items[p] as JsonMap, DIRECTIVE)) {
      p++;
      continue;
    }
    if (sameKey(items[p], order[o], mergeKey)) p++;
    o++;
  }
  if (p < items.length) {
    throw new StrategicMergePatchError(
      `The order in patch list:\n${goFormat(patchList)}\n doesn't match $setElementOrder list:\n${goFormat(order)}\n`,
    );
  }
}

function sameKey(left: unknown, right: unknown, mergeKey: string): boolean {
  if (mergeKey === "") return left === right;
  for (const item of [left, right]) {
    if (!isMap(item)) throw badArgType({}, item);
    if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
  }
  return (left as JsonMap)[mergeKey] === (right as JsonMap)[mergeKey];
}
