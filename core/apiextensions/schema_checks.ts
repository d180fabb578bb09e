/**
 * The checks a CRD version's `schema.openAPIV3Schema` must pass before the CRD is stored, as
 * apiextensions-apiserver's `validateCustomResourceDefinitionValidation` makes them: the OpenAPI features CRDs do
 * not support, list and map type extensions, the structural-schema rules, defaults that validate against their
 * own schema, and every `x-kubernetes-validations` rule compiled — a rule that does not compile refuses the CRD
 * with the rule named in the error.
 *
 * @module
 */
import { forbidden, invalid, jsonLiteral, notSupported, required } from "../admission/field.ts";
import type { StatusCause } from "../api/status.ts";
import { goValue } from "./go_value.ts";
import { prune } from "./pruning.ts";
import { compileRules, fieldPathExists, goRule, RuleValidator } from "./rules.ts";
import { validateStructural } from "./structural.ts";
import type { JSONSchemaProps } from "./types.ts";
import { jsonEqual, validateValue } from "./validation.ts";

const OPENAPI_TYPES = ["array", "boolean", "integer", "number", "object", "string"];
const ROOT_FIELDS_WITH_STATUS = new Set([
  "description",
  "type",
  "format",
  "title",
  "maximum",
  "exclusiveMaximum",
  "minimum",
  "exclusiveMinimum",
  "maxLength",
  "minLength",
  "pattern",
  "maxItems",
  "minItems",
  "uniqueItems",
  "multipleOf",
  "required",
  "items",
  "properties",
  "externalDocs",
  "example",
  "x-kubernetes-preserve-unknown-fields",
  "x-kubernetes-validations",
]);
const ROOT_FIELD_NAMES =
  "[Description Type Format Title Maximum ExclusiveMaximum Minimum ExclusiveMinimum MaxLength MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items Properties ExternalDocs Example XPreserveUnknownFields XValidations]";
const VALIDATION_REASONS = ["FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"];
const META_FIELDS = new Set(["metadata", "kind", "apiVersion"]);

/**
 * Validate one CRD version's `schema` (`{ openAPIV3Schema }`) found at `path`.
 *
 * @example
 * ```ts
 * validateVersionSchema({ openAPIV3Schema: { type: "object", properties: { spec: { type: "object",
 *   "x-kubernetes-validations": [{ rule: "self.nope > 1" }] } } } }, false, "spec.validation");
 * // spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule: Invalid value: …:
 * //   compilation failed: ERROR: <input>:1:5: undefined field 'nope' …
 * ```
 */
export function validateVersionSchema(
  validation: { openAPIV3Schema?: JSONSchemaProps } | undefined,
  statusEnabled: boolean,
  path: string,
): StatusCause[] {
  const schema = validation?.openAPIV3Schema;
  if (!schema) return [];
  const errs: StatusCause[] = [];
  const rootPath = `${path}.openAPIV3Schema`;
  if (statusEnabled) {
    for (const key of Object.keys(schema)) {
      if (key === "type") {
        if (schema.type !== "object") {
          errs.push(
            invalid(
              `${rootPath}.type`,
              schema.type ?? "",
              `only "object" is allowed as the type at the root of the schema if the status subresource is enabled`,
            ),
          );
          break;
        }
        continue;
      }
      if (!ROOT_FIELDS_WITH_STATUS.has(key)) {
        errs.push(
          invalid(
            rootPath,
            jsonLiteral(schema),
            `only ${ROOT_FIELD_NAMES} fields are allowed at the root of the schema if the status subresource is enabled`,
          ),
        );
        break;
      }
    }
  }
  if (schema.nullable) errs.push(forbidden(`${rootPath}.nullable`, "nullable cannot be true at the root"));
  let celEnabled = false;
  const structural = validateStructural(schema, rootPath);
  if (structural.length) errs.push(...structural);
  else {
    const defaults = validateDefaults(schema, rootPath);
    if (defaults.length) errs.push(...defaults);
    else celEnabled = true;
  }
  const checks = new SchemaChecks(celEnabled);
  checks.visit(schema, rootPath, { root: true, resourceRoot: true });
  errs.push(...checks.schemaErrors, ...checks.celErrors);
  return errs;
}

interface Context {
  root?: boolean;
  /** `self` at this node is a resource (the root, or an embedded resource). */
  resourceRoot?: boolean;
  insideMeta?: boolean;
  defaultsForbidden?: string;
  /** The first ancestor `oldSelf` cannot be correlated through. */
  uncorrelatable?: string;
}

class SchemaChecks {
  readonly schemaErrors: StatusCause[] = [];
  readonly celErrors: StatusCause[] = [];
  constructor(readonly celEnabled: boolean) {}

