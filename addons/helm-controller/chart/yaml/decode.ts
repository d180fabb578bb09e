/**
 * Reading YAML as Helm 3 does, through sigs.k8s.io/yaml: go-yaml v2 decodes the first document (YAML 1.1 scalars,
 * merge keys, aliases), map keys become strings, and the result goes through encoding/json — so every number a chart
 * reads from YAML is a float64 (a JS `number`), NaN and ±Inf are errors, and decoding into a map or a slice fails
 * with Go's `json: cannot unmarshal …` messages.
 *
 * @module
 */

import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type Node, parseAllDocuments } from "yaml";
import { setEntry } from "../../sprig/gomap.ts";
import { formatFloat32 } from "./float32.ts";
import { resolvePlain } from "./resolve.ts";

/** A value as go-yaml v2 decodes it, keys made strings: ints are bigint, floats are number. */
export type YamlValue = null | boolean | string | bigint | number | YamlValue[] | { [key: string]: YamlValue };

const TAG = "tag:yaml.org,2002:";
/** go-yaml stops documents that expand aliases beyond this many nodes (the "billion laughs" guard). */
const MAX_ALIAS_NODES = 10_000_000;

/**
 * Decodes the first document of `text` as go-yaml v2 would into `interface{}` (after sigs.k8s.io/yaml's key
 * conversion); an empty document is `null`. Throws `Error("yaml: line N: …")` on a syntax error.
 *
 * @example
 * ```ts
 * decodeYaml("port: 8080\nenabled: on\n"); // { port: 8080n, enabled: true }
 * ```
 */
export function decodeYaml(text: string): YamlValue {
  const docs = parseAllDocuments(text, { version: "1.1", schema: "failsafe", uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [];
  const doc = list[0];
  if (!doc) return null;
  const error = doc.errors[0];
  if (error) {
    throw new Error(`yaml: line ${error.linePos?.[0].line ?? 1}: ${libyamlMessage(error.code, error.message)}`);
  }
  return new Decoder(doc).node(doc.contents as Node | null);
}

/**
 * The first step of sigs.k8s.io/yaml's `Unmarshal` into a struct: {@link decodeYaml}, refusing what JSON cannot
 * hold (NaN, ±Inf), failing with `error converting YAML to JSON: …`. Ints stay bigint, so a struct decoder can
 * still print them as go-yaml typed them.
 *
 * @example
 * ```ts
 * yamlForJson("version: 1.0\n"); // { version: 1 }
 * ```
 */
export function yamlForJson(text: string): YamlValue {
  try {
    const value = decodeYaml(text);
    jsonCompatible(value);
    return value;
  } catch (error) {
    throw new Error(`error converting YAML to JSON: ${(error as Error).message}`);
  }
}

/**
 * sigs.k8s.io/yaml's `YAMLToJSON` as a value: {@link decodeYaml}, then a trip through encoding/json, so ints become
 * float64 `number`s. Throws `error converting YAML to JSON: …` as Helm reports it.
 *
 * @example
 * ```ts
 * yamlToJson("replicas: 3\n"); // { replicas: 3 }
 * ```
 */
export function yamlToJson(text: string): unknown {
  return jsonCompatible(yamlForJson(text));
}

/**
 * `yaml.Unmarshal(text, &m)` into a Go map (`map[string]interface {}` unless another Go type name is given): an
 * empty document leaves the map empty; anything but a mapping is a JSON type error.
 *
 * @example
 * ```ts
 * unmarshalYamlMap("a: 1"); // { a: 1 }
 * unmarshalYamlMap("- 1"); // throws "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}"
 * ```
 */
export function unmarshalYamlMap(text: string, goType = "map[string]interface {}"): Record<string, unknown> {
  const value = yamlToJson(text);
  if (value === null) return {};
  if (typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  throw unmarshalTypeError(value, goType);
}

/**
 * `yaml.Unmarshal(text, &a)` into a `[]interface {}`.
 *
 * @example
 * ```ts
 * unmarshalYamlArray("- a\n- 2\n"); // ["a", 2]
 * ```
 */
export function unmarshalYamlArray(text: string): unknown[] {
  const value = yamlToJson(text);
  if (value === null) return [];
  if (Array.isArray(value)) return value;
  throw unmarshalTypeError(value, "[]interface {}");
}

/** The error encoding/json gives when a JSON value does not fit the Go type, as sigs.k8s.io/yaml wraps it. */
function unmarshalTypeError(value: unknown, goType: string): Error {
  const kind = typeof value === "string"
    ? "string"
    : typeof value === "number"
    ? "number"
    : typeof value === "boolean"
    ? "bool"
    : Array.isArray(value)
    ? "array"
    : "object";
  return new Error(
    `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${kind} into Go value of type ${goType}`,
  );
}

/**
 * The value encoding/json would give back after marshalling a decoded YAML value: ints become float64 and
 * NaN/±Inf are refused as Go's `json.Marshal` refuses them.
 *
 * @example
 * ```ts
 * jsonCompatible({ n: 3n }); // { n: 3 }
 * ```
 */
export function jsonCompatible(value: YamlValue): unknown {
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new Error(`json: unsupported value: ${Number.isNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf"}`);
    }
    return value;
  }
  if (Array.isArray(value)) return value.map(jsonCompatible);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) setEntry(out, k, jsonCompatible(v));
    return out;
  }
  return value;
}

