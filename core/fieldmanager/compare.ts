/**
 * What changed between two versions of an object, field by field (structured-merge-diff's `Compare`): the fields a
 * write added, modified and removed. A write owns what it added or modified; other managers lose those fields, and
 * everyone loses what was removed. Containers that appear or disappear count themselves (`metadata.labels` added
 * with its first label), leaves that differ are modified, atomic values are compared whole.
 *
 * @module
 */
import { FieldSet } from "./fieldset.ts";
import { fieldElement, indexElement, listItemElement, type PathElement } from "./path.ts";
import type { RootFilter } from "./tofieldset.ts";
import { childType, DEDUCED, type FieldType, type ListType, type MapType, resolveType } from "./types.ts";

/** The fields a write added, modified and removed. */
export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/**
 * Compare `before` with `after` (either may be undefined: a create, or a delete) under `type`. `only` restricts the
 * comparison to some top-level fields.
 *
 * @example
 * ```ts
 * const { added, modified } = compare({ data: { a: "1" } }, { data: { a: "2", b: "3" } }, configMapType);
 * modified.paths(); // [["f:data", "f:a"]]
 * added.paths(); // [["f:data", "f:b"]]
 * ```
 */
export function compare(before: unknown, after: unknown, type: FieldType, only?: RootFilter): Comparison {
  const result: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  const path: PathElement[] = [];

  const leaf = (l: unknown, r: unknown) => {
    if (l === undefined) result.added.insert(path);
    else if (r === undefined) result.removed.insert(path);
    else if (!deepEqual(l, r)) result.modified.insert(path);
  };

  const walk = (l: unknown, r: unknown, t: FieldType, filter?: RootFilter): void => {
    const lt = resolveType(t, l === undefined ? r : l);
    const rt = r === undefined ? lt : resolveType(t, r);
    if (lt.kind === "map" && rt.kind === "map") {
      const lm = asMap(l), rm = asMap(r);
      if (lm === INVALID || rm === INVALID || lt.atomic || (isEmpty(lm) && isEmpty(rm))) return leaf(l, r);
      maps(lm, rm, lt, filter);
    } else if (lt.kind === "list" && rt.kind === "list") {
      const ll = asList(l), rl = asList(r);
      if (ll === INVALID || rl === INVALID || lt.listType === "atomic" || (!ll?.length && !rl?.length)) {
        return leaf(l, r);
      }
      lists(ll, rl, lt);
    } else {
      return leaf(l, r);
    }
    if (l === undefined) result.added.insert(path);
    else if (r === undefined) result.removed.insert(path);
  };

  const maps = (
    l: Record<string, unknown> | undefined,
    r: Record<string, unknown> | undefined,
    t: MapType,
    filter?: RootFilter,
  ) => {
    const visit = (key: string, lv: unknown, rv: unknown) => {
      if (filter && !filter(key)) return;
      path.push(fieldElement(key));
      walk(lv, rv, childType(t, key)?.type ?? DEDUCED);
      path.pop();
    };
    if (l) {
      for (const key in l) {
        const lv = l[key];
        const rv = r?.[key];
        if (lv === undefined && rv === undefined) continue;
        visit(key, lv, rv);
      }
    }
    if (r) {
      for (const key in r) {
        if (r[key] === undefined || (l && l[key] !== undefined)) continue;
        visit(key, undefined, r[key]);
      }
    }
  };

  const lists = (l: unknown[] | undefined, r: unknown[] | undefined, t: ListType) => {
    const index = (items: unknown[] | undefined) => {
      const out = new Map<PathElement, unknown[]>();
      items?.forEach((item, i) => {
        const found = listItemElement(t, item);
        // An item without its key is tracked by position rather than not at all.
        const element = typeof found === "string" ? found : indexElement(i);
        const same = out.get(element);
        if (same) same.push(item);
        else out.set(element, [item]);
      });
      return out;
    };
    const left = index(l), right = index(r);
    const visit = (element: PathElement, ls: unknown[] | undefined, rs: unknown[] | undefined) => {
      path.push(element);
      if ((ls?.length ?? 0) <= 1 && (rs?.length ?? 0) <= 1) walk(ls?.[0], rs?.[0], t.element);
      else if (ls && rs && ls.length > 1 && rs.length > 1) {
        // Duplicates on both sides are compared as one atomic value.
        if (!deepEqual(ls, rs)) result.modified.insert(path);
      } else if (ls && ls.length > 1) result.removed.insert(path);
      else result.added.insert(path);
      path.pop();
    };
    for (const [element, ls] of left) visit(element, ls, right.get(element));
    for (const [element, rs] of right) if (!left.has(element)) visit(element, undefined, rs);
  };

  walk(before, after, type, only);
  return result;
}

const INVALID = Symbol("invalid");

function asMap(v: unknown): Record<string, unknown> | undefined | typeof INVALID {
  if (v === undefined || v === null) return undefined;
  return typeof v === "object" && !Array.isArray(v) ? v as Record<string, unknown> : INVALID;
}

function asList(v: unknown): unknown[] | undefined | typeof INVALID {
  if (v === undefined || v === null) return undefined;
  return Array.isArray(v) ? v : INVALID;
}

function isEmpty(m: Record<string, unknown> | undefined): boolean {
  if (!m) return true;
  for (const key in m) if (m[key] !== undefined) return false;
  return true;
}

/**
 * Structural equality of JSON values; key order does not matter, absent and undefined are the same.
 *
 * @example
 * ```ts
 * deepEqual({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }); // true
 * ```
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const am = a as Record<string, unknown>, bm = b as Record<string, unknown>;
  let count = 0;
  for (const key in am) {
    if (am[key] === undefined) continue;
    count++;
    if (!deepEqual(am[key], bm[key])) return false;
  }
  for (const key in bm) if (bm[key] !== undefined) count--;
  return count === 0;
}
