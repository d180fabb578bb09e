/**
 * Helm's own template functions that need no render state: `toYaml`, `toYamlPretty`, `fromYaml`,
 * `fromYamlArray`, `toJson`, `fromJson`, `fromJsonArray`, `toToml` and `fromToml`, with Helm's tolerance of errors
 * (`to*` give "" — or the error text for TOML — and `from*` put the error under `Error` or in the list).
 *
 * @module
 */

import { type GoFunc, withSignature } from "../gotemplate/mod.ts";
import { unmarshalYamlArray, unmarshalYamlMap } from "../chart/yaml/decode.ts";
import { marshalYaml, marshalYamlPretty } from "../chart/yaml/marshal.ts";
import { marshal, unmarshal } from "../sprig/json.ts";
import { setEntry } from "../sprig/gomap.ts";
import { fromToml } from "./toml_parse.ts";
import { toToml } from "./toml.ts";

/**
 * Helm's `toYaml`: sigs.k8s.io/yaml's text without its final newline, "" if the value cannot be marshalled.
 *
 * @example
 * ```ts
 * toYaml({ b: "two", a: "one" }); // "a: one\nb: two"
 * ```
 */
export function toYaml(value: unknown): string {
  try {
    return marshalYaml(value).replace(/\n$/, "");
  } catch {
    return "";
  }
}

/** Go's `json.Unmarshal` into a map or a slice: a JSON `null` leaves it empty, another kind is a type error. */
function unmarshalInto(text: string, into: "map" | "slice"): unknown {
  const value = unmarshal(text);
  if (value === null) return into === "map" ? {} : [];
  const isArray = Array.isArray(value);
  if (typeof value === "object" && isArray === (into === "slice")) return value;
  const kind = isArray
    ? "array"
    : typeof value === "object"
    ? "object"
    : typeof value === "boolean"
    ? "bool"
    : typeof value;
  const goType = into === "map" ? "map[string]interface {}" : "[]interface {}";
  throw new Error(`json: cannot unmarshal ${kind} into Go value of type ${goType}`);
}

/** A map holding only an `Error` entry, how Helm's `from*` functions report a failure. */
function errorMap(error: unknown): Record<string, unknown> {
  const m: Record<string, unknown> = {};
  setEntry(m, "Error", (error as Error).message);
  return m;
}

/**
 * The functions Helm adds to Sprig's map (apart from the render-bound `include`, `tpl`, `required`, `fail`,
 * `lookup`), each with its Go signature.
 *
 * @example
 * ```ts
 * helmFunctions().fromYaml("a: 1"); // { a: 1 }
 * ```
 */
export function helmFunctions(): Record<string, GoFunc> {
  return {
    toToml: withSignature((v) => toToml(v), ["interface {}"]),
    fromToml: withSignature((s) => {
      try {
        return fromToml(s as string);
      } catch (error) {
        return errorMap(error);
      }
    }, ["string"]),
    toYaml: withSignature((v) => toYaml(v), ["interface {}"]),
    toYamlPretty: withSignature((v) => {
      try {
        return marshalYamlPretty(v).replace(/\n$/, "");
      } catch {
        return "";
      }
    }, ["interface {}"]),
    fromYaml: withSignature((s) => {
      try {
        return unmarshalYamlMap(s as string);
      } catch (error) {
        return errorMap(error);
      }
    }, ["string"]),
    fromYamlArray: withSignature((s) => {
      try {
        return unmarshalYamlArray(s as string);
      } catch (error) {
        return [(error as Error).message];
      }
    }, ["string"]),
    toJson: withSignature((v) => {
      try {
        return marshal(v);
      } catch {
        return "";
      }
    }, ["interface {}"]),
    fromJson: withSignature((s) => {
      try {
        return unmarshalInto(s as string, "map");
      } catch (error) {
        return errorMap(error);
      }
    }, ["string"]),
    fromJsonArray: withSignature((s) => {
      try {
        return unmarshalInto(s as string, "slice");
      } catch (error) {
        return [(error as Error).message];
      }
    }, ["string"]),
  };
}
