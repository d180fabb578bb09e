/**
 * Container-level validation shared by Pods and pod templates: names, images, ports, env, volume mounts,
 * resources, probes, lifecycle hooks and security contexts, with kube's field paths and messages.
 *
 * @module
 */

import type { StatusCause } from "../api/status.ts";
import {
  at,
  child,
  duplicate,
  forbidden,
  invalid,
  invalidEach,
  jsonLiteral,
  notFound,
  notSupported,
  required,
} from "./field.ts";
import {
  inclusiveRangeError,
  isConfigMapKey,
  isDNS1123Label,
  isHTTPHeaderName,
  isQualifiedName,
  isRelaxedEnvVarName,
  isValidPortName,
  isValidPortNum,
  nameIsDNSSubdomain,
} from "./names.ts";
import { isObj, list, num, type Obj, obj, objList, str } from "./object.ts";
import { compareQuantities, formatQuantity, parseQuantity, quantityFormatError } from "./quantity.ts";

const protocols = ["SCTP", "TCP", "UDP"];
/** The largest int32, kube's bound for ids and deadlines. */
export const maxInt32 = 2147483647;

/**
 * `ValidatePortNumOrName` on an IntOrString port: a number in range or an IANA port name.
 *
 * @example
 * ```ts
 * validatePortNumOrName("http", "spec.containers[0].livenessProbe.httpGet.port");
 * ```
 */
export function validatePortNumOrName(port: unknown, path: string): StatusCause[] {
  if (typeof port === "string") return invalidEach(path, port, isValidPortName(port));
  const n = typeof port === "number" ? port : 0;
  return invalidEach(path, n, isValidPortNum(n));
}

function validateContainerPorts(ports: unknown, path: string): StatusCause[] {
  const errs: StatusCause[] = [];
  const names = new Set<string>();
  objList(ports).forEach((port, i) => {
    const p = at(path, i);
    const name = str(port.name);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length) errs.push(...invalidEach(child(p, "name"), name, msgs));
      else if (names.has(name)) errs.push(duplicate(child(p, "name"), name));
      else names.add(name);
    }
    const containerPort = num(port.containerPort) ?? 0;
    if (containerPort === 0) errs.push(required(child(p, "containerPort")));
    else errs.push(...invalidEach(child(p, "containerPort"), containerPort, isValidPortNum(containerPort)));
    const hostPort = num(port.hostPort) ?? 0;
    if (hostPort !== 0) errs.push(...invalidEach(child(p, "hostPort"), hostPort, isValidPortNum(hostPort)));
    const protocol = str(port.protocol);
    if (!protocol) errs.push(required(child(p, "protocol")));
    else if (!protocols.includes(protocol)) errs.push(notSupported(child(p, "protocol"), protocol, protocols));
  });
  return errs;
}

const envFieldPaths = [
  "metadata.name",
  "metadata.namespace",
  "metadata.uid",
  "spec.nodeName",
  "spec.serviceAccountName",
  "status.hostIP",
  "status.hostIPs",
  "status.podIP",
  "status.podIPs",
];
const convertibleFieldPaths = new Set([
  "metadata.annotations",
  "metadata.labels",
  "metadata.name",
  "metadata.namespace",
  "metadata.uid",
  "spec.nodeName",
  "spec.restartPolicy",
  "spec.serviceAccountName",
  "spec.schedulerName",
  "status.phase",
  "status.hostIP",
  "status.hostIPs",
  "status.podIP",
  "status.podIPs",
  "spec.host",
]);
const resourceFieldPaths = [
  "limits.cpu",
  "limits.ephemeral-storage",
  "limits.memory",
  "requests.cpu",
  "requests.ephemeral-storage",
  "requests.memory",
];

