/**
 * ControllerRevision helpers the StatefulSet and DaemonSet controllers share (kube's `pkg/controller/history`):
 * snapshotting a pod template as a revision, naming it by hash, creating, renumbering and trimming
 * revisions, and claiming owned objects through controller ownerReferences.
 *
 * @example
 * ```ts
 * import { newControllerRevision, createControllerRevision } from "./controllers/history/mod.ts";
 * const rev = newControllerRevision({ ...STS, ...sts }, "controller.kubernetes.io/hash", 1, 0);
 * const { revision } = await createControllerRevision(client, sts.metadata.name, rev, "controller.kubernetes.io/hash", 0);
 * ```
 *
 * @module
 */
export { controllerRevisionHash, controllerRevisionName } from "./hash.ts";
export {
  byRevision,
  CONTROLLER_REVISION,
  type ControllerRevision,
  equalRevision,
  newControllerRevision,
  nextRevision,
  type PodTemplate,
  type RevisionParent,
  templateOf,
  type TemplatePatch,
  templatePatch,
} from "./revision.ts";
export {
  createControllerRevision,
  type CreatedRevision,
  renumberControllerRevision,
  revisionForTemplate,
  truncateHistory,
} from "./control.ts";
