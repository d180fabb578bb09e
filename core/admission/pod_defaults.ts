/**
 * The defaults kube-apiserver gives every pod spec (`SetDefaults_PodSpec`, `SetDefaults_Container`, probes,
 * volumes…), both in Pods and in the pod templates of workloads, plus the few only a real Pod gets.
 *
 * @module
 */

import { ensureObj, isObj, type Obj, objList, str } from "./object.ts";
import { canonicalQuantity, defaultResourceList } from "./quantity.ts";
import { defaultClaimSpec } from "./storage.ts";

/**
 * The pull policy kube defaults for an image: `Always` when the tag is `latest` or absent (and no digest), else
 * `IfNotPresent`. A registry port (`host:5000/app`) is not a tag.
 *
 * @example
 * ```ts
 * defaultPullPolicy("nginx"); // "Always"
 * defaultPullPolicy("nginx:1.27"); // "IfNotPresent"
 * ```
 */
export function defaultPullPolicy(image: string): "Always" | "IfNotPresent" {
  const at = image.indexOf("@");
  const name = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = name.lastIndexOf("/");
  const colon = name.indexOf(":", lastSlash + 1);
  const repository = colon >= 0 ? name.slice(0, colon) : name;
  const tag = colon >= 0 ? name.slice(colon + 1) : "";
  // kube ignores the parse error of a malformed reference and so sees no tag: IfNotPresent.
  if (!isReference(repository, tag)) return "IfNotPresent";
  return (tag || (at >= 0 ? "" : "latest")) === "latest" ? "Always" : "IfNotPresent";
}

const pathComponent = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

function isReference(repository: string, tag: string): boolean {
  const parts = repository.split("/");
  const first = parts[0];
  const hasDomain = parts.length > 1 && (/[.:]/.test(first) || first === "localhost" || /[A-Z]/.test(first));
  const path = hasDomain ? parts.slice(1) : parts;
  if (path.length === 0 || !path.every((p) => pathComponent.test(p))) return false;
  return tag === "" || /^[\w][\w.-]{0,127}$/.test(tag);
}

function defaultHTTPGet(handler: unknown): void {
  if (!isObj(handler)) return;
  const httpGet = handler.httpGet;
  if (isObj(httpGet)) {
    if (!str(httpGet.path)) httpGet.path = "/";
    if (!str(httpGet.scheme)) httpGet.scheme = "HTTP";
  }
}

function defaultProbe(probe: unknown): void {
  if (!isObj(probe)) return;
  if (!probe.timeoutSeconds) probe.timeoutSeconds = 1;
  if (!probe.periodSeconds) probe.periodSeconds = 10;
  if (!probe.successThreshold) probe.successThreshold = 1;
  if (!probe.failureThreshold) probe.failureThreshold = 3;
  defaultHTTPGet(probe);
  // GRPCAction.service carries `+default=""`, so it always materialises.
  if (isObj(probe.grpc) && probe.grpc.service === undefined) probe.grpc.service = "";
}

function defaultFieldRef(holder: unknown): void {
  if (isObj(holder) && isObj(holder.fieldRef) && !str(holder.fieldRef.apiVersion)) holder.fieldRef.apiVersion = "v1";
}

function defaultContainer(c: Obj): void {
  if (!str(c.imagePullPolicy)) c.imagePullPolicy = defaultPullPolicy(str(c.image));
  if (!str(c.terminationMessagePath)) c.terminationMessagePath = "/dev/termination-log";
  if (!str(c.terminationMessagePolicy)) c.terminationMessagePolicy = "File";
  for (const p of objList(c.ports)) if (!str(p.protocol)) p.protocol = "TCP";
  // ResourceRequirements is a struct, not a pointer: it always serialises, if only as {}.
  const resources = ensureObj(c, "resources");
  defaultResourceList(resources.limits);
  defaultResourceList(resources.requests);
  for (const e of objList(c.env)) defaultFieldRef(e.valueFrom);
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  if (isObj(c.lifecycle)) {
    defaultHTTPGet(c.lifecycle.postStart);
    defaultHTTPGet(c.lifecycle.preStop);
  }
}

const volumeSources = [
  "hostPath",
  "emptyDir",
  "gcePersistentDisk",
  "awsElasticBlockStore",
  "gitRepo",
  "secret",
  "nfs",
  "iscsi",
  "glusterfs",
  "persistentVolumeClaim",
  "rbd",
  "flexVolume",
  "cinder",
  "cephfs",
  "flocker",
  "downwardAPI",
  "fc",
  "azureFile",
  "configMap",
  "vsphereVolume",
  "quobyte",
  "azureDisk",
  "photonPersistentDisk",
  "projected",
  "portworxVolume",
  "scaleIO",
  "storageos",
  "csi",
  "ephemeral",
  "image",
];

