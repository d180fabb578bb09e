/**
 * Deployments, ReplicaSets, StatefulSets, DaemonSets, ReplicationControllers and the `Scale` subresource body:
 * apps/v1 defaults, and kube's validation of their selectors, templates, strategies and immutable fields.
 *
 * @module
 */

import type { StatusCause } from "../api/status.ts";
import {
  child,
  forbidden,
  goIntOrString,
  goLabelSelector,
  GoLiteral,
  goQuote,
  goStringMap,
  invalid,
  invalidEach,
  notSupported,
  required,
} from "./field.ts";
import {
  selectorIsEmpty,
  selectorIsMalformed,
  selectorMatches,
  validateAnnotations,
  validateImmutable,
  validateLabels,
  validateLabelSelector,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from "./meta.ts";
import { isValidPercent, nameIsDNSLabel, nameIsDNSSubdomain } from "./names.ts";
import { clone, ensureObj, isObj, list, num, type Obj, obj, semanticEqual, str, strMap } from "./object.ts";
import { defaultPodTemplate } from "./pod_defaults.ts";
import { validatePodTemplateSpec } from "./pod_validation.ts";
import { defaultPersistentVolumeClaim } from "./storage.ts";

function setIfAbsent(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null) o[key] = value;
}

/**
 * apps/v1 Deployment defaults: replicas 1, RollingUpdate 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600.
 *
 * @example
 * ```ts
 * defaultDeployment(deployment);
 * ```
 */
export function defaultDeployment(d: Obj): void {
  const spec = ensureObj(d, "spec");
  setIfAbsent(spec, "replicas", 1);
  const strategy = ensureObj(spec, "strategy");
  if (!str(strategy.type)) strategy.type = "RollingUpdate";
  if (strategy.type === "RollingUpdate") {
    const ru = ensureObj(strategy, "rollingUpdate");
    setIfAbsent(ru, "maxUnavailable", "25%");
    setIfAbsent(ru, "maxSurge", "25%");
  }
  setIfAbsent(spec, "revisionHistoryLimit", 10);
  setIfAbsent(spec, "progressDeadlineSeconds", 600);
  defaultPodTemplate(ensureObj(spec, "template"));
}

/**
 * apps/v1 ReplicaSet defaults: replicas 1.
 *
 * @example
 * ```ts
 * defaultReplicaSet(rs);
 * ```
 */
export function defaultReplicaSet(rs: Obj): void {
  const spec = ensureObj(rs, "spec");
  setIfAbsent(spec, "replicas", 1);
  defaultPodTemplate(ensureObj(spec, "template"));
}

/**
 * apps/v1 StatefulSet defaults: OrderedReady, RollingUpdate with partition 0, Retain/Retain claim retention,
 * replicas 1, revisionHistoryLimit 10, and PVC defaults on each volumeClaimTemplate.
 *
 * @example
 * ```ts
 * defaultStatefulSet(sts);
 * ```
 */
export function defaultStatefulSet(sts: Obj): void {
  const spec = ensureObj(sts, "spec");
  if (!str(spec.podManagementPolicy)) spec.podManagementPolicy = "OrderedReady";
  const strategy = ensureObj(spec, "updateStrategy");
  if (!str(strategy.type)) {
    strategy.type = "RollingUpdate";
    ensureObj(strategy, "rollingUpdate");
  }
  if (strategy.type === "RollingUpdate" && isObj(strategy.rollingUpdate)) {
    setIfAbsent(strategy.rollingUpdate, "partition", 0);
  }
  const retention = ensureObj(spec, "persistentVolumeClaimRetentionPolicy");
  if (!str(retention.whenDeleted)) retention.whenDeleted = "Retain";
  if (!str(retention.whenScaled)) retention.whenScaled = "Retain";
  setIfAbsent(spec, "replicas", 1);
  setIfAbsent(spec, "revisionHistoryLimit", 10);
  defaultPodTemplate(ensureObj(spec, "template"));
  for (const claim of list(spec.volumeClaimTemplates)) if (isObj(claim)) defaultPersistentVolumeClaim(claim);
}

