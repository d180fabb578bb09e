/**
 * Pod spec validation (`ValidatePodSpec` and what it calls), for Pods and for the pod templates of workloads, and
 * the Pod update rule: only images, activeDeadlineSeconds, added tolerations and removed scheduling gates change.
 *
 * @module
 */

import type { StatusCause } from "../api/status.ts";
import {
  maxInt32,
  validateContainerCommon,
  validateContainers,
  validateIDs,
  validateInitContainers,
  validateLocalDescendingPath,
  validatePathNoBacksteps,
  validateResources,
  validateSeccomp,
} from "./container_validation.ts";
import {
  at,
  child,
  duplicate,
  forbidden,
  goStringSlice,
  invalid,
  invalidEach,
  jsonLiteral,
  notSupported,
  required,
  structDiff,
} from "./field.ts";
import {
  duplicates,
  validateAnnotations,
  validateLabels,
  validateLabelSelector,
  validateObjectMeta,
  validateObjectMetaUpdate,
  validateTemplateMeta,
} from "./meta.ts";
import {
  inclusiveRangeError,
  invalidIPMessage,
  isDNS1123Label,
  isDNS1123Subdomain,
  isIP,
  isQualifiedName,
  isValidLabelValue,
  nameIsDNSSubdomain,
} from "./names.ts";
import { clone, isObj, list, num, type Obj, obj, objList, semanticEqual, str } from "./object.ts";
import { volumeSourceKeys } from "./pod_defaults.ts";
import { parseQuantity } from "./quantity.ts";
import { validateClaimSpec } from "./storage.ts";
/** Whether the spec belongs to a real Pod (stricter) or to a workload's pod template. */
export interface PodSpecContext {
  isPod: boolean;
  /** The Pod's name, for ephemeral-volume claim names; empty for templates. */
  podName?: string;
}

const fileModeError = "must be a number between 0 and 0777 (octal), both inclusive";

// kube's paths for two sources carry historical typos; keep them so messages match.
const volumeSourcePathName: Record<string, string> = { downwardAPI: "downwarAPI", cephfs: "cephFS" };

function validateKeyToPaths(items: unknown, path: string): StatusCause[] {
  const errs: StatusCause[] = [];
  objList(items).forEach((item, i) => {
    const p = at(path, i);
    if (!str(item.key)) errs.push(required(child(p, "key")));
    const target = str(item.path);
    if (!target) errs.push(required(child(p, "path")));
    errs.push(...validateLocalDescendingPath(target, child(p, "path")));
    if (target.startsWith("..") && !target.startsWith("../")) {
      errs.push(invalid(child(p, "path"), target, "must not start with '..'"));
    }
    const mode = num(item.mode);
    if (mode !== undefined && (mode > 0o777 || mode < 0)) errs.push(invalid(child(p, "mode"), mode, fileModeError));
  });
  return errs;
}

