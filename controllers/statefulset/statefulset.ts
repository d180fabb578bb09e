/**
 * The parts of an `apps/v1` StatefulSet the controller reads, with the defaults kube applies when a field
 * is missing.
 *
 * @module
 */
import type { LabelSelector } from "../../core/api/label_selector.ts";
import type { KubeObject, OwnerReference } from "../../core/operator/mod.ts";
import type { PodTemplate } from "../history/mod.ts";

/** How clients name the kind. */
export const STATEFUL_SET = { apiVersion: "apps/v1", kind: "StatefulSet" } as const;

/** A `volumeClaimTemplates` entry. */
export interface ClaimTemplate {
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

/** `Retain` or `Delete`, for each of `whenDeleted` and `whenScaled`. */
export interface RetentionPolicy {
  whenDeleted: string;
  whenScaled: string;
}

/** A StatefulSet. */
export interface StatefulSet extends KubeObject {
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    generation?: number;
    resourceVersion?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: OwnerReference[];
  };
  spec: {
    replicas?: number;
    selector?: LabelSelector;
    template?: PodTemplate;
    serviceName?: string;
    podManagementPolicy?: string;
    updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } };
    volumeClaimTemplates?: ClaimTemplate[];
    persistentVolumeClaimRetentionPolicy?: Partial<RetentionPolicy>;
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
    ordinals?: { start?: number };
  };
  status?: StatefulSetStatus;
}

/** `status` as the controller writes it. */
export interface StatefulSetStatus {
  observedGeneration?: number;
  replicas: number;
  readyReplicas?: number;
  currentReplicas?: number;
  updatedReplicas?: number;
  availableReplicas?: number;
  currentRevision?: string;
  updateRevision?: string;
  collisionCount?: number;
  conditions?: unknown[];
}

/**
 * `spec.replicas`, 1 when unset.
 *
 * @example
 * ```ts
 * replicasOf(sts); // 3
 * ```
 */
export function replicasOf(set: StatefulSet): number {
  return set.spec.replicas ?? 1;
}

/**
 * Kube's `getStartOrdinal`: `spec.ordinals.start`, 0 when unset.
 *
 * @example
 * ```ts
 * startOrdinal({ ...sts, spec: { ordinals: { start: 5 } } }); // 5
 * ```
 */
export function startOrdinal(set: StatefulSet): number {
  return set.spec.ordinals?.start ?? 0;
}

/**
 * Kube's `getPersistentVolumeClaimRetentionPolicy`: Retain for whatever is unset.
 *
 * @example
 * ```ts
 * retentionPolicy(sts); // { whenDeleted: "Retain", whenScaled: "Retain" }
 * ```
 */
export function retentionPolicy(set: StatefulSet): RetentionPolicy {
  const policy = set.spec.persistentVolumeClaimRetentionPolicy;
  return { whenDeleted: policy?.whenDeleted ?? "Retain", whenScaled: policy?.whenScaled ?? "Retain" };
}

/**
 * Whether pods are created and deleted one at a time in ordinal order (OrderedReady, the default) rather
 * than all at once (Parallel): kube's `!allowsBurst`.
 *
 * @example
 * ```ts
 * isMonotonic({ ...sts, spec: { podManagementPolicy: "Parallel" } }); // false
 * ```
 */
export function isMonotonic(set: StatefulSet): boolean {
  return set.spec.podManagementPolicy !== "Parallel";
}
