/**
 * Helm's `chartutil.Values`: a Go map of chart values, read from YAML, addressed by dotted paths (`Table`,
 * `PathValue`) and deep-copied before anything changes it.
 *
 * @module
 */

import { isMap } from "../gotemplate/mod.ts";
import { setEntry } from "../sprig/gomap.ts";
import { unmarshalYamlMap } from "./yaml/decode.ts";

/** A values map (`map[string]interface{}`). */
export type Values = Record<string, unknown>;

/**
 * `chartutil.ReadValues`: values YAML as a map (empty when the text is empty), every number a float64.
 *
 * @example
 * ```ts
 * readValues("replicas: 3\nimage: {tag: v1}\n"); // { replicas: 3, image: { tag: "v1" } }
 * ```
 */
export function readValues(text: string): Values {
  return unmarshalYamlMap(text, "chartutil.Values");
}

/**
 * Whether a value is a table (a nested map), the test every coalescing rule turns on.
 *
 * @example
 * ```ts
 * isTable({ a: 1 }); // true
 * isTable([1]); // false
 * ```
 */
export function isTable(value: unknown): value is Values {
  return isMap(value);
}

/**
 * `Values.Table`: the table at a dotted path, or an `Error('"x" is not a table')` for the first part that is not.
 *
 * @example
 * ```ts
 * table({ a: { b: { c: 1 } } }, "a.b"); // { c: 1 }
 * ```
 */
export function table(values: Values, path: string): Values {
  let current = values;
  for (const part of path.split(".")) {
    const next = Object.hasOwn(current, part) ? current[part] : undefined;
    if (!isTable(next)) throw new Error(`${JSON.stringify(part)} is not a table`);
    current = next;
  }
  return current;
}

/**
 * `Values.PathValue`: the non-table value at a dotted path, or an `Error('"x" is not a value')`.
 *
 * @example
 * ```ts
 * pathValue({ db: { enabled: true } }, "db.enabled"); // true
 * ```
 */
export function pathValue(values: Values, path: string): unknown {
  if (path === "") throw new Error("YAML path cannot be empty");
  const parts = path.split(".");
  const key = parts.pop()!;
  let holder: Values;
  try {
    holder = parts.length === 0 ? values : table(values, parts.join("."));
  } catch {
    throw new Error(`${JSON.stringify(key)} is not a value`);
  }
  if (Object.hasOwn(holder, key) && !isTable(holder[key])) return holder[key];
  throw new Error(`${JSON.stringify(key)} is not a value`);
}

/**
 * A deep copy of maps and lists (Go's `copystructure.Copy` over values); other values are shared.
 *
 * @example
 * ```ts
 * const copy = deepCopy({ a: [{ b: 1 }] });
 * ```
 */
export function deepCopy<T>(value: T): T {
  if (Array.isArray(value)) return value.map(deepCopy) as T;
  if (isTable(value)) {
    const out: Values = {};
    for (const [k, v] of Object.entries(value)) setEntry(out, k, deepCopy(v));
    return out as T;
  }
  return value;
}