function validateVolumeSource(v: Obj, path: string, podName: string): StatusCause[] {
  const errs: StatusCause[] = [];
  let count = 0;
  for (const key of volumeSourceKeys) {
    const source = v[key];
    if (source === undefined || source === null) continue;
    if (count > 0) {
      errs.push(forbidden(child(path, volumeSourcePathName[key] ?? key), "may not specify more than 1 volume type"));
      continue;
    }
    count++;
    const s = obj(source);
    const p = child(path, key);
    switch (key) {
      case "hostPath":
        if (!str(s.path)) errs.push(required(child(p, "path")));
        else {
          errs.push(...validatePathNoBacksteps(str(s.path), child(p, "path")));
          const types = [
            "",
            "BlockDevice",
            "CharDevice",
            "Directory",
            "DirectoryOrCreate",
            "File",
            "FileOrCreate",
            "Socket",
          ];
          if (s.type !== undefined && !types.includes(str(s.type))) {
            errs.push(notSupported(child(p, "type"), str(s.type), types));
          }
        }
        break;
      case "emptyDir": {
        const limit = s.sizeLimit === undefined ? undefined : parseQuantity(s.sizeLimit);
        if (limit?.negative) {
          errs.push(forbidden(child(p, "sizeLimit"), "SizeLimit field must be a valid resource quantity"));
        }
        break;
      }
      case "secret":
      case "configMap": {
        const nameKey = key === "secret" ? "secretName" : "name";
        if (!str(s[nameKey])) errs.push(required(child(p, nameKey)));
        const mode = num(s.defaultMode);
        if (mode !== undefined && (mode > 0o777 || mode < 0)) {
          errs.push(invalid(child(p, "defaultMode"), mode, fileModeError));
        }
        errs.push(...validateKeyToPaths(s.items, child(p, "items")));
        break;
      }
      case "persistentVolumeClaim":
        if (!str(s.claimName)) errs.push(required(child(p, "claimName")));
        break;
      case "nfs":
        if (!str(s.server)) errs.push(required(child(p, "server")));
        if (!str(s.path)) errs.push(required(child(p, "path")));
        else if (!str(s.path).startsWith("/")) {
          errs.push(invalid(child(p, "path"), str(s.path), "must be an absolute path"));
        }
        break;
      case "ephemeral":
        if (!isObj(s.volumeClaimTemplate)) errs.push(required(child(p, "volumeClaimTemplate")));
        else {
          const t = s.volumeClaimTemplate;
          errs.push(...validateTemplateMeta(t.metadata, child(p, "volumeClaimTemplate", "metadata")));
          errs.push(...validateClaimSpec(t.spec, child(p, "volumeClaimTemplate", "spec")));
          const volName = str(v.name);
          if (podName && volName) {
            const claim = `${podName}-${volName}`;
            for (const msg of isDNS1123Subdomain(claim)) {
              errs.push(invalid(child(path, "name"), volName, `PVC name "${claim}": ${msg}`));
            }
          }
        }
        break;
    }
  }
  if (count === 0) errs.push(required(path, "must specify a volume type"));
  return errs;
}

function validateVolumes(volumes: Obj[], path: string, podName: string): { names: Set<string>; errs: StatusCause[] } {
  const errs: StatusCause[] = [];
  const names = new Set<string>();
  volumes.forEach((v, i) => {
    const p = at(path, i);
    const el = validateVolumeSource(v, p, podName);
    const name = str(v.name);
    if (!name) el.push(required(child(p, "name")));
    else el.push(...invalidEach(child(p, "name"), name, isDNS1123Label(name)));
    if (names.has(name)) el.push(duplicate(child(p, "name"), name));
    // An invalid volume is not registered, so mounts of it also report "Not found", as in kube.
    if (el.length === 0) names.add(name);
    else errs.push(...el);
  });
  return { names, errs };
}

/**
 * `ValidateTolerations`.
 *
 * @example
 * ```ts
 * validateTolerations([{ operator: "Exists", value: "x" }], "spec.tolerations");
 * ```
 */
