/**
 * What the node lifecycle controllers read and write of a Pod: the node it is bound to (through a cache
 * index, as kube's `spec.nodeName` indexer), its tolerations and its conditions (kube's `UpdatePodCondition`).
 *
 * @module
 */
import type { Indexer, KubeObject } from "../../core/operator/mod.ts";
import type { Toleration } from "../scheduler/node_fit.ts";
import { metaTime } from "./time.ts";

/** A `status.conditions` entry of a Pod. */
export interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
}

/** The parts of a Pod these controllers read and write. */
export interface Pod extends KubeObject {
  metadata: {
    name: string;
    namespace: string;
    uid?: string;
    resourceVersion?: string;
    deletionTimestamp?: string;
  };
  spec?: { nodeName?: string; tolerations?: Toleration[]; [field: string]: unknown };
  status?: { phase?: string; conditions?: PodCondition[]; [field: string]: unknown };
}

/** The pod cache index by `spec.nodeName` (unbound pods are not in it). */
export const NODE_NAME_INDEX = "spec.nodeName";

/**
 * The pods bound to a node, from `pods` (the shared pod cache), which gets the {@linkcode NODE_NAME_INDEX}
 * if no controller gave it one yet.
 *
 * @example
 * ```ts
 * const podsOn = podsAssignedToNode(manager.cache(pods));
 * podsOn("node-1"); // every cached pod with spec.nodeName "node-1"
 * ```
 */
export function podsAssignedToNode(pods: Indexer): (nodeName: string) => Pod[] {
  try {
    pods.addIndexers({ [NODE_NAME_INDEX]: (pod) => pod.spec?.nodeName ? [pod.spec.nodeName] : [] });
  } catch {
    // Indexed already, by a sibling controller on this manager.
  }
  return (nodeName) => pods.byIndex(NODE_NAME_INDEX, nodeName) as Pod[];
}

/**
 * kube's `UpdatePodCondition` on a copy of `pod.status`: sets `condition` (its transition time moves only when
 * its status changes) and says whether anything changed, so callers write only real changes.
 *
 * @example
 * ```ts
 * const { status, changed } = withPodCondition(pod, { type: "Ready", status: "False" }, Date.now());
 * if (changed) await client.updateStatus({ ...pod, status });
 * ```
 */
export function withPodCondition(
  pod: Pod,
  condition: PodCondition,
  now: number,
): { status: NonNullable<Pod["status"]>; changed: boolean } {
  const conditions = [...(pod.status?.conditions ?? [])];
  const index = conditions.findIndex((c) => c.type === condition.type);
  const old = conditions[index];
  const next: PodCondition = {
    ...condition,
    lastTransitionTime: old?.status === condition.status ? old.lastTransitionTime : metaTime(now),
  };
  if (index < 0) conditions.push(next);
  else conditions[index] = next;
  const changed = !old || old.status !== next.status || (old.reason ?? "") !== (next.reason ?? "") ||
    (old.message ?? "") !== (next.message ?? "") || (old.lastProbeTime ?? null) !== (next.lastProbeTime ?? null);
  return { status: { ...pod.status, conditions }, changed };
}
