/**
 * Namespaces, Nodes, ServiceAccounts and PriorityClasses: their defaults and validation.
 *
 * @module
 */

import type { StatusCause } from "../api/status.ts";
import {
  at,
  child,
  duplicate,
  forbidden,
  GoLiteral,
  goQuote,
  invalid,
  invalidEach,
  notSupported,
  required,
} from "./field.ts";
import { validateObjectMeta, validateObjectMetaUpdate } from "./meta.ts";
import {
  invalidCIDRMessage,
  isCIDR,
  isQualifiedName,
  isValidLabelValue,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
} from "./names.ts";
import { ensureObj, isObj, list, type Obj, obj, objList, str } from "./object.ts";
import { defaultResourceList } from "./quantity.ts";

/**
 * Namespace defaults: the `kubernetes.io/metadata.name` label (always equal to the name) and `status.phase: Active`;
 * on create also the `kubernetes` finalizer, which the namespace controller later removes (so never on update).
 *
 * @example
 * ```ts
 * defaultNamespace({ metadata: { name: "team-a" } }, true);
 * ```
 */
export function defaultNamespace(ns: Obj, create: boolean): void {
  const meta = ensureObj(ns, "metadata");
  const name = str(meta.name);
  if (name) ensureObj(meta, "labels")["kubernetes.io/metadata.name"] = name;
  if (create) {
    const spec = ensureObj(ns, "spec");
    const finalizers = list(spec.finalizers).map(str);
    if (!finalizers.includes("kubernetes")) spec.finalizers = [...finalizers, "kubernetes"];
  }
  const status = ensureObj(ns, "status");
  if (!str(status.phase)) status.phase = "Active";
}

/**
 * Create validation of a Namespace: a DNS-1123 label name, qualified finalizer names.
 *
 * @example
 * ```ts
 * validateNamespace({ metadata: { name: "kube.system" } });
 * ```
 */
export function validateNamespace(ns: Obj): StatusCause[] {
  const errs = validateObjectMeta(ns.metadata, { nameFn: nameIsDNSLabel, namespaced: false });
  for (const f of list(obj(ns.spec).finalizers).map(str)) {
    errs.push(...invalidEach("spec.finalizers", f, isQualifiedName(f)));
    if (!f.includes("/") && !["kubernetes", "orphan", "foregroundDeletion"].includes(f)) {
      errs.push(invalid("spec.finalizers", f, "name is neither a standard finalizer name nor is it fully qualified"));
    }
  }
  return errs;
}

/**
 * Update validation of a Namespace (kube copies spec and status from the stored object on a plain update).
 *
 * @example
 * ```ts
 * validateNamespaceUpdate(next, old);
 * ```
 */
export function validateNamespaceUpdate(ns: Obj, old: Obj): StatusCause[] {
  return validateObjectMetaUpdate(ns.metadata, old.metadata);
}

/**
 * Node defaults: `status.allocatable` copied from `status.capacity` when absent; quantities canonical.
 *
 * @example
 * ```ts
 * defaultNode({ metadata: { name: "n1" }, status: { capacity: { cpu: "4" } } });
 * ```
 */
export function defaultNode(node: Obj): void {
  if (!isObj(node.status)) return;
  const status = node.status;
  defaultResourceList(status.capacity);
  if (status.allocatable == null && isObj(status.capacity)) status.allocatable = { ...status.capacity };
  defaultResourceList(status.allocatable);
}

const taintEffects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

function validateNodeSpec(node: Obj): StatusCause[] {
  const spec = obj(node.spec);
  const errs: StatusCause[] = [];
  // kube roots the taints path at metadata, not spec.
  const taintsPath = "metadata.taints";
  const seen = new Set<string>();
  objList(spec.taints).forEach((t, i) => {
    const p = at(taintsPath, i);
    const key = str(t.key);
    const value = str(t.value);
    const effect = str(t.effect);
    errs.push(...invalidEach(child(p, "key"), key, isQualifiedName(key)));
    const valueErrs = isValidLabelValue(value);
    if (valueErrs.length) errs.push(invalid(child(p, "value"), value, valueErrs.join(";")));
    if (!effect) errs.push(required(child(p, "effect")));
    else if (!taintEffects.includes(effect)) errs.push(notSupported(child(p, "effect"), effect, taintEffects));
    const id = `${effect}\u0000${key}`;
    if (seen.has(id)) {
      const literal = new GoLiteral(
        `core.Taint{Key:${goQuote(key)}, Value:${goQuote(value)}, Effect:${
          goQuote(effect)
        }, TimeAdded:(*v1.Time)(nil)}`,
      );
      const cause = duplicate(p, literal);
      errs.push({ ...cause, message: `${cause.message}: taints must be unique by key and effect pair` });
      return;
    }
    seen.add(id);
  });
  list(spec.podCIDRs).map(str).forEach((cidr, i) => {
    if (!isCIDR(cidr)) errs.push(invalid(at("spec.podCIDRs", i), cidr, invalidCIDRMessage));
  });
  return errs;
}

