/**
 * Validation of a custom object against its CRD version's OpenAPI v3 schema, the way kube-openapi's validator
 * (which apiextensions-apiserver runs) checks it and words it: `spec.size: Invalid value: 20: spec.size in body
 * should be less than or equal to 10`, `spec.color: Unsupported value: "green": supported values: "blue", "red"`.
 * On update, unchanged parts of the object are not re-checked (kube's validation ratcheting), so tightening a
 * schema never blocks edits elsewhere in old objects.
 *
 * @module
 */
import { goQuote, invalid, notSupported, required, tooLong, tooMany } from "../admission/field.ts";
import type { StatusCause } from "../api/status.ts";
import { goValue } from "./go_value.ts";
import { validFormat } from "./formats.ts";
import type { JSONSchemaProps } from "./types.ts";

/**
 * Check `value` against `schema`; `old` (on update) is the stored object, whose unchanged parts pass.
 *
 * @example
 * ```ts
 * validateValue({ type: "object", properties: { size: { type: "integer", maximum: 10 } } }, { size: 20 });
 * // [{ type: "FieldValueInvalid", field: "size", message: "Invalid value: 20: size in body should be less than or equal to 10" }]
 * ```
 */
export function validateValue(schema: JSONSchemaProps | undefined, value: unknown, old?: unknown): StatusCause[] {
  const out: StatusCause[] = [];
  if (schema) validate(schema, value, "", old, out);
  return out;
}

/** The field path kube reports for a go-openapi name (`.spec` at the root loses its dot). */
function fieldOf(name: string): string {
  const trimmed = name.startsWith(".") ? name.slice(1) : name;
  return trimmed === "" ? "<nil>" : trimmed;
}

function typeInvalid(name: string, typeName: string, value: unknown): StatusCause {
  const shown = typeof value === "string" ? goQuote(value) : String(value);
  return {
    ...invalid(fieldOf(name), goValue(value), `${name} in body must be of type ${typeName}: ${shown}`),
    type: "FieldValueTypeInvalid",
  };
}

/** The JSON type of a decoded value, as go-openapi names it (integral numbers are integers). */
function jsonType(value: unknown): string {
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "string") return "string";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  if (Array.isArray(value)) return "array";
  return "object";
}

function typesOf(s: JSONSchemaProps): string[] {
  if (s["x-kubernetes-int-or-string"]) return ["integer", "string"];
  return s.type ? [s.type] : [];
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    return a.length === (b as unknown[]).length && a.every((x, i) => deepEqual(x, (b as unknown[])[i]));
  }
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as never)[k], (b as never)[k]));
}