/**
 * apps/v1 DaemonSet defaults: RollingUpdate with maxUnavailable 1 and maxSurge 0, revisionHistoryLimit 10.
 *
 * @example
 * ```ts
 * defaultDaemonSet(ds);
 * ```
 */
export function defaultDaemonSet(ds: Obj): void {
  const spec = ensureObj(ds, "spec");
  const strategy = ensureObj(spec, "updateStrategy");
  if (!str(strategy.type)) strategy.type = "RollingUpdate";
  if (strategy.type === "RollingUpdate") {
    const ru = ensureObj(strategy, "rollingUpdate");
    setIfAbsent(ru, "maxUnavailable", 1);
    setIfAbsent(ru, "maxSurge", 0);
  }
  setIfAbsent(spec, "revisionHistoryLimit", 10);
  defaultPodTemplate(ensureObj(spec, "template"));
}

/**
 * v1 ReplicationController defaults: selector and labels from the template's labels, replicas 1.
 *
 * @example
 * ```ts
 * defaultReplicationController(rc);
 * ```
 */
export function defaultReplicationController(rc: Obj): void {
  const spec = ensureObj(rc, "spec");
  const template = isObj(spec.template) ? spec.template : undefined;
  const labels = template ? strMap(obj(template.metadata).labels) : undefined;
  if (labels) {
    if (Object.keys(obj(spec.selector)).length === 0) spec.selector = { ...labels };
    const meta = ensureObj(rc, "metadata");
    if (Object.keys(obj(meta.labels)).length === 0) meta.labels = { ...labels };
  }
  setIfAbsent(spec, "replicas", 1);
  if (template) defaultPodTemplate(template);
}

// An internal strategy struct as `%#v` prints it; a set pointer prints as an address kube never shows the same.
function goStrategy(type: string, rollingType: string, strategy: unknown): GoLiteral {
  const s = obj(strategy);
  const ru = isObj(s.rollingUpdate) ? `(*apps.${rollingType})(0xc000000000)` : `(*apps.${rollingType})(nil)`;
  return new GoLiteral(`apps.${type}{Type:${goQuote(str(s.type))}, RollingUpdate:${ru}}`);
}

function nonNegative(value: unknown, path: string): StatusCause[] {
  const n = num(value) ?? 0;
  return n < 0 ? [invalid(path, n, "must be greater than or equal to 0")] : [];
}

function validatePositiveIntOrPercent(v: unknown, path: string): StatusCause[] {
  if (typeof v === "string") return invalidEach(path, goIntOrString(v), isValidPercent(v));
  return nonNegative(v, path);
}

function percentValue(v: unknown): number | undefined {
  return typeof v === "string" && isValidPercent(v).length === 0 ? Number(v.slice(0, -1)) : undefined;
}

function intOrPercentValue(v: unknown): number {
  return percentValue(v) ?? (typeof v === "number" ? v : 0);
}

function notMoreThan100Percent(v: unknown, path: string): StatusCause[] {
  const p = percentValue(v);
  return p !== undefined && p > 100 ? [invalid(path, goIntOrString(v), "must not be greater than 100%")] : [];
}

function validateSelectorField(spec: Obj, kindWord: string): StatusCause[] {
  if (!isObj(spec.selector)) return [required("spec.selector")];
  const errs = validateLabelSelector(spec.selector, "spec.selector");
  if (selectorIsEmpty(spec.selector)) {
    errs.push(invalid("spec.selector", goLabelSelector(spec.selector), `empty selector is invalid for ${kindWord}`));
  }
  return errs;
}

// `ValidatePodTemplateSpecForReplicaSet`, shared by Deployments and ReplicaSets.
function validateTemplateForReplicaSet(spec: Obj, kind: string): StatusCause[] {
  if (selectorIsMalformed(spec.selector)) {
    return [invalid("spec.selector", goLabelSelector(spec.selector), "invalid label selector")];
  }
  const template = obj(spec.template);
  const labels = obj(template.metadata).labels;
  const errs: StatusCause[] = [];
  // An absent selector selects nothing (so never matches); an empty one selects everything (never checked).
  if (!selectorIsEmpty(spec.selector) && !selectorMatches(spec.selector, labels)) {
    errs.push(
      invalid("spec.template.metadata.labels", goStringMap(labels), "`selector` does not match template `labels`"),
    );
  }
  errs.push(...validatePodTemplateSpec(template, "spec.template"));
  errs.push(...restartAlwaysOnly(obj(template.spec), kind));
  return errs;
}

