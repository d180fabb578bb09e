/**
 * The merge of an apply configuration into the live object (structured-merge-diff's `Merge`): maps merge key by key,
 * list-maps merge item by item (matched by their keys), sets are unioned, atomic values and scalars are replaced by
 * the configuration's. A `null` in the configuration unsets a scalar or an empty container, but leaves a live map or
 * list with content alone (only pruning takes that away), as in structured-merge-diff. Merged lists keep the live items' order and
 * place the configuration's items in the configuration's order, as structured-merge-diff does.
 *
 * @module
 */
import { indexElement, listItemElement, type PathElement } from "./path.ts";
import { childType, DEDUCED, type FieldType, type ListType, resolveType } from "./types.ts";

/**
 * `config` merged into `live` under `type` (neither is modified). An undefined result means the field is unset.
 *
 * @example
 * ```ts
 * merge({ data: { a: "1", b: "2" } }, { data: { b: "3" } }, configMapType); // { data: { a: "1", b: "3" } }
 * ```
 */
export function merge(live: unknown, config: unknown, type: FieldType): unknown {
  if (config === undefined) return live;
  if (config === null) {
    return (isMap(live) && !isEmpty(live)) || (Array.isArray(live) && live.length) ? live : undefined;
  }
  const lt = resolveType(type, live === undefined ? config : live);
  const ct = resolveType(type, config);
  if (lt.kind === "map" && ct.kind === "map" && isMap(config) && (live === undefined || live === null || isMap(live))) {
    const lm = isMap(live) ? live : undefined;
    if (ct.atomic || (isEmpty(lm) && isEmpty(config))) return structuredClone(config);
    const out: Record<string, unknown> = {};
    const take = (key: string, lv: unknown, cv: unknown) => {
      const value = merge(lv, cv, childType(ct, key)?.type ?? DEDUCED);
      if (value !== undefined) out[key] = value;
    };
    if (lm) { for (const key in lm) take(key, lm[key], config[key]); }
    for (const key in config) if (!lm || lm[key] === undefined) take(key, undefined, config[key]);
    return out;
  }
  if (
    lt.kind === "list" && ct.kind === "list" && Array.isArray(config) && (live === undefined || Array.isArray(live))
  ) {
    if (ct.listType === "atomic" || (!live?.length && !config.length)) return structuredClone(config);
    return mergeItems(live ?? [], config, ct);
  }
  return structuredClone(config);
}

function mergeItems(live: unknown[], config: unknown[], type: ListType): unknown[] {
  const elementOf = (item: unknown, i: number): PathElement => {
    const found = listItemElement(type, item);
    return typeof found === "string" ? found : indexElement(i);
  };
  const configElements = config.map(elementOf);
  const liveElements = live.map(elementOf);
  const inConfig = new Map<PathElement, unknown>();
  configElements.forEach((e, i) => inConfig.has(e) || inConfig.set(e, config[i]));
  const inLive = new Map<PathElement, unknown>();
  liveElements.forEach((e, i) => inLive.has(e) || inLive.set(e, live[i]));
  // Items on both sides come out in the configuration's order; live-only items stay where they were.
  const shared = configElements.filter((e) => inLive.has(e));
  let nextShared = 0;
  const merged = new Set<PathElement>();
  const out: unknown[] = [];
  const push = (l: unknown, c: unknown) => {
    const value = merge(l, c, type.element);
    if (value !== undefined) out.push(value);
  };
  let l = 0, c = 0;
  while (l < live.length || c < config.length) {
    if (l < live.length && c < config.length) {
      const element = liveElements[l];
      if (element === configElements[c]) {
        merged.add(element);
        push(inLive.get(element), inConfig.get(element));
        l++;
        c++;
        nextShared++;
        continue;
      }
      if (inConfig.has(element) && nextShared < shared.length && shared[nextShared] !== element) {
        l++;
        continue;
      }
    }
    if (l < live.length) {
      const element = liveElements[l];
      if (!inConfig.has(element)) {
        push(live[l], undefined);
        l++;
        continue;
      }
      if (merged.has(element)) {
        l++;
        continue;
      }
    }
    if (c < config.length) {
      const element = configElements[c];
      if (!merged.has(element)) {
        merged.add(element);
        push(inLive.get(element), inConfig.get(element));
      }
      c++;
      if (nextShared < shared.length && shared[nextShared] === element) nextShared++;
    }
  }
  return out;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function isEmpty(m: Record<string, unknown> | undefined): boolean {
  if (!m) return true;
  for (const key in m) if (m[key] !== undefined) return false;
  return true;
}
