/**
 * `x-kubernetes-validations`: CEL rules on a schema node, compiled with `self` (and `oldSelf`) typed from the
 * schema, and run over a custom object the way apiextensions-apiserver runs them — at every node that has rules,
 * with `oldSelf` correlated through object fields and map-list keys, transition rules skipped when there is no
 * old value, and failures worded as kube words them (`spec: Invalid value: "object": min must not exceed max`,
 * or `failed rule: <rule>` without a message).
 *
 * @module
 */
import { duplicate, forbidden, GoLiteral, goQuote, invalid, required } from "../admission/field.ts";
import type { StatusCause } from "../api/status.ts";
import { CelEvalError, type CelType, compile, fromJson, type Program, schemaType } from "./cel/mod.ts";
import type { JSONSchemaProps, ValidationRule } from "./types.ts";

/** A rule ready to run, or the reason it cannot be. */
export interface CompiledRule {
  rule: ValidationRule;
  program?: Program;
  messageProgram?: Program;
  usesOldSelf: boolean;
  /** Where a rule's `fieldPath` points, normalised (`spec.replicas`). */
  fieldPath?: string;
  /** The compile problem of the rule (`rule`) or of its message expression (`messageExpression`). */
  error?: { field: "rule" | "messageExpression"; detail: string };
}

/**
 * A validation rule as Go's `%#v` prints it in CRD errors.
 *
 * @example
 * ```ts
 * goRule({ rule: "self > 1" }).text;
 * // apiextensions.ValidationRule{Rule:"self > 1", Message:"", MessageExpression:"", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:"", OptionalOldSelf:(*bool)(nil)}
 * ```
 */
export function goRule(rule: ValidationRule): GoLiteral {
  const reason = rule.reason === undefined
    ? "(*apiextensions.FieldValueErrorReason)(nil)"
    : `(*apiextensions.FieldValueErrorReason)(${goQuote(rule.reason)})`;
  const optional = rule.optionalOldSelf === undefined ? "(*bool)(nil)" : `(*bool)(${rule.optionalOldSelf})`;
  return new GoLiteral(
    `apiextensions.ValidationRule{Rule:${goQuote(rule.rule ?? "")}, Message:${goQuote(rule.message ?? "")}, ` +
      `MessageExpression:${goQuote(rule.messageExpression ?? "")}, Reason:${reason}, FieldPath:${
        goQuote(rule.fieldPath ?? "")
      }, OptionalOldSelf:${optional}}`,
  );
}

/**
 * The CEL type `self` has at a schema node; the root of a resource (and every embedded resource) also exposes
 * `apiVersion`, `kind` and `metadata.name`.
 *
 * @example
 * ```ts
 * selfType({ type: "integer" }, false)?.k; // "int"
 * ```
 */
export function selfType(schema: JSONSchemaProps, resourceRoot: boolean): CelType | undefined {
  return schemaType(schema, resourceRoot || schema["x-kubernetes-embedded-resource"] === true, "self");
}

/**
 * Compile the rules of one schema node.
 *
 * @example
 * ```ts
 * compileRules({ type: "object", properties: { a: { type: "integer" } },
 *   "x-kubernetes-validations": [{ rule: "self.a > 0" }] }, false)[0].program?.type.k; // "bool"
 * ```
 */
export function compileRules(schema: JSONSchemaProps, resourceRoot: boolean): CompiledRule[] {
  const rules = schema["x-kubernetes-validations"] ?? [];
  const type = selfType(schema, resourceRoot);
  return rules.map((rule) => {
    if (!type) {
      return {
        rule,
        usesOldSelf: false,
        error: { field: "rule", detail: "compilation failed: the schema gives self no type CEL can see" },
      };
    }
    const vars = new Map([["self", type], ["oldSelf", type]]);
    const compiled = compile(rule.rule ?? "", vars);
    if ("error" in compiled) {
      return { rule, usesOldSelf: false, error: { field: "rule", detail: "compilation failed: " + compiled.error } };
    }
    const program = compiled.program;
    const usesOldSelf = program.references.has("oldSelf");
    if (program.type.k !== "bool") {
      return { rule, usesOldSelf, error: { field: "rule", detail: "cel expression must evaluate to a bool" } };
    }
    const out: CompiledRule = { rule, program, usesOldSelf, fieldPath: normalizeFieldPath(rule.fieldPath) };
    if (rule.messageExpression) {
      const message = compile(rule.messageExpression, vars);
      if ("error" in message) {
        out.error = { field: "messageExpression", detail: "messageExpression compilation failed: " + message.error };
      } else if (message.program.type.k !== "string") {
        out.error = { field: "messageExpression", detail: "messageExpression must evaluate to a string" };
      } else out.messageProgram = message.program;
    }
    return out;
  });
}