function restartAlwaysOnly(podSpec: Obj, kind: string): StatusCause[] {
  const errs: StatusCause[] = [];
  const policy = str(podSpec.restartPolicy);
  if (policy !== "Always") errs.push(notSupported("spec.template.spec.restartPolicy", policy, ["Always"]));
  if (podSpec.activeDeadlineSeconds !== undefined && podSpec.activeDeadlineSeconds !== null) {
    errs.push(
      forbidden("spec.template.spec.activeDeadlineSeconds", `activeDeadlineSeconds in ${kind} is not Supported`),
    );
  }
  return errs;
}

function validateDeploymentSpec(d: Obj): StatusCause[] {
  const spec = obj(d.spec);
  const errs = nonNegative(spec.replicas, "spec.replicas");
  errs.push(...validateSelectorField(spec, "deployment"));
  errs.push(...validateTemplateForReplicaSet(spec, "ReplicaSet"));
  const strategy = obj(spec.strategy);
  const type = str(strategy.type);
  if (type === "Recreate") {
    if (strategy.rollingUpdate !== undefined && strategy.rollingUpdate !== null) {
      errs.push(forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'"));
    }
  } else if (type === "RollingUpdate") {
    if (!isObj(strategy.rollingUpdate)) {
      errs.push(required("spec.strategy.rollingUpdate", "this should be defaulted and never be nil"));
    } else {
      const ru = strategy.rollingUpdate;
      const p = "spec.strategy.rollingUpdate";
      errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, child(p, "maxUnavailable")));
      errs.push(...validatePositiveIntOrPercent(ru.maxSurge, child(p, "maxSurge")));
      if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
        errs.push(
          invalid(child(p, "maxUnavailable"), goIntOrString(ru.maxUnavailable), "may not be 0 when `maxSurge` is 0"),
        );
      }
      errs.push(...notMoreThan100Percent(ru.maxUnavailable, child(p, "maxUnavailable")));
    }
  } else {
    errs.push(
      notSupported("spec.strategy", goStrategy("DeploymentStrategy", "RollingUpdateDeployment", spec.strategy), [
        "Recreate",
        "RollingUpdate",
      ]),
    );
  }
  errs.push(...nonNegative(spec.minReadySeconds, "spec.minReadySeconds"));
  if (spec.revisionHistoryLimit !== undefined) {
    errs.push(...nonNegative(spec.revisionHistoryLimit, "spec.revisionHistoryLimit"));
  }
  const deadline = num(spec.progressDeadlineSeconds);
  if (deadline !== undefined) {
    errs.push(...nonNegative(deadline, "spec.progressDeadlineSeconds"));
    if (deadline <= (num(spec.minReadySeconds) ?? 0)) {
      errs.push(invalid("spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"));
    }
  }
  return errs;
}

/**
 * Create validation of a Deployment.
 *
 * @example
 * ```ts
 * validateDeployment(deployment);
 * ```
 */
export function validateDeployment(d: Obj): StatusCause[] {
  return [
    ...validateObjectMeta(d.metadata, { nameFn: nameIsDNSSubdomain, namespaced: true }),
    ...validateDeploymentSpec(d),
  ];
}

/**
 * Update validation of a Deployment: as on create, and apps/v1 forbids changing `spec.selector`.
 *
 * @example
 * ```ts
 * validateDeploymentUpdate(next, old);
 * ```
 */
export function validateDeploymentUpdate(d: Obj, old: Obj): StatusCause[] {
  return [
    ...validateObjectMetaUpdate(d.metadata, old.metadata),
    ...validateDeploymentSpec(d),
    ...validateImmutable("spec.selector", obj(d.spec).selector, obj(old.spec).selector, goLabelSelector),
  ];
}

function validateReplicaSetSpec(rs: Obj): StatusCause[] {
  const spec = obj(rs.spec);
  const errs = nonNegative(spec.replicas, "spec.replicas");
  errs.push(...nonNegative(spec.minReadySeconds, "spec.minReadySeconds"));
  // kube's ReplicaSet check really does say "deployment".
  errs.push(...validateSelectorField(spec, "deployment"));
  errs.push(...validateTemplateForReplicaSet(spec, "ReplicaSet"));
  return errs;
}

