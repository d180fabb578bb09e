/**
 * The pod garbage collector: force-deletes terminated pods beyond a threshold, pods of nodes that are gone,
 * and terminating pods no kubelet will finish.
 *
 * @example
 * ```ts
 * import { podGcController } from "./controllers/pod_gc/mod.ts";
 * manager.add(podGcController({ client, registry, manager }));
 * ```
 *
 * @module
 */
export {
  DEFAULT_TERMINATED_POD_THRESHOLD,
  podGcController,
  type PodGcOptions,
  QUARANTINE_MS,
  TAINT_OUT_OF_SERVICE,
} from "./controller.ts";
