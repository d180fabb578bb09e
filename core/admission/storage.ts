/**
 * PersistentVolumeClaims and PersistentVolumes: their defaults, create validation, and the PVC's
 * "spec is immutable after creation" rule.
 *
 * @module
 */

import type { StatusCause } from "../api/status.ts";
import {
  at,
  child,
  forbidden,
  invalid,
  invalidEach,
  jsonLiteral,
  notSupported,
  required,
  structDiff,
} from "./field.ts";
import { validateImmutable, validateLabelSelector, validateObjectMeta, validateObjectMetaUpdate } from "./meta.ts";
import { isDNS1123Subdomain, nameIsDNSSubdomain } from "./names.ts";
import { clone, ensureObj, isObj, list, type Obj, obj, semanticEqual, str } from "./object.ts";
import {
  compareQuantities,
  defaultResourceList,
  formatQuantity,
  parseQuantity,
  quantityFormatError,
} from "./quantity.ts";

/**
 * `SetDefaults_PersistentVolumeClaimSpec`: `volumeMode: Filesystem`, and canonical storage quantities.
 *
 * @example
 * ```ts
 * defaultClaimSpec(pvc.spec);
 * ```
 */
export function defaultClaimSpec(spec: unknown): void {
  if (!isObj(spec)) return;
  if (!str(spec.volumeMode)) spec.volumeMode = "Filesystem";
  if (isObj(spec.resources)) {
    defaultResourceList(spec.resources.requests);
    defaultResourceList(spec.resources.limits);
  }
}

/**
 * PersistentVolumeClaim defaults: the spec's, and `status.phase: Pending`.
 *
 * @example
 * ```ts
 * defaultPersistentVolumeClaim(pvc);
 * ```
 */
export function defaultPersistentVolumeClaim(pvc: Obj): void {
  defaultClaimSpec(ensureObj(pvc, "spec"));
  const status = ensureObj(pvc, "status");
  if (!str(status.phase)) status.phase = "Pending";
}

/**
 * PersistentVolume defaults: `persistentVolumeReclaimPolicy: Retain`, `volumeMode: Filesystem`, `status.phase: Pending`.
 *
 * @example
 * ```ts
 * defaultPersistentVolume(pv);
 * ```
 */
export function defaultPersistentVolume(pv: Obj): void {
  const spec = ensureObj(pv, "spec");
  if (!str(spec.persistentVolumeReclaimPolicy)) spec.persistentVolumeReclaimPolicy = "Retain";
  if (!str(spec.volumeMode)) spec.volumeMode = "Filesystem";
  defaultResourceList(spec.capacity);
  const status = ensureObj(pv, "status");
  if (!str(status.phase)) status.phase = "Pending";
}

const accessModes = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];

function validateAccessModes(modes: unknown, path: string, requiredDetail: string): StatusCause[] {
  const errs: StatusCause[] = [];
  const values = list(modes).map(str);
  if (values.length === 0) errs.push(required(path, requiredDetail));
  let rwop = false;
  let other = false;
  for (const mode of values) {
    if (!accessModes.includes(mode)) errs.push(notSupported(path, mode, accessModes));
    if (mode === "ReadWriteOncePod") rwop = true;
    else if (accessModes.includes(mode)) other = true;
  }
  if (rwop && other) errs.push(forbidden(path, "may not use ReadWriteOncePod with other access modes"));
  return errs;
}

function validatePositiveQuantity(value: unknown, path: string): StatusCause[] {
  const q = parseQuantity(value);
  if (!q) return [invalid(path, str(value) || String(value), quantityFormatError)];
  if (q.negative || q.digits === 0n) return [invalid(path, formatQuantity(q), "must be greater than zero")];
  return [];
}

/**
 * `ValidatePersistentVolumeClaimSpec`, for claims and for claim templates (StatefulSets, ephemeral volumes).
 *
 * @example
 * ```ts
 * validateClaimSpec(pvc.spec, "spec");
 * ```
 */
