/**
 * kube-apiserver's built-in validation of create and update bodies, as `StatusCause`s with kube's field paths and
 * messages; feed a non-empty result to `invalid()` from `core/api/status.ts` for the 422 kubectl prints. Run
 * `applyDefaults` first: kube validates defaulted objects, and several rules rely on that.
 *
 * @module
 */

import type { StatusCause } from "../api/status.ts";
import { validateCronJob, validateCronJobUpdate, validateJob, validateJobUpdate } from "./batch.ts";
import {
  validateNamespace,
  validateNamespaceUpdate,
  validateNode,
  validateNodeUpdate,
  validatePriorityClass,
  validateServiceAccount,
} from "./cluster.ts";
import { validateConfigMap, validateConfigMapUpdate, validateSecret, validateSecretUpdate } from "./config.ts";
import {
  validateCustomResourceDefinition,
  validateCustomResourceDefinitionUpdate,
} from "./customresourcedefinition.ts";
import { type MetaRules, validateObjectMeta, validateObjectMetaUpdate } from "./meta.ts";
import { nameIsDNSSubdomain, nameIsPathSegment } from "./names.ts";
import {
  validateEndpoints,
  validateIngress,
  validateIngressUpdate,
  validateService,
  validateServiceUpdate,
} from "./networking.ts";
import { type Obj, obj } from "./object.ts";
import { validatePod, validatePodTemplateSpec, validatePodUpdate } from "./pod_validation.ts";
import {
  validatePersistentVolume,
  validatePersistentVolumeClaim,
  validatePersistentVolumeClaimUpdate,
} from "./storage.ts";
import {
  validateDaemonSet,
  validateDaemonSetUpdate,
  validateDeployment,
  validateDeploymentUpdate,
  validateReplicaSet,
  validateReplicaSetUpdate,
  validateReplicationController,
  validateReplicationControllerUpdate,
  validateScale,
  validateStatefulSet,
  validateStatefulSetUpdate,
} from "./workloads.ts";

interface Validator {
  create: (object: Obj) => StatusCause[];
  /** Defaults to the metadata update rules plus `create` on the new object, which is what most kinds do. */
  update?: (object: Obj, old: Obj) => StatusCause[];
}

function podTemplate(o: Obj): StatusCause[] {
  return [
    ...validateObjectMeta(o.metadata, { nameFn: nameIsDNSSubdomain, namespaced: true }),
    ...validatePodTemplateSpec(o.template, "template"),
  ];
}

const scale: Validator = { create: validateScale, update: (o) => validateScale(o) };

const validators: Record<string, Validator> = {
  "/Pod": { create: validatePod, update: validatePodUpdate },
  "/PodTemplate": { create: podTemplate },
  "/ReplicationController": { create: validateReplicationController, update: validateReplicationControllerUpdate },
  "/Service": { create: validateService, update: validateServiceUpdate },
  "/Endpoints": { create: validateEndpoints },
  "/ConfigMap": { create: validateConfigMap, update: validateConfigMapUpdate },
  "/Secret": { create: validateSecret, update: validateSecretUpdate },
  "/Namespace": { create: validateNamespace, update: validateNamespaceUpdate },
  "/Node": { create: validateNode, update: validateNodeUpdate },
  "/ServiceAccount": { create: validateServiceAccount },
  "/PersistentVolumeClaim": { create: validatePersistentVolumeClaim, update: validatePersistentVolumeClaimUpdate },
  "/PersistentVolume": { create: validatePersistentVolume },
  "apps/Deployment": { create: validateDeployment, update: validateDeploymentUpdate },
  "apps/ReplicaSet": { create: validateReplicaSet, update: validateReplicaSetUpdate },
  "apps/StatefulSet": { create: validateStatefulSet, update: validateStatefulSetUpdate },
  "apps/DaemonSet": { create: validateDaemonSet, update: validateDaemonSetUpdate },
  "apps/Scale": scale,
  "autoscaling/Scale": scale,
  "batch/Job": { create: validateJob, update: validateJobUpdate },
  "batch/CronJob": { create: validateCronJob, update: validateCronJobUpdate },
  "discovery.k8s.io/EndpointSlice": { create: validateEndpoints },
  "networking.k8s.io/Ingress": { create: validateIngress, update: validateIngressUpdate },
  "scheduling.k8s.io/PriorityClass": { create: validatePriorityClass },
  "apiextensions.k8s.io/CustomResourceDefinition": {
    create: validateCustomResourceDefinition,
    update: validateCustomResourceDefinitionUpdate,
  },
};

const subdomain = (namespaced: boolean): MetaRules => ({ nameFn: nameIsDNSSubdomain, namespaced });
const pathSegment = (namespaced: boolean): MetaRules => ({ nameFn: nameIsPathSegment, namespaced });

// Kinds whose own validation adds nothing users trip over: only their name rule and scope matter here.
const metaOnly: Record<string, MetaRules> = {
  "/Event": subdomain(true),
  "/LimitRange": subdomain(true),
  "/ResourceQuota": subdomain(true),
  "events.k8s.io/Event": subdomain(true),
  "coordination.k8s.io/Lease": subdomain(true),
  "networking.k8s.io/NetworkPolicy": subdomain(true),
  "networking.k8s.io/IngressClass": subdomain(false),
  "policy/PodDisruptionBudget": subdomain(true),
  "autoscaling/HorizontalPodAutoscaler": subdomain(true),
  "storage.k8s.io/StorageClass": subdomain(false),
  "storage.k8s.io/CSIDriver": subdomain(false),
  "storage.k8s.io/CSINode": subdomain(false),
  "storage.k8s.io/VolumeAttachment": subdomain(false),
  "rbac.authorization.k8s.io/Role": pathSegment(true),
  "rbac.authorization.k8s.io/RoleBinding": pathSegment(true),
  "rbac.authorization.k8s.io/ClusterRole": pathSegment(false),
  "rbac.authorization.k8s.io/ClusterRoleBinding": pathSegment(false),
};

// Anything else (custom resources, aggregated kinds): names must at least be usable as a URL path segment.
const fallback: MetaRules = { nameFn: nameIsPathSegment, kubeFinalizers: false };

function validatorFor(group: string, kind: string): Validator {
  const key = `${group}/${kind}`;
  const known = validators[key];
  if (known) return known;
  const rules = metaOnly[key] ?? fallback;
  return { create: (o) => validateObjectMeta(o.metadata, rules) };
}

/**
 * Validates a (defaulted) object being created; an empty list means valid.
 *
 * @example
 * ```ts
 * validateCreate("", "ConfigMap", { metadata: { name: "Bad_Name", namespace: "default" } });
 * // [{ type: "FieldValueInvalid", field: "metadata.name", message: "Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain …" }]
 * ```
 */
export function validateCreate(group: string, kind: string, object: Obj): StatusCause[] {
  return validatorFor(group, kind).create(object);
}

/**
 * Validates a (defaulted) object replacing `oldObject`: the kind's update rules — immutable fields, metadata that
 * may not change — and the new object's own validity.
 *
 * @example
 * ```ts
 * validateUpdate("apps", "Deployment", next, stored); // spec.selector: Invalid value: …: field is immutable
 * ```
 */
export function validateUpdate(group: string, kind: string, object: Obj, oldObject: Obj): StatusCause[] {
  const v = validatorFor(group, kind);
  if (v.update) return v.update(object, oldObject);
  return [...validateObjectMetaUpdate(obj(object).metadata, obj(oldObject).metadata), ...v.create(object)];
}
