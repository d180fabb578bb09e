/**
 * values.schema.json validation as Helm 3.18 does it (santhosh-tekuri/jsonschema v6): the keywords charts rely
 * on — `type`, `enum`, `const`, `required`, `properties`, `patternProperties`, `additionalProperties`, min/max
 * properties, `items`/`prefixItems`/`additionalItems`, min/max items, `uniqueItems`, `contains`, min/max length,
 * `pattern`, `minimum`/`maximum` (and exclusive), `multipleOf`, `allOf`/`anyOf`/`oneOf`/`not`, `if`/`then`/`else`
 * and local `$ref`s (`#/definitions/…`, `#/$defs/…`) — with the library's error tree printed as Helm prints it
 * (`- at '/replicas': got string, want integer`).
 *
 * @module
 */

import { formatFloat, goTypeName, isMap } from "../gotemplate/mod.ts";
import { unmarshal } from "../sprig/json.ts";
import type { Chart } from "./chart.ts";
import type { Values } from "./values.ts";

interface VError {
  loc: string[];
  message: string;
  causes: VError[];
  /** A `$ref` wrapper, which is not printed when it has a single cause. */
  ref?: boolean;
  /** Several errors of one schema, printed as "validation failed" with the errors under it. */
  group?: boolean;
}

type Schema = boolean | Record<string, unknown>;

/**
 * Helm's `ValidateAgainstSchema`: validates `values` against the chart's schema and each subchart's values
 * against its own, returning Helm's report (`<chart>:\n- at '<path>': <message>\n` per failing chart) or "" when
 * everything is valid.
 *
 * @example
 * ```ts
 * validateAgainstSchema(chart, { replicas: "3" }); // "greeter:\n- at '/replicas': got string, want integer\n"
 * ```
 */
export function validateAgainstSchema(chart: Chart, values: Values): string {
  let report = "";
  if (chart.schema !== null) {
    const problem = validateAgainstSingleSchema(values, new TextDecoder().decode(chart.schema));
    if (problem !== "") report += `${chart.name()}:\n${problem}`;
  }
  for (const sub of chart.dependencies()) {
    const subValues = values[sub.name()];
    if (subValues === null || subValues === undefined) continue;
    if (!isMap(subValues)) {
      report += `${sub.name()}:\ninvalid type for values: expected object (map), got ${goTypeName(subValues)}\n`;
      continue;
    }
    report += validateAgainstSchema(sub, subValues);
  }
  return report;
}

/**
 * Validates `values` against one schema document: "" when valid, else the error lines (ending in a newline).
 *
 * @example
 * ```ts
 * validateAgainstSingleSchema({ a: 1 }, '{"required": ["b"]}'); // "- at '': missing property 'b'\n"
 * ```
 */
export function validateAgainstSingleSchema(values: Values, schemaText: string): string {
  let root: Schema;
  try {
    root = unmarshal(schemaText) as Schema;
  } catch (error) {
    return (error as Error).message;
  }
  if (typeof root !== "boolean" && !isMap(root)) {
    return `"file:///values.schema.json#" is not valid against metaschema: jsonschema validation failed with ` +
      `'https://json-schema.org/draft/2020-12/schema#'\n- at '': got ${jsonType(root)}, want boolean or object`;
  }
  let err: VError | null;
  try {
    err = new Validator(root).validate(root, values, []);
  } catch (error) {
    return (error as Error).message;
  }
  if (err === null) return "";
  const causes = err.group ? err.causes : [err];
  const lines: string[] = [];
  for (const cause of causes) display(cause, 1, lines);
  return lines.join("\n") + "\n";
}

function display(e: VError, indent: number, lines: string[]): void {
  let depth = indent;
  if (!(e.ref && e.causes.length === 1)) {
    lines.push(`${"  ".repeat(indent - 1)}- at ${quote(pointer(e.loc))}: ${e.message}`);
    depth++;
  }
  for (const cause of e.causes) display(cause, depth, lines);
}

function pointer(loc: string[]): string {
  return loc.map((t) => "/" + t.replaceAll("~", "~0").replaceAll("/", "~1")).join("");
}

/** The library's `quote`: Go's `%q` in single quotes. */
function quote(s: string): string {
  const q = JSON.stringify(s).slice(1, -1).replaceAll('\\"', '"').replaceAll("'", "\\'");
  return `'${q}'`;
}

