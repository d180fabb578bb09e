/**
 * The DaemonSet controller: one pod per eligible node, rolled through ControllerRevisions.
 *
 * @example
 * ```ts
 * import { daemonSetController } from "./controllers/daemonset/mod.ts";
 * manager.add(daemonSetController({ client, registry, manager }));
 * ```
 *
 * @module
 */
export { daemonSetController } from "./controller.ts";
export {
  type DaemonSet,
  type DaemonSetStatus,
  REVISION_HASH_LABEL,
  TEMPLATE_GENERATION_ANNOTATION,
  TEMPLATE_GENERATION_LABEL,
} from "./daemonset.ts";
export { nodeShouldRunDaemonPod, targetNodeName } from "./placement.ts";
