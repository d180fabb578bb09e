/**
 * The FieldsV1 format of `metadata.managedFields[].fieldsV1`: a JSON object whose keys are path elements and whose
 * values are the same kind of object for what lies below; `{}` marks a member, and `".": {}` marks a member that also
 * has members below it. Keys are written in structured-merge-diff's order, so the same set always encodes to the
 * same JSON.
 *
 * @module
 */
import { FieldSet } from "./fieldset.ts";
import { canonicalElement, comparePathElements } from "./path.ts";

/** A FieldsV1 document. */
export type FieldsV1 = { [element: string]: FieldsV1 };

/**
 * The set a FieldsV1 document describes; elements of unknown kinds are dropped (a newer format may have them), a
 * document that is not an object of objects throws.
 *
 * @example
 * ```ts
 * decodeFieldsV1({ "f:metadata": { "f:labels": { ".": {}, "f:app": {} } } }).paths();
 * // [["f:metadata", "f:labels"], ["f:metadata", "f:labels", "f:app"]]
 * ```
 */
export function decodeFieldsV1(document: unknown): FieldSet {
  const set = new FieldSet();
  if (!isObject(document)) throw new Error("fieldsV1 must be an object");
  for (const [key, value] of Object.entries(document)) {
    if (key === ".") continue;
    if (!isObject(value)) throw new Error(`fieldsV1 entry ${JSON.stringify(key)} must be an object`);
    const element = canonicalElement(key);
    if (element === undefined) {
      if (/^[fkvi]:/.test(key)) throw new Error(`fieldsV1 has an invalid path element ${JSON.stringify(key)}`);
      continue;
    }
    const keys = Object.keys(value);
    const self = Object.hasOwn(value, ".");
    if (keys.length === 0 || self) set.addMember(element);
    if (keys.length > (self ? 1 : 0)) set.adopt(element, decodeFieldsV1(value));
  }
  return set;
}

/**
 * The FieldsV1 document of a set, keys in structured-merge-diff's order.
 *
 * @example
 * ```ts
 * const set = new FieldSet();
 * set.insert(["f:data", "f:owner"]);
 * encodeFieldsV1(set); // { "f:data": { "f:owner": {} } }
 * ```
 */
export function encodeFieldsV1(set: FieldSet): FieldsV1 {
  const out: FieldsV1 = {};
  const elements = set.children.size === 0 ? [...set.members] : [...new Set([...set.members, ...set.children.keys()])];
  if (elements.length > 1) elements.sort(comparePathElements);
  for (const element of elements) {
    const child = set.children.get(element);
    if (!child) {
      out[element] = {};
      continue;
    }
    out[element] = set.members.has(element) ? { ".": {}, ...encodeFieldsV1(child) } : encodeFieldsV1(child);
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
