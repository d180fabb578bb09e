/**
 * The Job controller: runs a Job's pods to completion, counting each finished pod exactly once through the
 * `batch.kubernetes.io/job-tracking` finalizer; and the loop that frees pods no Job will count.
 *
 * @example
 * ```ts
 * import { jobController } from "./controllers/job/mod.ts";
 * for (const c of jobController({ client, registry, manager })) manager.add(c);
 * ```
 *
 * @module
 */
import type { Client } from "../../core/client/mod.ts";
import type { Controller, Manager } from "../../core/operator/mod.ts";
import type { Registry } from "../../core/registry/registry.ts";
import { type JobControllerOptions, jobSyncController } from "./controller.ts";
import { orphanPodController } from "./orphan_pods.ts";

/**
 * The Job controller and its orphan-pod finalizer loop.
 *
 * @example
 * ```ts
 * const controllers = [...jobController(deps), ...otherControllers];
 * jobController(deps, { backoffBaseMs: 100 }); // a fast pod-failure back-off, for tests
 * ```
 */
export function jobController(
  deps: { client: Client; registry: Registry; manager: Manager },
  options: JobControllerOptions = {},
): Controller[] {
  return [jobSyncController(deps, options), orphanPodController(deps)];
}

export type { JobControllerOptions };
export { DEFAULT_BACKOFF_BASE_MS, DEFAULT_BACKOFF_MAX_MS, remainingBackoff } from "./backoff.ts";
export { covers, firstPendingIndexes, OrderedIntervals } from "./indexes.ts";
export {
  COMPLETION_INDEX,
  isFinished,
  type Job,
  type JobCondition,
  type JobStatus,
  TRACKING_FINALIZER,
} from "./job.ts";
export { matchPodFailurePolicy } from "./pod_failure_policy.ts";
export { generateNameWithIndex, podFromTemplate } from "./pod_template.ts";
