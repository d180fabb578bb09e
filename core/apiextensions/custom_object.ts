/**
 * What happens to a custom object on its way in and out, as apiextensions-apiserver does it: decoding prunes
 * unknown fields and applies schema defaults (for requests and stored objects alike); writes are validated —
 * metadata, schema, scale paths, embedded resources, list uniqueness, then the CEL rules (skipped with a note
 * when the object has type errors, since rules would only trip over them).
 *
 * @module
 */
import { invalid } from "../admission/field.ts";
import { validateObjectMeta, validateObjectMetaUpdate } from "../admission/meta.ts";
import { nameIsDNSSubdomain } from "../admission/names.ts";
import type { StatusCause } from "../api/status.ts";
import type { KubeObject } from "../api/storage.ts";
import { applySchemaDefaults } from "./defaulting.ts";
import { validateEmbeddedResources } from "./embedded.ts";
import { validateListTypes } from "./list_type.ts";
import { prune } from "./pruning.ts";
import type { ServedVersion } from "./served.ts";
import { validateValue } from "./validation.ts";

/**
 * Decode a custom object as kube's codec does: prune what the schema does not declare, then default. Returns
 * the pruned paths (what `fieldValidation=Strict` refuses).
 *
 * @example
 * ```ts
 * decodeCustomObject(version, widget); // ["spec.colour"]; widget.spec.color defaulted
 * ```
 */
export function decodeCustomObject(version: ServedVersion, object: KubeObject): string[] {
  const unknown = prune(object, version.schema);
  applySchemaDefaults(object, version.schema);
  return unknown;
}

/** kube's note when rules were skipped because the object has type errors. */
const RULES_SKIPPED =
  "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation";

/** `.spec.replicas` in a custom object: a non-negative int32, when present. */
function replicasErrors(object: KubeObject, path: string | undefined): StatusCause[] {
  if (!path) return [];
  let value: unknown = object;
  for (const part of path.replace(/^\./, "").split(".")) {
    value = value && typeof value === "object" ? (value as Record<string, unknown>)[part] : undefined;
  }
  if (value === undefined) return [];
  if (typeof value !== "number" || !Number.isInteger(value)) {
    const type = typeof value === "number" ? "float64" : Array.isArray(value) ? "[]interface {}" : typeof value;
    return [
      invalid(path, 0, `${path} accessor error: ${JSON.stringify(value)} is of the type ${type}, expected int64`),
    ];
  }
  if (value < 0) return [invalid(path, value, "should be a non-negative integer")];
  if (value > 2147483647) return [invalid(path, value, "should be less than or equal to 2147483647")];
  return [];
}

/**
 * Validate a custom object being created (`old` undefined) or updated: the causes of kube's 422.
 *
 * @example
 * ```ts
 * validateCustomObject(version, true, { …, spec: { size: 20 } });
 * // [{ field: "spec.size", message: "Invalid value: 20: spec.size in body should be less than or equal to 10" }]
 * ```
 */
export function validateCustomObject(
  version: ServedVersion,
  namespaced: boolean,
  object: KubeObject,
  old?: KubeObject,
): StatusCause[] {
  const errs: StatusCause[] = old
    ? validateObjectMetaUpdate(object.metadata, old.metadata, "metadata", false)
    : validateObjectMeta(object.metadata, { nameFn: nameIsDNSSubdomain, namespaced, kubeFinalizers: false });
  errs.push(...validateValue(version.schema, object, old));
  errs.push(...replicasErrors(object, version.scale?.specReplicasPath));
  errs.push(...replicasErrors(object, version.scale?.statusReplicasPath));
  errs.push(...validateEmbeddedResources(version.schema, object));
  errs.push(...validateListTypes(version.schema, object));
  if (version.rules) {
    if (errs.some((c) => c.type === "FieldValueTypeInvalid")) errs.push(invalid("<nil>", "null", RULES_SKIPPED));
    else errs.push(...version.rules.validate(object, old));
  }
  return errs;
}