export function validateClaimSpec(spec: unknown, path: string): StatusCause[] {
  const s = obj(spec);
  const errs = validateAccessModes(s.accessModes, child(path, "accessModes"), "at least 1 access mode is required");
  if (isObj(s.selector)) errs.splice(1, 0, ...validateLabelSelector(s.selector, child(path, "selector")));
  const storagePath = at(child(path, "resources"), "storage");
  const storage = obj(obj(s.resources).requests).storage;
  if (storage === undefined) errs.push(required(storagePath));
  else errs.push(...validatePositiveQuantity(storage, storagePath));
  const className = str(s.storageClassName);
  if (className) {
    errs.push(...invalidEach(child(path, "storageClassName"), className, nameIsDNSSubdomain(className, false)));
  }
  if (s.volumeMode !== undefined && !["Block", "Filesystem"].includes(str(s.volumeMode))) {
    errs.push(notSupported(child(path, "volumeMode"), str(s.volumeMode), ["Block", "Filesystem"]));
  }
  for (const key of ["dataSource", "dataSourceRef"]) {
    if (!isObj(s[key])) continue;
    const ref = s[key] as Obj;
    const refPath = child(path, key);
    if (!str(ref.name)) errs.push(required(child(refPath, "name")));
    if (!str(ref.kind)) errs.push(required(child(refPath, "kind")));
    const apiGroup = str(ref.apiGroup);
    if (!apiGroup && ref.kind !== "PersistentVolumeClaim") {
      errs.push(
        invalid(refPath, str(ref.kind), "must be 'PersistentVolumeClaim' when referencing the default apiGroup"),
      );
    }
    if (apiGroup) errs.push(...invalidEach(child(refPath, "apiGroup"), apiGroup, isDNS1123Subdomain(apiGroup)));
  }
  return errs;
}

/**
 * Create validation of a PersistentVolumeClaim.
 *
 * @example
 * ```ts
 * validatePersistentVolumeClaim(pvc);
 * ```
 */
export function validatePersistentVolumeClaim(pvc: Obj): StatusCause[] {
  return [
    ...validateObjectMeta(pvc.metadata, { nameFn: nameIsDNSSubdomain, namespaced: true }),
    ...validateClaimSpec(pvc.spec, "spec"),
  ];
}

/**
 * Update validation of a PersistentVolumeClaim: the spec is frozen except `resources.requests` of a bound claim,
 * a first `volumeName`, a first `storageClassName`, and `volumeAttributesClassName`.
 *
 * @example
 * ```ts
 * validatePersistentVolumeClaimUpdate(next, old);
 * ```
 */
export function validatePersistentVolumeClaimUpdate(pvc: Obj, old: Obj): StatusCause[] {
  const errs = [...validateObjectMetaUpdate(pvc.metadata, old.metadata), ...validatePersistentVolumeClaim(pvc)];
  const newSpec = clone(obj(pvc.spec));
  const oldSpec = clone(obj(old.spec));
  if (!str(oldSpec.volumeName)) oldSpec.volumeName = newSpec.volumeName;
  if (oldSpec.storageClassName === undefined && typeof newSpec.storageClassName === "string") {
    const betaClass = obj(obj(old.metadata).annotations)["volume.beta.kubernetes.io/storage-class"];
    if (betaClass === undefined || betaClass === newSpec.storageClassName) {
      oldSpec.storageClassName = newSpec.storageClassName;
    }
  }
  const bound = obj(pvc.status).phase === "Bound";
  if (bound && isObj(obj(newSpec.resources).requests)) {
    obj(obj(newSpec.resources).requests).storage = obj(obj(oldSpec.resources).requests).storage;
  }
  newSpec.volumeAttributesClassName = oldSpec.volumeAttributesClassName;
  if (!semanticEqual(newSpec, oldSpec)) {
    errs.push(
      forbidden(
        "spec",
        "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n" +
          structDiff("core.PersistentVolumeClaimSpec", oldSpec, newSpec),
      ),
    );
  }
  const newSize = parseQuantity(obj(obj(obj(pvc.spec).resources).requests).storage);
  const oldSize = parseQuantity(obj(obj(obj(old.spec).resources).requests).storage);
  if (newSize && oldSize && compareQuantities(newSize, oldSize) < 0) {
    // RecoverVolumeExpansionFailure is on in 1.32: shrinking is allowed down to (not to) the recorded capacity.
    const capacity = parseQuantity(obj(obj(old.status).capacity).storage) ?? parseQuantity("0")!;
    if (compareQuantities(newSize, capacity) <= 0) {
      errs.push(forbidden("spec.resources.requests.storage", "field can not be less than status.capacity"));
    }
  }
  errs.push(...validateImmutable("volumeMode", obj(pvc.spec).volumeMode, obj(old.spec).volumeMode));
  return errs;
}

