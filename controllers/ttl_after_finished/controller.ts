/**
 * The TTL-after-finished controller, as kube-controller-manager's: a finished Job with `ttlSecondsAfterFinished` is
 * deleted (with its pods, in the foreground) that many seconds after its `Complete` or `Failed` condition appeared.
 * It looks at each such Job again exactly when its TTL runs out.
 *
 * @module
 */
import { type Client, isNotFound } from "../../core/client/mod.ts";
import { type Controller, controller, type KubeObject, type Manager } from "../../core/operator/mod.ts";
import type { Registry } from "../../core/registry/registry.ts";

const JOB = { apiVersion: "batch/v1", kind: "Job" };

/** The parts of a Job this controller reads. */
export interface FinishedJob extends KubeObject {
  metadata: { name: string; namespace: string; uid: string; deletionTimestamp?: string };
  spec?: { ttlSecondsAfterFinished?: number };
  status?: { conditions?: { type: string; status: string; lastTransitionTime?: string }[] };
}

/**
 * When the finished Job's TTL runs out (ms), or undefined when it has none, is not finished, or is going already.
 *
 * @example
 * ```ts
 * expiresAt(job); // Date.parse(completeCondition.lastTransitionTime) + ttlSecondsAfterFinished * 1000
 * ```
 */
export function expiresAt(job: FinishedJob): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || job.metadata.deletionTimestamp) return undefined;
  const finished = job.status?.conditions?.find((c) =>
    (c.type === "Complete" || c.type === "Failed") && c.status === "True"
  );
  if (!finished) return undefined;
  const at = Date.parse(finished.lastTransitionTime ?? "");
  // A finished condition without a time is kube's "unable to find the time when the Job finished".
  if (Number.isNaN(at)) {
    throw new Error(`unable to find the time when the Job ${job.metadata.namespace}/${job.metadata.name} finished`);
  }
  return at + ttl * 1000;
}

/**
 * The controller, for `batch/v1` Jobs.
 *
 * @example
 * ```ts
 * manager.add(ttlAfterFinishedController({ client, registry, manager }));
 * ```
 */
export function ttlAfterFinishedController(deps: { client: Client; registry: Registry; manager: Manager }): Controller {
  const { client, registry, manager } = deps;
  const jobs = registry.resolve("batch", "v1", "jobs")!;
  const cleanable = (job: KubeObject) => job.spec?.ttlSecondsAfterFinished !== undefined;

  return controller("ttl-after-finished")
    .for(jobs, cleanable)
    .withOptions({ concurrency: 5 })
    .complete(async ({ key, namespace, name }) => {
      const cached = manager.cache(jobs).get(key) as FinishedJob | undefined;
      if (!cached) return;
      let expiry = expiresAt(cached);
      if (expiry === undefined) return;
      if (expiry > Date.now()) return { requeueAfterMs: expiry - Date.now() };
      // The cached TTL may be stale: only the API's current Job decides.
      let fresh: FinishedJob;
      try {
        fresh = await client.get<FinishedJob>(JOB, namespace, name);
      } catch (error) {
        if (isNotFound(error)) return;
        throw error;
      }
      expiry = expiresAt(fresh);
      if (expiry === undefined) return;
      if (expiry > Date.now()) return { requeueAfterMs: expiry - Date.now() };
      try {
        await client.delete(JOB, namespace, name, {
          propagationPolicy: "Foreground",
          preconditions: { uid: fresh.metadata.uid },
        });
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    });
}
