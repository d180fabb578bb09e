/**
 * Defaults and validation of `apiextensions.k8s.io/v1` CustomResourceDefinitions, as kube-apiserver applies them
 * to the CRD object itself: names and group, scope, versions with exactly one storage version, conversion,
 * printer columns, subresources, API approval of protected groups, and each version's schema — structural,
 * defaults valid, CEL rules compiling. Like kube, version fields shared by every version are checked (and
 * reported) at `spec.validation`, `spec.subresources` and `spec.additionalPrinterColumns`, the internal form's
 * top-level fields.
 *
 * @module
 */
import type { StatusCause } from "../api/status.ts";
import { validateVersionSchema } from "../apiextensions/schema_checks.ts";
import type {
  CustomResourceColumnDefinition,
  CustomResourceDefinition,
  CustomResourceDefinitionNames,
  CustomResourceDefinitionVersion,
  CustomResourceSubresources,
} from "../apiextensions/types.ts";
import { jsonEqual } from "../apiextensions/validation.ts";
import { forbidden, GoLiteral, goQuote, goStringSlice, invalid, notSupported, required } from "./field.ts";
import { validateImmutable, validateObjectMeta, validateObjectMetaUpdate } from "./meta.ts";
import { isDNS1035Label, isDNS1123Subdomain, nameIsDNSSubdomain } from "./names.ts";
import { isObj, type Obj } from "./object.ts";

const PRINTER_COLUMN_TYPES = ["boolean", "date", "integer", "number", "string"];
const PRINTER_COLUMN_FORMATS = ["byte", "date", "date-time", "double", "float", "int32", "int64", "password"];
const APPROVAL_ANNOTATION = "api-approved.kubernetes.io";

/**
 * Kube's defaults for a v1 CRD: singular and listKind from the kind, `conversion.strategy: None`, a webhook
 * service's port 443.
 *
 * @example
 * ```ts
 * defaultCustomResourceDefinition(crd); // crd.spec.names.singular === "widget", listKind "WidgetList"
 * ```
 */
export function defaultCustomResourceDefinition(object: Obj): void {
  if (!isObj(object.spec)) return;
  const spec = object.spec as Obj;
  if (isObj(spec.names)) {
    const names = spec.names as Obj;
    if (!names.singular && typeof names.kind === "string") names.singular = names.kind.toLowerCase();
    if (!names.listKind && typeof names.kind === "string" && names.kind) names.listKind = `${names.kind}List`;
  }
  if (!isObj(spec.conversion)) spec.conversion = { strategy: "None" };
  const conversion = spec.conversion as Obj;
  conversion.strategy ??= "None";
  const service = ((conversion.webhook as Obj | undefined)?.clientConfig as Obj | undefined)?.service as
    | Obj
    | undefined;
  if (isObj(service)) service.port ??= 443;
}

/** Version fields as kube's internal form holds them: shared values at the top, per-version otherwise. */
interface Hoisted<T> {
  shared: boolean;
  value: (i: number) => T | undefined;
  path: (i: number) => string;
}

function hoist<T>(
  versions: CustomResourceDefinitionVersion[],
  pick: (v: CustomResourceDefinitionVersion) => T | undefined,
  top: string,
  own: string,
): Hoisted<T> {
  const shared = versions.length > 0 && versions.every((v) => jsonEqual(pick(v) ?? null, pick(versions[0]) ?? null));
  return {
    shared,
    value: (i) => pick(versions[shared ? 0 : i]),
    path: (i) => shared ? `spec.${top}` : `spec.versions[${i}].${own}`,
  };
}

/** `[]apiextensions.CustomResourceDefinitionVersion{…}`, roughly as Go prints the versions in a message. */
function goVersions(versions: CustomResourceDefinitionVersion[]): GoLiteral {
  const one = (v: CustomResourceDefinitionVersion) =>
    `apiextensions.CustomResourceDefinitionVersion{Name:${goQuote(v.name ?? "")}, Served:${
      Boolean(v.served)
    }, Storage:${Boolean(v.storage)}, Deprecated:${Boolean(v.deprecated)}}`;
  return new GoLiteral(`[]apiextensions.CustomResourceDefinitionVersion{${versions.map(one).join(", ")}}`);
}