export function validateTolerations(tolerations: unknown, path: string): StatusCause[] {
  const errs: StatusCause[] = [];
  objList(tolerations).forEach((t, i) => {
    const p = at(path, i);
    const key = str(t.key);
    const operator = str(t.operator);
    const effect = str(t.effect);
    if (key) errs.push(...invalidEach(child(p, "key"), key, isQualifiedName(key)));
    if (!key && operator !== "Exists") {
      errs.push(
        invalid(
          child(p, "operator"),
          operator,
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      );
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && effect !== "NoExecute") {
      errs.push(invalid(child(p, "effect"), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (operator === "Equal" || operator === "") {
      const value = str(t.value);
      const msgs = isValidLabelValue(value);
      if (msgs.length) errs.push(invalid(child(p, "operator"), value, msgs.join(";")));
    } else if (operator === "Exists") {
      if (str(t.value)) {
        errs.push(invalid(child(p, "operator"), jsonLiteral(t), "value must be empty when `operator` is 'Exists'"));
      }
    } else errs.push(notSupported(child(p, "operator"), operator, ["Equal", "Exists"]));
    if (effect && !["NoSchedule", "PreferNoSchedule", "NoExecute"].includes(effect)) {
      errs.push(notSupported(child(p, "effect"), effect, ["NoSchedule", "PreferNoSchedule", "NoExecute"]));
    }
  });
  return errs;
}

function validateNodeSelectorTerms(selector: Obj, path: string): StatusCause[] {
  const termsPath = child(path, "nodeSelectorTerms");
  const terms = objList(selector.nodeSelectorTerms);
  if (terms.length === 0) return [required(termsPath, "must have at least one node selector term")];
  const errs: StatusCause[] = [];
  terms.forEach((term, i) => errs.push(...validateNodeSelectorTerm(term, at(termsPath, i))));
  return errs;
}

function validateNodeSelectorTerm(term: Obj, path: string): StatusCause[] {
  const errs: StatusCause[] = [];
  objList(term.matchExpressions).forEach((req, j) => {
    const p = at(child(path, "matchExpressions"), j);
    const values = list(req.values);
    const op = str(req.operator);
    if (op === "In" || op === "NotIn") {
      if (values.length === 0) {
        errs.push(required(child(p, "values"), "must be specified when `operator` is 'In' or 'NotIn'"));
      }
    } else if (op === "Exists" || op === "DoesNotExist") {
      if (values.length > 0) {
        errs.push(forbidden(child(p, "values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      }
    } else if (op === "Gt" || op === "Lt") {
      if (values.length !== 1) {
        errs.push(required(child(p, "values"), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      }
    } else errs.push(invalid(child(p, "operator"), op, "not a valid selector operator"));
    errs.push(...invalidEach(child(p, "key"), str(req.key), isQualifiedName(str(req.key))));
  });
  return errs;
}

function validatePodAffinityTerm(term: Obj, path: string): StatusCause[] {
  const errs = validateLabelSelector(term.labelSelector, child(path, "labelSelector"));
  errs.push(...validateLabelSelector(term.namespaceSelector, child(path, "namespaceSelector")));
  for (const ns of list(term.namespaces).map(str)) {
    errs.push(...invalidEach(child(path, "namespace"), ns, isDNS1123Label(ns)));
  }
  const topologyKey = str(term.topologyKey);
  if (!topologyKey) errs.push(required(child(path, "topologyKey"), "can not be empty"));
  errs.push(...invalidEach(child(path, "topologyKey"), topologyKey, isQualifiedName(topologyKey)));
  return errs;
}

function validateAffinity(affinity: unknown, path: string): StatusCause[] {
  if (!isObj(affinity)) return [];
  const errs: StatusCause[] = [];
  const na = affinity.nodeAffinity;
  if (isObj(na)) {
    const p = child(path, "nodeAffinity");
    if (isObj(na.requiredDuringSchedulingIgnoredDuringExecution)) {
      errs.push(
        ...validateNodeSelectorTerms(
          na.requiredDuringSchedulingIgnoredDuringExecution,
          child(p, "requiredDuringSchedulingIgnoredDuringExecution"),
        ),
      );
    }
    objList(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
      const tp = at(child(p, "preferredDuringSchedulingIgnoredDuringExecution"), i);
      const weight = num(t.weight) ?? 0;
      if (weight <= 0 || weight > 100) errs.push(invalid(child(tp, "weight"), weight, "must be in the range 1-100"));
      errs.push(...validateNodeSelectorTerm(obj(t.preference), child(tp, "preference")));
    });
  }
  for (const key of ["podAffinity", "podAntiAffinity"]) {
    const pa = affinity[key];
    if (!isObj(pa)) continue;
    const p = child(path, key);
    objList(pa.requiredDuringSchedulingIgnoredDuringExecution).forEach((t, i) =>
      errs.push(...validatePodAffinityTerm(t, at(child(p, "requiredDuringSchedulingIgnoredDuringExecution"), i)))
    );
    objList(pa.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
      const tp = at(child(p, "preferredDuringSchedulingIgnoredDuringExecution"), i);
      const weight = num(t.weight) ?? 0;
      if (weight <= 0 || weight > 100) errs.push(invalid(child(tp, "weight"), weight, "must be in the range 1-100"));
      errs.push(...validatePodAffinityTerm(obj(t.podAffinityTerm), child(tp, "podAffinityTerm")));
    });
  }
  return errs;
}

function validateDNSConfig(config: unknown, dnsPolicy: string, path: string): StatusCause[] {
  if (dnsPolicy === "None") {
    if (!isObj(config)) return [required(path, "must provide `dnsConfig` when `dnsPolicy` is None")];
    if (list(config.nameservers).length === 0) {
      return [
        required(child(path, "nameservers"), "must provide at least one DNS nameserver when `dnsPolicy` is None"),
      ];
    }
  }
  if (!isObj(config)) return [];
  const errs: StatusCause[] = [];
  const nameservers = list(config.nameservers).map(str);
  if (nameservers.length > 3) {
    errs.push(invalid(child(path, "nameservers"), goStringSlice(nameservers), "must not have more than 3 nameservers"));
  }
  nameservers.forEach((ns, i) => {
    if (!isIP(ns)) errs.push(invalid(at(child(path, "nameservers"), i), ns, invalidIPMessage));
  });
  const searches = list(config.searches).map(str);
  if (searches.length > 32) {
    errs.push(invalid(child(path, "searches"), goStringSlice(searches), "must not have more than 32 search paths"));
  }
  if (searches.join(" ").length > 2048) {
    errs.push(
      invalid(
        child(path, "searches"),
        goStringSlice(searches),
        "must not have more than 2048 characters (including spaces) in the search list",
      ),
    );
  }
  searches.forEach((s, i) => {
    const trimmed = s.endsWith(".") ? s.slice(0, -1) : s;
    errs.push(...invalidEach(at(child(path, "searches"), i), trimmed, isDNS1123Subdomain(trimmed)));
  });
  objList(config.options).forEach((o, i) => {
    if (!str(o.name)) errs.push(required(at(child(path, "options"), i), "must not be empty"));
  });
  return errs;
}

function validateTopologySpread(constraints: unknown, path: string): StatusCause[] {
  const errs: StatusCause[] = [];
  const all = objList(constraints);
  all.forEach((c, i) => {
    const p = at(path, i);
    const maxSkew = num(c.maxSkew) ?? 0;
    if (maxSkew <= 0) errs.push(invalid(child(p, "maxSkew"), maxSkew, "must be greater than zero"));
    if (!str(c.topologyKey)) errs.push(required(child(p, "topologyKey"), "can not be empty"));
    const when = str(c.whenUnsatisfiable);
    if (!["DoNotSchedule", "ScheduleAnyway"].includes(when)) {
      errs.push(notSupported(child(p, "whenUnsatisfiable"), when, ["DoNotSchedule", "ScheduleAnyway"]));
    }
    const repeat = all.slice(i + 1).find((o) =>
      o.topologyKey === c.topologyKey && o.whenUnsatisfiable === c.whenUnsatisfiable
    );
    if (repeat) {
      errs.push(duplicate(child(p, "{topologyKey, whenUnsatisfiable}"), jsonLiteral(`${str(c.topologyKey)}, ${when}`)));
    }
    errs.push(...validateLabelSelector(c.labelSelector, child(p, "labelSelector")));
  });
  return errs;
}

/**
 * `ValidatePodSpec`: the containers and everything around them, with kube's field paths under `path`.
 *
 * @example
 * ```ts
 * validatePodSpec(pod.spec, "spec", { isPod: true, podName: "web" });
 * ```
 */
export function validatePodSpec(spec: unknown, path: string, ctx: PodSpecContext): StatusCause[] {
  const s = obj(spec);
  const errs: StatusCause[] = [];
  const graceValue = s.terminationGracePeriodSeconds;
  if (graceValue === undefined || graceValue === null) {
    errs.push(required(child(path, "terminationGracePeriodSeconds")));
  }
  const grace = num(graceValue);
  const { names: volumes, errs: volumeErrs } = validateVolumes(
    objList(s.volumes),
    child(path, "volumes"),
    ctx.podName ?? "",
  );
  errs.push(...volumeErrs);
  const containers = objList(s.containers);
  const inits = objList(s.initContainers);
  errs.push(...validateContainers(containers, volumes, grace, child(path, "containers")));
  errs.push(...validateInitContainers(inits, containers, volumes, grace, child(path, "initContainers")));
  const ephemeralNames = new Set([...containers, ...inits].map((c) => str(c.name)));
  objList(s.ephemeralContainers).forEach((c, i) => {
    const p = at(child(path, "ephemeralContainers"), i);
    errs.push(...validateContainerCommon(c, volumes, p));
    if (ephemeralNames.has(str(c.name))) errs.push(duplicate(child(p, "name"), str(c.name)));
    else ephemeralNames.add(str(c.name));
  });
  if (s.hostNetwork === true) {
    containers.forEach((c, i) => {
      objList(c.ports).forEach((port, j) => {
        const hp = num(port.hostPort) ?? 0;
        if ((ctx.isPod || hp !== 0) && hp !== (num(port.containerPort) ?? 0)) {
          errs.push(
            invalid(
              child(at(child(at(child(path, "containers"), i), "ports"), j), "hostPort"),
              hp,
              "must match `containerPort` when `hostNetwork` is true",
            ),
          );
        }
      });
    });
  }
  const restartPolicy = str(s.restartPolicy);
  if (!restartPolicy) errs.push(required(child(path, "restartPolicy")));
  else if (!["Always", "OnFailure", "Never"].includes(restartPolicy)) {
    errs.push(notSupported(child(path, "restartPolicy"), restartPolicy, ["Always", "OnFailure", "Never"]));
  }
  const dnsPolicy = str(s.dnsPolicy);
  const dnsPolicies = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
  if (!dnsPolicy) errs.push(required(child(path, "dnsPolicy")));
  else if (!dnsPolicies.includes(dnsPolicy)) errs.push(notSupported(child(path, "dnsPolicy"), dnsPolicy, dnsPolicies));
  errs.push(...validateLabels(s.nodeSelector, child(path, "nodeSelector")));
  if (isObj(s.securityContext)) {
    const sc = s.securityContext;
    const scPath = child(path, "securityContext");
    errs.push(...validateIDs(sc, ["fsGroup", "runAsUser", "runAsGroup"], scPath));
    list(sc.supplementalGroups).forEach((g, i) => {
      const n = typeof g === "number" ? g : -1;
      if (n < 0 || n > maxInt32) {
        errs.push(invalid(at(child(scPath, "supplementalGroups"), i), n, inclusiveRangeError(0, maxInt32)));
      }
    });
    if (s.shareProcessNamespace === true && s.hostPID === true) {
      errs.push(
        invalid(
          child(scPath, "shareProcessNamespace"),
          true,
          "ShareProcessNamespace and HostPID cannot both be enabled",
        ),
      );
    }
    if (sc.fsGroupChangePolicy !== undefined && !["Always", "OnRootMismatch"].includes(str(sc.fsGroupChangePolicy))) {
      errs.push(
        notSupported(child(scPath, "fsGroupChangePolicy"), str(sc.fsGroupChangePolicy), ["Always", "OnRootMismatch"]),
      );
    }
    errs.push(...validateSeccomp(sc.seccompProfile, child(scPath, "seccompProfile")));
  }
  objList(s.imagePullSecrets).forEach((ref, i) => {
    if (Object.keys(ref).some((k) => k !== "name")) {
      errs.push(invalid(at(child(path, "imagePullSecrets"), i), jsonLiteral(ref), "only name may be set"));
    }
  });
  errs.push(...validateAffinity(s.affinity, child(path, "affinity")));
  errs.push(...validateDNSConfig(s.dnsConfig, dnsPolicy, child(path, "dnsConfig")));
  objList(s.readinessGates).forEach((g, i) => {
    const type = str(g.conditionType);
    errs.push(
      ...invalidEach(child(at(child(path, "readinessGates"), i), "conditionType"), type, isQualifiedName(type)),
    );
  });
  const gates = objList(s.schedulingGates).map((g) => str(g.name));
  gates.forEach((g, i) => errs.push(...invalidEach(at(child(path, "schedulingGates"), i), g, isQualifiedName(g))));
  errs.push(...duplicates(gates, (i) => at(child(path, "schedulingGates"), i)));
  errs.push(...validateTopologySpread(s.topologySpreadConstraints, child(path, "topologySpreadConstraints")));
  for (const key of ["serviceAccountName", "nodeName", "priorityClassName"]) {
    const v = str(s[key]);
    if (v) errs.push(...invalidEach(child(path, key), v, nameIsDNSSubdomain(v, false)));
  }
  const deadline = num(s.activeDeadlineSeconds);
  if (deadline !== undefined && (deadline < 1 || deadline > maxInt32)) {
    errs.push(invalid(child(path, "activeDeadlineSeconds"), deadline, inclusiveRangeError(1, maxInt32)));
  }
  for (const key of ["hostname", "subdomain"]) {
    const v = str(s[key]);
    if (v) errs.push(...invalidEach(child(path, key), v, isDNS1123Label(v)));
  }
  errs.push(...validateTolerations(s.tolerations, child(path, "tolerations")));
  objList(s.hostAliases).forEach((a, i) => {
    const p = at(child(path, "hostAliases"), i);
    if (!isIP(str(a.ip))) errs.push(invalid(child(p, "ip"), str(a.ip), invalidIPMessage));
    list(a.hostnames).map(str).forEach((h, j) =>
      errs.push(...invalidEach(at(child(p, "hostnames"), j), h, isDNS1123Subdomain(h)))
    );
  });
  if (typeof s.runtimeClassName === "string") {
    errs.push(
      ...invalidEach(
        child(path, "runtimeClassName"),
        s.runtimeClassName,
        nameIsDNSSubdomain(s.runtimeClassName, false),
      ),
    );
  }
  if (s.preemptionPolicy !== undefined && s.preemptionPolicy !== null) {
    const policy = str(s.preemptionPolicy);
    if (!policy) errs.push(required(child(path, "preemptionPolicy")));
    else if (!["PreemptLowerPriority", "Never"].includes(policy)) {
      errs.push(notSupported(child(path, "preemptionPolicy"), policy, ["PreemptLowerPriority", "Never"]));
    }
  }
  if (isObj(s.overhead)) errs.push(...validateResources({ limits: s.overhead }, child(path, "overhead")));
  if (isObj(s.os) && !["linux", "windows"].includes(str(s.os.name))) {
    errs.push(notSupported(child(path, "os", "name"), str(s.os.name), ["linux", "windows"]));
  }
  return errs;
}

function validatePodAnnotations(annotations: unknown, path: string): StatusCause[] {
  const cost = obj(annotations)["controller.kubernetes.io/pod-deletion-cost"];
  if (cost === undefined) return [];
  const text = str(cost);
  const n = Number(text);
  if (/^[+-]?\d+$/.test(text) && n >= -2147483648 && n <= maxInt32) return [];
  return [invalid(at(path, "controller.kubernetes.io/pod-deletion-cost"), text, "must be a 32bit integer")];
}

/**
 * `ValidatePodTemplateSpec`: labels (at `<path>.labels`, kube's path), annotations, the spec, no ephemeral containers.
 *
 * @example
 * ```ts
 * validatePodTemplateSpec(deployment.spec.template, "spec.template");
 * ```
 */
export function validatePodTemplateSpec(template: unknown, path: string): StatusCause[] {
  const t = obj(template);
  const meta = obj(t.metadata);
  const errs = [...validateLabels(meta.labels, child(path, "labels"))];
  errs.push(...validateAnnotations(meta.annotations, child(path, "annotations")));
  errs.push(...validatePodAnnotations(meta.annotations, child(path, "annotations")));
  errs.push(...validatePodSpec(t.spec, child(path, "spec"), { isPod: false }));
  if (list(obj(t.spec).ephemeralContainers).length > 0) {
    errs.push(
      forbidden(child(path, "spec", "ephemeralContainers"), "ephemeral containers not allowed in pod template"),
    );
  }
  return errs;
}

/**
 * Create validation of a Pod.
 *
 * @example
 * ```ts
 * validatePod(pod);
 * ```
 */
export function validatePod(pod: Obj): StatusCause[] {
  const meta = obj(pod.metadata);
  const spec = obj(pod.spec);
  const errs = validateObjectMeta(pod.metadata, { nameFn: nameIsDNSSubdomain, namespaced: true });
  errs.push(...validatePodAnnotations(meta.annotations, "metadata.annotations"));
  errs.push(...validatePodSpec(spec, "spec", { isPod: true, podName: str(meta.name) }));
  if (!str(spec.serviceAccountName)) {
    objList(spec.volumes).forEach((v, vi) => {
      objList(obj(v.projected).sources).forEach((source, si) => {
        if (isObj(source.serviceAccountToken)) {
          errs.push(
            forbidden(
              `spec.volumes[${vi}].projected.sources[${si}].serviceAccountToken`,
              "must not be specified when serviceAccountName is not set",
            ),
          );
        }
      });
    });
  }
  for (const key of ["containers", "initContainers"]) {
    objList(spec[key]).forEach((c, i) => {
      const image = str(c.image);
      if (image.trim() !== image) {
        errs.push(invalid(`spec.${key}[${i}].image`, image, "must not have leading or trailing whitespace"));
      }
    });
  }
  return errs;
}

const updatableFields = [
  "`spec.containers[*].image`",
  "`spec.initContainers[*].image`",
  "`spec.activeDeadlineSeconds`",
  "`spec.tolerations` (only additions to existing tolerations)",
  "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
];

/**
 * Update validation of a Pod: the new Pod must be valid, and only the fields kube lets an update touch may differ.
 *
 * @example
 * ```ts
 * validatePodUpdate(next, old);
 * ```
 */
export function validatePodUpdate(pod: Obj, old: Obj): StatusCause[] {
  const errs = [...validateObjectMetaUpdate(pod.metadata, old.metadata), ...validatePod(pod)];
  const spec = obj(pod.spec);
  const oldSpec = obj(old.spec);
  for (const key of ["containers", "initContainers"]) {
    const next = objList(spec[key]);
    if (next.length !== objList(oldSpec[key]).length) {
      errs.push(forbidden(`spec.${key}`, "pod updates may not add or remove containers"));
      return errs;
    }
    next.forEach((c, i) => {
      const image = str(c.image);
      if (!image) errs.push(required(`spec.${key}[${i}].image`));
      if (image.trim() !== image) {
        errs.push(invalid(`spec.${key}[${i}].image`, image, "must not have leading or trailing whitespace"));
      }
    });
  }
  const deadline = num(spec.activeDeadlineSeconds);
  const oldDeadline = num(oldSpec.activeDeadlineSeconds);
  if (deadline !== undefined) {
    if (deadline < 0 || deadline > maxInt32) {
      errs.push(invalid("spec.activeDeadlineSeconds", deadline, inclusiveRangeError(0, maxInt32)));
      return errs;
    }
    if (oldDeadline !== undefined && oldDeadline < deadline) {
      errs.push(invalid("spec.activeDeadlineSeconds", deadline, "must be less than or equal to previous value"));
      return errs;
    }
  } else if (oldDeadline !== undefined) {
    errs.push(invalid("spec.activeDeadlineSeconds", null, "must not update from a positive integer to nil value"));
  }
  const newTolerations = objList(spec.tolerations);
  for (const t of objList(oldSpec.tolerations)) {
    const kept = newTolerations.some((n) => semanticEqual({ ...t, tolerationSeconds: n.tolerationSeconds }, n));
    if (!kept) {
      errs.push(forbidden("spec.tolerations", "existing toleration can not be modified except its tolerationSeconds"));
      break;
    }
  }
  const oldGates = new Set(objList(oldSpec.schedulingGates).map((g) => str(g.name)));
  objList(spec.schedulingGates).forEach((g, i) => {
    if (!oldGates.has(str(g.name))) {
      errs.push(
        forbidden(
          `spec.schedulingGates[${i}].name`,
          `only deletion is allowed, but found new scheduling gate '${str(g.name)}'`,
        ),
      );
    }
  });
  if (semanticEqual(spec, oldSpec)) return errs;
  const munged = clone(spec);
  for (const key of ["containers", "initContainers"]) {
    const olds = objList(oldSpec[key]);
    objList(munged[key]).forEach((c, i) => c.image = olds[i]?.image);
  }
  munged.activeDeadlineSeconds = oldSpec.activeDeadlineSeconds;
  munged.schedulingGates = oldSpec.schedulingGates;
  munged.tolerations = oldSpec.tolerations;
  const oldGrace = num(oldSpec.terminationGracePeriodSeconds);
  if (oldGrace !== undefined && oldGrace < 0 && munged.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = oldGrace;
  }
  if (!semanticEqual(munged, oldSpec)) {
    errs.push(
      forbidden(
        "spec",
        `pod updates may not change fields other than ${updatableFields.join(",")}\n${
          structDiff("core.PodSpec", oldSpec, munged)
        }`,
      ),
    );
  }
  return errs;
}
