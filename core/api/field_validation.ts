/**
 * What kube-apiserver's typed JSON decoding finds in a request body of a built-in kind: a value of the
 * wrong JSON type is a 400 whatever `fieldValidation` says (Go cannot put a bool in a string field —
 * this is what a YAML 1.1 `Y` or `on` written where a string belongs runs into), while unknown and
 * duplicate fields are dropped and, by `fieldValidation`, refused (Strict), reported as warnings (Warn,
 * the default) or ignored (Ignore).
 *
 * @module
 */
import { builtinDefinitions } from "../openapi/openapi.ts";

/** The `fieldValidation` directive of a write. */
export type FieldValidation = "Strict" | "Warn" | "Ignore";

/** What {@linkcode checkFields} found. */
export interface FieldFindings {
  /** Paths of unknown fields (`spec.template.spec.containers[0].foo`), already removed from the object. */
  unknown: string[];
  /** Paths of fields given twice in the JSON text. */
  duplicates: string[];
  /** Go's decode error for the first value of the wrong type (`json: cannot unmarshal bool into …`). */
  typeError?: string;
}

type Schema = Record<string, unknown>;

/** A compiled node of a built-in type. */
type FieldType =
  | { t: "struct"; go: string; struct: string; fields: Map<string, () => FieldType> }
  | { t: "map"; go: string; value: () => FieldType }
  | { t: "list"; go: string; items: () => FieldType }
  | { t: "scalar"; go: string; json: "string" | "number" | "boolean"; integer: boolean }
  | { t: "stringOrNumber"; go: string }
  | { t: "any"; go: string };

const ANY: FieldType = { t: "any", go: "interface {}" };
const REF_PREFIX = "#/definitions/";

/** Definitions whose Go types decode more than their OpenAPI type says. */
const SPECIAL: Record<string, FieldType> = {
  "io.k8s.apimachinery.pkg.util.intstr.IntOrString": { t: "stringOrNumber", go: "intstr.IntOrString" },
  "io.k8s.apimachinery.pkg.api.resource.Quantity": { t: "stringOrNumber", go: "resource.Quantity" },
  "io.k8s.apimachinery.pkg.runtime.RawExtension": ANY,
  "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON": ANY,
};

function isSchema(value: unknown): value is Schema {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** `io.k8s.api.core.v1.EnvVar` → `v1.EnvVar`, as Go prints a struct type. */
function goName(definition: string): string {
  const parts = definition.split(".");
  return parts.slice(-2).join(".");
}

class Compiler {
  readonly #byName = new Map<string, FieldType>();
  constructor(readonly definitions: Record<string, unknown>) {}

  byName(name: string): FieldType {
    let type = this.#byName.get(name);
    if (!type) {
      const schema = this.definitions[name];
      type = SPECIAL[name] ?? (isSchema(schema) ? this.compile(schema, name) : ANY);
      this.#byName.set(name, type);
    }
    return type;
  }

  compile(schema: Schema, definition?: string): FieldType {
    const ref = typeof schema.$ref === "string" ? schema.$ref : undefined;
    if (ref) return this.byName(ref.startsWith(REF_PREFIX) ? ref.slice(REF_PREFIX.length) : ref);
    switch (schema.type) {
      case "string":
        return { t: "scalar", go: "string", json: "string", integer: false };
      case "boolean":
        return { t: "scalar", go: "bool", json: "boolean", integer: false };
      case "integer":
        return { t: "scalar", go: schema.format === "int32" ? "int32" : "int64", json: "number", integer: true };
      case "number":
        return { t: "scalar", go: "float64", json: "number", integer: false };
      case "array": {
        const items = isSchema(schema.items) ? schema.items : {};
        let compiled: FieldType | undefined;
        const itemType = () => compiled ??= this.compile(items);
        return {
          t: "list",
          get go() {
            return `[]${itemType().go}`;
          },
          items: itemType,
        } as FieldType;
      }
    }
    if (isSchema(schema.properties)) {
      const fields = new Map<string, () => FieldType>();
      for (const [key, property] of Object.entries(schema.properties)) {
        let compiled: FieldType | undefined;
        fields.set(key, () => compiled ??= isSchema(property) ? this.compile(property) : ANY);
      }
      const go = definition ? goName(definition) : "struct";
      return { t: "struct", go, struct: go.slice(go.indexOf(".") + 1), fields };
    }
    if (isSchema(schema.additionalProperties)) {
      const value = schema.additionalProperties;
      let compiled: FieldType | undefined;
      const valueType = () => compiled ??= this.compile(value);
      return {
        t: "map",
        get go() {
          return `map[string]${valueType().go}`;
        },
        value: valueType,
      } as FieldType;
    }
    return ANY;
  }
}

let compiler: Compiler | undefined;
const kinds = new Map<string, string>();

function rootType(group: string, version: string, kind: string): FieldType | undefined {
  if (!compiler) {
    const definitions = builtinDefinitions();
    compiler = new Compiler(definitions);
    for (const [name, schema] of Object.entries(definitions)) {
      const gvks = isSchema(schema) ? schema["x-kubernetes-group-version-kind"] : undefined;
      if (!Array.isArray(gvks) || gvks.length !== 1) continue;
      const { group: g, version: v, kind: k } = gvks[0] as { group: string; version: string; kind: string };
      kinds.set(`${g}/${v}/${k}`, name);
    }
  }
  const name = kinds.get(`${group}/${version}/${kind}`);
  return name === undefined ? undefined : compiler.byName(name);
}

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (value === null) return "null";
  return typeof value === "object" ? "object" : typeof value === "boolean" ? "bool" : typeof value;
}