  /** Check `s` at `path`, with CEL compiled at nodes CEL can type (`cel` false inside junctors). */
  visit(s: JSONSchemaProps, path: string, ctx: Context, cel = true): void {
    const before = this.schemaErrors.length;
    this.#standard(s, path, ctx);
    if (s.uniqueItems) {
      this.schemaErrors.push(
        forbidden(
          `${path}.uniqueItems`,
          "uniqueItems cannot be set to true since the runtime complexity becomes quadratic",
        ),
      );
    }
    const additional = s.additionalProperties;
    if (additional !== undefined) {
      if (Object.keys(s.properties ?? {}).length && (additional === false || typeof additional === "object")) {
        this.schemaErrors.push(
          forbidden(`${path}.additionalProperties`, "additionalProperties and properties are mutual exclusive"),
        );
      }
      if (typeof additional === "object") {
        const sub = ctx.insideMeta
          ? {
            ...ctx,
            root: false,
            resourceRoot: false,
            defaultsForbidden: "inside additionalProperties applying to object metadata",
          }
          : { ...ctx, root: false, resourceRoot: additional["x-kubernetes-embedded-resource"] === true };
        this.visit(additional, `${path}.additionalProperties`, sub, cel);
      }
    }
    for (const [name, property] of Object.entries(s.properties ?? {})) {
      const sub: Context = {
        ...ctx,
        root: false,
        resourceRoot: property["x-kubernetes-embedded-resource"] === true,
        uncorrelatable: ctx.uncorrelatable ?? (s["x-kubernetes-map-type"] === "atomic" ? path : undefined),
      };
      if ((ctx.root || s["x-kubernetes-embedded-resource"]) && META_FIELDS.has(name)) {
        sub.insideMeta = true;
        if (ctx.root) sub.defaultsForbidden = `in top-level ${name}`;
      }
      this.visit(property, `${path}.properties[${name}]`, sub, cel);
    }
    const junctor = { ...ctx, root: false, resourceRoot: false };
    if (s.not) this.visit(s.not, `${path}.not`, junctor, false);
    s.allOf?.forEach((x, i) => this.visit(x, `${path}.allOf[${i}]`, junctor, false));
    s.oneOf?.forEach((x, i) => this.visit(x, `${path}.oneOf[${i}]`, junctor, false));
    s.anyOf?.forEach((x, i) => this.visit(x, `${path}.anyOf[${i}]`, junctor, false));
    if (s.items && !Array.isArray(s.items)) {
      this.visit(s.items, `${path}.items`, {
        ...ctx,
        root: false,
        resourceRoot: s.items["x-kubernetes-embedded-resource"] === true,
        uncorrelatable: ctx.uncorrelatable ?? (s["x-kubernetes-list-type"] !== "map" ? path : undefined),
      }, cel);
    }
    this.#extensions(s, path);
    this.#rules(s, path, ctx, cel && this.schemaErrors.length === before);
  }

