/**
 * Helm's values coalescing (`chartutil.CoalesceValues`, `MergeValues`, `CoalesceTables`): user values win over a
 * chart's defaults, tables merge and everything else is replaced, a subchart's values live under its name,
 * `global` is copied down into every subchart, and — when coalescing rather than merging — a `null` removes the
 * default it overrides. Conflicts between tables and non-tables are reported as Helm's warnings.
 *
 * @module
 */

import { formatValue, sprintf } from "../gotemplate/mod.ts";
import { setEntry } from "../sprig/gomap.ts";
import type { Chart } from "./chart.ts";
import { deepCopy, isTable, type Values } from "./values.ts";

/** Receives Helm's coalescing warnings (Helm logs them). */
export type Warn = (message: string) => void;

const GLOBAL_KEY = "global";

/**
 * `CoalesceValues(chart, values)`: the values a chart renders with; `values` itself is not changed.
 *
 * @example
 * ```ts
 * coalesceValues(chart, { replicas: 3, image: { tag: null } }); // chart defaults under them, image.tag removed
 * ```
 */
export function coalesceValues(chart: Chart, values: Values | null, warn: Warn = () => {}): Values {
  return coalesce(warn, chart, deepCopy(values ?? {}), "", false);
}

/**
 * `MergeValues(chart, values)`: like {@link coalesceValues} but keeps `null`s, for steps that coalesce again later.
 *
 * @example
 * ```ts
 * mergeValues(chart, { a: null }); // { a: null, ...defaults }
 * ```
 */
export function mergeValues(chart: Chart, values: Values | null, warn: Warn = () => {}): Values {
  return coalesce(warn, chart, deepCopy(values ?? {}), "", true);
}

/**
 * `CoalesceTables(dst, src)`: merges `src` into `dst` (which wins), removing keys `dst` sets to null.
 *
 * @example
 * ```ts
 * coalesceTables({ a: 1 }, { a: 2, b: 3 }); // { a: 1, b: 3 }
 * ```
 */
export function coalesceTables(dst: Values | null, src: Values | null, warn: Warn = () => {}): Values | null {
  return coalesceTablesFullKey(warn, dst, src, "", false);
}

/**
 * `MergeTables(dst, src)`: {@link coalesceTables} that keeps nulls.
 *
 * @example
 * ```ts
 * mergeTables({ a: null }, { a: 2 }); // { a: null }
 * ```
 */
export function mergeTables(dst: Values | null, src: Values | null, warn: Warn = () => {}): Values | null {
  return coalesceTablesFullKey(warn, dst, src, "", true);
}

function concatPrefix(a: string, b: string): string {
  return a === "" ? b : `${a}.${b}`;
}

function coalesce(warn: Warn, chart: Chart, dest: Values, prefix: string, merge: boolean): Values {
  coalesceChartValues(warn, chart, dest, prefix, merge);
  return coalesceDeps(warn, chart, dest, prefix, merge);
}

function coalesceDeps(warn: Warn, chart: Chart, dest: Values, prefix: string, merge: boolean): Values {
  for (const sub of chart.dependencies()) {
    const name = sub.name();
    if (!Object.hasOwn(dest, name)) setEntry(dest, name, {});
    else if (!isTable(dest[name])) throw new Error(sprintf("type mismatch on %s: %t", name, dest[name]));
    const subPrefix = concatPrefix(prefix, chart.metadata.Name);
    const subValues = dest[name] as Values;
    coalesceGlobals(warn, subValues, dest, subPrefix);
    setEntry(dest, name, coalesce(warn, sub, subValues, subPrefix, merge));
  }
  return dest;
}

/** Copies the parent's `global` table into the subchart's, the parent's entries winning (tables merged). */
function coalesceGlobals(warn: Warn, dest: Values, src: Values, prefix: string): void {
  let dg: Values;
  let sg: Values;
  if (!Object.hasOwn(dest, GLOBAL_KEY)) dg = {};
  else if (isTable(dest[GLOBAL_KEY])) dg = dest[GLOBAL_KEY];
  else {
    warn(`warning: skipping globals because destination ${GLOBAL_KEY} is not a table.`);
    return;
  }
  if (!Object.hasOwn(src, GLOBAL_KEY)) sg = {};
  else if (isTable(src[GLOBAL_KEY])) sg = src[GLOBAL_KEY];
  else {
    warn(`warning: skipping globals because source ${GLOBAL_KEY} is not a table.`);
    return;
  }
  for (const [key, val] of Object.entries(sg)) {
    if (isTable(val)) {
      const copy: Values = {};
      for (const [k, v] of Object.entries(val)) setEntry(copy, k, v);
      if (!Object.hasOwn(dg, key)) {
        setEntry(dg, key, copy);
      } else if (!isTable(dg[key])) {
        warn(`Conflict: cannot merge map onto non-map for ${JSON.stringify(key)}. Skipping.`);
      } else {
        coalesceTablesFullKey(warn, copy, dg[key] as Values, concatPrefix(prefix, key), true);
        setEntry(dg, key, copy);
      }
    } else if (Object.hasOwn(dg, key) && isTable(dg[key])) {
      warn(`key ${key} is table. Skipping`);
    } else {
      setEntry(dg, key, val);
    }
  }
  setEntry(dest, GLOBAL_KEY, dg);
}

/** Puts a chart's default values under `v`, the values already in `v` winning. */
function coalesceChartValues(warn: Warn, chart: Chart, v: Values, prefix: string, merge: boolean): void {
  const subPrefix = concatPrefix(prefix, chart.metadata.Name);
  const defaults = deepCopy(chart.values ?? {});
  for (const [key, val] of Object.entries(defaults)) {
    if (!Object.hasOwn(v, key)) {
      setEntry(v, key, val);
      continue;
    }
    const value = v[key];
    if ((value === null || value === undefined) && !merge) {
      delete v[key];
    } else if (isTable(value)) {
      if (!isTable(val)) {
        if (val !== null && val !== undefined) warn(`warning: skipped value for ${subPrefix}.${key}: Not a table.`);
      } else {
        const childMerge = chart.dependencies().some((sub) => sub.name() === key) || merge;
        coalesceTablesFullKey(warn, value, val, concatPrefix(subPrefix, key), childMerge);
      }
    }
  }
}

function coalesceTablesFullKey(
  warn: Warn,
  dst: Values | null,
  src: Values | null,
  prefix: string,
  merge: boolean,
): Values | null {
  if (src === null) return dst;
  if (dst === null) return src;
  for (const [key, val] of Object.entries(src)) {
    const fullKey = concatPrefix(prefix, key);
    const present = Object.hasOwn(dst, key);
    const dv = dst[key];
    if (present && !merge && (dv === null || dv === undefined)) {
      delete dst[key];
    } else if (!present) {
      setEntry(dst, key, val);
    } else if (isTable(val)) {
      if (isTable(dv)) coalesceTablesFullKey(warn, dv, val, fullKey, merge);
      else warn(`warning: cannot overwrite table with non table for ${fullKey} (${formatValue(val)})`);
    } else if (isTable(dv) && val !== null && val !== undefined) {
      warn(`warning: destination for ${fullKey} is a table. Ignoring non-table value (${formatValue(val)})`);
    }
  }
  return dst;
}