function validateFieldRef(ref: Obj, allowed: readonly string[], path: string): StatusCause[] {
  const apiVersion = str(ref.apiVersion);
  const fieldPath = str(ref.fieldPath);
  if (!apiVersion) return [required(child(path, "apiVersion"))];
  if (!fieldPath) return [required(child(path, "fieldPath"))];
  const subscript = /^(metadata\.(?:labels|annotations))\['(.*)'\]$/.exec(fieldPath) ??
    /^([^[]+)\[(.*)\]$/.exec(fieldPath);
  if (apiVersion !== "v1") {
    return [
      invalid(
        child(path, "fieldPath"),
        fieldPath,
        `error converting fieldPath: unsupported pod version: ${apiVersion}`,
      ),
    ];
  }
  if (subscript) {
    const [, base, key] = subscript;
    if (base === "metadata.annotations") {
      return invalidEach(path, key.toLowerCase(), isQualifiedName(key.toLowerCase()));
    }
    if (base === "metadata.labels") return invalidEach(path, key, isQualifiedName(key));
    return [
      invalid(
        child(path, "fieldPath"),
        fieldPath,
        `error converting fieldPath: field label does not support subscript: ${fieldPath}`,
      ),
    ];
  }
  if (!convertibleFieldPaths.has(fieldPath)) {
    return [
      invalid(
        child(path, "fieldPath"),
        fieldPath,
        `error converting fieldPath: field label not supported: ${fieldPath}`,
      ),
    ];
  }
  const internal = fieldPath === "spec.host" ? "spec.nodeName" : fieldPath;
  return allowed.includes(internal) ? [] : [notSupported(child(path, "fieldPath"), internal, allowed)];
}

function validateKeySelector(ref: Obj, path: string): StatusCause[] {
  const name = str(ref.name);
  const errs = invalidEach(child(path, "name"), name, nameIsDNSSubdomain(name, false));
  const key = str(ref.key);
  if (!key) errs.push(required(child(path, "key")));
  else errs.push(...invalidEach(child(path, "key"), key, isConfigMapKey(key)));
  return errs;
}

function validateEnv(env: unknown, path: string): StatusCause[] {
  const errs: StatusCause[] = [];
  objList(env).forEach((e, i) => {
    const p = at(path, i);
    const name = str(e.name);
    if (!name) errs.push(required(child(p, "name")));
    else errs.push(...invalidEach(child(p, "name"), name, isRelaxedEnvVarName(name)));
    if (!isObj(e.valueFrom)) return;
    const from = e.valueFrom;
    const fromPath = child(p, "valueFrom");
    let sources = 0;
    if (isObj(from.fieldRef)) {
      sources++;
      errs.push(...validateFieldRef(from.fieldRef, envFieldPaths, child(fromPath, "fieldRef")));
    }
    if (isObj(from.resourceFieldRef)) {
      sources++;
      const resource = str(from.resourceFieldRef.resource);
      const refPath = child(fromPath, "resourceFieldRef");
      if (!resource) errs.push(required(child(refPath, "resource")));
      else if (!resourceFieldPaths.includes(resource) && !/^(requests|limits)\.hugepages-/.test(resource)) {
        errs.push(notSupported(child(refPath, "resource"), resource, resourceFieldPaths));
      }
    }
    if (isObj(from.configMapKeyRef)) {
      sources++;
      errs.push(...validateKeySelector(from.configMapKeyRef, child(fromPath, "configMapKeyRef")));
    }
    if (isObj(from.secretKeyRef)) {
      sources++;
      errs.push(...validateKeySelector(from.secretKeyRef, child(fromPath, "secretKeyRef")));
    }
    if (sources === 0) {
      errs.push(
        invalid(
          fromPath,
          "",
          "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
        ),
      );
    } else if (str(e.value)) errs.push(invalid(fromPath, "", "may not be specified when `value` is not empty"));
    else if (sources > 1) errs.push(invalid(fromPath, "", "may not have more than one field specified at a time"));
  });
  return errs;
}

function validateEnvFrom(envFrom: unknown, path: string): StatusCause[] {
  const errs: StatusCause[] = [];
  objList(envFrom).forEach((e, i) => {
    const p = at(path, i);
    const prefix = str(e.prefix);
    if (prefix) errs.push(...invalidEach(child(p, "prefix"), prefix, isRelaxedEnvVarName(prefix)));
    let sources = 0;
    for (const key of ["configMapRef", "secretRef"]) {
      const ref = e[key];
      if (!isObj(ref)) continue;
      sources++;
      const name = str(ref.name);
      if (!name) errs.push(required(child(p, key, "name")));
      else errs.push(...invalidEach(child(p, key, "name"), name, nameIsDNSSubdomain(name, true)));
    }
    if (sources === 0) errs.push(invalid(path, "", "must specify one of: `configMapRef` or `secretRef`"));
    else if (sources > 1) errs.push(invalid(path, "", "may not have more than one field specified at a time"));
  });
  return errs;
}

/**
 * A path without `..` elements (host paths, device paths).
 *
 * @example
 * ```ts
 * validatePathNoBacksteps("/var/../etc", "spec.volumes[0].hostPath.path");
 * ```
 */
export function validatePathNoBacksteps(target: string, path: string): StatusCause[] {
  return target.replaceAll("\\", "/").split("/").includes("..") ? [invalid(path, target, "must not contain '..'")] : [];
}

/**
 * A relative path that stays below its root (subPath, item paths, seccomp profiles).
 *
 * @example
 * ```ts
 * validateLocalDescendingPath("/abs", "spec.containers[0].volumeMounts.subPath");
 * ```
 */
export function validateLocalDescendingPath(target: string, path: string): StatusCause[] {
  const errs = target.startsWith("/") ? [invalid(path, target, "must be a relative path")] : [];
  return [...errs, ...validatePathNoBacksteps(target, path)];
}

function validateVolumeMounts(mounts: unknown, volumes: Set<string>, path: string): StatusCause[] {
  const errs: StatusCause[] = [];
  const mountPoints = new Set<string>();
  objList(mounts).forEach((m, i) => {
    const p = at(path, i);
    const name = str(m.name);
    const mountPath = str(m.mountPath);
    if (!name) errs.push(required(child(p, "name")));
    if (!volumes.has(name)) errs.push(notFound(child(p, "name"), name));
    if (!mountPath) errs.push(required(child(p, "mountPath")));
    if (mountPoints.has(mountPath)) errs.push(invalid(child(p, "mountPath"), mountPath, "must be unique"));
    mountPoints.add(mountPath);
    // kube names these two paths off the list, not the entry: `volumeMounts.subPath`.
    const subPath = str(m.subPath);
    if (subPath) errs.push(...validateLocalDescendingPath(subPath, child(path, "subPath")));
    const subPathExpr = str(m.subPathExpr);
    if (subPathExpr) {
      if (subPath) {
        errs.push(invalid(child(p, "subPathExpr"), subPathExpr, "subPathExpr and subPath are mutually exclusive"));
      }
      errs.push(...validateLocalDescendingPath(subPathExpr, child(path, "subPathExpr")));
    }
  });
  return errs;
}

const standardContainerResources = new Set(["cpu", "memory", "ephemeral-storage"]);
const standardResources = new Set([
  "cpu",
  "memory",
  "ephemeral-storage",
  "requests.cpu",
  "requests.memory",
  "requests.ephemeral-storage",
  "limits.cpu",
  "limits.memory",
  "limits.ephemeral-storage",
  "pods",
  "services",
  "replicationcontrollers",
  "resourcequotas",
  "secrets",
  "configmaps",
  "persistentvolumeclaims",
  "storage",
  "requests.storage",
  "services.nodeports",
  "services.loadbalancers",
]);

const isHugePages = (name: string) => name.startsWith("hugepages-");
const isNative = (name: string) => !name.includes("/") || name.includes("kubernetes.io/");
const overcommitAllowed = (name: string) => isNative(name) && !isHugePages(name);

function validateResourceName(name: string, path: string): StatusCause[] {
  const errs = invalidEach(path, name, isQualifiedName(name));
  if (errs.length) return errs;
  if (!name.includes("/")) {
    if (!standardResources.has(name) && !isHugePages(name)) {
      errs.push(invalid(path, name, "must be a standard resource type or fully qualified"));
    }
    if (!standardContainerResources.has(name) && !isHugePages(name)) {
      errs.push(invalid(path, name, "must be a standard resource for containers"));
    }
  } else if (!isNative(name) && (name.startsWith("requests.") || isQualifiedName("requests." + name).length)) {
    errs.push(invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

function validateQuantityValue(name: string, value: unknown, path: string): StatusCause[] {
  const q = parseQuantity(value);
  if (!q) return [invalid(path, typeof value === "string" ? value : String(value), quantityFormatError)];
  const errs: StatusCause[] = [];
  if (q.negative) errs.push(invalid(path, formatQuantity(q), "must be greater than or equal to 0"));
  if (!isNative(name) && (q.exp < 0 && q.digits % 10n ** BigInt(-q.exp) !== 0n)) {
    errs.push(invalid(path, formatQuantity(q), "must be an integer"));
  }
  return errs;
}

/**
 * `ValidateResourceRequirements`: resource names, quantities, and requests ≤ limits.
 *
 * @example
 * ```ts
 * validateResources({ requests: { cpu: "2" }, limits: { cpu: "1" } }, "spec.containers[0].resources");
 * ```
 */
export function validateResources(resources: unknown, path: string): StatusCause[] {
  const r = obj(resources);
  const limits = obj(r.limits);
  const requests = obj(r.requests);
  const limPath = child(path, "limits");
  const reqPath = child(path, "requests");
  const errs: StatusCause[] = [];
  let cpuOrMemory = false;
  let hugePages = false;
  for (const [name, value] of Object.entries(limits)) {
    errs.push(...validateResourceName(name, at(limPath, name)));
    errs.push(...validateQuantityValue(name, value, at(limPath, name)));
    if (isHugePages(name)) hugePages = true;
    if (name === "cpu" || name === "memory") cpuOrMemory = true;
  }
  for (const [name, value] of Object.entries(requests)) {
    errs.push(...validateResourceName(name, at(reqPath, name)));
    errs.push(...validateQuantityValue(name, value, at(reqPath, name)));
    const q = parseQuantity(value);
    const limit = parseQuantity(limits[name]);
    if (q && limit) {
      if (compareQuantities(q, limit) !== 0 && !overcommitAllowed(name)) {
        errs.push(invalid(reqPath, formatQuantity(q), `must be equal to ${name} limit of ${formatQuantity(limit)}`));
      } else if (compareQuantities(q, limit) > 0) {
        errs.push(
          invalid(
            reqPath,
            formatQuantity(q),
            `must be less than or equal to ${name} limit of ${formatQuantity(limit)}`,
          ),
        );
      }
    } else if (!(name in limits) && !overcommitAllowed(name)) {
      errs.push(required(limPath, "Limit must be set for non overcommitable resources"));
    }
    if (isHugePages(name)) hugePages = true;
    if (name === "cpu" || name === "memory") cpuOrMemory = true;
  }
  if (hugePages && !cpuOrMemory) errs.push(forbidden(path, "HugePages require cpu or memory"));
  return errs;
}

function validateHandler(handler: Obj, keys: string[], grace: number | undefined, path: string): StatusCause[] {
  const errs: StatusCause[] = [];
  let handlers = 0;
  for (const key of keys) {
    const h = handler[key];
    if (!isObj(h)) continue;
    const p = child(path, key);
    if (handlers > 0) {
      errs.push(forbidden(p, "may not specify more than 1 handler type"));
      continue;
    }
    handlers++;
    if (key === "exec" && list(h.command).length === 0) errs.push(required(child(p, "command")));
    if (key === "httpGet") {
      if (!str(h.path)) errs.push(required(child(p, "path")));
      errs.push(...validatePortNumOrName(h.port, child(p, "port")));
      if (!["HTTP", "HTTPS"].includes(str(h.scheme))) {
        errs.push(notSupported(child(p, "scheme"), str(h.scheme), ["HTTP", "HTTPS"]));
      }
      for (const header of objList(h.httpHeaders)) {
        errs.push(...invalidEach(child(p, "httpHeaders"), str(header.name), isHTTPHeaderName(str(header.name))));
      }
    }
    if (key === "tcpSocket") errs.push(...validatePortNumOrName(h.port, child(p, "port")));
    if (key === "grpc") errs.push(...validatePortNumOrName(num(h.port) ?? 0, child(p, "port")));
    if (key === "sleep") {
      const seconds = num(h.seconds) ?? 0;
      if (seconds <= 0 || (grace !== undefined && seconds > grace)) {
        errs.push(
          invalid(p, seconds, `must be greater than 0 and less than terminationGracePeriodSeconds (${grace ?? 0})`),
        );
      }
    }
  }
  if (handlers === 0) errs.push(required(path, "must specify a handler type"));
  return errs;
}

function validateProbe(
  probe: unknown,
  kind: "liveness" | "readiness" | "startup",
  grace: number | undefined,
  path: string,
): StatusCause[] {
  if (!isObj(probe)) return [];
  const errs = validateHandler(probe, ["exec", "httpGet", "tcpSocket", "grpc"], grace, path);
  for (
    const key of ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"]
  ) {
    const v = num(probe[key]) ?? 0;
    if (v < 0) errs.push(invalid(child(path, key), v, "must be greater than or equal to 0"));
  }
  const tgps = num(probe.terminationGracePeriodSeconds);
  if (tgps !== undefined && tgps <= 0) {
    errs.push(invalid(child(path, "terminationGracePeriodSeconds"), tgps, "must be greater than 0"));
  }
  if (kind !== "readiness" && (num(probe.successThreshold) ?? 0) !== 1) {
    errs.push(invalid(child(path, "successThreshold"), num(probe.successThreshold) ?? 0, "must be 1"));
  }
  if (kind === "readiness" && probe.terminationGracePeriodSeconds !== undefined) {
    errs.push(
      invalid(
        child(path, "terminationGracePeriodSeconds"),
        num(probe.terminationGracePeriodSeconds) ?? null,
        "must not be set for readinessProbes",
      ),
    );
  }
  return errs;
}

function validateLifecycle(lifecycle: Obj, grace: number | undefined, path: string): StatusCause[] {
  const errs: StatusCause[] = [];
  for (const key of ["postStart", "preStop"]) {
    const h = lifecycle[key];
    if (isObj(h)) errs.push(...validateHandler(h, ["exec", "httpGet", "tcpSocket", "sleep"], grace, child(path, key)));
  }
  return errs;
}

/**
 * User and group ids, which kube bounds to 0–2147483647.
 *
 * @example
 * ```ts
 * validateIDs({ runAsUser: -1 }, ["runAsUser"], "spec.securityContext");
 * ```
 */
export function validateIDs(sc: Obj, keys: string[], path: string): StatusCause[] {
  const errs: StatusCause[] = [];
  for (const key of keys) {
    const v = num(sc[key]);
    if (v !== undefined && (v < 0 || v > maxInt32)) {
      errs.push(invalid(child(path, key), v, inclusiveRangeError(0, maxInt32)));
    }
  }
  return errs;
}

/**
 * A `seccompProfile` field: its type, and a localhost profile only for type Localhost.
 *
 * @example
 * ```ts
 * validateSeccomp({ type: "Localhost" }, "spec.securityContext.seccompProfile");
 * ```
 */
export function validateSeccomp(profile: unknown, path: string): StatusCause[] {
  if (!isObj(profile)) return [];
  const type = str(profile.type);
  const errs: StatusCause[] = [];
  if (!type) errs.push(required(child(path, "type"), "type is required when seccompProfile is set"));
  else if (!["Localhost", "RuntimeDefault", "Unconfined"].includes(type)) {
    errs.push(notSupported(child(path, "type"), type, ["Localhost", "RuntimeDefault", "Unconfined"]));
  }
  if (type === "Localhost") {
    if (profile.localhostProfile === undefined) {
      errs.push(required(child(path, "localhostProfile"), "must be set when seccomp type is Localhost"));
    } else errs.push(...validateLocalDescendingPath(str(profile.localhostProfile), child(path, "localhostProfile")));
  } else if (profile.localhostProfile !== undefined) {
    errs.push(
      invalid(child(path, "localhostProfile"), jsonLiteral(profile), "can only be set when seccomp type is Localhost"),
    );
  }
  return errs;
}

function validateContainerSecurityContext(sc: unknown, path: string): StatusCause[] {
  if (!isObj(sc)) return [];
  const errs = validateIDs(sc, ["runAsUser", "runAsGroup"], path);
  if (isObj(sc) && sc.procMount !== undefined && !["Default", "Unmasked"].includes(str(sc.procMount))) {
    errs.push(notSupported(child(path, "procMount"), str(sc.procMount), ["Default", "Unmasked"]));
  }
  errs.push(...validateSeccomp(sc.seccompProfile, child(path, "seccompProfile")));
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged === true) {
      errs.push(
        invalid(path, jsonLiteral(sc), "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"),
      );
    }
    for (const cap of list(obj(sc.capabilities).add)) {
      if (cap === "CAP_SYS_ADMIN") {
        errs.push(
          invalid(
            path,
            jsonLiteral(sc),
            "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN",
          ),
        );
      }
    }
  }
  return errs;
}

/**
 * What every container kind shares (`validateContainerCommon`): name, image, ports, env, mounts, pull policy, resources.
 *
 * @example
 * ```ts
 * validateContainerCommon(container, new Set(["data"]), "spec.containers[0]");
 * ```
 */
export function validateContainerCommon(c: Obj, volumes: Set<string>, path: string): StatusCause[] {
  const errs: StatusCause[] = [];
  const name = str(c.name);
  if (!name) errs.push(required(child(path, "name")));
  else errs.push(...invalidEach(child(path, "name"), name, isDNS1123Label(name)));
  if (!str(c.image)) errs.push(required(child(path, "image")));
  const tmp = str(c.terminationMessagePolicy);
  if (!tmp) errs.push(required(child(path, "terminationMessagePolicy")));
  else if (tmp !== "File" && tmp !== "FallbackToLogsOnError") {
    errs.push(notSupported(child(path, "terminationMessagePolicy"), tmp, ["File", "FallbackToLogsOnError"]));
  }
  errs.push(...validateContainerPorts(c.ports, child(path, "ports")));
  errs.push(...validateEnv(c.env, child(path, "env")));
  errs.push(...validateEnvFrom(c.envFrom, child(path, "envFrom")));
  errs.push(...validateVolumeMounts(c.volumeMounts, volumes, child(path, "volumeMounts")));
  const pull = str(c.imagePullPolicy);
  if (!pull) errs.push(required(child(path, "imagePullPolicy")));
  else if (!["Always", "IfNotPresent", "Never"].includes(pull)) {
    errs.push(notSupported(child(path, "imagePullPolicy"), pull, ["Always", "IfNotPresent", "Never"]));
  }
  errs.push(...validateResources(c.resources, child(path, "resources")));
  errs.push(...validateContainerSecurityContext(c.securityContext, child(path, "securityContext")));
  return errs;
}

function hostPortConflicts(containers: Obj[], path: string): StatusCause[] {
  const errs: StatusCause[] = [];
  const seen = new Set<string>();
  containers.forEach((c, ci) => {
    objList(c.ports).forEach((p, pi) => {
      const hostPort = num(p.hostPort) ?? 0;
      if (hostPort === 0) return;
      const key = `${str(p.protocol)}/${str(p.hostIP)}/${hostPort}`;
      if (seen.has(key)) errs.push(duplicate(child(at(child(at(path, ci), "ports"), pi), "hostPort"), key));
      seen.add(key);
    });
  });
  return errs;
}

/**
 * The regular containers: at least one, unique names, probes and lifecycle, no restartPolicy, no host-port clashes.
 *
 * @example
 * ```ts
 * validateContainers(spec.containers, volumes, 30, "spec.containers");
 * ```
 */
export function validateContainers(containers: Obj[], volumes: Set<string>, grace: number | undefined, path: string) {
  if (containers.length === 0) return [required(path)];
  const errs: StatusCause[] = [];
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const p = at(path, i);
    errs.push(...validateContainerCommon(c, volumes, p));
    if (names.has(str(c.name))) errs.push(duplicate(child(p, "name"), str(c.name)));
    else names.add(str(c.name));
    if (isObj(c.lifecycle)) errs.push(...validateLifecycle(c.lifecycle, grace, child(p, "lifecycle")));
    errs.push(...validateProbe(c.livenessProbe, "liveness", grace, child(p, "livenessProbe")));
    errs.push(...validateProbe(c.readinessProbe, "readiness", grace, child(p, "readinessProbe")));
    errs.push(...validateProbe(c.startupProbe, "startup", grace, child(p, "startupProbe")));
    if (c.restartPolicy !== undefined) {
      errs.push(forbidden(child(p, "restartPolicy"), "may not be set for non-init containers"));
    }
  });
  errs.push(...hostPortConflicts(containers, path));
  return errs;
}

