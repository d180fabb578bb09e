/**
 * Loose accessors over plain-JSON API objects. Admission works on `Record<string, unknown>` rather than typed
 * structs, so these read a field with Go's zero-value semantics: a missing string is "", a missing list is empty.
 *
 * @module
 */

/** A plain JSON object. */
export type Obj = Record<string, unknown>;

/**
 * Whether `v` is a (non-array) JSON object.
 *
 * @example
 * ```ts
 * isObj({ a: 1 }); // true
 * ```
 */
export function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * `v` as an object, or a fresh empty one — for reading only, since writes to the fresh object are lost.
 *
 * @example
 * ```ts
 * obj(pod.spec).containers;
 * ```
 */
export function obj(v: unknown): Obj {
  return isObj(v) ? v : {};
}

/**
 * The object stored at `parent[key]`, created when absent, so defaulting can write into nested structs.
 *
 * @example
 * ```ts
 * ensureObj(deployment, "spec").replicas ??= 1;
 * ```
 */
export function ensureObj(parent: Obj, key: string): Obj {
  const v = parent[key];
  if (isObj(v)) return v;
  const created: Obj = {};
  parent[key] = created;
  return created;
}

/**
 * `v` as an array, or an empty one.
 *
 * @example
 * ```ts
 * list(spec.containers).length;
 * ```
 */
export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/**
 * The object elements of `v` (other elements are skipped: schema validation rejects them before admission).
 *
 * @example
 * ```ts
 * for (const c of objList(spec.containers)) c.name;
 * ```
 */
export function objList(v: unknown): Obj[] {
  return list(v).filter(isObj);
}

/**
 * `v` as a string, "" when it is not one (Go's zero value).
 *
 * @example
 * ```ts
 * str(meta.name);
 * ```
 */
export function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

/**
 * `v` as a number when it is one.
 *
 * @example
 * ```ts
 * num(spec.replicas) ?? 1;
 * ```
 */
export function num(v: unknown): number | undefined {
  return typeof v === "number" ? v : undefined;
}

/**
 * `v` as a string-to-string map, or undefined when absent (labels, selectors, data).
 *
 * @example
 * ```ts
 * strMap(meta.labels) ?? {};
 * ```
 */
export function strMap(v: unknown): Record<string, string> | undefined {
  if (!isObj(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) out[k] = typeof val === "string" ? val : String(val ?? "");
  return out;
}

/**
 * Whether `v` is Go's zero value once decoded: absent, null, "", 0, false, or an empty list or map.
 *
 * @example
 * ```ts
 * isZero([]); // true
 * ```
 */
export function isZero(v: unknown): boolean {
  if (v === undefined || v === null || v === "" || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isObj(v)) return Object.values(v).every(isZero);
  return false;
}

/**
 * Deep equality with apimachinery's "semantic" rules: a missing field equals its zero value and an empty list
 * equals an absent one, as they do once decoded into Go structs.
 *
 * @example
 * ```ts
 * semanticEqual({ a: [] }, {}); // true
 * ```
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (isZero(a) && isZero(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => semanticEqual(x, b[i]));
  }
  if (isObj(a) && isObj(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!semanticEqual(a[k], b[k])) return false;
    return true;
  }
  return a === b;
}

/**
 * A deep copy of a JSON value.
 *
 * @example
 * ```ts
 * const munged = clone(pod.spec);
 * ```
 */
export function clone<T>(v: T): T {
  return v === undefined ? v : JSON.parse(JSON.stringify(v));
}
