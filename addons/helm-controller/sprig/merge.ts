/**
 * dario.cat/mergo's map merge, as Sprig's `merge` (`mergo.Merge`) and `mergeOverwrite` (`mergo.MergeWithOverwrite`)
 * call it on `map[string]interface {}`: nested maps merge key by key; without overwrite a source value only fills
 * a key that is missing or holds an empty value; with overwrite every source value wins (even "", 0 or false, and
 * a nil replaces), except that a nested map merges into a non-empty map instead of replacing it.
 *
 * @module
 */
import { type GoMap, isMap } from "../gotemplate/value.ts";
import { empty } from "./defaults.ts";
import { setEntry } from "./gomap.ts";

/**
 * Merges `src` into `dst` in place, as mergo does for two maps.
 *
 * @example
 * ```ts
 * const dst = { a: 1, b: { c: "" } };
 * mergeMaps(dst, { a: 2, b: { c: "x", d: 3 } }, false); // dst is { a: 1, b: { c: "x", d: 3 } }
 * mergeMaps(dst, { a: 2 }, true); // dst.a is 2
 * ```
 */
export function mergeMaps(dst: GoMap, src: GoMap, overwrite: boolean): void {
  for (const key of Object.keys(src)) {
    const srcValue = src[key] ?? null;
    const hasDst = Object.hasOwn(dst, key);
    const dstValue = hasDst ? dst[key] ?? null : null;
    if (srcValue === null) {
      // A nil source element only matters when overwriting.
      if (overwrite) setEntry(dst, key, null);
      continue;
    }
    if (isMap(srcValue) && isMap(dstValue)) mergeMaps(dstValue, srcValue, overwrite);
    if (hasDst && !empty(dstValue)) {
      if (Array.isArray(srcValue)) {
        if (overwrite) setEntry(dst, key, srcValue);
        continue;
      }
      if (isMap(srcValue) && isMap(dstValue)) continue;
    }
    if (overwrite || !hasDst || empty(dstValue)) setEntry(dst, key, srcValue);
  }
}
