/**
 * Structural schemas: what `apiextensions.k8s.io/v1` requires of every CRD schema so that pruning, defaulting
 * and CEL know each field's type. Types are specified at every level (except under `int-or-string` or
 * `preserve-unknown-fields`), `additionalProperties` is not used at the root, root `metadata` declares nothing
 * but `name`/`generateName`, and the logical junctors (`allOf`, `anyOf`, `oneOf`, `not`) only restrict values
 * already described by the structural part. Messages and their sorting are kube's.
 *
 * @module
 */
import { forbidden, invalid, required } from "../admission/field.ts";
import type { StatusCause } from "../api/status.ts";
import type { JSONSchemaProps } from "./types.ts";

type Level = "root" | "item" | "field";

/**
 * The structural-schema violations of `schema`, sorted as kube sorts them.
 *
 * @example
 * ```ts
 * validateStructural({ type: "object", properties: { spec: {} } }, "spec.validation.openAPIV3Schema");
 * // [{ field: "spec.validation.openAPIV3Schema.properties[spec].type",
 * //    message: "Required value: must not be empty for specified object fields" }]
 * ```
 */
export function validateStructural(schema: JSONSchemaProps, path: string): StatusCause[] {
  const errs = [...invariants(schema, "root", path), ...completeness(schema, path)];
  return errs.sort((a, b) => {
    const x = `${a.field}: ${a.message}`, y = `${b.field}: ${b.message}`;
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

function itemsOf(s: JSONSchemaProps): JSONSchemaProps | undefined {
  return s.items && !Array.isArray(s.items) ? s.items : undefined;
}

function additionalOf(s: JSONSchemaProps): JSONSchemaProps | undefined {
  return typeof s.additionalProperties === "object" ? s.additionalProperties : undefined;
}

const INT_OR_STRING_ANY_OF = JSON.stringify([{ type: "integer" }, { type: "string" }]);

function invariants(s: JSONSchemaProps, level: Level, path: string): StatusCause[] {
  const errs: StatusCause[] = [];
  if (s.type === "array" && !s.items) errs.push(required(`${path}.items`, "must be specified"));
  const items = itemsOf(s);
  if (items) errs.push(...invariants(items, "item", `${path}.items`));
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    errs.push(...invariants(v, "field", `${path}.properties[${k}]`));
  }
  if (s.additionalProperties !== undefined && s.additionalProperties !== false) {
    if (level === "root") errs.push(forbidden(`${path}.additionalProperties`, "must not be used at the root"));
    const additional = additionalOf(s);
    if (additional) errs.push(...invariants(additional, "field", `${path}.additionalProperties`));
  }
  const intOrString = s["x-kubernetes-int-or-string"] === true;
  const preserve = s["x-kubernetes-preserve-unknown-fields"] === true;
  const embedded = s["x-kubernetes-embedded-resource"] === true;
  if (intOrString && preserve) {
    errs.push(
      invalid(
        `${path}.x-kubernetes-preserve-unknown-fields`,
        true,
        "must be false if x-kubernetes-int-or-string is true",
      ),
    );
  }
  if (intOrString && embedded) {
    errs.push(
      invalid(`${path}.x-kubernetes-embedded-resource`, true, "must be false if x-kubernetes-int-or-string is true"),
    );
  }
  const skipAnyOf = intOrString && JSON.stringify(s.anyOf) === INT_OR_STRING_ANY_OF;
  const skipFirstAllOfAnyOf = intOrString && JSON.stringify(s.allOf?.[0]?.anyOf) === INT_OR_STRING_ANY_OF;
  errs.push(...valueValidation(s, skipAnyOf, skipFirstAllOfAnyOf, path));
  const checkMetadata = level === "root" || embedded;
  if (embedded && s.type !== "object") {
    errs.push(
      s.type
        ? invalid(`${path}.type`, s.type, "must be object if x-kubernetes-embedded-resource is true")
        : required(`${path}.type`, "must be object if x-kubernetes-embedded-resource is true"),
    );
  } else if (!s.type && !intOrString && !preserve) {
    const detail = level === "root"
      ? "must not be empty at the root"
      : level === "item"
      ? "must not be empty for specified array items"
      : "must not be empty for specified object fields";
    errs.push(required(`${path}.type`, detail));
  }
  if (embedded && s.additionalProperties !== undefined && s.additionalProperties !== false) {
    errs.push(forbidden(`${path}.additionalProperties`, "must not be used if x-kubernetes-embedded-resource is set"));
  }
  if (level === "root" && s.type && s.type !== "object") {
    errs.push(invalid(`${path}.type`, s.type, "must be object at the root"));
  }
  for (const name of ["kind", "apiVersion"]) {
    const p = s.properties?.[name];
    if (p && checkMetadata && p.type !== "string") {
      errs.push(invalid(`${path}.properties[${name}].type`, p.type ?? "", "must be string"));
    }
  }
  const metadata = s.properties?.metadata;
  if (metadata) errs.push(...metadataInvariants(metadata, checkMetadata, level, `${path}.properties[metadata]`));
  if (embedded && !preserve && Object.keys(s.properties ?? {}).length === 0) {
    errs.push(
      required(
        `${path}.properties`,
        "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields",
      ),
    );
  }
  return errs;
}

function metadataInvariants(s: JSONSchemaProps, checkMetadata: boolean, level: Level, path: string): StatusCause[] {
  const errs: StatusCause[] = [];
  if (checkMetadata && s.type !== "object") errs.push(invalid(`${path}.type`, s.type ?? "", "must be object"));
  if (level === "root") {
    const props = Object.keys(s.properties ?? {});
    const onlyNames = props.every((p) => p === "name" || p === "generateName");
    const rest = Object.keys(s).filter((k) => k !== "type" && k !== "default" && k !== "properties");
    if (!onlyNames || rest.length > 0) {
      errs.push(
        forbidden(
          path,
          "must not specify anything other than name and generateName, but metadata is implicitly specified",
        ),
      );
    }
  }
  return errs;
}

function valueValidation(
  s: JSONSchemaProps,
  skipAnyOf: boolean,
  skipFirstAllOfAnyOf: boolean,
  path: string,
): StatusCause[] {
  const errs: StatusCause[] = [];
  if (!skipAnyOf) s.anyOf?.forEach((v, i) => errs.push(...nested(v, false, `${path}.anyOf[${i}]`)));
  s.allOf?.forEach((v, i) => errs.push(...nested(v, skipFirstAllOfAnyOf && i === 0, `${path}.allOf[${i}]`)));
  s.oneOf?.forEach((v, i) => errs.push(...nested(v, false, `${path}.oneOf[${i}]`)));
  if (s.not) errs.push(...nested(s.not, false, `${path}.not`));
  if (s.pattern) {
    try {
      new RegExp(s.pattern, "u");
    } catch (error) {
      errs.push(
        invalid(
          `${path}.pattern`,
          s.pattern,
          `must be a valid regular expression, but isn't: ${(error as Error).message}`,
        ),
      );
    }
  }
  return errs;
}

/** A schema inside a logical junctor may only restrict values, never describe their structure. */
function nested(v: JSONSchemaProps, skipAnyOf: boolean, path: string): StatusCause[] {
  const errs = valueValidation(v, skipAnyOf, false, path);
  const items = itemsOf(v);
  if (items) errs.push(...nested(items, false, `${path}.items`));
  for (const [k, p] of Object.entries(v.properties ?? {})) errs.push(...nested(p, false, `${path}.properties[${k}]`));
  if (v.type) errs.push(forbidden(`${path}.type`, "must be empty to be structural"));
  if (v.additionalProperties !== undefined) {
    errs.push(forbidden(`${path}.additionalProperties`, "must be undefined to be structural"));
  }
  if (v.default !== undefined) errs.push(forbidden(`${path}.default`, "must be undefined to be structural"));
  if (v.title) errs.push(forbidden(`${path}.title`, "must be empty to be structural"));
  if (v.description) errs.push(forbidden(`${path}.description`, "must be empty to be structural"));
  if (v.nullable) errs.push(forbidden(`${path}.nullable`, "must be false to be structural"));
  if (v["x-kubernetes-preserve-unknown-fields"]) {
    errs.push(forbidden(`${path}.x-kubernetes-preserve-unknown-fields`, "must be false to be structural"));
  }
  if (v["x-kubernetes-embedded-resource"]) {
    errs.push(forbidden(`${path}.x-kubernetes-embedded-resource`, "must be false to be structural"));
  }
  if (v["x-kubernetes-int-or-string"]) {
    errs.push(forbidden(`${path}.x-kubernetes-int-or-string`, "must be false to be structural"));
  }
  if (v["x-kubernetes-list-map-keys"]?.length) {
    errs.push(forbidden(`${path}.x-kubernetes-list-map-keys`, "must be empty to be structural"));
  }
  if (v["x-kubernetes-list-type"] !== undefined) {
    errs.push(forbidden(`${path}.x-kubernetes-list-type`, "must be undefined to be structural"));
  }
  if (v["x-kubernetes-map-type"] !== undefined) {
    errs.push(forbidden(`${path}.x-kubernetes-map-type`, "must be undefined to be structural"));
  }
  if (v["x-kubernetes-validations"]?.length) {
    errs.push(forbidden(`${path}.x-kubernetes-validations`, "must be empty to be structural"));
  }
  if (v.properties?.metadata) {
    errs.push(forbidden(`${path}.properties[metadata]`, "must not be specified in a nested context"));
  }
  return errs;
}

/** Everything a junctor restricts must be specified in the structural part too. */
function completeness(s: JSONSchemaProps, path: string): StatusCause[] {
  return junctorsComplete(s, s, path, path);
}

function junctorsComplete(
  v: JSONSchemaProps,
  s: JSONSchemaProps | undefined,
  sPath: string,
  vPath: string,
): StatusCause[] {
  const errs: StatusCause[] = [];
  const visit = (sub: JSONSchemaProps | undefined, at: string) => {
    if (sub) errs.push(...nestedComplete(sub, s, sPath, at));
  };
  visit(v.not, `${vPath}.not`);
  v.allOf?.forEach((x, i) => visit(x, `${vPath}.allOf[${i}]`));
  v.anyOf?.forEach((x, i) => visit(x, `${vPath}.anyOf[${i}]`));
  v.oneOf?.forEach((x, i) => visit(x, `${vPath}.oneOf[${i}]`));
  return errs;
}

function nestedComplete(
  v: JSONSchemaProps,
  s: JSONSchemaProps | undefined,
  sPath: string,
  vPath: string,
): StatusCause[] {
  if (!s) return [required(sPath, `because it is defined in ${vPath}`)];
  const errs = junctorsComplete(v, s, sPath, vPath);
  const items = itemsOf(v);
  if (items) errs.push(...nestedComplete(items, itemsOf(s), `${sPath}.items`, `${vPath}.items`));
  for (const [k, p] of Object.entries(v.properties ?? {})) {
    const sp = s.properties?.[k];
    if (!sp) {
      errs.push(required(`${sPath}.properties[${k}]`, `because it is defined in ${vPath}.properties[${k}]`));
    } else errs.push(...nestedComplete(p, sp, `${sPath}.properties[${k}]`, `${vPath}.properties[${k}]`));
  }
  return errs;
}
