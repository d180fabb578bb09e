/**
 * The parts of an `apps/v1` DaemonSet the controller reads, the labels it puts on pods, and which pods
 * count as updated (kube's `daemon/util`).
 *
 * @module
 */
import type { LabelSelector } from "../../core/api/label_selector.ts";
import type { KubeObject, OwnerReference } from "../../core/operator/mod.ts";
import type { PodTemplate } from "../history/mod.ts";
import type { Pod } from "../replicaset/pods.ts";

/** How clients name the kind. */
export const DAEMON_SET = { apiVersion: "apps/v1", kind: "DaemonSet" } as const;
/** The label holding the hash of the ControllerRevision a pod was made from. */
export const REVISION_HASH_LABEL = "controller-revision-hash";
/** The (deprecated) label holding the template generation a pod was made from. */
export const TEMPLATE_GENERATION_LABEL = "pod-template-generation";
/** The annotation kube-apiserver keeps a DaemonSet's template generation in. */
export const TEMPLATE_GENERATION_ANNOTATION = "deprecated.daemonset.template.generation";

/** An `intstr`: a count or a percentage such as `"25%"`. */
export type IntOrPercent = number | string;

/** A DaemonSet. */
export interface DaemonSet extends KubeObject {
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
    selector?: LabelSelector;
    template?: PodTemplate;
    updateStrategy?: { type?: string; rollingUpdate?: { maxUnavailable?: IntOrPercent; maxSurge?: IntOrPercent } };
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
  };
  status?: DaemonSetStatus;
}

/** `status` as the controller writes it. */
export interface DaemonSetStatus {
  currentNumberScheduled: number;
  numberMisscheduled: number;
  desiredNumberScheduled: number;
  numberReady: number;
  observedGeneration?: number;
  updatedNumberScheduled?: number;
  numberAvailable?: number;
  numberUnavailable?: number;
  collisionCount?: number;
  conditions?: unknown[];
}

/**
 * Kube's `GetTemplateGeneration`: the generation the API server records for the template. Without that
 * annotation the object's generation stands in — pods made at one generation always carry its template,
 * so matching either still means "made from the current template".
 *
 * @example
 * ```ts
 * templateGeneration(ds); // 3
 * ```
 */
export function templateGeneration(ds: DaemonSet): number | undefined {
  const annotated = Number(ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION]);
  return Number.isInteger(annotated) && annotated > 0 ? annotated : ds.metadata.generation;
}

/**
 * Kube's `IsPodUpdated`: the pod carries the current revision's hash or template generation.
 *
 * @example
 * ```ts
 * isPodUpdated(pod, "5d8f7c9b4", 2);
 * ```
 */
export function isPodUpdated(pod: Pod, hash: string, generation: number | undefined): boolean {
  const labels = pod.metadata.labels ?? {};
  return (hash !== "" && labels[REVISION_HASH_LABEL] === hash) ||
    (generation !== undefined && labels[TEMPLATE_GENERATION_LABEL] === String(generation));
}

/**
 * Oldest first, scheduled pods before unscheduled ones (kube's `podByCreationTimestampAndPhase`).
 *
 * @example
 * ```ts
 * const [oldest] = [...pods].sort(byCreationTimestampAndPhase);
 * ```
 */
export function byCreationTimestampAndPhase(a: Pod, b: Pod): number {
  const scheduled = Number(Boolean(b.spec?.nodeName)) - Number(Boolean(a.spec?.nodeName));
  if (scheduled !== 0) return scheduled;
  const ta = a.metadata.creationTimestamp ?? "", tb = b.metadata.creationTimestamp ?? "";
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}
