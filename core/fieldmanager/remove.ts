/**
 * Pruning after an apply (structured-merge-diff's `prune`): what the applier set last time, no longer sets, and no
 * manager (the applier included) owns any more is taken out of the object. Struct fields count as owned by whoever
 * owns something inside them, so dropping `spec.replicas` does not drop a `spec` others still have fields in.
 *
 * @module
 */
import { FieldSet } from "./fieldset.ts";
import { fieldElement, indexElement, listItemElement } from "./path.ts";
import { childType, DEDUCED, type FieldType, resolveType } from "./types.ts";

/**
 * `set` plus every declared struct field it reaches into as a member of its own (structured-merge-diff's
 * `EnsureNamedFieldsAreMembers`): owning `spec.replicas` means having a stake in `spec`, not in a map key's parent.
 *
 * @example
 * ```ts
 * const replicas = new FieldSet();
 * replicas.insert(["f:spec", "f:replicas"]);
 * withNamedFieldsAsMembers(replicas, deploymentType).paths(); // [["f:spec"], ["f:spec", "f:replicas"]]
 * ```
 */
function withNamedFieldsAsMembers(set: FieldSet, type: FieldType): FieldSet {
  if (set.children.size === 0) return set;
  const out = new FieldSet();
  for (const member of set.members) out.addMember(member);
  for (const [element, child] of set.children) {
    let below: FieldType = DEDUCED;
    if (type.kind === "map" && element.startsWith("f:")) {
      const found = childType(type, element.slice(2));
      if (found?.declared) out.addMember(element);
      below = found?.type ?? DEDUCED;
    } else if (type.kind === "list") {
      below = type.element;
    }
    out.adopt(element, withNamedFieldsAsMembers(child, below));
  }
  return out;
}

/**
 * `value` without the items `set` names (members go whole, children are pruned inside); a container emptied this way
 * is unset. Returns undefined when nothing is left.
 *
 * @example
 * ```ts
 * const drop = new FieldSet();
 * drop.insert(["f:data", "f:b"]);
 * removeItems({ data: { a: "1", b: "2" } }, drop, configMapType); // { data: { a: "1" } }
 * ```
 */
function removeItems(value: unknown, set: FieldSet, type: FieldType): unknown {
  if (set.empty) return value;
  const t = resolveType(type, value);
  if (t.kind === "map" && !t.atomic && value !== null && typeof value === "object" && !Array.isArray(value)) {
    const out: Record<string, unknown> = {};
    let kept = 0;
    for (const [key, item] of Object.entries(value)) {
      const element = fieldElement(key);
      if (set.members.has(element)) continue;
      const below = set.children.get(element);
      const rest = below ? removeItems(item, below, childType(t, key)?.type ?? DEDUCED) : item;
      if (rest === undefined) continue;
      out[key] = rest;
      kept++;
    }
    return kept ? out : undefined;
  }
  if (t.kind === "list" && t.listType !== "atomic" && Array.isArray(value) && value.length) {
    const out: unknown[] = [];
    value.forEach((item, i) => {
      const found = listItemElement(t, item);
      const element = typeof found === "string" ? found : indexElement(i);
      if (set.members.has(element)) return;
      const below = set.children.get(element);
      const rest = below ? removeItems(item, below, t.element) : item;
      if (rest !== undefined) out.push(rest);
    });
    return out.length ? out : undefined;
  }
  return value;
}

/**
 * The object after pruning: `lastApplied` is what the applier owned before this apply, `owned` what every manager
 * (the applier's new configuration included) owns now.
 *
 * @example
 * ```ts
 * prune(merged, previousSet, allManagersNow, configMapType);
 * ```
 */
export function prune(merged: unknown, lastApplied: FieldSet, owned: FieldSet, type: FieldType): unknown {
  if (lastApplied.empty) return merged;
  const gone = withNamedFieldsAsMembers(lastApplied, type).difference(withNamedFieldsAsMembers(owned, type));
  if (gone.empty) return merged;
  return removeItems(merged, gone, type) ?? {};
}