function enumString(path: string, value: unknown, accepted: string[]): StatusCause[] {
  if (value === undefined || value === "") return [required(path)];
  return accepted.includes(String(value)) ? [] : [notSupported(path, String(value), accepted)];
}

function dns1035(path: string, value: string, mixedCase = false): StatusCause[] {
  const errs = isDNS1035Label(mixedCase ? value.toLowerCase() : value);
  if (!value || !errs.length) return [];
  return [
    invalid(path, value, (mixedCase ? "may have mixed case, but should otherwise match: " : "") + errs.join(",")),
  ];
}

function validateNames(names: Partial<CustomResourceDefinitionNames> | undefined, path: string): StatusCause[] {
  const n = names ?? {};
  const errs: StatusCause[] = [
    ...dns1035(`${path}.plural`, n.plural ?? ""),
    ...dns1035(`${path}.singular`, n.singular ?? ""),
    ...dns1035(`${path}.kind`, n.kind ?? "", true),
    ...dns1035(`${path}.listKind`, n.listKind ?? "", true),
  ];
  (n.shortNames ?? []).forEach((s, i) => errs.push(...dns1035(`${path}.shortNames[${i}]`, s)));
  if (n.kind && n.kind === n.listKind) {
    errs.push(invalid(`${path}.listKind`, n.listKind, "kind and listKind may not be the same"));
  }
  (n.categories ?? []).forEach((c, i) => errs.push(...dns1035(`${path}.categories[${i}]`, c)));
  return errs;
}

function validateColumn(col: Partial<CustomResourceColumnDefinition>, path: string): StatusCause[] {
  const errs: StatusCause[] = [];
  if (!col.name) errs.push(required(`${path}.name`));
  const types = `must be one of ${PRINTER_COLUMN_TYPES.join(",")}`;
  if (!col.type) errs.push(required(`${path}.type`, types));
  else if (!PRINTER_COLUMN_TYPES.includes(col.type)) errs.push(invalid(`${path}.type`, col.type, types));
  if (col.format && !PRINTER_COLUMN_FORMATS.includes(col.format)) {
    errs.push(invalid(`${path}.format`, col.format, `must be one of ${PRINTER_COLUMN_FORMATS.join(",")}`));
  }
  if (!col.jsonPath) errs.push(required(`${path}.JSONPath`));
  else errs.push(...simpleJSONPath(col.jsonPath, `${path}.JSONPath`));
  return errs;
}

function simpleJSONPath(s: string, path: string): StatusCause[] {
  if (!s) return [invalid(path, s, "must not be empty")];
  if (!s.startsWith(".")) return [invalid(path, s, "must be a simple json path starting with .")];
  return [];
}

function validateSubresources(sub: CustomResourceSubresources | undefined, path: string): StatusCause[] {
  const scale = sub?.scale;
  if (!scale) return [];
  const errs: StatusCause[] = [];
  const under = (value: string | undefined, field: string, prefixes: string[], detail: string) => {
    const at = `${path}.scale.${field}`;
    if (!value) return;
    const syntax = simpleJSONPath(value, at);
    if (syntax.length) errs.push(...syntax);
    else if (!prefixes.some((p) => value.startsWith(p))) errs.push(invalid(at, value, detail));
  };
  if (!scale.specReplicasPath) errs.push(required(`${path}.scale.specReplicasPath`));
  under(scale.specReplicasPath, "specReplicasPath", [".spec."], "should be a json path under .spec");
  if (!scale.statusReplicasPath) errs.push(required(`${path}.scale.statusReplicasPath`));
  under(scale.statusReplicasPath, "statusReplicasPath", [".status."], "should be a json path under .status");
  under(
    scale.labelSelectorPath,
    "labelSelectorPath",
    [".spec.", ".status."],
    "should be a json path under either .spec or .status",
  );
  return errs;
}