function jsonType(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "boolean") return "boolean";
  if (typeof v === "number" || typeof v === "bigint") return "number";
  if (typeof v === "string") return "string";
  if (Array.isArray(v)) return "array";
  return "object";
}

function isInteger(v: unknown): boolean {
  return typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v));
}

/** A number as the library prints it through an English `message.Printer`: grouped thousands. */
function num(v: number): string {
  const s = formatFloat(v, "g", -1);
  if (s.includes("e")) return s;
  const [int, frac] = s.split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** How the library shows an enum or const value: strings quoted, numbers and bools as `%v`. */
function show(v: unknown): string {
  if (typeof v === "string") return quote(v);
  if (typeof v === "number") return formatFloat(v, "g", -1);
  if (v === null || v === undefined) return "<nil>";
  if (Array.isArray(v) || isMap(v)) return "value";
  return String(v);
}

function equal(a: unknown, b: unknown): boolean {
  if ((typeof a === "number" || typeof a === "bigint") && (typeof b === "number" || typeof b === "bigint")) {
    return Number(a) === Number(b);
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && equal(a[k], b[k]));
  }
  return a === b;
}

function draftOf(root: Schema): number {
  const id = typeof root === "object" ? String(root.$schema ?? "") : "";
  for (const [marker, draft] of [["draft-04", 4], ["draft-06", 6], ["draft-07", 7], ["2019-09", 2019]] as const) {
    if (id.includes(marker)) return draft;
  }
  return 2020;
}

class Validator {
  readonly draft: number;

  constructor(readonly root: Schema) {
    this.draft = draftOf(root);
  }

