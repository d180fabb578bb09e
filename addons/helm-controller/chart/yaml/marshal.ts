/**
 * Writing values as YAML the two ways Helm does: sigs.k8s.io/yaml's `Marshal` (`toYaml`: the value is written as
 * JSON by encoding/json, read back by go-yaml v2 — so a float64 that JSON prints as an integer becomes a YAML int —
 * and written by go-yaml v2) and go-yaml v3's encoder with a two-space indent (`toYamlPretty`: the Go value as is).
 *
 * @module
 */

import { isMap } from "../../gotemplate/mod.ts";
import { marshal, unmarshal } from "../../sprig/json.ts";
import { decodeYaml, type YamlValue } from "./decode.ts";
import { emitYaml } from "./emit.ts";

/**
 * sigs.k8s.io/yaml's `Marshal(value)`: the YAML text (ending in a newline), or a thrown `Error` with Go's message
 * (`error marshaling into JSON: json: unsupported value: NaN`).
 *
 * @example
 * ```ts
 * marshalYaml({ replicas: 3, ratio: 0.5 }); // "ratio: 0.5\nreplicas: 3\n"
 * marshalYaml({ big: 1e6 }); // "big: 1000000\n"
 * ```
 */
export function marshalYaml(value: unknown): string {
  let json: string;
  try {
    json = marshal(value);
  } catch (error) {
    throw new Error(`error marshaling into JSON: ${(error as Error).message}`);
  }
  return emitYaml(decodeYaml(json));
}

/**
 * go-yaml v3's `Encoder` with `SetIndent(2)` over the value itself, as Helm's `toYamlPretty` uses it.
 *
 * @example
 * ```ts
 * marshalYamlPretty({ list: ["a"], num: 1e6 }); // "list:\n  - a\nnum: 1e+06\n"
 * ```
 */
export function marshalYamlPretty(value: unknown): string {
  return emitYaml(asIs(value), { indentSequences: true, width: Infinity });
}

/** The value as go-yaml v3 marshals it directly: float64 stays a float, int64 an int; structs by their JSON. */
function asIs(value: unknown): YamlValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "string":
    case "boolean":
    case "number":
    case "bigint":
      return value;
  }
  if (Array.isArray(value)) return value.map(asIs);
  if (isMap(value)) {
    const out: { [key: string]: YamlValue } = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: asIs(v), enumerable: true });
    return out;
  }
  return asIs(unmarshal(marshal(value)));
}