function validateConversion(conversion: Obj | undefined): StatusCause[] {
  if (!conversion) return [];
  const errs = enumString("spec.conversion.strategy", conversion.strategy, ["None", "Webhook"]);
  const webhook = conversion.webhook as Obj | undefined;
  if (conversion.strategy === "Webhook") {
    const config = webhook?.clientConfig as Obj | undefined;
    if (!config) errs.push(required("spec.conversion.webhookClientConfig", "required when strategy is set to Webhook"));
    else if ((config.url === undefined) === (config.service === undefined)) {
      errs.push(required("spec.conversion.webhookClientConfig", "exactly one of url or service is required"));
    }
    const reviews = (webhook?.conversionReviewVersions ?? []) as string[];
    if (!reviews.length) errs.push(required("spec.conversion.conversionReviewVersions"));
    else if (!reviews.some((v) => v === "v1" || v === "v1beta1")) {
      errs.push(
        invalid(
          "spec.conversion.conversionReviewVersions",
          goStringSlice(reviews),
          "must include at least one of v1, v1beta1",
        ),
      );
    }
  } else if (webhook?.clientConfig) {
    errs.push(
      forbidden("spec.conversion.webhookClientConfig", "should not be set when strategy is not set to Webhook"),
    );
  }
  return errs;
}

function protectedGroup(group: string): boolean {
  return group === "k8s.io" || group.endsWith(".k8s.io") || group === "kubernetes.io" ||
    group.endsWith(".kubernetes.io");
}

type ApprovalState = "missing" | "bypassed" | "approved" | "invalid";

function approvalState(annotations: Record<string, string> | undefined): [ApprovalState, string] {
  const value = annotations?.[APPROVAL_ANNOTATION] ?? "";
  if (!value) {
    return [
      "missing",
      `protected groups must have approval annotation "${APPROVAL_ANNOTATION}", see https://github.com/kubernetes/enhancements/pull/1111`,
    ];
  }
  if (value.startsWith("unapproved")) return ["bypassed", ""];
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/]/.test(value)) return ["approved", ""];
  return [
    "invalid",
    `protected groups must have approval annotation "${APPROVAL_ANNOTATION}" with either a URL or a reason starting with "unapproved", see https://github.com/kubernetes/enhancements/pull/1111`,
  ];
}

function validateApproval(crd: CustomResourceDefinition, old?: CustomResourceDefinition): StatusCause[] {
  if (!protectedGroup(crd.spec?.group ?? "")) return [];
  const [state, reason] = approvalState(crd.metadata?.annotations);
  if (old && approvalState(old.metadata?.annotations)[0] === state) return [];
  const path = `metadata.annotations[${APPROVAL_ANNOTATION}]`;
  if (state === "invalid") return [invalid(path, crd.metadata?.annotations?.[APPROVAL_ANNOTATION] ?? "", reason)];
  if (state === "missing") return [required(path, reason)];
  return [];
}

function validateStoredVersions(crd: CustomResourceDefinition): StatusCause[] {
  const stored = crd.status?.storedVersions ?? [];
  const path = "status.storedVersions";
  if (!stored.length) {
    return [invalid(path, goStringSlice(crd.status?.storedVersions), "must have at least one stored version")];
  }
  const errs: StatusCause[] = [];
  const remaining = new Map(stored.map((v, i) => [v, i]));
  for (const v of crd.spec.versions ?? []) {
    if (v.storage && !remaining.has(v.name)) {
      errs.push(invalid(path, goStringSlice(stored), `must have the storage version ${v.name}`));
    }
    remaining.delete(v.name);
  }
  for (const [v, i] of remaining) errs.push(invalid(`${path}[${i}]`, v, "must appear in spec.versions"));
  return errs;
}