function jsonTypeOf(value: unknown): string {
  return typeof value;
}

/** Int32/int64 ranges Go enforces when decoding a number into an integer field. */
function fitsInteger(value: number, go: string): boolean {
  if (!Number.isInteger(value)) return false;
  return go === "int32" ? value >= -(2 ** 31) && value < 2 ** 31 : Number.isSafeInteger(value);
}

interface Walk {
  findings: FieldFindings;
  /** Strategic merge patch directives (`$patch`, `$setElementOrder/…`) are not fields. */
  patch: boolean;
}

function walk(value: unknown, type: FieldType, path: string, goPath: string, struct: string, w: Walk): void {
  if (value === null || value === undefined) return; // null decodes into anything in Go
  const typeError = (what = jsonKind(value)) => {
    w.findings.typeError ??=
      `json: cannot unmarshal ${what} into Go struct field ${struct}.${goPath} of type ${type.go}`;
  };
  switch (type.t) {
    case "any":
      return;
    case "stringOrNumber":
      if (typeof value !== "string" && typeof value !== "number") typeError();
      return;
    case "scalar":
      if (type.json === "number" && typeof value === "number") {
        if (type.integer && !fitsInteger(value, type.go)) typeError(`number ${value}`);
      } else if (jsonTypeOf(value) !== type.json) {
        typeError(typeof value === "number" ? "number" : jsonKind(value));
      }
      return;
    case "list":
      if (!Array.isArray(value)) {
        if (!(w.patch && isSchema(value))) typeError();
        return;
      }
      value.forEach((item, i) => walk(item, type.items(), `${path}[${i}]`, goPath, struct, w));
      return;
    case "map":
      if (!isSchema(value)) return typeError();
      for (const [key, item] of Object.entries(value)) {
        walk(item, type.value(), path ? `${path}.${key}` : key, goPath, struct, w);
      }
      return;
    case "struct": {
      if (!isSchema(value)) return typeError();
      for (const key of Object.keys(value)) {
        if (w.patch && key.startsWith("$")) continue;
        const field = type.fields.get(key);
        const fieldPath = path ? `${path}.${key}` : key;
        if (!field) {
          w.findings.unknown.push(fieldPath);
          delete value[key];
          continue;
        }
        walk(value[key], field(), fieldPath, goPath ? `${goPath}.${key}` : key, type.struct, w);
      }
    }
  }
}