/**
 * Init containers: names unique across all containers; probes and lifecycle only for restartable (sidecar) ones.
 *
 * @example
 * ```ts
 * validateInitContainers(spec.initContainers, spec.containers, volumes, 30, "spec.initContainers");
 * ```
 */
export function validateInitContainers(
  inits: Obj[],
  regular: Obj[],
  volumes: Set<string>,
  grace: number | undefined,
  path: string,
): StatusCause[] {
  const errs: StatusCause[] = [];
  const names = new Set(regular.map((c) => str(c.name)));
  inits.forEach((c, i) => {
    const p = at(path, i);
    errs.push(...validateContainerCommon(c, volumes, p));
    let restartAlways = false;
    if (c.restartPolicy !== undefined) {
      if (c.restartPolicy !== "Always") {
        errs.push(notSupported(child(p, "restartPolicy"), str(c.restartPolicy), ["Always"]));
      }
      restartAlways = c.restartPolicy === "Always";
    }
    const name = str(c.name);
    if (names.has(name)) errs.push(duplicate(child(p, "name"), name));
    else if (name) names.add(name);
    errs.push(...hostPortConflicts([c], path));
    if (restartAlways) {
      if (isObj(c.lifecycle)) errs.push(...validateLifecycle(c.lifecycle, grace, child(p, "lifecycle")));
      errs.push(...validateProbe(c.livenessProbe, "liveness", grace, child(p, "livenessProbe")));
      errs.push(...validateProbe(c.readinessProbe, "readiness", grace, child(p, "readinessProbe")));
      errs.push(...validateProbe(c.startupProbe, "startup", grace, child(p, "startupProbe")));
    } else {
      for (const key of ["lifecycle", "livenessProbe", "readinessProbe", "startupProbe"]) {
        if (c[key] !== undefined) {
          errs.push(forbidden(child(p, key), "may not be set for init containers without restartPolicy=Always"));
        }
      }
    }
    if (list(c.resizePolicy).length > 0) {
      errs.push(invalid(child(p, "resizePolicy"), jsonLiteral(c.resizePolicy), "must not be set for init containers"));
    }
  });
  return errs;
}