/** The volume-source keys of a `Volume`, for "must specify a volume type" checks. */
export const volumeSourceKeys: readonly string[] = volumeSources;

function defaultVolume(v: Obj): void {
  if (!volumeSources.some((k) => v[k] !== undefined && v[k] !== null)) v.emptyDir = {};
  for (const key of ["secret", "configMap", "downwardAPI", "projected"]) {
    const source = v[key];
    if (isObj(source) && source.defaultMode === undefined) source.defaultMode = 420;
  }
  if (isObj(v.hostPath) && v.hostPath.type === undefined) v.hostPath.type = "";
  if (isObj(v.downwardAPI)) { for (const item of objList(v.downwardAPI.items)) defaultFieldRef(item); }
  if (isObj(v.projected)) {
    for (const source of objList(v.projected.sources)) {
      if (isObj(source.serviceAccountToken) && source.serviceAccountToken.expirationSeconds === undefined) {
        source.serviceAccountToken.expirationSeconds = 3600;
      }
      if (isObj(source.downwardAPI)) { for (const item of objList(source.downwardAPI.items)) defaultFieldRef(item); }
    }
  }
  if (isObj(v.ephemeral) && isObj(v.ephemeral.volumeClaimTemplate)) {
    defaultClaimSpec(v.ephemeral.volumeClaimTemplate.spec);
  }
  if (isObj(v.emptyDir) && v.emptyDir.sizeLimit !== undefined) {
    v.emptyDir.sizeLimit = canonicalQuantity(v.emptyDir.sizeLimit);
  }
}

/**
 * `SetDefaults_PodSpec` and everything the generated defaulter reaches inside it: restartPolicy Always, dnsPolicy
 * ClusterFirst, schedulerName, terminationGracePeriodSeconds 30, securityContext {}, container/probe/volume defaults.
 * Job templates get restartPolicy Always too; Job validation then rejects it, exactly as kube does.
 *
 * @example
 * ```ts
 * defaultPodSpec(deployment.spec.template.spec);
 * ```
 */
export function defaultPodSpec(spec: Obj): void {
  if (!str(spec.dnsPolicy)) spec.dnsPolicy = "ClusterFirst";
  if (!str(spec.restartPolicy)) spec.restartPolicy = "Always";
  if (!isObj(spec.securityContext)) spec.securityContext = {};
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null) {
    spec.terminationGracePeriodSeconds = 30;
  }
  if (!str(spec.schedulerName)) spec.schedulerName = "default-scheduler";
  for (const key of ["containers", "initContainers", "ephemeralContainers"]) {
    for (const c of objList(spec[key])) defaultContainer(c);
  }
  for (const v of objList(spec.volumes)) defaultVolume(v);
  defaultResourceList(spec.overhead);
}

/**
 * A pod template (`{ metadata, spec }`) inside a workload: only the spec defaults, never the Pod-only ones.
 *
 * @example
 * ```ts
 * defaultPodTemplate(deployment.spec.template);
 * ```
 */
export function defaultPodTemplate(template: Obj): void {
  defaultPodSpec(ensureObj(template, "spec"));
}

/**
 * `SetDefaults_Pod` on top of the spec defaults: requests copied from limits, `enableServiceLinks: true`, and with
 * hostNetwork every container port's hostPort set to its containerPort.
 *
 * @example
 * ```ts
 * defaultPod({ spec: { containers: [{ name: "a", image: "nginx" }] } });
 * ```
 */
export function defaultPod(pod: Obj): void {
  const spec = ensureObj(pod, "spec");
  for (const key of ["containers", "initContainers"]) {
    for (const c of objList(spec[key])) {
      const resources = ensureObj(c, "resources");
      if (isObj(resources.limits)) {
        const requests = ensureObj(resources, "requests");
        for (const [k, v] of Object.entries(resources.limits)) if (!(k in requests)) requests[k] = v;
      }
    }
  }
  if (spec.enableServiceLinks === undefined || spec.enableServiceLinks === null) spec.enableServiceLinks = true;
  if (spec.hostNetwork === true) {
    for (const key of ["containers", "initContainers"]) {
      for (const c of objList(spec[key])) {
        for (const p of objList(c.ports)) if (!p.hostPort) p.hostPort = p.containerPort;
      }
    }
  }
  defaultPodSpec(spec);
}
