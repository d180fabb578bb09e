/**
 * What a built-in kind looks like before anything is set: kube-apiserver compares a create against the Go zero value
 * of the type, in which required fields and value-typed structs (`metadata`, `spec`, `status`, a Deployment's
 * `strategy`, a workload's pod `template`) already exist. Fields present there are not "added" by a create, so a
 * create's managedFields show `f:spec` without a `"."` of its own, `f:metadata` likewise, but `f:labels` with one —
 * as kube-apiserver's do.
 *
 * @module
 */
import type { MapType } from "./types.ts";

/** Fields Kubernetes' Go types hold by value (never nil), whatever the schema says is required. */
const VALUE_STRUCTS = new Set(["metadata", "spec", "status", "strategy", "updateStrategy"]);

const cache = new WeakMap<MapType, Record<string, unknown>>();

/**
 * The zero value of a built-in struct type, approximated from its schema: value structs and required struct fields
 * as their own zero values, other required fields as null.
 *
 * @example
 * ```ts
 * emptyObjectOf(builtinObjectType("apps", "v1", "Deployment")!);
 * // { metadata: {}, spec: { selector: null, template: { metadata: {}, spec: { containers: null } }, strategy: {} }, status: {} }
 * ```
 */
export function emptyObjectOf(type: MapType): Record<string, unknown> {
  let zero = cache.get(type);
  if (!zero) {
    zero = build(type, 0);
    cache.set(type, zero);
  }
  return zero;
}

function build(type: MapType, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (depth > 8) return out;
  for (const name of new Set([...VALUE_STRUCTS, ...type.required])) {
    const field = type.field(name);
    if (!field) continue;
    if (field.kind === "map" && !field.atomic && field.elements === undefined) out[name] = build(field, depth + 1);
    else if (type.required.includes(name)) out[name] = null;
  }
  return out;
}
