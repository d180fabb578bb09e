/**
 * What a DaemonSet needs on one node, after kube's `podsShouldBeOnNode`: a pod where there should be one
 * and is none, failed pods replaced (the caller paces that with a back-off), extra pods pruned to the
 * oldest — or, while surging, to one old and one new pod until the new one is available — and every pod
 * gone from a node the daemon may no longer run on.
 *
 * @module
 */
import { isReady, type Pod, untilAvailable } from "../replicaset/pods.ts";
import { byCreationTimestampAndPhase, REVISION_HASH_LABEL } from "./daemonset.ts";
import type { NodeVerdict } from "./placement.ts";

/** The work one node needs. */
export interface NodeWork {
  /** Make a daemon pod on this node. */
  create: boolean;
  /** Delete these pods. */
  delete: Pod[];
  /** Failed pods to delete, unless the node's failed-pod back-off says to wait. */
  failed: Pod[];
}

/** What deciding for one node takes besides its pods. */
export interface NodeContext {
  verdict: NodeVerdict;
  /** The current revision's hash. */
  hash: string;
  /** Whether the update strategy lets a node run an old and a new pod at once (maxSurge > 0). */
  surge: boolean;
  minReadySeconds: number;
  now: number;
}

/**
 * Kube's `podsShouldBeOnNode` for the daemon pods targeting one node.
 *
 * @example
 * ```ts
 * const work = podsShouldBeOnNode(podsOnNode, { verdict, hash, surge: false, minReadySeconds: 0, now: Date.now() });
 * ```
 */
export function podsShouldBeOnNode(pods: readonly Pod[], context: NodeContext): NodeWork {
  const { verdict, hash, surge } = context;
  const work: NodeWork = { create: false, delete: [], failed: [] };
  if (verdict.shouldRun && pods.length === 0) return { ...work, create: true };
  if (!verdict.shouldContinueRunning) {
    work.delete = pods.filter((p) => !p.metadata.deletionTimestamp);
    return work;
  }
  const running: Pod[] = [];
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    if (pod.status?.phase === "Failed") work.failed.push(pod);
    else running.push(pod);
  }
  running.sort(byCreationTimestampAndPhase);
  if (!surge) {
    work.delete = running.slice(1);
    return work;
  }
  if (running.length <= 1) {
    // Surging keeps at least one live pod on the node, so a failed one is replaced straight away.
    work.create = running.length === 0 && verdict.shouldRun;
    return work;
  }
  // Two pods may share a node only while the oldest new one is not yet available and the oldest old one
  // still serves; everything else goes.
  let oldestNew: Pod | undefined, oldestOld: Pod | undefined;
  for (const pod of running) {
    const isNew = pod.metadata.labels?.[REVISION_HASH_LABEL] === hash;
    if (isNew && !oldestNew) oldestNew = pod;
    else if (!isNew && !oldestOld) oldestOld = pod;
    else work.delete.push(pod);
  }
  if (oldestNew && oldestOld) {
    const newAvailable = untilAvailable(oldestNew, context.minReadySeconds, context.now) === 0;
    if (!isReady(oldestOld) || newAvailable) work.delete.push(oldestOld);
  }
  return work;
}
