/**
 * The `apiextensions.k8s.io/v1` shapes this package reads — a CustomResourceDefinition and the JSON schema of its
 * versions — and the status helpers every CRD loop shares (conditions set as apiextensions-apiserver sets them).
 *
 * @module
 */
import type { KubeObject } from "../api/storage.ts";

/** The group CRDs live in. */
export const APIEXTENSIONS_GROUP = "apiextensions.k8s.io";

/** The finalizer a CRD carries while its objects are being deleted. */
export const CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io";

/** One `x-kubernetes-validations` rule. */
export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

/** `JSONSchemaProps`: an OpenAPI v3 schema as CRDs spell it, with Kubernetes' extensions. */
export interface JSONSchemaProps {
  type?: string;
  format?: string;
  title?: string;
  description?: string;
  default?: unknown;
  nullable?: boolean;
  enum?: unknown[];
  maximum?: number;
  exclusiveMaximum?: boolean;
  minimum?: number;
  exclusiveMinimum?: boolean;
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  maxItems?: number;
  minItems?: number;
  uniqueItems?: boolean;
  multipleOf?: number;
  maxProperties?: number;
  minProperties?: number;
  required?: string[];
  items?: JSONSchemaProps | JSONSchemaProps[];
  properties?: Record<string, JSONSchemaProps>;
  additionalProperties?: JSONSchemaProps | boolean;
  allOf?: JSONSchemaProps[];
  anyOf?: JSONSchemaProps[];
  oneOf?: JSONSchemaProps[];
  not?: JSONSchemaProps;
  example?: unknown;
  externalDocs?: unknown;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-embedded-resource"?: boolean;
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-list-type"?: string;
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-map-type"?: string;
  "x-kubernetes-validations"?: ValidationRule[];
  [key: string]: unknown;
}

/** `spec.names` / `status.acceptedNames`. */
export interface CustomResourceDefinitionNames {
  plural: string;
  singular?: string;
  shortNames?: string[];
  kind: string;
  listKind?: string;
  categories?: string[];
}

/** A printer column of a version. */
export interface CustomResourceColumnDefinition {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

/** The scale subresource's paths. */
export interface CustomResourceSubresourceScale {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

/** A version's subresources. */
export interface CustomResourceSubresources {
  status?: Record<string, never>;
  scale?: CustomResourceSubresourceScale;
}

/** One entry of `spec.versions`. */
export interface CustomResourceDefinitionVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema?: { openAPIV3Schema?: JSONSchemaProps };
  subresources?: CustomResourceSubresources;
  additionalPrinterColumns?: CustomResourceColumnDefinition[];
  selectableFields?: { jsonPath: string }[];
}

/** A status condition (`NamesAccepted`, `Established`, `Terminating`). */
export interface CustomResourceDefinitionCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** A CustomResourceDefinition as stored. */
export interface CustomResourceDefinition extends KubeObject {
  spec: {
    group: string;
    names: CustomResourceDefinitionNames;
    scope: "Namespaced" | "Cluster";
    versions: CustomResourceDefinitionVersion[];
    conversion?: { strategy: string; webhook?: unknown };
    preserveUnknownFields?: boolean;
  };
  status?: {
    conditions?: CustomResourceDefinitionCondition[];
    acceptedNames?: CustomResourceDefinitionNames;
    storedVersions?: string[];
  };
}

/**
 * The condition of `type`, if the CRD has one.
 *
 * @example
 * ```ts
 * findCondition(crd, "Established")?.status; // "True"
 * ```
 */
export function findCondition(
  crd: CustomResourceDefinition,
  type: string,
): CustomResourceDefinitionCondition | undefined {
  return crd.status?.conditions?.find((c) => c.type === type);
}

/**
 * Whether the condition `type` is "True".
 *
 * @example
 * ```ts
 * isConditionTrue(crd, "Established"); // true once the names are accepted
 * ```
 */
export function isConditionTrue(crd: CustomResourceDefinition, type: string): boolean {
  return findCondition(crd, type)?.status === "True";
}

/**
 * Set a condition as apiextensions-apiserver's `SetCRDCondition` does: the transition time moves only when the
 * status changes.
 *
 * @example
 * ```ts
 * setCondition(crd, { type: "Established", status: "True", reason: "InitialNamesAccepted", message: "…" });
 * ```
 */
export function setCondition(crd: CustomResourceDefinition, condition: CustomResourceDefinitionCondition): void {
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const status = crd.status ??= {};
  const conditions = status.conditions ??= [];
  const existing = conditions.find((c) => c.type === condition.type);
  if (!existing) {
    conditions.push({ ...condition, lastTransitionTime: now });
    return;
  }
  if (existing.status !== condition.status || !existing.lastTransitionTime) existing.lastTransitionTime = now;
  existing.status = condition.status;
  existing.reason = condition.reason;
  existing.message = condition.message;
}

/**
 * The version objects are stored in (exactly one is marked `storage`).
 *
 * @example
 * ```ts
 * storageVersion(crd); // "v1"
 * ```
 */
export function storageVersion(crd: CustomResourceDefinition): string | undefined {
  return crd.spec.versions?.find((v) => v.storage)?.name;
}

/**
 * The name a CRD must have: `<plural>.<group>`.
 *
 * @example
 * ```ts
 * crdName("example.com", "widgets"); // "widgets.example.com"
 * ```
 */
export function crdName(group: string, plural: string): string {
  return `${plural}.${group}`;
}

/**
 * CustomResourceDefinitions as the operator framework watches them.
 *
 * @example
 * ```ts
 * manager.cache(CUSTOM_RESOURCE_DEFINITIONS).get("widgets.example.com");
 * ```
 */
export const CUSTOM_RESOURCE_DEFINITIONS = {
  group: APIEXTENSIONS_GROUP,
  version: "v1",
  resource: "customresourcedefinitions",
  kind: "CustomResourceDefinition",
  namespaced: false,
} as const;
