/**
 * Field errors as kube-apiserver words them: the `StatusCause` builders behind `field.Required`, `field.Invalid`,
 * `field.NotSupported`… with the value printed the way Go prints it (`%q` for strings, `%#v` for maps and
 * structs), so `kubectl` shows the same text it shows against a real cluster.
 *
 * @module
 */

import type { StatusCause } from "../api/status.ts";
import { isObj, list, str, strMap } from "./object.ts";

/** A value already rendered in Go syntax (`map[string]string{"app":"web"}`), printed as is. */
export class GoLiteral {
  constructor(readonly text: string) {}
}

/** What a cause can carry as its bad value. */
export type FieldValue = string | number | boolean | null | undefined | GoLiteral;

const goEscapes: Record<string, string> = {
  "\x07": "\\a",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\v": "\\v",
  "\\": "\\\\",
  '"': '\\"',
};

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/**
 * A string quoted like Go's `strconv.Quote` (`%q`), which differs from JSON for control characters.
 *
 * @example
 * ```ts
 * goQuote("a\u0000"); // "\"a\\x00\""
 * ```
 */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (goEscapes[ch]) out += goEscapes[ch];
    else if (printable.test(ch)) out += ch;
    else if (cp < 0x20 || cp === 0x7f) out += "\\x" + cp.toString(16).padStart(2, "0");
    else if (cp < 0x10000) out += "\\u" + cp.toString(16).padStart(4, "0");
    else out += "\\U" + cp.toString(16).padStart(8, "0");
  }
  return out + '"';
}

/**
 * A bad value as `field.Error.ErrorBody` prints it: numbers and booleans bare, strings `%q`-quoted, nil as `null`.
 *
 * @example
 * ```ts
 * formatValue("Bad_Name"); // "\"Bad_Name\""
 * ```
 */
export function formatValue(v: FieldValue): string {
  if (v === null || v === undefined) return "null";
  if (v instanceof GoLiteral) return v.text;
  if (typeof v === "string") return goQuote(v);
  return String(v);
}

function cause(type: string, field: string, body: string, detail: string): StatusCause {
  return { type, field, message: detail ? `${body}: ${detail}` : body };
}

/**
 * `field.Required`: `Required value`, with an optional detail.
 *
 * @example
 * ```ts
 * required("spec.containers"); // { type: "FieldValueRequired", message: "Required value", … }
 * ```
 */
export function required(field: string, detail = ""): StatusCause {
  return cause("FieldValueRequired", field, "Required value", detail);
}

/**
 * `field.Invalid`: `Invalid value: <value>: <detail>`.
 *
 * @example
 * ```ts
 * invalid("spec.replicas", -1, "must be greater than or equal to 0");
 * ```
 */
export function invalid(field: string, value: FieldValue, detail: string): StatusCause {
  return cause("FieldValueInvalid", field, `Invalid value: ${formatValue(value)}`, detail);
}

/**
 * `field.NotSupported`: `Unsupported value: "X": supported values: "A", "B"`.
 *
 * @example
 * ```ts
 * notSupported("spec.type", "Foo", ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]);
 * ```
 */
export function notSupported(field: string, value: FieldValue, supported: readonly string[]): StatusCause {
  const detail = supported.length ? "supported values: " + supported.map(goQuote).join(", ") : "";
  return cause("FieldValueNotSupported", field, `Unsupported value: ${formatValue(value)}`, detail);
}

/**
 * `field.Duplicate`: `Duplicate value: <value>`.
 *
 * @example
 * ```ts
 * duplicate("spec.containers[1].name", "web");
 * ```
 */
export function duplicate(field: string, value: FieldValue): StatusCause {
  return cause("FieldValueDuplicate", field, `Duplicate value: ${formatValue(value)}`, "");
}

/**
 * `field.Forbidden`: `Forbidden: <detail>`.
 *
 * @example
 * ```ts
 * forbidden("immutable", "field is immutable when `immutable` is set");
 * ```
 */
export function forbidden(field: string, detail: string): StatusCause {
  return cause("FieldValueForbidden", field, "Forbidden", detail);
}

/**
 * `field.TooLong` as of 1.32: the value is never printed.
 *
 * @example
 * ```ts
 * tooLong("metadata.annotations", 262144); // "Too long: may not be more than 262144 bytes"
 * ```
 */
export function tooLong(field: string, maxLength: number): StatusCause {
  return cause("FieldValueTooLong", field, "Too long", `may not be more than ${maxLength} bytes`);
}

/**
 * `field.TooMany`: `Too many: <n>: must have at most <max> items`.
 *
 * @example
 * ```ts
 * tooMany("spec.dnsConfig.nameservers", 4, 3);
 * ```
 */
export function tooMany(field: string, actual: number, max: number): StatusCause {
  return cause("FieldValueTooMany", field, `Too many: ${actual}`, `must have at most ${max} items`);
}

/**
 * `field.NotFound`: `Not found: <value>`.
 *
 * @example
 * ```ts
 * notFound("spec.containers[0].volumeMounts[0].name", "data");
 * ```
 */
export function notFound(field: string, value: FieldValue, detail = ""): StatusCause {
  return cause("FieldValueNotFound", field, `Not found: ${formatValue(value)}`, detail);
}

/**
 * The messages of a name/syntax check turned into one `Invalid` cause each, as kube's `for _, msg := range` does.
 *
 * @example
 * ```ts
 * invalidEach("metadata.name", name, isDNS1123Subdomain(name));
 * ```
 */