function validateSpec(crd: CustomResourceDefinition, old?: CustomResourceDefinition): StatusCause[] {
  const spec = (crd.spec ?? {}) as CustomResourceDefinition["spec"];
  const errs: StatusCause[] = [];
  const group = spec.group ?? "";
  if (!group) errs.push(required("spec.group"));
  else if (isDNS1123Subdomain(group).length) {
    errs.push(invalid("spec.group", group, isDNS1123Subdomain(group).join(",")));
  } else if (group.split(".").length < 2) {
    errs.push(invalid("spec.group", group, "should be a domain with at least one dot"));
  }
  errs.push(...enumString("spec.scope", spec.scope, ["Cluster", "Namespaced"]));
  const versions = spec.versions ?? [];
  const schemas = hoist(versions, (v) => v.schema, "validation", "schema");
  const subresources = hoist(versions, (v) => v.subresources, "subresources", "subresources");
  const columns = hoist(
    versions,
    (v) => v.additionalPrinterColumns?.length ? v.additionalPrinterColumns : undefined,
    "additionalPrinterColumns",
    "additionalPrinterColumns",
  );
  const requireSchemas = !old || (old.spec.versions ?? []).every((v) => v.schema?.openAPIV3Schema);
  if (requireSchemas) {
    versions.forEach((v, i) => {
      if (!v.schema?.openAPIV3Schema && !(schemas.shared && schemas.value(0)?.openAPIV3Schema)) {
        errs.push(required(`spec.versions[${i}].schema.openAPIV3Schema`, "schemas are required"));
      }
    });
  }
  let storage = 0;
  const seen = new Set<string>();
  let unique = true;
  versions.forEach((v, i) => {
    if (v.storage) storage++;
    if (seen.has(v.name)) unique = false;
    seen.add(v.name);
    const nameErrs = isDNS1035Label(v.name ?? "");
    if (nameErrs.length) errs.push(invalid(`spec.versions[${i}].name`, v.name ?? "", nameErrs.join(",")));
    if (!v.deprecated && v.deprecationWarning !== undefined) {
      errs.push(
        invalid(
          `spec.versions[${i}].deprecationWarning`,
          v.deprecationWarning,
          "can only be set for deprecated versions",
        ),
      );
    }
    if (!schemas.shared) {
      errs.push(...validateVersionSchema(v.schema, Boolean(subresources.value(i)?.status), schemas.path(i)));
    }
    if (!subresources.shared) errs.push(...validateSubresources(v.subresources, subresources.path(i)));
    if (!columns.shared) {
      (v.additionalPrinterColumns ?? []).forEach((c, j) => errs.push(...validateColumn(c, `${columns.path(i)}[${j}]`)));
    }
  });
  if (!unique) errs.push(invalid("spec.versions", goVersions(versions), "must contain unique version names"));
  if (storage !== 1) {
    errs.push(
      invalid("spec.versions", goVersions(versions), "must have exactly one version marked as storage version"),
    );
  }
  const names = spec.names ?? {} as CustomResourceDefinitionNames;
  for (const field of ["plural", "singular", "kind", "listKind"] as const) {
    if (!names[field]) errs.push(required(`spec.names.${field}`));
  }
  errs.push(...validateNames(names, "spec.names"));
  if (schemas.shared) {
    const anyStatus = versions.some((_, i) => Boolean(subresources.value(i)?.status));
    errs.push(...validateVersionSchema(schemas.value(0), anyStatus, "spec.validation"));
  }
  if (subresources.shared) errs.push(...validateSubresources(subresources.value(0), "spec.subresources"));
  if (columns.shared) {
    (columns.value(0) ?? []).forEach((c, j) => errs.push(...validateColumn(c, `spec.additionalPrinterColumns[${j}]`)));
  }
  if (spec.conversion?.strategy && spec.conversion.strategy !== "None" && spec.preserveUnknownFields) {
    errs.push(
      invalid(
        "spec.conversion.strategy",
        spec.conversion.strategy,
        "must be None if spec.preserveUnknownFields is true",
      ),
    );
  }
  errs.push(...validateConversion(spec.conversion as Obj | undefined));
  return errs;
}

