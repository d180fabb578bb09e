/**
 * Sprig's defaults and JSON functions: `default`, `empty`, `coalesce`, `all`, `any`, `ternary`, `fromJson`,
 * `toJson`, `toPrettyJson`, `toRawJson` and their `must*` variants, plus flow control's `fail`.
 *
 * @module
 */
import { withSignature as fn } from "../gotemplate/signature.ts";
import { type GoFunc, isTrue } from "../gotemplate/value.ts";
import { marshal, unmarshal } from "./json.ts";

/**
 * Sprig's `empty`: the zero value of its type — nil, false, 0, 0.0, "", an empty list or map. Structs (times,
 * objects) are never empty.
 *
 * @example
 * ```ts
 * empty(0n); // true
 * empty({}); // true
 * empty(new Date()); // false
 * ```
 */
export function empty(v: unknown): boolean {
  return !isTrue(v);
}

/**
 * Sprig's `default`: the given value unless it is {@link empty} (or missing), else the default.
 *
 * @example
 * ```ts
 * dfault("foo", ""); // "foo"
 * dfault("foo", false); // "foo"
 * dfault("foo", "bar"); // "bar"
 * ```
 */
export function dfault(d: unknown, ...given: unknown[]): unknown {
  if (given.length === 0 || empty(given[0])) return d;
  return given[0];
}

/** `json.Marshal` with Sprig's error swallowing: a value JSON cannot hold gives "". */
function swallow(f: () => string): string {
  try {
    return f();
  } catch {
    return "";
  }
}

const any = "interface {}";

/** Sprig's defaults and JSON functions by their template names. */
export const defaultFunctions: Record<string, GoFunc> = {
  default: fn(dfault, [any], any),
  empty: fn((v) => empty(v), [any]),
  coalesce: fn((...v) => v.find((x) => !empty(x)) ?? null, [], any),
  all: fn((...v) => v.every((x) => !empty(x)), [], any),
  any: fn((...v) => v.some((x) => !empty(x)), [], any),
  ternary: fn((t, f, cond) => (cond ? t : f), [any, any, "bool"]),
  fromJson: fn((s) => {
    try {
      return unmarshal(s as string);
    } catch {
      return null;
    }
  }, ["string"]),
  mustFromJson: fn((s) => unmarshal(s as string), ["string"]),
  toJson: fn((v) => swallow(() => marshal(v)), [any]),
  mustToJson: fn((v) => marshal(v), [any]),
  toPrettyJson: fn((v) => swallow(() => marshal(v, { indent: "  " })), [any]),
  mustToPrettyJson: fn((v) => marshal(v, { indent: "  " }), [any]),
  // Sprig panics here rather than returning "", so the template fails either way.
  toRawJson: fn((v) => marshal(v, { escapeHTML: false }), [any]),
  mustToRawJson: fn((v) => marshal(v, { escapeHTML: false }), [any]),
  fail: fn((msg) => {
    throw new Error(msg as string);
  }, ["string"]),
};
