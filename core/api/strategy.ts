/**
 * What differs per kind when objects are written (kube-apiserver's "strategies"): defaulting and
 * validation, `generation`, status kept apart from spec, namespace and pod deletion, Event TTLs and
 * Service addresses.
 *
 * @module
 */
import type { Store } from "../../datastore/mod.ts";
import { applyDefaults } from "../admission/defaults.ts";
import { carryServiceAllocations } from "../admission/networking.ts";
import { validateCreate, validateUpdate } from "../admission/validate.ts";
import type { ResourceInfo } from "../registry/types.ts";
import { ServiceAllocator } from "./service_allocator.ts";
import { invalid } from "./status.ts";
import type { DeleteOptions } from "./rest.ts";
import type { KubeObject } from "./storage.ts";

/** Kinds whose spec changes bump `metadata.generation` (the rest never carry one). */
const GENERATION_GROUPS = new Set([
  "apps",
  "batch",
  "networking.k8s.io",
  "policy",
  "autoscaling",
  "apiextensions.k8s.io",
  "admissionregistration.k8s.io",
  "flowcontrol.apiserver.k8s.io",
  "scheduling.k8s.io",
]);
const GENERATION_CORE_KINDS = new Set(["ReplicationController"]);

/** Seconds an Event lives (kube-apiserver's `--event-ttl`, 1h). */
const EVENT_TTL_SECONDS = 3600;

/** The hooks {@linkcode Rest} calls around each write. */
export interface Strategy {
  prepareCreate(r: ResourceInfo, object: KubeObject, options: { dryRun?: boolean }): Promise<KubeObject>;
  prepareUpdate(
    r: ResourceInfo,
    desired: KubeObject,
    current: KubeObject,
    options: { subresource?: "status" | "binding"; dryRun?: boolean },
  ): Promise<KubeObject>;
  /** Whether DELETE only marks the object (finalizers or a namespace's spec finalizers keep it). */
  keepsOnDelete(r: ResourceInfo, current: KubeObject, options: DeleteOptions): boolean;
  /** Seconds a DELETE leaves the object terminating before it goes (a running pod's grace; 0: none). */
  gracePeriod?(r: ResourceInfo, current: KubeObject, options: DeleteOptions): number;
  /** Set what an object shows while being deleted (a Namespace's phase). */
  prepareTerminating?(r: ResourceInfo, object: KubeObject): void;
  /** The TTL objects of this resource are stored with (0: none). */
  ttl(r: ResourceInfo): number;
  afterCreateFailed?(r: ResourceInfo, object: KubeObject): Promise<void>;
  afterDelete?(r: ResourceInfo, object: KubeObject): Promise<void>;
  /** An object read from storage as it is served (a custom resource: defaulted, in the requested version). */
  decorate?(r: ResourceInfo, object: KubeObject): KubeObject;
}

/** kube's DaemonSet strategy counts template changes in this annotation; pods carry it as pod-template-generation. */
const DAEMONSET_TEMPLATE_GENERATION = "deprecated.daemonset.template.generation";

function isDaemonSet(r: ResourceInfo): boolean {
  return r.group === "apps" && r.kind === "DaemonSet";
}

function carryTemplateGeneration(next: KubeObject, current: KubeObject): void {
  const old = Number(current.metadata?.annotations?.[DAEMONSET_TEMPLATE_GENERATION] ?? 0);
  const changed = JSON.stringify((next.spec as { template?: unknown })?.template) !==
    JSON.stringify((current.spec as { template?: unknown })?.template);
  next.metadata!.annotations = {
    ...next.metadata!.annotations,
    [DAEMONSET_TEMPLATE_GENERATION]: String(changed ? old + 1 : old),
  };
}

function hasStatus(r: ResourceInfo): boolean {
  return r.subresources.some((s) => s.name === "status");
}

function carriesGeneration(r: ResourceInfo): boolean {
  return r.group === ""
    ? GENERATION_CORE_KINDS.has(r.kind)
    : GENERATION_GROUPS.has(r.group) || !r.group.endsWith(".k8s.io") && r.group.includes(".");
}

function withoutMetaAndStatus(object: KubeObject): string {
  const { metadata: _m, status: _s, ...rest } = object;
  return JSON.stringify(rest);
}

/** Options of {@linkcode BuiltinStrategy}. */
export interface StrategyOptions {
  /** `--service-cidr` (default 10.43.0.0/16). */
  serviceCIDR?: string;
  /** `--service-node-port-range` (default 30000-32767). */
  nodePortRange?: string;
}

/**
 * The built-in kinds' write rules.
 *
 * @example
 * ```ts
 * const rest = new Rest(store, new BuiltinStrategy(store, { serviceCIDR: "10.43.0.0/16" }));
 * ```
 */
export class BuiltinStrategy implements Strategy {
  readonly services: ServiceAllocator;

  constructor(store: Store, options: StrategyOptions = {}) {
    this.services = new ServiceAllocator(
      store,
      options.serviceCIDR ?? "10.43.0.0/16",
      options.nodePortRange ?? "30000-32767",
    );
  }

