/**
 * The tracking finalizer of pods no live Job will count (kube's orphan-pod queue): the pod's Job is gone, finished,
 * or replaced by a namesake, or the pod lost its controller reference. Without this such a pod, once deleted, would
 * never go away.
 *
 * @module
 */
import { type Client, isNotFound } from "../../core/client/mod.ts";
import {
  type Controller,
  controller,
  type KubeObject,
  type Manager,
  NAMESPACE_INDEX,
  objectKey,
} from "../../core/operator/mod.ts";
import type { Registry } from "../../core/registry/registry.ts";
import { isFinished, type Job, JOB_CONTROLLER_NAME, TRACKING_FINALIZER } from "./job.ts";
import { hasTrackingFinalizer, type Pod } from "./pods.ts";

/**
 * The controller, for `v1` Pods carrying `batch.kubernetes.io/job-tracking`, watching `batch/v1` Jobs.
 *
 * @example
 * ```ts
 * manager.add(orphanPodController({ client, registry, manager }));
 * ```
 */
export function orphanPodController(deps: { client: Client; registry: Registry; manager: Manager }): Controller {
  const { client, registry, manager } = deps;
  const jobs = registry.resolve("batch", "v1", "jobs")!;
  const pods = registry.resolve("", "v1", "pods")!;
  const tracked = (object: KubeObject) => hasTrackingFinalizer(object as Pod);

  /** A Job finishing or going away concerns its pods that still carry the finalizer. */
  function podsOf(job: KubeObject): string[] {
    return (manager.cache(pods).byIndex(NAMESPACE_INDEX, job.metadata?.namespace ?? "") as Pod[])
      .filter((p) => hasTrackingFinalizer(p) && p.metadata.ownerReferences?.some((r) => r.uid === job.metadata?.uid))
      .map((p) => objectKey(p));
  }

  return controller("job-orphan-pods")
    .for(pods, tracked)
    .watches(jobs, podsOf)
    .complete(async ({ key, namespace }) => {
      const pod = manager.cache(pods).get(key) as Pod | undefined;
      if (!pod || !hasTrackingFinalizer(pod)) return;
      const ref = pod.metadata.ownerReferences?.find((r) => r.controller);
      if (ref) {
        // Another controller's pod keeps whatever finalizers it has.
        if (ref.kind !== "Job" || ref.apiVersion !== "batch/v1") return;
        const job = manager.cache(jobs).get(`${namespace}/${ref.name}`) as Job | undefined;
        if (job && job.metadata.uid === ref.uid) {
          if (job.spec.managedBy !== undefined && job.spec.managedBy !== JOB_CONTROLLER_NAME) return;
          // Its Job still counts it.
          if (!isFinished(job)) return;
        }
      }
      try {
        await client.patch({ apiVersion: "v1", kind: "Pod" }, namespace, pod.metadata.name, "strategic", {
          metadata: { "$deleteFromPrimitiveList/finalizers": [TRACKING_FINALIZER] },
        });
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    });
}