/**
 * Whether two JSON values are equal as kube compares them (numbers by value).
 *
 * @example
 * ```ts
 * jsonEqual({ a: [1] }, { a: [1] }); // true
 * ```
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return deepEqual(a, b);
}

function validate(s: JSONSchemaProps, value: unknown, name: string, old: unknown, out: StatusCause[]): void {
  // Ratcheting: a value the update did not change keeps whatever it was.
  if (old !== undefined && deepEqual(value, old)) return;
  const types = typesOf(s);
  if (value === null || value === undefined) {
    if (types.length > 0 && !s.nullable) out.push(typeInvalid(name, types.join(","), "null"));
    if (s.enum?.length && !s.enum.some((e) => e === null)) out.push(enumFailure(s, name, null));
    return;
  }
  const actual = jsonType(value);
  const isString = typeof value === "string" || Array.isArray(value);
  const numeric = types.includes("number") || types.includes("integer");
  const formatSkipsType = !numeric && s.format && isString;
  if (types.length > 0 && !formatSkipsType) {
    const ok = types.includes(actual) || (actual === "integer" && types.includes("number"));
    if (!ok) out.push(typeInvalid(name, types.join(","), actual));
  }
  validateCombinators(s, value, name, out);
  if (typeof value === "string") validateString(s, value, name, out);
  if (typeof value === "number") validateNumber(s, value, name, out);
  if (Array.isArray(value)) validateArray(s, value, name, old, out);
  if (s.enum?.length && !s.enum.some((e) => deepEqual(e, value))) out.push(enumFailure(s, name, value));
  if (actual === "object") validateObject(s, value as Record<string, unknown>, name, old, out);
}

function enumFailure(s: JSONSchemaProps, name: string, value: unknown): StatusCause {
  const supported = (s.enum ?? []).map((e) => typeof e === "string" ? e : JSON.stringify(e));
  return notSupported(fieldOf(name), goValue(value), supported);
}

function validateCombinators(s: JSONSchemaProps, value: unknown, name: string, out: StatusCause[]): void {
  const quoted = JSON.stringify(name);
  const run = (sub: JSONSchemaProps) => {
    const errs: StatusCause[] = [];
    validate(sub, value, name, undefined, errs);
    return errs;
  };
  if (s.anyOf?.length) {
    const results = s.anyOf.map(run);
    if (!results.some((r) => r.length === 0)) {
      out.push(invalid(fieldOf(name), "", `${quoted} must validate at least one schema (anyOf)`));
      out.push(...results[0]);
    }
  }
  if (s.oneOf?.length) {
    const results = s.oneOf.map(run);
    const valid = results.filter((r) => r.length === 0).length;
    if (valid !== 1) {
      const detail = valid === 0 ? "Found none valid" : `Found ${valid} valid alternatives`;
      out.push(invalid(fieldOf(name), "", `${quoted} must validate one and only one schema (oneOf). ${detail}`));
      if (valid === 0) out.push(...results[0]);
    }
  }
  if (s.allOf?.length) {
    const results = s.allOf.map(run);
    for (const r of results) out.push(...r);
    const valid = results.filter((r) => r.length === 0).length;
    if (valid !== results.length) {
      const detail = valid === 0 ? ". None validated" : "";
      out.push(invalid(fieldOf(name), "", `${quoted} must validate all the schemas (allOf)${detail}`));
    }
  }
  if (s.not && run(s.not).length === 0) {
    out.push(invalid(fieldOf(name), "", `${quoted} must not validate the schema (not)`));
  }
}

function validateString(s: JSONSchemaProps, value: string, name: string, out: StatusCause[]): void {
  const length = [...value].length;
  if (s.maxLength !== undefined && length > s.maxLength) {
    out.push(tooLong(fieldOf(name), s.maxLength));
    return;
  }
  if (s.minLength !== undefined && length < s.minLength) {
    out.push(invalid(fieldOf(name), value, `${name} in body should be at least ${s.minLength} chars long`));
    return;
  }
  if (s.pattern) {
    const re = compilePattern(s.pattern);
    if (typeof re === "string") {
      out.push(
        invalid(fieldOf(name), value, `${name} in body should match '${s.pattern}, but pattern is invalid: ${re}'`),
      );
    } else if (!re.test(value)) {
      out.push(invalid(fieldOf(name), value, `${name} in body should match '${s.pattern}'`));
    }
  }
  if (s.format && !validFormat(s.format, value)) out.push(typeInvalid(name, s.format, value));
}

const patterns = new Map<string, RegExp | string>();

/**
 * A schema `pattern` as a JavaScript RegExp (Go's RE2 syntax is a subset), or the compile error.
 *
 * @example
 * ```ts
 * compilePattern("^[a-z]+$"); // /^[a-z]+$/u
 * ```
 */
export function compilePattern(pattern: string): RegExp | string {
  let re = patterns.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, "u");
    } catch (error) {
      re = error instanceof Error ? error.message : String(error);
    }
    patterns.set(pattern, re);
  }
  return re;
}