/**
 * A rule's `fieldPath` (`.spec.replicas`, `.spec['x-y']`, `.list[0]`) as a field path (`spec.replicas`).
 *
 * @example
 * ```ts
 * normalizeFieldPath(".spec['x-y'].a"); // "spec.x-y.a"
 * ```
 */
export function normalizeFieldPath(path: string | undefined): string | undefined {
  const segments = parseFieldPath(path);
  if (!segments) return undefined;
  let out = "";
  for (const s of segments) out += typeof s === "number" ? `[${s}]` : out ? `.${s}` : s;
  return out;
}

/** The segments of a rule field path, or undefined when it does not parse. */
function parseFieldPath(path: string | undefined): (string | number)[] | undefined {
  if (!path) return undefined;
  const segments: (string | number)[] = [];
  const re = /\.([A-Za-z_][A-Za-z0-9_-]*)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]/y;
  let i = 0;
  while (i < path.length) {
    re.lastIndex = i;
    const m = re.exec(path);
    if (!m) return undefined;
    segments.push(m[1] ?? (m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : Number(m[3])));
    i = re.lastIndex;
  }
  return segments;
}

/**
 * Whether a rule's `fieldPath` names a field of `schema` (kube refuses the rule otherwise).
 *
 * @example
 * ```ts
 * fieldPathExists(".a", { type: "object", properties: { a: { type: "string" } } }); // true
 * ```
 */
export function fieldPathExists(path: string, schema: JSONSchemaProps): boolean {
  const segments = parseFieldPath(path);
  if (!segments) return false;
  let s: JSONSchemaProps | undefined = schema;
  for (const segment of segments) {
    if (!s) return false;
    if (typeof segment === "number") s = s.items && !Array.isArray(s.items) ? s.items : undefined;
    else {
      s = s.properties?.[segment] ??
        (typeof s.additionalProperties === "object" ? s.additionalProperties : undefined);
    }
  }
  return s !== undefined;
}

/**
 * The rules of a schema tree, compiled once per CRD version and run per write.
 *
 * @example
 * ```ts
 * RuleValidator.build(schema)?.validate(newObject, oldObject); // StatusCause[]
 * ```
 */
export class RuleValidator {
  readonly #rules: CompiledRule[];
  readonly #type: CelType | undefined;
  readonly #properties = new Map<string, RuleValidator>();
  #items?: RuleValidator;
  #additional?: RuleValidator;

  private constructor(readonly schema: JSONSchemaProps, resourceRoot: boolean) {
    this.#rules = compileRules(schema, resourceRoot);
    this.#type = this.#rules.length ? selfType(schema, resourceRoot) : undefined;
  }

  /**
   * The validator of a version's schema, or undefined when it has no rules anywhere.
   *
   * @example
   * ```ts
   * const rules = RuleValidator.build(version.schema.openAPIV3Schema);
   * rules?.validate(widget, storedWidget);
   * ```
   */
  static build(schema: JSONSchemaProps | undefined, resourceRoot = true): RuleValidator | undefined {
    if (!schema) return undefined;
    const v = new RuleValidator(schema, resourceRoot);
    let any = v.#rules.length > 0;
    for (const [key, sub] of Object.entries(schema.properties ?? {})) {
      const child = RuleValidator.build(sub, sub["x-kubernetes-embedded-resource"] === true);
      if (child) {
        v.#properties.set(key, child);
        any = true;
      }
    }
    if (schema.items && !Array.isArray(schema.items)) {
      v.#items = RuleValidator.build(schema.items, schema.items["x-kubernetes-embedded-resource"] === true);
      any ||= v.#items !== undefined;
    }
    if (typeof schema.additionalProperties === "object") {
      const additional = schema.additionalProperties;
      v.#additional = RuleValidator.build(additional, additional["x-kubernetes-embedded-resource"] === true);
      any ||= v.#additional !== undefined;
    }
    return any ? v : undefined;
  }