const pvSources = [
  "hostPath",
  "gcePersistentDisk",
  "awsElasticBlockStore",
  "glusterfs",
  "flocker",
  "nfs",
  "rbd",
  "quobyte",
  "cephfs",
  "iscsi",
  "cinder",
  "fc",
  "flexVolume",
  "azureFile",
  "vsphereVolume",
  "azureDisk",
  "photonPersistentDisk",
  "portworxVolume",
  "scaleIO",
  "local",
  "storageos",
  "csi",
];

/**
 * Create validation of a PersistentVolume: access modes, a storage capacity, one volume source, reclaim policy.
 *
 * @example
 * ```ts
 * validatePersistentVolume(pv);
 * ```
 */
export function validatePersistentVolume(pv: Obj): StatusCause[] {
  const errs = validateObjectMeta(pv.metadata, { nameFn: nameIsDNSSubdomain, namespaced: false });
  const spec = obj(pv.spec);
  errs.push(...validateAccessModes(spec.accessModes, "spec.accessModes", ""));
  const capacity = obj(spec.capacity);
  if (Object.keys(capacity).length === 0) errs.push(required("spec.capacity"));
  if (!("storage" in capacity) || Object.keys(capacity).length > 1) {
    errs.push(notSupported("spec.capacity", jsonLiteral(capacity), ["storage"]));
  }
  for (const [k, v] of Object.entries(capacity)) errs.push(...validatePositiveQuantity(v, at("spec.capacity", k)));
  const policy = str(spec.persistentVolumeReclaimPolicy);
  if (policy && !["Delete", "Recycle", "Retain"].includes(policy)) {
    errs.push(notSupported("spec.persistentVolumeReclaimPolicy", policy, ["Delete", "Recycle", "Retain"]));
  }
  const sources = pvSources.filter((k) => isObj(spec[k]));
  if (sources.length === 0) errs.push(required("spec", "must specify a volume type"));
  for (const extra of sources.slice(1)) {
    errs.push(forbidden(child("spec", extra), "may not specify more than 1 volume type"));
  }
  for (const key of ["hostPath", "local"]) {
    if (isObj(spec[key]) && !str((spec[key] as Obj).path)) errs.push(required(child("spec", key, "path")));
  }
  if (spec.volumeMode !== undefined && !["Block", "Filesystem"].includes(str(spec.volumeMode))) {
    errs.push(notSupported("spec.volumeMode", str(spec.volumeMode), ["Block", "Filesystem"]));
  }
  const mountOptions = list(spec.mountOptions);
  if (mountOptions.length > 0 && sources[0] === "hostPath") {
    errs.push(forbidden("spec.mountOptions", "may not specify mount options for this volume type"));
  }
  return errs;
}

/**
 * storage.k8s.io StorageClass defaults: `reclaimPolicy: Delete`, `volumeBindingMode: Immediate`.
 *
 * @example
 * ```ts
 * defaultStorageClass({ provisioner: "rancher.io/local-path" });
 * ```
 */
export function defaultStorageClass(sc: Obj): void {
  if (sc.reclaimPolicy == null) sc.reclaimPolicy = "Delete";
  if (sc.volumeBindingMode == null) sc.volumeBindingMode = "Immediate";
}