  #standard(s: JSONSchemaProps, path: string, ctx: Context): void {
    const errs = this.schemaErrors;
    if (s.type && !OPENAPI_TYPES.includes(s.type)) {
      if (s.type === "null") {
        errs.push(forbidden(`${path}.type`, "type cannot be set to null, use nullable as an alternative"));
      } else errs.push(notSupported(`${path}.type`, s.type, OPENAPI_TYPES));
    }
    if (s.default !== undefined && ctx.defaultsForbidden) {
      errs.push(forbidden(`${path}.default`, `must not be set ${ctx.defaultsForbidden}`));
    }
    const unsupported: [string, string][] = [
      ["id", "id is not supported"],
      ["additionalItems", "additionalItems is not supported"],
      ["patternProperties", "patternProperties is not supported"],
      ["definitions", "definitions is not supported"],
      ["dependencies", "dependencies is not supported"],
      ["$ref", "$ref is not supported"],
    ];
    for (const [key, message] of unsupported) if (s[key] !== undefined) errs.push(forbidden(`${path}.${key}`, message));
    if (Array.isArray(s.items)) errs.push(forbidden(`${path}.items`, "items must be a schema object and not an array"));
    if (ctx.insideMeta && s["x-kubernetes-embedded-resource"]) {
      errs.push(forbidden(`${path}.x-kubernetes-embedded-resource`, "must not be used inside of resource meta"));
    }
  }

  #extensions(s: JSONSchemaProps, path: string): void {
    const errs = this.schemaErrors;
    if (s["x-kubernetes-preserve-unknown-fields"] === false) {
      errs.push(invalid(`${path}.x-kubernetes-preserve-unknown-fields`, false, "must be true or undefined"));
    }
    const mapType = s["x-kubernetes-map-type"];
    if (mapType !== undefined && s.type !== "object") {
      errs.push(
        s.type
          ? invalid(`${path}.type`, s.type, "must be object if x-kubernetes-map-type is specified")
          : required(`${path}.type`, "must be object if x-kubernetes-map-type is specified"),
      );
    }
    if (mapType !== undefined && mapType !== "atomic" && mapType !== "granular") {
      errs.push(notSupported(`${path}.x-kubernetes-map-type`, mapType, ["atomic", "granular"]));
    }
    const listType = s["x-kubernetes-list-type"];
    const items = s.items && !Array.isArray(s.items) ? s.items : undefined;
    if (listType !== undefined && s.type !== "array") {
      errs.push(
        s.type
          ? invalid(`${path}.type`, s.type, "must be array if x-kubernetes-list-type is specified")
          : required(`${path}.type`, "must be array if x-kubernetes-list-type is specified"),
      );
    } else if (listType === "set" && items) {
      if (
        items.type === "array" && items["x-kubernetes-list-type"] !== undefined &&
        items["x-kubernetes-list-type"] !== "atomic"
      ) {
        errs.push(
          invalid(
            `${path}.items.x-kubernetes-list-type`,
            items["x-kubernetes-list-type"],
            "must be atomic as item of a list with x-kubernetes-list-type=set",
          ),
        );
      }
      if (items.type === "object" && items["x-kubernetes-map-type"] !== "atomic") {
        errs.push(
          invalid(
            `${path}.items.x-kubernetes-map-type`,
            goValue(listType),
            "must be atomic as item of a list with x-kubernetes-list-type=set",
          ),
        );
      }
    }
    if (listType !== undefined && !["atomic", "set", "map"].includes(listType)) {
      errs.push(notSupported(`${path}.x-kubernetes-list-type`, listType, ["atomic", "set", "map"]));
    }
    const keys = s["x-kubernetes-list-map-keys"] ?? [];
    if (keys.length) {
      if (listType === undefined) {
        errs.push(required(`${path}.x-kubernetes-list-type`, "must be map if x-kubernetes-list-map-keys is non-empty"));
      } else if (listType !== "map") {
        errs.push(
          invalid(`${path}.x-kubernetes-list-type`, listType, "must be map if x-kubernetes-list-map-keys is non-empty"),
        );
      }
    }
    if (listType === "map") {
      if (!keys.length) {
        errs.push(required(`${path}.x-kubernetes-list-map-keys`, "must not be empty if x-kubernetes-list-type is map"));
      }
      if (!s.items) errs.push(required(`${path}.items`, "must have a schema if x-kubernetes-list-type is map"));
      if (items && items.type !== "object") {
        errs.push(
          invalid(
            `${path}.items.type`,
            items.type ?? "",
            "must be object if parent array's x-kubernetes-list-type is map",
          ),
        );
      }
      if (items?.type === "object") {
        const seen = new Set<string>();
        for (const k of keys) {
          const p = items.properties?.[k];
          if (!p) {
            errs.push(
              invalid(
                `${path}.x-kubernetes-list-map-keys`,
                goValue(keys),
                "entries must all be names of item properties",
              ),
            );
          } else if (p.type === "array" || p.type === "object") {
            errs.push(
              invalid(
                `${path}.items.properties[${k}].type`,
                items.type,
                "must be a scalar type if parent array's x-kubernetes-list-type is map",
              ),
            );
          }
          if (seen.has(k)) {
            errs.push(
              invalid(`${path}.x-kubernetes-list-map-keys`, goValue(keys), "must not contain duplicate entries"),
            );
          }
          seen.add(k);
        }
      }
    }
    if (items && (listType === "set" || listType === "map")) {
      if (items.nullable) {
        errs.push(forbidden(`${path}.items.nullable`, `cannot be nullable when x-kubernetes-list-type is ${listType}`));
      }
      if (listType === "map") {
        for (const k of keys) {
          const p = items.properties?.[k];
          if (!p) continue;
          if (!(items.required ?? []).includes(k) && p.default === undefined) {
            errs.push(
              required(
                `${path}.items.properties[${k}].default`,
                "this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property",
              ),
            );
          }
          if (p.nullable) {
            errs.push(
              forbidden(
                `${path}.items.properties[${k}].nullable`,
                "this property is in x-kubernetes-list-map-keys, so it cannot be nullable",
              ),
            );
          }
        }
      }
    }
  }

  #rules(s: JSONSchemaProps, path: string, ctx: Context, compileThem: boolean): void {
    const rules = s["x-kubernetes-validations"] ?? [];
    if (!rules.length) return;
    const at = (i: number, field: string) => `${path}.x-kubernetes-validations[${i}].${field}`;
    rules.forEach((rule, i) => {
      const text = (rule.rule ?? "").trim();
      const message = (rule.message ?? "").trim();
      if (!text) this.schemaErrors.push(required(at(i, "rule"), "rule is not specified"));
      else if (rule.message && !message) {
        this.schemaErrors.push(invalid(at(i, "message"), rule.message, "message must be non-empty if specified"));
      } else if (/[\n\r]/.test(message)) {
        this.schemaErrors.push(invalid(at(i, "message"), rule.message ?? "", "message must not contain line breaks"));
      } else if (/[\n\r]/.test(text) && !message) {
        this.schemaErrors.push(required(at(i, "message"), "message must be specified if rule contains line breaks"));
      }
      if (rule.messageExpression !== undefined && rule.messageExpression.length && !rule.messageExpression.trim()) {
        this.schemaErrors.push(
          required(at(i, "messageExpression"), "messageExpression must be non-empty if specified"),
        );
      }
      if (rule.reason !== undefined && !VALIDATION_REASONS.includes(rule.reason)) {
        this.schemaErrors.push(notSupported(at(i, "reason"), rule.reason, VALIDATION_REASONS));
      }
      if (rule.fieldPath !== undefined && rule.fieldPath.length) {
        if (!rule.fieldPath.trim()) {
          this.schemaErrors.push(
            invalid(at(i, "fieldPath"), rule.fieldPath, "fieldPath must be non-empty if specified"),
          );
        }
        if (/[\n\r]/.test(rule.fieldPath)) {
          this.schemaErrors.push(invalid(at(i, "fieldPath"), rule.fieldPath, "fieldPath must not contain line breaks"));
        }
        if (!fieldPathExists(rule.fieldPath, s)) {
          this.schemaErrors.push(invalid(at(i, "fieldPath"), rule.fieldPath, "fieldPath must be a valid path"));
        }
      }
    });
    if (!compileThem || !this.celEnabled) return;
    compileRules(s, ctx.resourceRoot === true).forEach((compiled, i) => {
      const rule = rules[i];
      if (!(rule.rule ?? "").trim()) return;
      if (compiled.error) {
        this.celErrors.push(invalid(at(i, compiled.error.field), goRule(rule), compiled.error.detail));
        if (compiled.error.field === "rule") return;
      }
      if (compiled.usesOldSelf) {
        if (ctx.uncorrelatable) {
          this.celErrors.push(
            invalid(
              at(i, "rule"),
              rule.rule,
              `oldSelf cannot be used on the uncorrelatable portion of the schema within ${ctx.uncorrelatable}`,
            ),
          );
        }
      } else if (rule.optionalOldSelf !== undefined) {
        this.celErrors.push(
          invalid(at(i, "optionalOldSelf"), rule.optionalOldSelf, "may not be set if oldSelf is not used in rule"),
        );
      }
    });
  }
}