  resolve(ref: string): Schema {
    if (!ref.startsWith("#")) throw new Error(`jsonschema: unsupported $ref ${JSON.stringify(ref)}`);
    let target: unknown = this.root;
    const path = decodeURIComponent(ref.slice(1));
    for (const token of path === "" ? [] : path.replace(/^\//, "").split("/")) {
      const key = token.replaceAll("~1", "/").replaceAll("~0", "~");
      target = Array.isArray(target) ? target[Number(key)] : isMap(target) ? target[key] : undefined;
      if (target === undefined) {
        throw new Error(`JSON Pointer ${JSON.stringify(path)} not found in file:///values.schema.json`);
      }
    }
    if (typeof target !== "boolean" && !isMap(target)) throw new Error(`invalid $ref ${JSON.stringify(ref)}`);
    return target as Schema;
  }

  error(loc: string[], message: string, causes: VError[] = []): VError {
    return { loc, message, causes };
  }

  validate(schema: Schema, v: unknown, loc: string[]): VError | null {
    if (schema === true) return null;
    if (schema === false) return this.error(loc, "false schema");
    const s = schema;
    const t = jsonType(v);
    if (s.type !== undefined) {
      const want = (Array.isArray(s.type) ? s.type : [s.type]) as string[];
      if (!want.includes(t) && !(want.includes("integer") && t === "number" && isInteger(v))) {
        const order = ["null", "boolean", "number", "integer", "string", "array", "object"];
        return this.error(loc, `got ${t}, want ${order.filter((o) => want.includes(o)).join(" or ")}`);
      }
    }
    if ("const" in s && !equal(v, s.const)) {
      return this.error(
        loc,
        Array.isArray(s.const) || isMap(s.const) ? "const failed" : `value must be ${show(s.const)}`,
      );
    }
    if (Array.isArray(s.enum) && !s.enum.some((e) => equal(v, e))) {
      const primitive = s.enum.every((e) => !Array.isArray(e) && !isMap(e));
      const message = !primitive
        ? "enum failed"
        : s.enum.length === 1
        ? `value must be ${show(s.enum[0])}`
        : `value must be one of ${s.enum.map(show).join(", ")}`;
      return this.error(loc, message);
    }
    const errors: VError[] = [];
    if (typeof s.$ref === "string") {
      const err = this.validateRef(this.resolve(s.$ref), v, loc);
      if (this.draft < 2019) return err;
      if (err) errors.push(err);
    }
    if (isMap(v)) this.object(s, v, loc, errors);
    else if (Array.isArray(v)) this.array(s, v, loc, errors);
    else if (typeof v === "string") this.string(s, v, loc, errors);
    else if (typeof v === "number" || typeof v === "bigint") this.number(s, Number(v), loc, errors);
    this.conditions(s, v, loc, errors);
    if (errors.length === 0) return null;
    if (errors.length === 1) return errors[0];
    return { loc, message: "validation failed", causes: errors, group: true };
  }

  validateRef(target: Schema, v: unknown, loc: string[]): VError | null {
    const err = this.validate(target, v, loc);
    if (err === null) return null;
    return { loc, message: "validation failed", causes: err.group ? err.causes : [err], ref: true };
  }

  object(s: Record<string, unknown>, obj: Record<string, unknown>, loc: string[], errors: VError[]): void {
    const keys = Object.keys(obj).sort();
    if (typeof s.minProperties === "number" && keys.length < s.minProperties) {
      errors.push(this.error(loc, `minProperties: got ${num(keys.length)}, want ${num(s.minProperties)}`));
    }
    if (typeof s.maxProperties === "number" && keys.length > s.maxProperties) {
      errors.push(this.error(loc, `maxProperties: got ${num(keys.length)}, want ${num(s.maxProperties)}`));
    }
    if (Array.isArray(s.required)) {
      const missing = (s.required as string[]).filter((p) => !Object.hasOwn(obj, p));
      if (missing.length === 1) errors.push(this.error(loc, `missing property ${quote(missing[0])}`));
      else if (missing.length > 1) errors.push(this.error(loc, `missing properties ${missing.map(quote).join(", ")}`));
    }
    const properties = isMap(s.properties) ? s.properties : {};
    const patterns = isMap(s.patternProperties) ? Object.entries(s.patternProperties) : [];
    const additional: string[] = [];
    for (const key of keys) {
      let evaluated = false;
      if (Object.hasOwn(properties, key)) {
        evaluated = true;
        this.push(errors, this.validate(properties[key] as Schema, obj[key], [...loc, key]));
      }
      for (const [pattern, sub] of patterns) {
        if (regexp(pattern).test(key)) {
          evaluated = true;
          this.push(errors, this.validate(sub as Schema, obj[key], [...loc, key]));
        }
      }
      if (!evaluated && s.additionalProperties !== undefined) {
        if (s.additionalProperties === false) additional.push(key);
        else this.push(errors, this.validate(s.additionalProperties as Schema, obj[key], [...loc, key]));
      }
    }
    if (additional.length > 0) {
      errors.push(this.error(loc, `additional properties ${additional.map(quote).join(", ")} not allowed`));
    }
  }

  array(s: Record<string, unknown>, arr: unknown[], loc: string[], errors: VError[]): void {
    if (typeof s.minItems === "number" && arr.length < s.minItems) {
      errors.push(this.error(loc, `minItems: got ${num(arr.length)}, want ${num(s.minItems)}`));
    }
    if (typeof s.maxItems === "number" && arr.length > s.maxItems) {
      errors.push(this.error(loc, `maxItems: got ${num(arr.length)}, want ${num(s.maxItems)}`));
    }
    if (s.uniqueItems === true) {
      outer: for (let i = 0; i < arr.length; i++) {
        for (let j = i + 1; j < arr.length; j++) {
          if (equal(arr[i], arr[j])) {
            errors.push(this.error(loc, `items at ${i} and ${j} are equal`));
            break outer;
          }
        }
      }
    }
    const item = (sub: unknown, i: number) =>
      this.push(errors, this.validate(sub as Schema, arr[i], [...loc, String(i)]));
    let evaluated = 0;
    const tuple = this.draft < 2020 ? s.items : s.prefixItems;
    if (Array.isArray(tuple)) {
      evaluated = Math.min(tuple.length, arr.length);
      for (let i = 0; i < evaluated; i++) item(tuple[i], i);
    }
    const rest = this.draft < 2020 ? (Array.isArray(s.items) ? s.additionalItems : s.items) : s.items;
    if (rest === false && evaluated < arr.length && this.draft < 2020) {
      errors.push(this.error(loc, `last ${arr.length - evaluated} additionalItem(s) not allowed`));
    } else if (rest !== undefined) {
      for (let i = evaluated; i < arr.length; i++) item(rest, i);
    }
    if (s.contains !== undefined && this.draft >= 6) {
      const failures: VError[] = [];
      let matched = 0;
      arr.forEach((x, i) => {
        const err = this.validate(s.contains as Schema, x, [...loc, String(i)]);
        if (err) failures.push(err);
        else matched++;
      });
      if (matched === 0) errors.push(this.error(loc, "no items match contains schema", failures));
    }
  }

  string(s: Record<string, unknown>, str: string, loc: string[], errors: VError[]): void {
    const length = Array.from(str).length;
    if (typeof s.minLength === "number" && length < s.minLength) {
      errors.push(this.error(loc, `minLength: got ${num(length)}, want ${num(s.minLength)}`));
    }
    if (typeof s.maxLength === "number" && length > s.maxLength) {
      errors.push(this.error(loc, `maxLength: got ${num(length)}, want ${num(s.maxLength)}`));
    }
    if (typeof s.pattern === "string" && !regexp(s.pattern).test(str)) {
      errors.push(this.error(loc, `${quote(str)} does not match pattern ${quote(s.pattern)}`));
    }
  }

  number(s: Record<string, unknown>, n: number, loc: string[], errors: VError[]): void {
    const check = (keyword: string, limit: unknown, fails: (limit: number) => boolean) => {
      if (typeof limit === "number" && fails(limit)) {
        errors.push(this.error(loc, `${keyword}: got ${num(n)}, want ${num(limit)}`));
      }
    };
    const draft4Exclusive = this.draft === 4;
    if (draft4Exclusive && s.exclusiveMinimum === true) check("exclusiveMinimum", s.minimum, (l) => n <= l);
    else check("minimum", s.minimum, (l) => n < l);
    if (draft4Exclusive && s.exclusiveMaximum === true) check("exclusiveMaximum", s.maximum, (l) => n >= l);
    else check("maximum", s.maximum, (l) => n > l);
    if (!draft4Exclusive) {
      check("exclusiveMinimum", s.exclusiveMinimum, (l) => n <= l);
      check("exclusiveMaximum", s.exclusiveMaximum, (l) => n >= l);
    }
    check("multipleOf", s.multipleOf, (l) => !Number.isInteger(n / l));
  }

  conditions(s: Record<string, unknown>, v: unknown, loc: string[], errors: VError[]): void {
    if (s.not !== undefined && this.validate(s.not as Schema, v, loc) === null) {
      errors.push(this.error(loc, "not failed"));
    }
    if (Array.isArray(s.allOf)) {
      const failures = s.allOf.map((sub) => this.validate(sub as Schema, v, loc)).filter((e): e is VError =>
        e !== null
      );
      if (failures.length > 0) errors.push(this.error(loc, "allOf failed", failures));
    }
    if (Array.isArray(s.anyOf)) {
      const failures: VError[] = [];
      const matched = s.anyOf.some((sub) => {
        const err = this.validate(sub as Schema, v, loc);
        if (err) failures.push(err);
        return err === null;
      });
      if (!matched) errors.push(this.error(loc, "anyOf failed", failures));
    }
    if (Array.isArray(s.oneOf)) {
      const failures: VError[] = [];
      let matched = -1;
      for (let i = 0; i < s.oneOf.length; i++) {
        const err = this.validate(s.oneOf[i] as Schema, v, loc);
        if (err === null && matched === -1) matched = i;
        else if (err === null) {
          errors.push(this.error(loc, `oneOf failed, subschemas ${matched}, ${i} matched`));
          break;
        } else if (matched === -1) failures.push(err);
      }
      if (matched === -1) errors.push(this.error(loc, "oneOf failed, none matched", failures));
    }
    if (s.if !== undefined && this.draft >= 7) {
      const branch = this.validate(s.if as Schema, v, loc) === null ? s.then : s.else;
      if (branch !== undefined) this.push(errors, this.validate(branch as Schema, v, loc));
    }
  }

  push(errors: VError[], err: VError | null): void {
    if (err) errors.push(err);
  }
}

const REGEXPS = new Map<string, RegExp>();

/** An ECMA-262 regular expression for a schema pattern (the library's default engine is Go's RE2, close enough). */
function regexp(pattern: string): RegExp {
  let re = REGEXPS.get(pattern);
  if (!re) {
    try {
      re = new RegExp(pattern, "u");
    } catch {
      re = new RegExp(pattern);
    }
    REGEXPS.set(pattern, re);
  }
  return re;
}
