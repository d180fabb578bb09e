/**
 * The user values of an install or upgrade as Helm's CLI assembles them (`values.Options.MergeValues`): each
 * `--values` file merged over the previous ones (maps deeply, anything else replaced), then every `--set`, then
 * every `--set-string`.
 *
 * @module
 */
import { readValues, type Values } from "../chart/mod.ts";
import { parseInto } from "./strvals.ts";

/** A `--values` file: a name for errors, and its YAML. */
export interface ValuesFile {
  name: string;
  text: string;
}

/** `--values`, `--set` and `--set-string`, in the order given. */
export interface ValueOptions {
  valueFiles?: ValuesFile[];
  values?: string[];
  stringValues?: string[];
}

/**
 * The merged user values.
 *
 * @example
 * ```ts
 * mergeValues({ valueFiles: [{ name: "a.yaml", text: "image: {tag: v1, pull: Always}" }], values: ["image.tag=v2"] });
 * // { image: { tag: "v2", pull: "Always" } }
 * ```
 */
export function mergeValues(options: ValueOptions): Values {
  let base: Values = {};
  for (const file of options.valueFiles ?? []) {
    let current: Values;
    try {
      current = readValues(file.text);
    } catch (error) {
      throw new Error(`failed to parse ${file.name}: ${(error as Error).message}`);
    }
    base = mergeMaps(base, current);
  }
  for (const value of options.values ?? []) {
    try {
      parseInto(value, base);
    } catch (error) {
      throw new Error(`failed parsing --set data: ${(error as Error).message}`);
    }
  }
  for (const value of options.stringValues ?? []) {
    try {
      parseInto(value, base, true);
    } catch (error) {
      throw new Error(`failed parsing --set-string data: ${(error as Error).message}`);
    }
  }
  return base;
}

/** Helm's `mergeMaps`: `b` over `a`, nested maps merged. */
function mergeMaps(a: Values, b: Values): Values {
  const out: Values = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const before = out[k];
    out[k] = isMap(v) && isMap(before) ? mergeMaps(before, v) : v;
  }
  return out;
}

function isMap(value: unknown): value is Values {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