/**
 * Create validation of a ReplicaSet.
 *
 * @example
 * ```ts
 * validateReplicaSet(rs);
 * ```
 */
export function validateReplicaSet(rs: Obj): StatusCause[] {
  return [
    ...validateObjectMeta(rs.metadata, { nameFn: nameIsDNSSubdomain, namespaced: true }),
    ...validateReplicaSetSpec(rs),
  ];
}

/**
 * Update validation of a ReplicaSet (selector immutable in apps/v1).
 *
 * @example
 * ```ts
 * validateReplicaSetUpdate(next, old);
 * ```
 */
export function validateReplicaSetUpdate(rs: Obj, old: Obj): StatusCause[] {
  return [
    ...validateObjectMetaUpdate(rs.metadata, old.metadata),
    ...validateReplicaSetSpec(rs),
    ...validateImmutable("spec.selector", obj(rs.spec).selector, obj(old.spec).selector, goLabelSelector),
  ];
}

function validateStatefulSetSpec(sts: Obj): StatusCause[] {
  const spec = obj(sts.spec);
  const errs: StatusCause[] = [];
  const pmp = str(spec.podManagementPolicy);
  if (!pmp) errs.push(required("spec.podManagementPolicy"));
  else if (pmp !== "OrderedReady" && pmp !== "Parallel") {
    errs.push(invalid("spec.podManagementPolicy", pmp, "must be 'OrderedReady' or 'Parallel'"));
  }
  const strategy = obj(spec.updateStrategy);
  const type = str(strategy.type);
  if (!type) errs.push(required("spec.updateStrategy"));
  else if (type === "OnDelete") {
    if (isObj(strategy.rollingUpdate)) {
      errs.push(
        invalid(
          "spec.updateStrategy.rollingUpdate",
          new GoLiteral(
            `apps.RollingUpdateStatefulSetStrategy{Partition:${
              num(strategy.rollingUpdate.partition) ?? 0
            }, MaxUnavailable:${
              strategy.rollingUpdate.maxUnavailable === undefined
                ? "(*intstr.IntOrString)(nil)"
                : "(*intstr.IntOrString)(0xc000000000)"
            }}`,
          ),
          "only allowed for updateStrategy 'RollingUpdate'",
        ),
      );
    }
  } else if (type === "RollingUpdate") {
    if (isObj(strategy.rollingUpdate)) {
      const ru = strategy.rollingUpdate;
      errs.push(...nonNegative(ru.partition, "spec.updateStrategy.rollingUpdate.partition"));
      if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) {
        const p = "spec.updateStrategy.rollingUpdate.maxUnavailable";
        errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, p));
        if (intOrPercentValue(ru.maxUnavailable) === 0) {
          errs.push(invalid(p, goIntOrString(ru.maxUnavailable), "cannot be 0"));
        }
        errs.push(...notMoreThan100Percent(ru.maxUnavailable, p));
      }
    }
  } else {
    errs.push(
      invalid(
        "spec.updateStrategy",
        goStrategy("StatefulSetUpdateStrategy", "RollingUpdateStatefulSetStrategy", spec.updateStrategy),
        "must be 'RollingUpdate' or 'OnDelete'",
      ),
    );
  }
  if (isObj(spec.persistentVolumeClaimRetentionPolicy)) {
    for (const key of ["whenDeleted", "whenScaled"]) {
      const v = str(spec.persistentVolumeClaimRetentionPolicy[key]);
      if (v !== "Retain" && v !== "Delete") {
        errs.push(notSupported(child("spec.persistentVolumeClaimRetentionPolicy", key), v, ["Retain", "Delete"]));
      }
    }
  }
  errs.push(...nonNegative(spec.replicas, "spec.replicas"));
  errs.push(...nonNegative(spec.minReadySeconds, "spec.minReadySeconds"));
  if (isObj(spec.ordinals)) errs.push(...nonNegative(spec.ordinals.start, "spec.ordinals.start"));
  errs.push(...validateSelectorField(spec, "statefulset"));
  const template = obj(spec.template);
  const meta = obj(template.metadata);
  if (selectorIsMalformed(spec.selector)) errs.push(invalid("spec.selector", goLabelSelector(spec.selector), ""));
  else {
    if (!selectorIsEmpty(spec.selector) && !selectorMatches(spec.selector, meta.labels)) {
      errs.push(
        invalid(
          "spec.template.metadata.labels",
          goStringMap(meta.labels),
          "`selector` does not match template `labels`",
        ),
      );
    }
    // kube checks only the template's labels and annotations here, not its pod spec.
    errs.push(...validateLabels(meta.labels, "spec.template.labels"));
    errs.push(...validateAnnotations(meta.annotations, "spec.template.annotations"));
  }
  errs.push(...restartAlwaysOnly(obj(template.spec), "StatefulSet"));
  return errs;
}

