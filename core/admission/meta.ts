/**
 * `ObjectMeta` and label-selector validation shared by every kind: names, namespaces, labels, annotations,
 * finalizers, owner references on create, and the fields an update may never change.
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
  goStringSlice,
  invalid,
  invalidEach,
  jsonLiteral,
  required,
  tooLong,
} from "./field.ts";
import { byteLength, isQualifiedName, isValidLabelValue, nameIsDNSLabel, type NameValidator } from "./names.ts";
import { isObj, list, num, obj, objList, semanticEqual, str, strMap } from "./object.ts";

/** How a kind's metadata is checked on create. */
export interface MetaRules {
  /** The kind's name rule (`nameIsDNSSubdomain` for most). */
  nameFn: NameValidator;
  /** true: a namespace is required; false: none is allowed; undefined: not checked (scope unknown). */
  namespaced?: boolean;
  /** Built-in kinds also reject unqualified finalizers other than kube's standard ones. */
  kubeFinalizers?: boolean;
}

const totalAnnotationSizeLimit = 256 * 1024;
const standardFinalizers = new Set(["kubernetes", "orphan", "foregroundDeletion"]);

/**
 * Label keys and values: one cause per problem, all on the map's own path (kube does not index by key).
 *
 * @example
 * ```ts
 * validateLabels({ "bad key": "v" }, "metadata.labels");
 * ```
 */
export function validateLabels(labels: unknown, path: string): StatusCause[] {
  const errs: StatusCause[] = [];
  for (const [k, v] of Object.entries(strMap(labels) ?? {})) {
    errs.push(...invalidEach(path, k, isQualifiedName(k)));
    errs.push(...invalidEach(path, v, isValidLabelValue(v)));
  }
  return errs;
}

/**
 * Annotation keys (qualified names, case-insensitive) and their 256 KiB total.
 *
 * @example
 * ```ts
 * validateAnnotations({ "a/b/c": "" }, "metadata.annotations");
 * ```
 */
export function validateAnnotations(annotations: unknown, path: string): StatusCause[] {
  const errs: StatusCause[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(strMap(annotations) ?? {})) {
    errs.push(...invalidEach(path, k, isQualifiedName(k.toLowerCase())));
    total += byteLength(k) + byteLength(v);
  }
  if (total > totalAnnotationSizeLimit) errs.push(tooLong(path, totalAnnotationSizeLimit));
  return errs;
}