function validateNumber(s: JSONSchemaProps, value: number, name: string, out: StatusCause[]): void {
  const field = fieldOf(name);
  if (s.multipleOf !== undefined && s.multipleOf !== 0) {
    const quotient = value / s.multipleOf;
    if (Math.abs(quotient - Math.round(quotient)) > 1e-9) {
      out.push(invalid(field, value, `${name} in body should be a multiple of ${s.multipleOf}`));
    }
  }
  if (s.minimum !== undefined) {
    const fails = s.exclusiveMinimum ? value <= s.minimum : value < s.minimum;
    const relation = s.exclusiveMinimum ? "greater than" : "greater than or equal to";
    if (fails) out.push(invalid(field, value, `${name} in body should be ${relation} ${s.minimum}`));
  }
  if (s.maximum !== undefined) {
    const fails = s.exclusiveMaximum ? value >= s.maximum : value > s.maximum;
    const relation = s.exclusiveMaximum ? "less than" : "less than or equal to";
    if (fails) out.push(invalid(field, value, `${name} in body should be ${relation} ${s.maximum}`));
  }
}

/** Items of a `map` list correlate with the stored list by their keys; other lists do not. */
function correlatedItem(s: JSONSchemaProps, item: unknown, old: unknown): unknown {
  const keys = s["x-kubernetes-list-map-keys"];
  if (s["x-kubernetes-list-type"] !== "map" || !keys?.length || !Array.isArray(old)) return undefined;
  if (item === null || typeof item !== "object") return undefined;
  const key = (o: unknown) => JSON.stringify(keys.map((k) => (o as Record<string, unknown> | null)?.[k]));
  return old.find((o) => key(o) === key(item));
}

function validateArray(s: JSONSchemaProps, value: unknown[], name: string, old: unknown, out: StatusCause[]): void {
  const items = s.items;
  if (items && !Array.isArray(items)) {
    value.forEach((item, i) => validate(items, item, `${name}[${i}]`, correlatedItem(s, item, old), out));
  }
  if (s.minItems !== undefined && value.length < s.minItems) {
    out.push(invalid(fieldOf(name), value.length, `${name} in body should have at least ${s.minItems} items`));
  }
  if (s.maxItems !== undefined && value.length > s.maxItems) {
    out.push(tooMany(fieldOf(name), value.length, s.maxItems));
  }
  if (s.uniqueItems) {
    const seen = new Set(value.map((v) => JSON.stringify(v)));
    if (seen.size !== value.length) {
      out.push(invalid(fieldOf(name), goValue(value), `${name} in body shouldn't contain duplicates`));
    }
  }
}

function validateObject(
  s: JSONSchemaProps,
  value: Record<string, unknown>,
  name: string,
  old: unknown,
  out: StatusCause[],
): void {
  const count = Object.keys(value).length;
  const field = fieldOf(name);
  if (s.minProperties !== undefined && count < s.minProperties) {
    out.push(invalid(field, count, `${name} in body should have at least ${s.minProperties} properties`));
  }
  if (s.maxProperties !== undefined && count > s.maxProperties) out.push(tooMany(field, count, s.maxProperties));
  const oldObject = old !== null && typeof old === "object" && !Array.isArray(old)
    ? old as Record<string, unknown>
    : undefined;
  const properties = s.properties ?? {};
  const additional = s.additionalProperties;
  for (const [key, v] of Object.entries(value)) {
    if (key in properties) continue;
    if (additional === false) {
      out.push(invalid(field, key, `${name}.${key} in body is a forbidden property`));
    } else if (additional && typeof additional === "object") {
      validate(additional, v, `${name}.${key}`, oldObject?.[key], out);
    }
  }
  for (const [key, sub] of Object.entries(properties)) {
    if (key in value) validate(sub, value[key], name ? `${name}.${key}` : key, oldObject?.[key], out);
  }
  for (const key of s.required ?? []) {
    if (!(key in value)) out.push(required(fieldOf(`${name}.${key}`)));
  }
}
