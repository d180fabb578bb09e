/**
 * A pod as the scheduler reads it, parsed once per version: requests, host ports, affinity terms, priority.
 * Every filter and score runs against this, never against the raw object, so the thousand nodes a pod is
 * checked against do not parse it a thousand times.
 *
 * @module
 */
import type { LabelSelector } from "../../core/api/label_selector.ts";
import {
  type AffinityTerm,
  affinityTerms,
  type PodAffinityRules,
  type WeightedAffinityTerm,
  weightedAffinityTerms,
} from "./affinity_terms.ts";
import type { PodSpecLike } from "./node_fit.ts";
import { podRequests, type RequestsSpec, type Resources } from "./resources.ts";

/** The scheduler's own name, which pods ask for in `spec.schedulerName`. */
export const SCHEDULER_NAME = "default-scheduler";

/** `v1.TopologySpreadConstraint`. */
export interface TopologySpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: "DoNotSchedule" | "ScheduleAnyway" | string;
  labelSelector?: LabelSelector;
  minDomains?: number;
  nodeAffinityPolicy?: "Honor" | "Ignore" | string;
  nodeTaintsPolicy?: "Honor" | "Ignore" | string;
  matchLabelKeys?: string[];
}

/** `v1.PodCondition`. */
export interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
}

/** The pod spec as the scheduler reads it. */
export interface PodSpec extends PodSpecLike, RequestsSpec {
  nodeName?: string;
  schedulerName?: string;
  priority?: number;
  preemptionPolicy?: string;
  schedulingGates?: { name: string }[];
  topologySpreadConstraints?: TopologySpreadConstraint[];
  affinity?: NonNullable<PodSpecLike["affinity"]> & {
    podAffinity?: PodAffinityRules;
    podAntiAffinity?: PodAffinityRules;
  };
}

/** A `v1.Pod` as the scheduler reads it. */
export interface Pod {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    deletionTimestamp?: string;
    [field: string]: unknown;
  };
  spec: PodSpec;
  status?: { phase?: string; conditions?: PodCondition[]; [field: string]: unknown };
}

/** A host port a container binds on its node. */
export interface HostPort {
  hostIP: string;
  protocol: string;
  port: number;
}

/** A parsed pod. */
export interface PodInfo {
  readonly pod: Pod;
  /** `namespace/name`. */
  readonly key: string;
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly priority: number;
  readonly requests: Resources;
  /** CPU and memory counted with kube's defaults for containers that request none. */
  readonly nonZeroCPU: number;
  readonly nonZeroMemory: number;
  readonly hostPorts: readonly HostPort[];
  readonly requiredAffinityTerms: readonly AffinityTerm[];
  readonly requiredAntiAffinityTerms: readonly AffinityTerm[];
  readonly preferredAffinityTerms: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinityTerms: readonly WeightedAffinityTerm[];
  /** Any pod (anti-)affinity at all, required or preferred (kube's `PodsWithAffinity`). */
  readonly hasAffinity: boolean;
  readonly terminating: boolean;
}

/** Kube binds a port on every address when the container names none. */
const ALL_ADDRESSES = "0.0.0.0";

function hostPorts(spec: PodSpec): HostPort[] {
  const ports: HostPort[] = [];
  for (const c of spec.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      ports.push({ hostIP: p.hostIP || ALL_ADDRESSES, protocol: p.protocol || "TCP", port: p.hostPort });
    }
  }
  return ports;
}

/**
 * Parse `pod` for scheduling.
 *
 * @example
 * ```ts
 * const info = podInfo(pod);
 * info.requests.milliCPU; // 250 for a pod requesting cpu: 250m
 * ```
 */
export function podInfo(pod: Pod): PodInfo {
  const { metadata, spec } = pod;
  const labels = metadata.labels ?? {};
  const own = { namespace: metadata.namespace, labels };
  const affinity = spec.affinity;
  const { requests, nonZeroCPU, nonZeroMemory } = podRequests(spec);
  const requiredAffinityTerms = affinityTerms(
    own,
    affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
  );
  const requiredAntiAffinityTerms = affinityTerms(
    own,
    affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
  );
  const preferredAffinityTerms = weightedAffinityTerms(
    own,
    affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution,
  );
  const preferredAntiAffinityTerms = weightedAffinityTerms(
    own,
    affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution,
  );
  return {
    pod,
    key: `${metadata.namespace}/${metadata.name}`,
    uid: metadata.uid,
    namespace: metadata.namespace,
    name: metadata.name,
    labels,
    priority: spec.priority ?? 0,
    requests,
    nonZeroCPU,
    nonZeroMemory,
    hostPorts: hostPorts(spec),
    requiredAffinityTerms,
    requiredAntiAffinityTerms,
    preferredAffinityTerms,
    preferredAntiAffinityTerms,
    hasAffinity: Boolean(affinity?.podAffinity || affinity?.podAntiAffinity),
    terminating: Boolean(metadata.deletionTimestamp),
  };
}

/**
 * Whether a pod has finished for good (`Succeeded` / `Failed`): it holds nothing on its node any more.
 *
 * @example
 * ```ts
 * if (isTerminal(pod)) cache.removePod(pod.metadata.uid);
 * ```
 */
export function isTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === "Succeeded" || phase === "Failed";
}

/**
 * Whether this scheduler should place `pod`: unbound, asking for it (or for no one in particular), not
 * going away, not finished, and not held back by scheduling gates.
 *
 * @example
 * ```ts
 * if (needsScheduling(pod)) queue.add(podInfo(pod));
 * ```
 */
export function needsScheduling(pod: Pod): boolean {
  return !pod.spec?.nodeName && (pod.spec?.schedulerName || SCHEDULER_NAME) === SCHEDULER_NAME &&
    !pod.metadata.deletionTimestamp && !isTerminal(pod) && !pod.spec.schedulingGates?.length;
}

/**
 * Whether a pod changed in a way that can change where it fits: anything but its status and bookkeeping
 * (kube's `isPodUpdated`). The scheduler's own status patches must not wake the pod up again.
 *
 * @example
 * ```ts
 * if (changedForScheduling(old, pod)) queue.add(podInfo(pod));
 * ```
 */
export function changedForScheduling(old: Pod, pod: Pod): boolean {
  const relevant = (p: Pod) => {
    const { resourceVersion: _rv, generation: _g, managedFields: _mf, ...meta } = p.metadata;
    return JSON.stringify([meta, p.spec]);
  };
  return relevant(old) !== relevant(pod);
}