/** Walks the parsed document as go-yaml's decoder walks its node tree. */
class Decoder {
  #aliasNodes = 0;
  #expanding = new Set<Node>();

  constructor(private readonly doc: Document) {}

  node(node: Node | null, viaAlias = false): YamlValue {
    if (viaAlias && ++this.#aliasNodes > MAX_ALIAS_NODES) throw new Error("yaml: document contains excessive aliasing");
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      const target = node.resolve(this.doc) as Node | undefined;
      if (!target) throw new Error(`yaml: unknown anchor '${node.source}' referenced`);
      if (this.#expanding.has(target)) throw new Error(`yaml: anchor '${node.source}' value contains itself`);
      this.#expanding.add(target);
      try {
        return this.node(target, true);
      } finally {
        this.#expanding.delete(target);
      }
    }
    if (isScalar(node)) return scalar(node.value as string, node.type, node.tag);
    if (isSeq(node)) return node.items.map((item) => this.node(item as Node, viaAlias));
    if (isMap(node)) return this.mapping(node.items, viaAlias);
    return null;
  }

  mapping(items: unknown[], viaAlias: boolean): { [key: string]: YamlValue } {
    const out: { [key: string]: YamlValue } = {};
    for (const item of items) {
      if (!isPair(item)) continue;
      const keyNode = item.key as Node | null;
      if (isScalar(keyNode) && keyNode.type === "PLAIN" && !keyNode.tag && keyNode.value === "<<") {
        this.merge(item.value as Node | null, out);
        continue;
      }
      setEntry(out, mapKey(this.node(keyNode, viaAlias)), this.node(item.value as Node | null, viaAlias));
    }
    return out;
  }

  /** go-yaml v2 applies `<<` in place: merged keys overwrite earlier ones; in a list, earlier maps win. */
  merge(node: Node | null, out: { [key: string]: YamlValue }): void {
    const sources = isSeq(node) ? [...node.items].reverse() as Node[] : [node];
    for (const source of sources) {
      const value = this.node(source, isAlias(source));
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw new Error("yaml: map merge requires map or sequence of maps as the value");
      }
      for (const [k, v] of Object.entries(value)) setEntry(out, k, v);
    }
  }
}

/** A scalar's value: quoted and block scalars are strings; plain ones resolve; tags are checked as go-yaml does. */
function scalar(text: string, type: string | undefined, tag: string | undefined): YamlValue {
  const plain = type === "PLAIN";
  if (!tag) {
    if (!plain) return text;
    const resolved = resolvePlain(text);
    return resolved.tag === "timestamp" || resolved.tag === "merge" ? text : resolved.value;
  }
  if (!tag.startsWith(TAG)) return text;
  const wanted = tag.slice(TAG.length);
  if (wanted === "str") return text;
  if (wanted === "binary") {
    return new TextDecoder().decode(Uint8Array.from(atob(text.replace(/\s/g, "")), (c) => c.charCodeAt(0)));
  }
  const resolved = resolvePlain(text);
  const got = resolved.tag === "merge" ? "str" : resolved.tag;
  if (got === wanted) return resolved.tag === "timestamp" ? text : resolved.value as YamlValue;
  if (wanted === "float" && resolved.tag === "int") return Number(resolved.value);
  throw new Error(`yaml: cannot decode !!${got} \`${text}\` as a !!${wanted}`);
}

/** sigs.k8s.io/yaml turns non-string keys into strings: ints in decimal, floats as float32 `%g`, bools as words. */
function mapKey(key: YamlValue): string {
  if (typeof key === "string") return key;
  if (typeof key === "bigint") return key.toString();
  if (typeof key === "boolean") return key ? "true" : "false";
  if (typeof key === "number") {
    const s = formatFloat32(key);
    return s === "+Inf" ? ".inf" : s === "-Inf" ? "-.inf" : s === "NaN" ? ".nan" : s;
  }
  throw new Error(
    `unsupported map key of type: ${
      key === null ? "<nil>" : Array.isArray(key) ? "[]interface {}" : "map[interface {}]interface {}"
    }`,
  );
}

/** The libyaml wording of the `yaml` package's most common syntax errors, so messages read as Helm's do. */
function libyamlMessage(code: string, message: string): string {
  switch (code) {
    case "BLOCK_AS_IMPLICIT_KEY":
      return "mapping values are not allowed in this context";
    case "TAB_AS_INDENT":
      return "found character that cannot start any token";
    case "BAD_INDENT":
      return message.startsWith("Flow") ? "did not find expected ',' or ']'" : "did not find expected key";
    case "MISSING_CHAR":
      return "did not find expected node content";
  }
  const first = message.split(/ at line \d+/)[0];
  return first.charAt(0).toLowerCase() + first.slice(1);
}