/**
 * Create validation of a StatefulSet (its name must be a DNS-1123 label: pods are named after it).
 *
 * @example
 * ```ts
 * validateStatefulSet(sts);
 * ```
 */
export function validateStatefulSet(sts: Obj): StatusCause[] {
  return [
    ...validateObjectMeta(sts.metadata, { nameFn: nameIsDNSLabel, namespaced: true }),
    ...validateStatefulSetSpec(sts),
  ];
}

/**
 * Update validation of a StatefulSet: only replicas, ordinals, template, updateStrategy, claim retention and
 * minReadySeconds may change.
 *
 * @example
 * ```ts
 * validateStatefulSetUpdate(next, old);
 * ```
 */
export function validateStatefulSetUpdate(sts: Obj, old: Obj): StatusCause[] {
  const errs = [...validateObjectMetaUpdate(sts.metadata, old.metadata), ...validateStatefulSetSpec(sts)];
  const spec = clone(obj(sts.spec));
  const oldSpec = obj(old.spec);
  for (
    const key of [
      "replicas",
      "template",
      "updateStrategy",
      "minReadySeconds",
      "ordinals",
      "persistentVolumeClaimRetentionPolicy",
    ]
  ) {
    spec[key] = oldSpec[key];
  }
  if (!semanticEqual(spec, oldSpec)) {
    errs.push(
      forbidden(
        "spec",
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      ),
    );
  }
  return errs;
}

function validateDaemonSetSpec(ds: Obj): StatusCause[] {
  const spec = obj(ds.spec);
  const errs = validateLabelSelector(spec.selector, "spec.selector");
  const template = obj(spec.template);
  const labels = obj(template.metadata).labels;
  if (
    !selectorIsMalformed(spec.selector) && !selectorMatches(spec.selector, labels) && !selectorIsEmpty(spec.selector)
  ) {
    errs.push(
      invalid("spec.template.metadata.labels", goStringMap(labels), "`selector` does not match template `labels`"),
    );
  }
  if (isObj(spec.selector) && selectorIsEmpty(spec.selector)) {
    errs.push(invalid("spec.selector", goLabelSelector(spec.selector), "empty selector is invalid for daemonset"));
  }
  errs.push(...validatePodTemplateSpec(template, "spec.template"));
  errs.push(...restartAlwaysOnly(obj(template.spec), "DaemonSet"));
  errs.push(...nonNegative(spec.minReadySeconds, "spec.minReadySeconds"));
  errs.push(...nonNegative(spec.templateGeneration, "spec.templateGeneration"));
  const strategy = obj(spec.updateStrategy);
  const type = str(strategy.type);
  if (type === "RollingUpdate") {
    if (!isObj(strategy.rollingUpdate)) errs.push(required("spec.updateStrategy.rollingUpdate"));
    else {
      const ru = strategy.rollingUpdate;
      const p = "spec.updateStrategy.rollingUpdate";
      errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, child(p, "maxUnavailable")));
      errs.push(...validatePositiveIntOrPercent(ru.maxSurge, child(p, "maxSurge")));
      errs.push(...notMoreThan100Percent(ru.maxUnavailable, child(p, "maxUnavailable")));
      errs.push(...notMoreThan100Percent(ru.maxSurge, child(p, "maxSurge")));
      const unavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
      const surge = intOrPercentValue(ru.maxSurge) !== 0;
      if (unavailable && surge) {
        errs.push(
          invalid(child(p, "maxSurge"), goIntOrString(ru.maxSurge), "may not be set when maxUnavailable is non-zero"),
        );
      } else if (!unavailable && !surge) {
        errs.push(required(child(p, "maxUnavailable"), "cannot be 0 when maxSurge is 0"));
      }
    }
  } else if (type !== "OnDelete") {
    errs.push(
      notSupported(
        "spec.updateStrategy",
        goStrategy("DaemonSetUpdateStrategy", "RollingUpdateDaemonSet", spec.updateStrategy),
        [
          "RollingUpdate",
          "OnDelete",
        ],
      ),
    );
  }
  if (spec.revisionHistoryLimit !== undefined) {
    errs.push(...nonNegative(spec.revisionHistoryLimit, "spec.revisionHistoryLimit"));
  }
  return errs;
}

