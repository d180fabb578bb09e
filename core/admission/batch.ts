/**
 * Jobs and CronJobs: batch/v1 defaults, the selector kube generates from a Job's uid, and kube's validation
 * (restartPolicy OnFailure/Never, generated selectors, immutable template and selector, cron schedules).
 *
 * @module
 */

import type { StatusCause } from "../api/status.ts";
import {
  at,
  child,
  forbidden,
  goLabelSelector,
  goStringMap,
  invalid,
  jsonLiteral,
  notSupported,
  required,
} from "./field.ts";
import {
  selectorIsMalformed,
  selectorMatches,
  validateAnnotations,
  validateImmutable,
  validateLabels,
  validateLabelSelector,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from "./meta.ts";
import { cronScheduleError, isTimeZone } from "./cron.ts";
import { isDNS1123Label, nameIsDNSSubdomain } from "./names.ts";
import { clone, ensureObj, isObj, num, type Obj, obj, objList, semanticEqual, str } from "./object.ts";
import { defaultPodTemplate } from "./pod_defaults.ts";
import { validatePodTemplateSpec } from "./pod_validation.ts";

const maxInt32 = 2147483647;
const labelControllerUid = "batch.kubernetes.io/controller-uid";
const labelJobName = "batch.kubernetes.io/job-name";
const legacyControllerUid = "controller-uid";
const legacyJobName = "job-name";

function copyTemplateLabels(job: Obj, spec: Obj): void {
  const labels = obj(obj(spec.template).metadata).labels;
  const meta = ensureObj(job, "metadata");
  if (isObj(labels) && Object.keys(obj(meta.labels)).length === 0) meta.labels = { ...labels };
}

// The Job strategy's selector generation: the pods carry the Job's uid and name, and the selector picks the uid.
function generateSelector(job: Obj, spec: Obj): void {
  const meta = obj(job.metadata);
  const uid = str(meta.uid);
  const template = ensureObj(spec, "template");
  const labels = ensureObj(ensureObj(template, "metadata"), "labels");
  for (const key of [legacyJobName, labelJobName]) if (!(key in labels)) labels[key] = str(meta.name);
  for (const key of [legacyControllerUid, labelControllerUid]) if (!(key in labels)) labels[key] = uid;
  const selector = ensureObj(spec, "selector");
  const matchLabels = ensureObj(selector, "matchLabels");
  if (!(labelControllerUid in matchLabels)) matchLabels[labelControllerUid] = uid;
}

/**
 * batch/v1 Job defaults (completions/parallelism 1, backoffLimit 6, NonIndexed, suspend false,
 * podReplacementPolicy, manualSelector false) and, on create once `metadata.uid` is set, the generated selector and
 * pod labels (the Job strategy's PrepareForCreate).
 * Kube defaults again when it reads the stored Job back; the labels copied from the template reflect that.
 *
 * @example
 * ```ts
 * defaultJob({ metadata: { name: "pi", uid: "0b3c…" }, spec: { template: { spec: { … } } } });
 * ```
 */
export function defaultJob(job: Obj, create = true): void {
  const spec = ensureObj(job, "spec");
  if (spec.completions == null && spec.parallelism == null) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  if (spec.parallelism == null) spec.parallelism = 1;
  if (spec.backoffLimit == null) spec.backoffLimit = spec.backoffLimitPerIndex != null ? maxInt32 : 6;
  copyTemplateLabels(job, spec);
  if (spec.completionMode == null) spec.completionMode = "NonIndexed";
  if (spec.suspend == null) spec.suspend = false;
  if (isObj(spec.podFailurePolicy)) {
    for (const rule of objList(spec.podFailurePolicy.rules)) {
      for (const pattern of objList(rule.onPodConditions)) if (!str(pattern.status)) pattern.status = "True";
    }
  }
  if (spec.podReplacementPolicy == null) {
    spec.podReplacementPolicy = isObj(spec.podFailurePolicy) ? "Failed" : "TerminatingOrFailed";
  }
  if (spec.manualSelector == null) spec.manualSelector = false;
  defaultPodTemplate(ensureObj(spec, "template"));
  if (create && spec.manualSelector !== true && str(obj(job.metadata).uid)) {
    generateSelector(job, spec);
    copyTemplateLabels(job, spec);
  }
}

/**
 * batch/v1 CronJob defaults: concurrencyPolicy Allow, suspend false, history limits 3 and 1, and the pod template
 * of the job template (the Job defaults themselves apply only to the Jobs it creates).
 *
 * @example
 * ```ts
 * defaultCronJob(cronJob);
 * ```
 */
export function defaultCronJob(cj: Obj): void {
  const spec = ensureObj(cj, "spec");
  if (!str(spec.concurrencyPolicy)) spec.concurrencyPolicy = "Allow";
  if (spec.suspend == null) spec.suspend = false;
  if (spec.successfulJobsHistoryLimit == null) spec.successfulJobsHistoryLimit = 3;
  if (spec.failedJobsHistoryLimit == null) spec.failedJobsHistoryLimit = 1;
  defaultPodTemplate(ensureObj(ensureObj(ensureObj(spec, "jobTemplate"), "spec"), "template"));
}

function nonNegative(value: unknown, path: string): StatusCause[] {
  const n = num(value);
  return n !== undefined && n < 0 ? [invalid(path, n, "must be greater than or equal to 0")] : [];
}

// `validateJobSpec`: what a Job and a CronJob's job template share.
function validateJobSpecCommon(spec: Obj, path: string): StatusCause[] {
  const errs: StatusCause[] = [];
  for (
    const key of ["parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished"]
  ) {
    errs.push(...nonNegative(spec[key], child(path, key)));
  }
  const mode = spec.completionMode == null ? undefined : str(spec.completionMode);
  if (spec.backoffLimitPerIndex != null) {
    errs.push(...nonNegative(spec.backoffLimitPerIndex, child(path, "backoffLimitPerIndex")));
    if (mode !== "Indexed") {
      errs.push(forbidden(child(path, "backoffLimitPerIndex"), "requires indexed completion mode"));
    }
  }
  if (mode !== undefined) {
    if (mode !== "NonIndexed" && mode !== "Indexed") {
      errs.push(notSupported(child(path, "completionMode"), mode, ["NonIndexed", "Indexed"]));
    }
    if (mode === "Indexed") {
      if (spec.completions == null) errs.push(required(child(path, "completions"), "when completion mode is Indexed"));
      const parallelism = num(spec.parallelism);
      if (parallelism !== undefined && parallelism > 100000) {
        errs.push(
          invalid(
            child(path, "parallelism"),
            parallelism,
            "must be less than or equal to 100000 when completion mode is Indexed",
          ),
        );
      }
    }
  }
  if (spec.podReplacementPolicy != null) {
    const policy = str(spec.podReplacementPolicy);
    const p = child(path, "podReplacementPolicy");
    if (isObj(spec.podFailurePolicy)) {
      if (policy !== "Failed") errs.push(notSupported(p, policy, ["Failed"]));
    } else if (policy !== "Failed" && policy !== "TerminatingOrFailed") {
      errs.push(notSupported(p, policy, ["Failed", "TerminatingOrFailed"]));
    }
  }
  errs.push(...validatePodTemplateSpec(spec.template, child(path, "template")));
  const restartPolicy = str(obj(obj(spec.template).spec).restartPolicy);
  const restartPath = child(path, "template", "spec", "restartPolicy");
  // SetDefaults_PodSpec fills in Always, so "not set" shows up as Always here, as in kube.
  if (restartPolicy === "Always" || restartPolicy === "") {
    errs.push(required(restartPath, 'valid values: "OnFailure", "Never"'));
  } else if (restartPolicy !== "OnFailure" && restartPolicy !== "Never") {
    errs.push(notSupported(restartPath, restartPolicy, ["OnFailure", "Never"]));
  } else if (isObj(spec.podFailurePolicy) && restartPolicy !== "Never") {
    errs.push(invalid(restartPath, restartPolicy, 'only "Never" is supported when podFailurePolicy is specified'));
  }
  return errs;
}

function hasLabel(labels: unknown, key: string, expected: string): StatusCause[] {
  const path = at("spec.template.metadata.labels", key);
  const set = obj(labels);
  if (!(key in set)) return [required(path, `must be '${expected}'`)];
  return set[key] === expected ? [] : [invalid(path, goStringMap(labels), `must be '${expected}'`)];
}

function validateGeneratedSelector(job: Obj): StatusCause[] {
  const spec = obj(job.spec);
  if (spec.manualSelector === true || !isObj(spec.selector)) return [];
  const meta = obj(job.metadata);
  const uid = str(meta.uid);
  const name = str(meta.name);
  const errs: StatusCause[] = [];
  if (!uid) errs.push(required("metadata.uid"));
  const labels = obj(obj(spec.template).metadata).labels;
  errs.push(...hasLabel(labels, legacyControllerUid, uid));
  errs.push(...hasLabel(labels, legacyJobName, name));
  errs.push(...hasLabel(labels, labelControllerUid, uid));
  errs.push(...hasLabel(labels, labelJobName, name));
  const expected = {
    [labelControllerUid]: uid,
    [labelJobName]: name,
    [legacyControllerUid]: uid,
    [legacyJobName]: name,
  };
  if (!selectorIsMalformed(spec.selector) && !selectorMatches(spec.selector, expected)) {
    errs.push(invalid("spec.selector", goLabelSelector(spec.selector), "`selector` not auto-generated"));
  }
  return errs;
}

function validateJobSpec(job: Obj): StatusCause[] {
  const spec = obj(job.spec);
  const errs = validateJobSpecCommon(spec, "spec");
  if (!isObj(spec.selector)) errs.push(required("spec.selector"));
  else errs.push(...validateLabelSelector(spec.selector, "spec.selector"));
  const labels = obj(obj(spec.template).metadata).labels;
  if (!selectorIsMalformed(spec.selector) && !selectorMatches(spec.selector, labels)) {
    errs.push(
      invalid("spec.template.metadata.labels", goStringMap(labels), "`selector` does not match template `labels`"),
    );
  }
  return errs;
}

/**
 * Create validation of a Job.
 *
 * @example
 * ```ts
 * validateJob(job);
 * ```
 */
export function validateJob(job: Obj): StatusCause[] {
  const errs = validateObjectMeta(job.metadata, { nameFn: nameIsDNSSubdomain, namespaced: true });
  errs.push(...validateGeneratedSelector(job));
  errs.push(...validateJobSpec(job));
  const spec = obj(job.spec);
  const completions = num(spec.completions);
  if (spec.completionMode === "Indexed" && completions !== undefined && completions > 0) {
    const name = str(obj(job.metadata).name);
    const hostname = `${name}-${completions - 1}`;
    if (isDNS1123Label(hostname).length) {
      errs.push(invalid("metadata.name", name, `will not able to create pod with invalid DNS label: ${hostname}`));
    }
  }
  return errs;
}

/**
 * Update validation of a Job: selector, completion mode and failure policies are immutable, completions too unless an
 * Indexed Job scales them with parallelism, and the pod template unless the Job is suspended and never started
 * (then its scheduling directives, labels and annotations may change).
 *
 * @example
 * ```ts
 * validateJobUpdate(next, old);
 * ```
 */
export function validateJobUpdate(job: Obj, old: Obj): StatusCause[] {
  const errs = [...validateObjectMetaUpdate(job.metadata, old.metadata), ...validateJobSpec(job)];
  const spec = obj(job.spec);
  const oldSpec = obj(old.spec);
  if (spec.completionMode === "Indexed" && !semanticEqual(spec.completions, oldSpec.completions)) {
    if (num(spec.completions) !== num(spec.parallelism)) {
      errs.push(
        invalid(
          "spec.completions",
          num(spec.completions) ?? null,
          "can only be modified in tandem with spec.parallelism",
        ),
      );
    }
  } else errs.push(...validateImmutable("spec.completions", spec.completions, oldSpec.completions));
  errs.push(...validateImmutable("spec.selector", spec.selector, oldSpec.selector, goLabelSelector));
  let oldTemplate = obj(oldSpec.template);
  const template = obj(spec.template);
  if (oldSpec.suspend === true && obj(old.status).startTime == null) {
    oldTemplate = clone(oldTemplate);
    const oldPod = ensureObj(oldTemplate, "spec");
    const newPod = obj(template.spec);
    const oldAffinity = isObj(oldPod.affinity) ? oldPod.affinity : undefined;
    const newAffinity = isObj(newPod.affinity) ? newPod.affinity : undefined;
    if (!newAffinity && oldAffinity) {
      delete oldAffinity.nodeAffinity;
      if (Object.keys(oldAffinity).length === 0) delete oldPod.affinity;
    } else if (newAffinity && !oldAffinity) oldPod.affinity = { nodeAffinity: newAffinity.nodeAffinity };
    else if (newAffinity && oldAffinity) oldAffinity.nodeAffinity = newAffinity.nodeAffinity;
    oldPod.nodeSelector = newPod.nodeSelector;
    oldPod.tolerations = newPod.tolerations;
    oldPod.schedulingGates = newPod.schedulingGates;
    const oldMeta = ensureObj(oldTemplate, "metadata");
    oldMeta.labels = obj(template.metadata).labels;
    oldMeta.annotations = obj(template.metadata).annotations;
  }
  errs.push(...validateImmutable("spec.template", template, oldTemplate, jsonLiteral));
  errs.push(...validateImmutable("spec.completionMode", spec.completionMode, oldSpec.completionMode));
  for (const key of ["podFailurePolicy", "backoffLimitPerIndex", "managedBy", "successPolicy"]) {
    errs.push(
      ...validateImmutable(
        child("spec", key),
        spec[key],
        oldSpec[key],
        key === "podFailurePolicy" || key === "successPolicy" ? jsonLiteral : undefined,
      ),
    );
  }
  return errs;
}

function validateCronJobSpec(cj: Obj, old?: Obj): StatusCause[] {
  const spec = obj(cj.spec);
  const oldSpec = old ? obj(old.spec) : undefined;
  const errs: StatusCause[] = [];
  const schedule = str(spec.schedule);
  if (!schedule) errs.push(required("spec.schedule"));
  else {
    const error = cronScheduleError(schedule);
    if (error) errs.push(invalid("spec.schedule", schedule, error));
    const allowTZ = oldSpec ? str(oldSpec.schedule).includes("TZ") : false;
    if (allowTZ && schedule.includes("TZ") && spec.timeZone != null) {
      errs.push(invalid("spec.schedule", schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule"));
    } else if (!allowTZ && schedule.includes("TZ")) {
      errs.push(invalid("spec.schedule", schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
    }
  }
  errs.push(...nonNegative(spec.startingDeadlineSeconds, "spec.startingDeadlineSeconds"));
  if (spec.timeZone != null && (!oldSpec || oldSpec.timeZone !== spec.timeZone)) {
    const zone = str(spec.timeZone);
    if (!zone) errs.push(invalid("spec.timeZone", zone, "timeZone must be nil or non-empty string"));
    else if (
      zone.split("/").some((p) => p === "." || p === ".." || p.startsWith("-") || !/^[A-Za-z._+\-0-9]+$/.test(p))
    ) {
      errs.push(invalid("spec.timeZone", zone, `unknown time zone ${zone}`));
    } else {
      if (zone.toLowerCase() === "local") {
        errs.push(
          invalid(
            "spec.timeZone",
            zone,
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones",
          ),
        );
      }
      if (!isTimeZone(zone)) errs.push(invalid("spec.timeZone", zone, `unknown time zone ${zone}`));
    }
  }
  const policy = str(spec.concurrencyPolicy);
  if (!policy) errs.push(required("spec.concurrencyPolicy"));
  else if (!["Allow", "Forbid", "Replace"].includes(policy)) {
    errs.push(notSupported("spec.concurrencyPolicy", policy, ["Allow", "Forbid", "Replace"]));
  }
  const jobTemplate = obj(spec.jobTemplate);
  const jobSpec = obj(jobTemplate.spec);
  errs.push(...validateLabels(obj(jobTemplate.metadata).labels, "spec.jobTemplate.metadata.labels"));
  errs.push(...validateAnnotations(obj(jobTemplate.metadata).annotations, "spec.jobTemplate.metadata.annotations"));
  errs.push(...validateJobSpecCommon(jobSpec, "spec.jobTemplate.spec"));
  if (isObj(jobSpec.selector)) {
    errs.push(
      invalid("spec.jobTemplate.spec.selector", goLabelSelector(jobSpec.selector), "`selector` will be auto-generated"),
    );
  }
  if (jobSpec.manualSelector === true) {
    errs.push(notSupported("spec.jobTemplate.spec.manualSelector", true, ["nil", "false"]));
  }
  errs.push(...nonNegative(spec.successfulJobsHistoryLimit, "spec.successfulJobsHistoryLimit"));
  errs.push(...nonNegative(spec.failedJobsHistoryLimit, "spec.failedJobsHistoryLimit"));
  return errs;
}

/**
 * Create validation of a CronJob, including kube's 52-character name limit (its Jobs get an 11-character suffix).
 *
 * @example
 * ```ts
 * validateCronJob(cronJob);
 * ```
 */
export function validateCronJob(cj: Obj): StatusCause[] {
  const errs = validateObjectMeta(cj.metadata, { nameFn: nameIsDNSSubdomain, namespaced: true });
  errs.push(...validateCronJobSpec(cj));
  const name = str(obj(cj.metadata).name);
  if (name.length > 52) errs.push(invalid("metadata.name", name, "must be no more than 52 characters"));
  return errs;
}

/**
 * Update validation of a CronJob.
 *
 * @example
 * ```ts
 * validateCronJobUpdate(next, old);
 * ```
 */
export function validateCronJobUpdate(cj: Obj, old: Obj): StatusCause[] {
  return [...validateObjectMetaUpdate(cj.metadata, old.metadata), ...validateCronJobSpec(cj, old)];
}