  /**
   * Run every rule over `value`; `old` is the stored object on update (transition rules need it).
   *
   * @example
   * ```ts
   * rules.validate({ spec: { min: 9, max: 3 } });
   * // [{ field: "spec", message: 'Invalid value: "object": min must not exceed max', … }]
   * ```
   */
  validate(value: unknown, old?: unknown, path = ""): StatusCause[] {
    const out: StatusCause[] = [];
    this.#validate(value, old, path, out);
    return out;
  }

  #validate(value: unknown, old: unknown, path: string, out: StatusCause[]): void {
    if (value === null || value === undefined) return;
    this.#expressions(value, old, path, out);
    if (Array.isArray(value)) {
      if (!this.#items) return;
      value.forEach((item, i) => this.#items!.#validate(item, correlate(this.schema, item, old), `${path}[${i}]`, out));
      return;
    }
    if (typeof value !== "object") return;
    const object = value as Record<string, unknown>;
    const oldObject = old !== null && typeof old === "object" && !Array.isArray(old)
      ? old as Record<string, unknown>
      : undefined;
    for (const [key, child] of this.#properties) {
      if (key in object) child.#validate(object[key], oldObject?.[key], path ? `${path}.${key}` : key, out);
    }
    if (this.#additional) {
      for (const [key, v] of Object.entries(object)) {
        if (this.schema.properties?.[key]) continue;
        this.#additional.#validate(v, oldObject?.[key], `${path}[${key}]`, out);
      }
    }
  }

  #expressions(value: unknown, old: unknown, path: string, out: StatusCause[]): void {
    const field = path || "<nil>";
    const shown = this.schema.type ?? "";
    for (const compiled of this.#rules) {
      const { rule, program } = compiled;
      if (!program) {
        out.push(invalid(field, shown, compiled.error?.detail ?? "rule could not be compiled"));
        continue;
      }
      if (compiled.usesOldSelf && old === undefined && !rule.optionalOldSelf) continue;
      const vars = new Map([["self", fromJson(value, this.#type)]]);
      if (compiled.usesOldSelf) vars.set("oldSelf", old === undefined ? null : fromJson(old, this.#type));
      let result;
      try {
        result = program.evaluate(vars);
      } catch (error) {
        if (!(error instanceof CelEvalError)) throw error;
        const detail = error.message.startsWith("no such overload")
          ? `'${error.message}': call arguments did not match a supported operator, function or macro signature for rule: ${
            ruleErrorString(rule)
          }`
          : `${error.message} evaluating rule: ${ruleErrorString(rule)}`;
        out.push(invalid(field, shown, detail));
        continue;
      }
      if (result === true) continue;
      const at = compiled.fieldPath ? (path ? `${path}.${compiled.fieldPath}` : compiled.fieldPath) : field;
      out.push(failure(at, shown, this.#message(compiled, vars), rule.reason));
    }
  }

  #message(compiled: CompiledRule, vars: Map<string, unknown>): string {
    if (compiled.messageProgram) {
      try {
        const message = compiled.messageProgram.evaluate(vars as never);
        if (typeof message === "string" && message.trim() !== "" && !/[\r\n]/.test(message)) return message.trim();
      } catch (error) {
        if (!(error instanceof CelEvalError)) throw error;
      }
    }
    const { rule } = compiled;
    return rule.message?.trim() ? rule.message.trim() : `failed rule: ${ruleErrorString(rule)}`;
  }
}

function ruleErrorString(rule: ValidationRule): string {
  return rule.message?.trim() ? rule.message.trim() : (rule.rule ?? "").trim();
}

function failure(field: string, shown: string, detail: string, reason: string | undefined): StatusCause {
  switch (reason) {
    case "FieldValueForbidden":
      return forbidden(field, detail);
    case "FieldValueRequired":
      return required(field, detail);
    case "FieldValueDuplicate":
      return duplicate(field, shown);
    default:
      return invalid(field, shown, detail);
  }
}

/** The old item a new list item correlates with: by key in a `map` list; items of other lists have none. */
function correlate(schema: JSONSchemaProps, item: unknown, old: unknown): unknown {
  const keys = schema["x-kubernetes-list-map-keys"];
  if (schema["x-kubernetes-list-type"] !== "map" || !keys?.length || !Array.isArray(old)) return undefined;
  if (item === null || typeof item !== "object") return undefined;
  const key = (o: unknown) => JSON.stringify(keys.map((k) => (o as Record<string, unknown> | null)?.[k]));
  return old.find((o) => key(o) === key(item));
}