  async prepareCreate(r: ResourceInfo, object: KubeObject, options: { dryRun?: boolean }): Promise<KubeObject> {
    const meta = object.metadata!;
    if (carriesGeneration(r)) meta.generation = 1;
    else delete meta.generation;
    if (isDaemonSet(r)) meta.annotations = { ...meta.annotations, [DAEMONSET_TEMPLATE_GENERATION]: "1" };
    if (hasStatus(r) && r.group !== "" && r.kind !== "CustomResourceDefinition") delete object.status;
    applyDefaults(r.group, r.kind, object);
    if (r.group === "" && r.kind === "Pod") {
      object.status = { phase: "Pending", qosClass: qosClass(object), ...(object.status as object ?? {}) };
    }
    // Addresses come first, as in kube-apiserver: validation checks the allocated Service.
    const isService = r.group === "" && r.kind === "Service";
    if (isService) await this.services.allocate(object, options.dryRun ?? false);
    const causes = validateCreate(r.group, r.kind, object);
    if (causes.length) {
      if (isService && !options.dryRun) await this.services.release(object);
      throw invalid(r, meta.name ?? "", causes);
    }
    return object;
  }

  prepareUpdate(
    r: ResourceInfo,
    desired: KubeObject,
    current: KubeObject,
    options: { subresource?: "status" | "binding"; dryRun?: boolean },
  ): Promise<KubeObject> {
    const meta = desired.metadata!;
    const old = current.metadata!;
    let next: KubeObject;
    if (options.subresource === "binding") {
      // Rest.bind changed only what a binding may; pod update validation would refuse the nodeName.
      next = { ...desired, metadata: { ...desired.metadata, resourceVersion: old.resourceVersion } };
      return Promise.resolve(next);
    }
    if (options.subresource === "status") {
      // Only status changes through /status; everything else stays as stored.
      next = { ...current, status: desired.status, metadata: { ...old } };
    } else {
      next = { ...desired };
      if (hasStatus(r)) {
        if (current.status === undefined) delete next.status;
        else next.status = current.status;
      }
      next.metadata = {
        ...meta,
        uid: old.uid,
        creationTimestamp: old.creationTimestamp,
        deletionTimestamp: old.deletionTimestamp,
        deletionGracePeriodSeconds: old.deletionGracePeriodSeconds,
        namespace: old.namespace,
        name: old.name,
        generation: old.generation,
      };
      for (const k of ["deletionTimestamp", "deletionGracePeriodSeconds", "generation", "namespace"] as const) {
        if (next.metadata[k] === undefined) delete next.metadata[k];
      }
      applyDefaults(r.group, r.kind, next, "update");
      if (carriesGeneration(r) && withoutMetaAndStatus(next) !== withoutMetaAndStatus(current)) {
        next.metadata.generation = (old.generation ?? 0) + 1;
      }
      if (isDaemonSet(r)) carryTemplateGeneration(next, current);
      if (r.group === "" && r.kind === "Service") carryServiceAllocations(next, current);
    }
    // The precondition was checked against the stored revision already; validate as an update of it.
    next.metadata!.resourceVersion = old.resourceVersion;
    const causes = validateUpdate(r.group, r.kind, next, current);
    if (causes.length) throw invalid(r, old.name ?? "", causes);
    return Promise.resolve(next);
  }

  keepsOnDelete(r: ResourceInfo, current: KubeObject, _options: DeleteOptions): boolean {
    if ((current.metadata?.finalizers ?? []).length > 0) return true;
    // A namespace waits for the namespace controller to empty it and clear spec.finalizers.
    return r.group === "" && r.kind === "Namespace" &&
      ((current.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).length > 0;
  }

  gracePeriod(r: ResourceInfo, current: KubeObject, options: DeleteOptions): number {
    if (r.group !== "" || r.kind !== "Pod") return 0;
    // As kube's pod strategy: only a pod a node may be running gets time to stop; the node then
    // finishes the deletion with a grace period of 0.
    const spec = current.spec as { nodeName?: string; terminationGracePeriodSeconds?: number } | undefined;
    const phase = (current.status as { phase?: string } | undefined)?.phase;
    if (!spec?.nodeName || phase === "Succeeded" || phase === "Failed") return 0;
    return Math.max(0, options.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30);
  }

  prepareTerminating(r: ResourceInfo, object: KubeObject): void {
    if (r.group === "" && r.kind === "Namespace") {
      object.status = { ...(object.status as object ?? {}), phase: "Terminating" };
    }
  }

  ttl(r: ResourceInfo): number {
    return r.resource === "events" ? EVENT_TTL_SECONDS : 0;
  }

  async afterCreateFailed(r: ResourceInfo, object: KubeObject): Promise<void> {
    if (r.group === "" && r.kind === "Service") await this.services.release(object);
  }

  async afterDelete(r: ResourceInfo, object: KubeObject): Promise<void> {
    if (r.group === "" && r.kind === "Service") await this.services.release(object);
  }
}

/** A pod's QoS class, as kube-apiserver sets it at creation. */
function qosClass(pod: KubeObject): string {
  const containers = [
    ...((pod.spec as { containers?: unknown[] })?.containers ?? []),
    ...((pod.spec as { initContainers?: unknown[] })?.initContainers ?? []),
  ] as { resources?: { limits?: Record<string, string>; requests?: Record<string, string> } }[];
  let anything = false;
  let guaranteed = true;
  for (const c of containers) {
    const limits = c.resources?.limits ?? {};
    const requests = c.resources?.requests ?? {};
    if (Object.keys(limits).length || Object.keys(requests).length) anything = true;
    for (const resource of ["cpu", "memory"]) {
      if (!limits[resource]) guaranteed = false;
      else if (requests[resource] && requests[resource] !== limits[resource]) guaranteed = false;
    }
  }
  if (!anything) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}