/**
 * Check (and strip unknown fields from) a decoded body of a built-in kind; kinds without a built-in
 * schema (custom resources) are left alone. `raw` is the JSON text, for duplicate fields; `patch` says
 * the body is a merge or strategic merge patch (directives allowed, lists may be patch maps).
 *
 * @example
 * ```ts
 * const found = checkFields("apps", "v1", "Deployment", body, text);
 * if (found.typeError) throw badRequest(`Deployment in version "v1" cannot be handled as a Deployment: ${found.typeError}`);
 * ```
 */
export function checkFields(
  group: string,
  version: string,
  kind: string,
  body: unknown,
  raw?: string,
  patch = false,
): FieldFindings {
  const findings: FieldFindings = { unknown: [], duplicates: raw ? duplicateFields(raw) : [] };
  const root = rootType(group, version, kind);
  if (!root || !isSchema(body)) return findings;
  const w: Walk = { findings, patch };
  if (root.t === "struct") {
    // The root struct's own name starts Go's field paths: `Deployment.spec`.
    for (const key of Object.keys(body)) {
      if (patch && key.startsWith("$")) continue;
      const field = root.fields.get(key);
      if (!field) {
        findings.unknown.push(key);
        delete body[key];
        continue;
      }
      walk(body[key], field(), key, key, root.struct, w);
    }
  }
  return findings;
}

/**
 * Paths of keys given more than once in one JSON object of `text` (JSON.parse keeps the last silently).
 *
 * @example
 * ```ts
 * duplicateFields('{"metadata":{"name":"a","name":"b"}}'); // ["metadata.name"]
 * ```
 */
export function duplicateFields(text: string): string[] {
  const found: string[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\n" || text[i] === "\r" || text[i] === "\t")) i++;
  };
  const readString = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i));
  };
  const value = (path: string): void => {
    skipSpace();
    const c = text[i];
    if (c === "{") {
      i++;
      const seen = new Set<string>();
      skipSpace();
      if (text[i] === "}") return void i++;
      while (i < text.length) {
        skipSpace();
        const key = readString();
        const keyPath = path ? `${path}.${key}` : key;
        if (seen.has(key)) found.push(keyPath);
        seen.add(key);
        skipSpace();
        i++; // ':'
        value(keyPath);
        skipSpace();
        if (text[i++] !== ",") return;
      }
    } else if (c === "[") {
      i++;
      skipSpace();
      if (text[i] === "]") return void i++;
      for (let n = 0; i < text.length; n++) {
        value(`${path}[${n}]`);
        skipSpace();
        if (text[i++] !== ",") return;
      }
    } else if (c === '"') {
      readString();
    } else {
      while (i < text.length && !",]} \n\r\t".includes(text[i])) i++;
    }
  };
  try {
    value("");
  } catch {
    // Malformed JSON is reported by the real parse; duplicates do not matter then.
  }
  return found;
}

/**
 * kube's strict decoding error text for unknown and duplicate fields.
 *
 * @example
 * ```ts
 * strictDecodingError({ unknown: ["spec.replicass"], duplicates: [] }); // 'strict decoding error: unknown field "spec.replicass"'
 * ```
 */
export function strictDecodingError(findings: FieldFindings): string {
  return `strict decoding error: ${fieldWarnings(findings).join(", ")}`;
}

/**
 * One warning per unknown or duplicate field, as kube-apiserver sends them with `fieldValidation=Warn`.
 *
 * @example
 * ```ts
 * fieldWarnings({ unknown: ["spec.foo"], duplicates: ["metadata.name"] }); // ['unknown field "spec.foo"', 'duplicate field "metadata.name"']
 * ```
 */
export function fieldWarnings(findings: FieldFindings): string[] {
  return [
    ...findings.duplicates.map((p) => `duplicate field "${p}"`),
    ...findings.unknown.map((p) => `unknown field "${p}"`),
  ];
}
