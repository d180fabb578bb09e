/**
 * The pods a Job creates: its template, controlled by the Job and carrying the tracking finalizer; an Indexed Job's
 * pods also carry their completion index (annotation, label, hostname `<job>-<index>`, `JOB_COMPLETION_INDEX` through
 * the downward API).
 *
 * @module
 */
import type { KubeObject } from "../../core/operator/mod.ts";
import {
  COMPLETION_INDEX,
  INDEX_FAILURE_COUNT,
  INDEX_IGNORED_FAILURE_COUNT,
  isIndexed,
  type Job,
  TRACKING_FINALIZER,
} from "./job.ts";

/** Kube's `names.MaxGeneratedNameLength`: the API server appends five random characters. */
const MAX_GENERATED_NAME_LENGTH = 58;

/** What the pod of one index carries over from the failures of that index (backoffLimitPerIndex). */
export interface IndexFailures {
  failed: number;
  ignored: number;
}

interface Container {
  env?: { name: string; [field: string]: unknown }[];
  [field: string]: unknown;
}

function withCompletionIndexEnv(container: Container): Container {
  if ((container.env ?? []).some((e) => e.name === "JOB_COMPLETION_INDEX")) return container;
  const fieldPath = `metadata.labels['${COMPLETION_INDEX}']`;
  return {
    ...container,
    env: [...(container.env ?? []), { name: "JOB_COMPLETION_INDEX", valueFrom: { fieldRef: { fieldPath } } }],
  };
}

/**
 * Kube's `podGenerateNameWithIndex`: `<job>-<index>-`, the job name cut so the whole fits a generated name.
 *
 * @example
 * ```ts
 * generateNameWithIndex("pi", 3); // "pi-3-"
 * ```
 */
export function generateNameWithIndex(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = jobName + suffix;
  return prefix.length > MAX_GENERATED_NAME_LENGTH
    ? prefix.slice(0, MAX_GENERATED_NAME_LENGTH - suffix.length) + suffix
    : prefix;
}

/**
 * The pod to create for `job` (for completion `index` when Indexed).
 *
 * @example
 * ```ts
 * await client.create(podFromTemplate(job, 0));
 * ```
 */
export function podFromTemplate(
  job: Job,
  index?: number,
  failures?: IndexFailures,
): KubeObject & { apiVersion: string; kind: string } {
  const template = structuredClone(job.spec.template);
  const meta = template.metadata ?? {};
  const spec: Record<string, unknown> = { ...template.spec };
  const labels = { ...meta.labels };
  const annotations = { ...meta.annotations };
  if (isIndexed(job)) {
    for (const field of ["initContainers", "containers"]) {
      const containers = spec[field] as Container[] | undefined;
      if (containers) spec[field] = containers.map(withCompletionIndexEnv);
    }
  }
  if (index !== undefined) {
    annotations[COMPLETION_INDEX] = String(index);
    labels[COMPLETION_INDEX] = String(index);
    spec.hostname = `${job.metadata.name}-${index}`;
  }
  if (failures) {
    annotations[INDEX_FAILURE_COUNT] = String(failures.failed);
    if (failures.ignored > 0) annotations[INDEX_IGNORED_FAILURE_COUNT] = String(failures.ignored);
  }
  const finalizers = meta.finalizers ?? [];
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      generateName: index === undefined ? `${job.metadata.name}-` : generateNameWithIndex(job.metadata.name, index),
      namespace: job.metadata.namespace,
      ...(Object.keys(labels).length ? { labels } : {}),
      ...(Object.keys(annotations).length ? { annotations } : {}),
      finalizers: finalizers.includes(TRACKING_FINALIZER) ? finalizers : [...finalizers, TRACKING_FINALIZER],
      ownerReferences: [{
        apiVersion: "batch/v1",
        kind: "Job",
        name: job.metadata.name,
        uid: job.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      }],
    },
    spec,
  };
}