/**
 * Create validation of a DaemonSet.
 *
 * @example
 * ```ts
 * validateDaemonSet(ds);
 * ```
 */
export function validateDaemonSet(ds: Obj): StatusCause[] {
  return [
    ...validateObjectMeta(ds.metadata, { nameFn: nameIsDNSSubdomain, namespaced: true }),
    ...validateDaemonSetSpec(ds),
  ];
}

/**
 * Update validation of a DaemonSet (selector immutable in apps/v1).
 *
 * @example
 * ```ts
 * validateDaemonSetUpdate(next, old);
 * ```
 */
export function validateDaemonSetUpdate(ds: Obj, old: Obj): StatusCause[] {
  return [
    ...validateObjectMetaUpdate(ds.metadata, old.metadata),
    ...validateDaemonSetSpec(ds),
    ...validateImmutable("spec.selector", obj(ds.spec).selector, obj(old.spec).selector, goLabelSelector),
  ];
}

function validateReplicationControllerSpec(rc: Obj): StatusCause[] {
  const spec = obj(rc.spec);
  const errs = nonNegative(spec.minReadySeconds, "spec.minReadySeconds");
  const selector = strMap(spec.selector) ?? {};
  if (Object.keys(selector).length === 0) errs.push(required("spec.selector"));
  errs.push(...nonNegative(spec.replicas, "spec.replicas"));
  if (!isObj(spec.template)) {
    errs.push(required("spec.template"));
    return errs;
  }
  const labels = obj(spec.template.metadata).labels;
  if (Object.keys(selector).length > 0 && !selectorMatches({ matchLabels: selector }, labels)) {
    errs.push(
      invalid("spec.template.metadata.labels", goStringMap(labels), "`selector` does not match template `labels`"),
    );
  }
  errs.push(...validatePodTemplateSpec(spec.template, "spec.template"));
  errs.push(...restartAlwaysOnly(obj(spec.template.spec), "ReplicationController"));
  return errs;
}

/**
 * Create validation of a ReplicationController.
 *
 * @example
 * ```ts
 * validateReplicationController(rc);
 * ```
 */
export function validateReplicationController(rc: Obj): StatusCause[] {
  return [
    ...validateObjectMeta(rc.metadata, { nameFn: nameIsDNSSubdomain, namespaced: true }),
    ...validateReplicationControllerSpec(rc),
  ];
}

/**
 * Update validation of a ReplicationController (its selector may change).
 *
 * @example
 * ```ts
 * validateReplicationControllerUpdate(next, old);
 * ```
 */
export function validateReplicationControllerUpdate(rc: Obj, old: Obj): StatusCause[] {
  return [...validateObjectMetaUpdate(rc.metadata, old.metadata), ...validateReplicationControllerSpec(rc)];
}

/**
 * Validation of a `Scale` body (the `/scale` subresource): metadata and `spec.replicas` ≥ 0.
 *
 * @example
 * ```ts
 * validateScale({ metadata: { name: "web", namespace: "default" }, spec: { replicas: -1 } });
 * ```
 */
export function validateScale(scale: Obj): StatusCause[] {
  return [
    ...validateObjectMeta(scale.metadata, { nameFn: nameIsDNSSubdomain, namespaced: true }),
    ...nonNegative(obj(scale.spec).replicas, "spec.replicas"),
  ];
}
