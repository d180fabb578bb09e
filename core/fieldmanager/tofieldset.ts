/**
 * The set of fields an object sets (structured-merge-diff's `ToFieldSet`): what an apply configuration claims. Leaves
 * are scalars, atomic maps and lists, empty or null maps, and entries of `map[string]T` maps; list items are members
 * too (an applier owns the item, and each field it sets inside). A struct field holding a non-empty map is only a
 * prefix: owning `spec.replicas` does not mean owning `spec`.
 *
 * @module
 */
import { FieldSet } from "./fieldset.ts";
import { fieldElement, listItemElement, type Path, type PathElement, pathString } from "./path.ts";
import { childType, DEDUCED, type FieldType, type MapType, resolveType } from "./types.ts";

/** A value that does not fit its schema, at a path. */
export interface SchemaError {
  path: Path;
  message: string;
}

/** Which top-level fields count (the status subresource owns only `status`; the main resource all but it). */
export type RootFilter = (field: string) => boolean;

/**
 * The fields `value` sets. With `strict`, values that do not fit the schema (undeclared fields, wrong shapes,
 * list-map items without their keys, duplicate items) are reported, as kube-apiserver reports them for an apply
 * configuration; otherwise they are tracked as well as they can be.
 *
 * @example
 * ```ts
 * const { set } = fieldSetOf({ data: { owner: "me" } }, configMapType);
 * set.paths(); // [["f:data", "f:owner"]]
 * ```
 */
export function fieldSetOf(
  value: unknown,
  type: FieldType,
  options: { strict?: boolean; only?: RootFilter } = {},
): { set: FieldSet; errors: SchemaError[] } {
  const set = new FieldSet();
  const errors: SchemaError[] = [];
  const strict = options.strict ?? false;
  const path: PathElement[] = [];

  const walk = (v: unknown, t: FieldType, only?: RootFilter): void => {
    const resolved = resolveType(t, v);
    if (v === null) {
      if (resolved.kind === "scalar") set.insert(path);
      return;
    }
    if (resolved.kind === "scalar") {
      if (strict && typeof v === "object") mismatch("scalar", v);
      set.insert(path);
      return;
    }
    if (resolved.kind === "map") {
      if (typeof v !== "object" || Array.isArray(v)) {
        if (strict) mismatch("map", v);
        set.insert(path);
        return;
      }
      if (resolved.atomic) {
        set.insert(path);
        return;
      }
      mapEntries(v as Record<string, unknown>, resolved, only);
      return;
    }
    if (!Array.isArray(v)) {
      if (strict) mismatch("list", v);
      set.insert(path);
      return;
    }
    if (resolved.listType === "atomic") {
      set.insert(path);
      return;
    }
    const seen = new Set<PathElement>();
    v.forEach((item, index) => {
      const element = listItemElement(resolved, item);
      if (typeof element !== "string") {
        if (strict) errors.push({ path: [...path], message: `element ${index}: ${element.error}` });
        return;
      }
      if (seen.has(element)) {
        if (strict) errors.push({ path: [...path], message: `duplicate entries for key ${pathString([element])}` });
        return;
      }
      seen.add(element);
      path.push(element);
      walk(item, resolved.element);
      set.insert(path);
      path.pop();
    });
  };

  const mapEntries = (map: Record<string, unknown>, type: MapType, only?: RootFilter): void => {
    for (const [key, item] of Object.entries(map)) {
      if (item === undefined || (only && !only(key))) continue;
      const child = childType(type, key);
      path.push(fieldElement(key));
      if (!child && strict) {
        errors.push({ path: [...path], message: "field not declared in schema" });
        path.pop();
        continue;
      }
      walk(item, child?.type ?? DEDUCED);
      const empty = item === null || (typeof item === "object" && !Array.isArray(item) && isEmptyObject(item));
      if (empty || !child?.declared) set.insert(path);
      path.pop();
    }
  };

  const mismatch = (expected: string, v: unknown) => {
    const got = Array.isArray(v) ? "list" : typeof v === "object" ? "map" : JSON.stringify(v);
    errors.push({ path: [...path], message: `expected ${expected}, got ${got}` });
  };

  walk(value, type, options.only);
  return { set, errors };
}

function isEmptyObject(value: object): boolean {
  for (const _ in value) return false;
  return true;
}

/**
 * structured-merge-diff's rendering of schema errors: one per line under "errors:" when there are several.
 *
 * @example
 * ```ts
 * schemaErrorsMessage([{ path: ["f:spec", "f:replicass"], message: "field not declared in schema" }]);
 * // ".spec.replicass: field not declared in schema"
 * ```
 */
export function schemaErrorsMessage(errors: SchemaError[]): string {
  const lines = errors.map((e) => `${pathString(e.path)}: ${e.message}`);
  return lines.length === 1 ? lines[0] : ["errors:", ...lines.map((l) => "  " + l)].join("\n");
}