/**
 * Create validation of a Node.
 *
 * @example
 * ```ts
 * validateNode({ metadata: { name: "node-1" } });
 * ```
 */
export function validateNode(node: Obj): StatusCause[] {
  return [
    ...validateObjectMeta(node.metadata, { nameFn: nameIsDNSSubdomain, namespaced: false }),
    ...validateNodeSpec(node),
  ];
}

/**
 * Update validation of a Node: podCIDRs and providerID may only go from unset to set.
 *
 * @example
 * ```ts
 * validateNodeUpdate(next, old);
 * ```
 */
export function validateNodeUpdate(node: Obj, old: Obj): StatusCause[] {
  const errs = [...validateObjectMetaUpdate(node.metadata, old.metadata), ...validateNodeSpec(node)];
  const spec = obj(node.spec);
  const oldSpec = obj(old.spec);
  const oldCIDRs = list(oldSpec.podCIDRs).map(str);
  if (oldCIDRs.length > 0 && JSON.stringify(oldCIDRs) !== JSON.stringify(list(spec.podCIDRs).map(str))) {
    errs.push(forbidden("spec.podCIDRs", 'node updates may not change podCIDR except from "" to valid'));
  }
  if (str(oldSpec.providerID) && str(oldSpec.providerID) !== str(spec.providerID)) {
    errs.push(forbidden("spec.providerID", 'node updates may not change providerID except from "" to valid'));
  }
  return errs;
}

/**
 * Create validation of a ServiceAccount.
 *
 * @example
 * ```ts
 * validateServiceAccount({ metadata: { name: "default", namespace: "default" } });
 * ```
 */
export function validateServiceAccount(sa: Obj): StatusCause[] {
  return validateObjectMeta(sa.metadata, { nameFn: nameIsDNSSubdomain, namespaced: true });
}

/**
 * scheduling.k8s.io PriorityClass defaults: `preemptionPolicy: PreemptLowerPriority`.
 *
 * @example
 * ```ts
 * defaultPriorityClass({ value: 1000 });
 * ```
 */
export function defaultPriorityClass(pc: Obj): void {
  if (pc.preemptionPolicy == null) pc.preemptionPolicy = "PreemptLowerPriority";
}

/**
 * Create validation of a PriorityClass: the `system-` prefix is reserved, values above one billion too.
 *
 * @example
 * ```ts
 * validatePriorityClass({ metadata: { name: "high" }, value: 1000 });
 * ```
 */
export function validatePriorityClass(pc: Obj): StatusCause[] {
  const errs = validateObjectMeta(pc.metadata, { nameFn: nameIsDNSSubdomain, namespaced: false });
  const name = str(obj(pc.metadata).name);
  const value = typeof pc.value === "number" ? pc.value : 0;
  const systemNames = ["system-node-critical", "system-cluster-critical"];
  if (name.startsWith("system-") && !systemNames.includes(name)) {
    errs.push(
      forbidden(
        "metadata.name",
        `priority class names with 'system-' prefix are reserved for system use only. error: ${name} is not a known system priority class`,
      ),
    );
  } else if (!systemNames.includes(name) && value > 1000000000) {
    errs.push(forbidden("value", "maximum allowed value of a user defined priority is 1000000000"));
  }
  if (pc.preemptionPolicy != null && !["PreemptLowerPriority", "Never"].includes(str(pc.preemptionPolicy))) {
    errs.push(notSupported("preemptionPolicy", str(pc.preemptionPolicy), ["PreemptLowerPriority", "Never"]));
  }
  return errs;
}
