/**
 * Assignment into a Go map held as a plain object. Any string is a valid Go map key, including "__proto__", which
 * plain assignment would turn into a prototype change.
 *
 * @module
 */
import type { GoMap } from "../gotemplate/value.ts";

/**
 * Go's `m[key] = value`.
 *
 * @example
 * ```ts
 * const m = {};
 * setEntry(m, "__proto__", 1); // m has an own "__proto__" key
 * ```
 */
export function setEntry(map: GoMap, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(map, key, { value, enumerable: true, configurable: true, writable: true });
  } else {
    map[key] = value;
  }
}

/**
 * Go's `v, ok := m[key]`, reading only the map's own keys.
 *
 * @example
 * ```ts
 * lookup({ a: 1 }, "toString"); // { ok: false, value: null }
 * ```
 */
export function lookup(map: GoMap | null, key: string): { ok: boolean; value: unknown } {
  if (map === null || !Object.hasOwn(map, key)) return { ok: false, value: null };
  return { ok: true, value: map[key] ?? null };
}