/**
 * Every `default` must be pruned already (no unknown fields) and valid against its own schema, rules included.
 *
 * @example
 * ```ts
 * validateDefaults({ type: "object", properties: { size: { type: "integer", maximum: 10, default: 20 } } }, "s");
 * // s.properties[size].default: Invalid value: 20: in body should be less than or equal to 10
 * ```
 */
export function validateDefaults(schema: JSONSchemaProps, path: string): StatusCause[] {
  const errs: StatusCause[] = [];
  visitDefaults(schema, path, true, false, errs);
  return errs;
}

function visitDefaults(
  s: JSONSchemaProps,
  path: string,
  resourceRoot: boolean,
  insideMeta: boolean,
  errs: StatusCause[],
): void {
  if (s.default !== undefined && !insideMeta) {
    const at = `${path}.default`;
    const pruned = structuredClone(s.default);
    const unknown = pruneValue(pruned, s);
    if (unknown || !jsonEqual(pruned, s.default)) {
      errs.push(invalid(at, goValue(s.default), "must not have unknown fields"));
    }
    const found = validateValue(s, s.default).map((c) => ({
      ...c,
      field: c.field === "<nil>" ? at : `${at}.${c.field}`,
    }));
    if (found.length) errs.push(...found);
    else {
      errs.push(...(RuleValidator.build(s, resourceRoot)?.validate(s.default, s.default, at) ?? []));
    }
  }
  if (s.items && !Array.isArray(s.items)) {
    visitDefaults(s.items, `${path}.items`, s.items["x-kubernetes-embedded-resource"] === true, insideMeta, errs);
  }
  for (const [k, p] of Object.entries(s.properties ?? {})) {
    const meta = insideMeta || ((resourceRoot || s["x-kubernetes-embedded-resource"] === true) && META_FIELDS.has(k));
    visitDefaults(p, `${path}.properties[${k}]`, p["x-kubernetes-embedded-resource"] === true, meta, errs);
  }
}

/** Prune a default as its node's schema would prune it; true when something was dropped. */
function pruneValue(value: unknown, s: JSONSchemaProps): boolean {
  if (value === null || typeof value !== "object") return false;
  const wrapper = { v: value };
  return prune(wrapper, { type: "object", properties: { v: s } }).length > 0;
}