export function invalidEach(field: string, value: FieldValue, messages: readonly string[]): StatusCause[] {
  return messages.map((m) => invalid(field, value, m));
}

/**
 * A child field path: `child("spec", "template", "spec")` is `spec.template.spec`.
 *
 * @example
 * ```ts
 * child("spec", "replicas"); // "spec.replicas"
 * ```
 */
export function child(base: string, ...names: string[]): string {
  return [base, ...names].filter((s) => s !== "").join(".");
}

/**
 * An indexed or keyed field path: `at("spec.containers", 0)` is `spec.containers[0]`, `at("data", "k")` is `data[k]`.
 *
 * @example
 * ```ts
 * at("data", "app.conf"); // "data[app.conf]"
 * ```
 */
export function at(base: string, indexOrKey: number | string): string {
  return `${base}[${indexOrKey}]`;
}

/**
 * A string map in Go's `%#v` form, keys sorted: `map[string]string{"app":"web"}`, `map[string]string(nil)` when absent.
 *
 * @example
 * ```ts
 * goStringMap({ app: "web" }).text; // "map[string]string{\"app\":\"web\"}"
 * ```
 */
export function goStringMap(v: unknown): GoLiteral {
  const m = strMap(v);
  if (!m) return new GoLiteral("map[string]string(nil)");
  const body = Object.keys(m).sort().map((k) => `${goQuote(k)}:${goQuote(m[k])}`).join(", ");
  return new GoLiteral(`map[string]string{${body}}`);
}

/**
 * A string slice in Go's `%#v` form: `[]string{"a", "b"}`, `[]string(nil)` when absent.
 *
 * @example
 * ```ts
 * goStringSlice(["10.43.0.1"]).text; // "[]string{\"10.43.0.1\"}"
 * ```
 */
export function goStringSlice(v: unknown, type = "[]string"): GoLiteral {
  if (!Array.isArray(v)) return new GoLiteral(`${type}(nil)`);
  return new GoLiteral(`${type}{${v.map((s) => goQuote(str(s))).join(", ")}}`);
}

/**
 * An `intstr.IntOrString` in Go's `%#v` form.
 *
 * @example
 * ```ts
 * goIntOrString("120%").text; // "intstr.IntOrString{Type:1, IntVal:0, StrVal:\"120%\"}"
 * ```
 */
export function goIntOrString(v: unknown): GoLiteral {
  if (typeof v === "string") return new GoLiteral(`intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(v)}}`);
  const n = typeof v === "number" ? v : 0;
  return new GoLiteral(`intstr.IntOrString{Type:0, IntVal:${n}, StrVal:""}`);
}

/**
 * A `metav1.LabelSelector` in Go's `%#v` form, as printed for `spec.selector` errors.
 *
 * @example
 * ```ts
 * goLabelSelector({ matchLabels: { app: "web" } }).text;
 * // v1.LabelSelector{MatchLabels:map[string]string{"app":"web"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}
 * ```
 */
export function goLabelSelector(v: unknown): GoLiteral {
  if (!isObj(v)) return new GoLiteral("null");
  const exprs = Array.isArray(v.matchExpressions)
    ? `[]v1.LabelSelectorRequirement{${
      list(v.matchExpressions).map((e) => {
        const r = isObj(e) ? e : {};
        return `v1.LabelSelectorRequirement{Key:${goQuote(str(r.key))}, Operator:${goQuote(str(r.operator))}, Values:${
          goStringSlice(r.values).text
        }}`;
      }).join(", ")
    }}`
    : "[]v1.LabelSelectorRequirement(nil)";
  return new GoLiteral(`v1.LabelSelector{MatchLabels:${goStringMap(v.matchLabels).text}, MatchExpressions:${exprs}}`);
}

/**
 * A struct kube would print with `%#v`, which cannot be reproduced field for field; rendered as compact JSON.
 *
 * @example
 * ```ts
 * jsonLiteral({ a: 1 }).text; // "{\"a\":1}"
 * ```
 */
export function jsonLiteral(v: unknown): GoLiteral {
  return new GoLiteral(v === undefined ? "null" : JSON.stringify(v));
}

function goFieldName(key: string): string {
  return key.charAt(0).toUpperCase() + key.slice(1);
}

/**
 * A short `cmp.Diff`-style rendering of what changed between two structs, appended to "may not change" messages.
 * Kube prints Go's full diff; this keeps its shape (`-` old, `+` new, per changed field) over JSON values.
 *
 * @example
 * ```ts
 * structDiff("core.PodSpec", { a: 1 }, { a: 2 });
 * ```
 */
export function structDiff(typeName: string, before: unknown, after: unknown): string {
  const b = isObj(before) ? before : {};
  const a = isObj(after) ? after : {};
  const lines = [`  ${typeName}{`];
  let same = 0;
  for (const key of [...new Set([...Object.keys(b), ...Object.keys(a)])].sort()) {
    const was = JSON.stringify(b[key] ?? null);
    const now = JSON.stringify(a[key] ?? null);
    if (was === now) {
      same++;
      continue;
    }
    if (b[key] !== undefined) lines.push(`- \t${goFieldName(key)}: ${was},`);
    if (a[key] !== undefined) lines.push(`+ \t${goFieldName(key)}: ${now},`);
  }
  if (same) lines.push(`  \t... // ${same} identical fields`);
  lines.push("  }");
  return lines.join("\n") + "\n";
}