function validateOwnerReferences(refs: unknown, path: string): StatusCause[] {
  const errs: StatusCause[] = [];
  let firstController = "";
  for (const ref of objList(refs)) {
    const apiVersion = str(ref.apiVersion);
    const parts = apiVersion.split("/");
    const version = parts.length === 1 ? parts[0] : parts.length === 2 ? parts[1] : "";
    const group = parts.length === 2 ? parts[0] : "";
    if (!version) errs.push(invalid(child(path, "apiVersion"), apiVersion, "version must not be empty"));
    if (!str(ref.kind)) errs.push(invalid(child(path, "kind"), str(ref.kind), "must not be empty"));
    if (!str(ref.name)) errs.push(invalid(child(path, "name"), str(ref.name), "must not be empty"));
    if (!str(ref.uid)) errs.push(invalid(child(path, "uid"), str(ref.uid), "must not be empty"));
    if (group === "" && version === "v1" && ref.kind === "Event") {
      errs.push(invalid(path, jsonLiteral(ref), "/v1, Kind=Event is disallowed from being an owner"));
    }
    if (ref.controller === true) {
      const current = `${str(ref.kind)}/${str(ref.name)}`;
      if (firstController) {
        errs.push(
          invalid(
            path,
            jsonLiteral(refs),
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
      } else firstController = current;
    }
  }
  return errs;
}

function validateFinalizers(finalizers: unknown, path: string, kube: boolean): StatusCause[] {
  const errs: StatusCause[] = [];
  const names = list(finalizers).map(str);
  for (const f of names) errs.push(...invalidEach(path, f, isQualifiedName(f)));
  if (names.includes("orphan") && names.includes("foregroundDeletion")) {
    errs.push(invalid(path, goStringSlice(names), "finalizer orphan and foregroundDeletion cannot be both set"));
  }
  if (kube) {
    names.forEach((f, i) => {
      if (!f.includes("/") && !standardFinalizers.has(f)) {
        errs.push(invalid(at(path, i), f, "name is neither a standard finalizer name nor is it fully qualified"));
      }
    });
  }
  return errs;
}

/**
 * `ValidateObjectMeta` on create: generateName, name, namespace, generation, labels, annotations, owners, finalizers.
 *
 * @example
 * ```ts
 * validateObjectMeta(cm.metadata, { nameFn: nameIsDNSSubdomain, namespaced: true });
 * ```
 */
export function validateObjectMeta(meta: unknown, rules: MetaRules, path = "metadata"): StatusCause[] {
  const m = obj(meta);
  const errs: StatusCause[] = [];
  const generateName = str(m.generateName);
  if (generateName) {
    errs.push(...invalidEach(child(path, "generateName"), generateName, rules.nameFn(generateName, true)));
  }
  const name = str(m.name);
  if (!name) errs.push(required(child(path, "name"), "name or generateName is required"));
  else errs.push(...invalidEach(child(path, "name"), name, rules.nameFn(name, false)));
  const namespace = str(m.namespace);
  if (rules.namespaced === true) {
    if (!namespace) errs.push(required(child(path, "namespace")));
    else errs.push(...invalidEach(child(path, "namespace"), namespace, nameIsDNSLabel(namespace, false)));
  } else if (rules.namespaced === false && namespace) {
    errs.push(forbidden(child(path, "namespace"), "not allowed on this type"));
  }
  const generation = num(m.generation) ?? 0;
  if (generation < 0) errs.push(invalid(child(path, "generation"), generation, "must be greater than or equal to 0"));
  errs.push(...validateLabels(m.labels, child(path, "labels")));
  errs.push(...validateAnnotations(m.annotations, child(path, "annotations")));
  errs.push(...validateOwnerReferences(m.ownerReferences, child(path, "ownerReferences")));
  errs.push(...validateFinalizers(m.finalizers, child(path, "finalizers"), rules.kubeFinalizers ?? true));
  return errs;
}

function immutable(path: string, newVal: unknown, oldVal: unknown, render = (v: unknown) => v): StatusCause[] {
  if (semanticEqual(newVal, oldVal)) return [];
  const shown = render(newVal);
  const value = shown === undefined || typeof shown === "string" || typeof shown === "number" ||
      shown instanceof GoLiteral
    ? shown
    : jsonLiteral(shown);
  return [invalid(path, value as string | number | GoLiteral | undefined, "field is immutable")];
}

/**
 * `ValidateImmutableField`: `Invalid value: <new>: field is immutable` when the value changed.
 *
 * @example
 * ```ts
 * validateImmutable("spec.selector", next.spec.selector, old.spec.selector, goLabelSelector);
 * ```
 */
export function validateImmutable(
  path: string,
  newVal: unknown,
  oldVal: unknown,
  render?: (v: unknown) => unknown,
): StatusCause[] {
  return immutable(path, newVal, oldVal, render);
}

/**
 * `ValidateObjectMetaUpdate`: what an update may never change, plus the label/annotation syntax of the new object.
 * Expects the REST layer to have carried `resourceVersion` over for unconditional updates, as kube's store does.
 *
 * @example
 * ```ts
 * validateObjectMetaUpdate(next.metadata, old.metadata);
 * ```
 */
export function validateObjectMetaUpdate(
  newMeta: unknown,
  oldMeta: unknown,
  path = "metadata",
  kubeFinalizers = true,
): StatusCause[] {
  const n = obj(newMeta);
  const o = obj(oldMeta);
  const errs: StatusCause[] = [];
  if (o.deletionTimestamp) {
    const old = new Set(list(o.finalizers).map(str));
    const extra = [...new Set(list(n.finalizers).map(str))].filter((f) => !old.has(f)).sort();
    if (extra.length) {
      errs.push(
        forbidden(
          child(path, "finalizers"),
          `no new finalizers can be added if the object is being deleted, found new finalizers ${
            goStringSlice(extra).text
          }`,
        ),
      );
    }
  }
  if (!str(n.resourceVersion)) {
    errs.push(invalid(child(path, "resourceVersion"), str(n.resourceVersion), "must be specified for an update"));
  }
  const newGeneration = num(n.generation) ?? 0;
  if (newGeneration < (num(o.generation) ?? 0)) {
    errs.push(invalid(child(path, "generation"), newGeneration, "must not be decremented"));
  }
  errs.push(...immutable(child(path, "name"), n.name, o.name));
  errs.push(...immutable(child(path, "namespace"), n.namespace, o.namespace));
  errs.push(...immutable(child(path, "uid"), n.uid, o.uid));
  // metav1.Time prints through its Stringer, unquoted.
  const time = (v: unknown) => new GoLiteral(typeof v === "string" ? v : "null");
  errs.push(...immutable(child(path, "creationTimestamp"), n.creationTimestamp, o.creationTimestamp, time));
  errs.push(...immutable(child(path, "deletionTimestamp"), n.deletionTimestamp, o.deletionTimestamp, time));
  errs.push(
    ...immutable(child(path, "deletionGracePeriodSeconds"), n.deletionGracePeriodSeconds, o.deletionGracePeriodSeconds),
  );
  errs.push(...validateLabels(n.labels, child(path, "labels")));
  errs.push(...validateAnnotations(n.annotations, child(path, "annotations")));
  errs.push(...validateOwnerReferences(n.ownerReferences, child(path, "ownerReferences")));
  // Only the built-in kinds restrict unqualified finalizers; CRDs and custom objects do not.
  list(n.finalizers).map(str).forEach((f, i) => {
    if (kubeFinalizers && !f.includes("/") && !standardFinalizers.has(f)) {
      errs.push(
        invalid(
          at(child(path, "finalizers"), i),
          f,
          "name is neither a standard finalizer name nor is it fully qualified",
        ),
      );
    }
  });
  return errs;
}

/**
 * Annotations and labels only — the metadata allowed in embedded templates such as a PVC `volumeClaimTemplate`.
 *
 * @example
 * ```ts
 * validateTemplateMeta(tmpl.metadata, "spec.volumes[0].ephemeral.volumeClaimTemplate.metadata");
 * ```
 */
export function validateTemplateMeta(meta: unknown, path: string): StatusCause[] {
  const m = obj(meta);
  const errs = [...validateAnnotations(m.annotations, child(path, "annotations"))];
  errs.push(...validateLabels(m.labels, child(path, "labels")));
  for (const k of Object.keys(m)) {
    if (k !== "labels" && k !== "annotations" && !semanticEqual(m[k], undefined)) {
      errs.push(forbidden(child(path, k), "cannot be set"));
    }
  }
  return errs;
}

const selectorOperators = new Set(["In", "NotIn", "Exists", "DoesNotExist"]);

/**
 * `ValidateLabelSelector`: matchLabels and each matchExpressions requirement.
 *
 * @example
 * ```ts
 * validateLabelSelector(spec.selector, "spec.selector");
 * ```
 */
export function validateLabelSelector(selector: unknown, path: string): StatusCause[] {
  if (!isObj(selector)) return [];
  const errs = validateLabels(selector.matchLabels, child(path, "matchLabels"));
  objList(selector.matchExpressions).forEach((req, i) => {
    const p = at(child(path, "matchExpressions"), i);
    const values = list(req.values).map(str);
    const op = str(req.operator);
    if (op === "In" || op === "NotIn") {
      if (values.length === 0) {
        errs.push(required(child(p, "values"), "must be specified when `operator` is 'In' or 'NotIn'"));
      }
    } else if (op === "Exists" || op === "DoesNotExist") {
      if (values.length > 0) {
        errs.push(forbidden(child(p, "values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      }
    } else errs.push(invalid(child(p, "operator"), op, "not a valid selector operator"));
    errs.push(...invalidEach(child(p, "key"), str(req.key), isQualifiedName(str(req.key))));
    values.forEach((v, j) => errs.push(...invalidEach(at(child(p, "values"), j), v, isValidLabelValue(v))));
  });
  return errs;
}

/**
 * Whether `metav1.LabelSelectorAsSelector` would fail on this selector (then kube reports "invalid label selector").
 *
 * @example
 * ```ts
 * selectorIsMalformed({ matchLabels: { "a b": "x" } }); // true
 * ```
 */
export function selectorIsMalformed(selector: unknown): boolean {
  if (!isObj(selector)) return false;
  for (const [k, v] of Object.entries(strMap(selector.matchLabels) ?? {})) {
    if (isQualifiedName(k).length || isValidLabelValue(v).length) return true;
  }
  for (const req of objList(selector.matchExpressions)) {
    const op = str(req.operator);
    const values = list(req.values).map(str);
    if (!selectorOperators.has(op)) return true;
    if ((op === "In" || op === "NotIn") && values.length === 0) return true;
    if ((op === "Exists" || op === "DoesNotExist") && values.length > 0) return true;
    if (isQualifiedName(str(req.key)).length || values.some((v) => isValidLabelValue(v).length)) return true;
  }
  return false;
}

/**
 * Whether a selector selects everything (`{}`): kube skips the template-labels check then.
 *
 * @example
 * ```ts
 * selectorIsEmpty({}); // true
 * ```
 */
export function selectorIsEmpty(selector: unknown): boolean {
  return isObj(selector) && Object.keys(obj(selector.matchLabels)).length === 0 &&
    list(selector.matchExpressions).length === 0;
}

/**
 * Whether a `LabelSelector` matches a label set; an absent selector matches nothing, as `LabelSelectorAsSelector(nil)`.
 *
 * @example
 * ```ts
 * selectorMatches({ matchLabels: { app: "web" } }, { app: "web", tier: "fe" }); // true
 * ```
 */
export function selectorMatches(selector: unknown, labels: unknown): boolean {
  if (!isObj(selector)) return false;
  const set = strMap(labels) ?? {};
  for (const [k, v] of Object.entries(strMap(selector.matchLabels) ?? {})) if (set[k] !== v) return false;
  for (const req of objList(selector.matchExpressions)) {
    const key = str(req.key);
    const values = list(req.values).map(str);
    const has = Object.hasOwn(set, key);
    switch (str(req.operator)) {
      case "In":
        if (!has || !values.includes(set[key])) return false;
        break;
      case "NotIn":
        if (has && values.includes(set[key])) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/**
 * Duplicate detection helper: a cause for each repeated value, in order.
 *
 * @example
 * ```ts
 * duplicates(["a", "a"], (i) => `spec.x[${i}]`);
 * ```
 */
export function duplicates(values: string[], pathOf: (i: number) => string): StatusCause[] {
  const seen = new Set<string>();
  const errs: StatusCause[] = [];
  values.forEach((v, i) => {
    if (seen.has(v)) errs.push(duplicate(pathOf(i), v));
    seen.add(v);
  });
  return errs;
}