function validateStatusNames(crd: CustomResourceDefinition): StatusCause[] {
  return validateNames(crd.status?.acceptedNames, "status.acceptedNames");
}

function validatePreserveUnknownFields(crd: CustomResourceDefinition, old?: CustomResourceDefinition): StatusCause[] {
  if (old?.spec?.preserveUnknownFields || !crd.spec?.preserveUnknownFields) return [];
  return [
    invalid(
      "spec.preserveUnknownFields",
      true,
      "cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead",
    ),
  ];
}

/**
 * Validate a CRD being created.
 *
 * @example
 * ```ts
 * validateCustomResourceDefinition(crd);
 * // [{ field: "spec.versions", message: "Invalid value: …: must have exactly one version marked as storage version" }]
 * ```
 */
export function validateCustomResourceDefinition(object: Obj): StatusCause[] {
  const crd = object as CustomResourceDefinition;
  const spec = crd.spec ?? {} as CustomResourceDefinition["spec"];
  const requiredName = `${spec.names?.plural ?? ""}.${spec.group ?? ""}`;
  const nameFn = (name: string, prefix: boolean) => {
    const errs = nameIsDNSSubdomain(name, prefix);
    return name === requiredName ? errs : [...errs, `must be spec.names.plural+"."+spec.group`];
  };
  return [
    ...validateObjectMeta(crd.metadata, { nameFn, namespaced: false, kubeFinalizers: false }),
    ...validateSpec(crd),
    ...validateStatusNames(crd),
    ...validateStoredVersions(crd),
    ...validateApproval(crd),
    ...validatePreserveUnknownFields(crd),
  ];
}

/**
 * Validate a CRD replacing `oldObject`: its own validity, plus group and plural (and, once established, scope and
 * kind) that may not change.
 *
 * @example
 * ```ts
 * validateCustomResourceDefinitionUpdate(next, stored); // spec.group: Invalid value: "b.com": field is immutable
 * ```
 */
export function validateCustomResourceDefinitionUpdate(object: Obj, oldObject: Obj): StatusCause[] {
  const crd = object as CustomResourceDefinition;
  const old = oldObject as CustomResourceDefinition;
  const errs = [...validateObjectMetaUpdate(crd.metadata, old.metadata, "metadata", false), ...validateSpec(crd, old)];
  const established = old.status?.conditions?.some((c) => c.type === "Established" && c.status === "True");
  if (established) {
    errs.push(...validateImmutable("spec.scope", crd.spec?.scope, old.spec?.scope));
    errs.push(...validateImmutable("spec.names.kind", crd.spec?.names?.kind, old.spec?.names?.kind));
  }
  errs.push(...validateImmutable("spec.group", crd.spec?.group, old.spec?.group));
  errs.push(...validateImmutable("spec.names.plural", crd.spec?.names?.plural, old.spec?.names?.plural));
  errs.push(...validateStatusNames(crd), ...validateStoredVersions(crd));
  errs.push(...validateApproval(crd, old), ...validatePreserveUnknownFields(crd, old));
  return errs;
}

/**
 * Validate a CRD status update: metadata may change (finalizers, labels) but stays valid, accepted names stay
 * well-formed.
 *
 * @example
 * ```ts
 * validateCustomResourceDefinitionStatusUpdate(next, stored); // []
 * ```
 */
export function validateCustomResourceDefinitionStatusUpdate(object: Obj, oldObject: Obj): StatusCause[] {
  const crd = object as CustomResourceDefinition;
  const old = (oldObject as CustomResourceDefinition).metadata;
  return [...validateObjectMetaUpdate(crd.metadata, old, "metadata", false), ...validateStatusNames(crd)];
}
