/**
 * A DaemonSet's RollingUpdate, after kube's `rollingUpdate`: which old pods to delete and which nodes get
 * a new pod this round. Without surge, old pods are deleted while fewer than `maxUnavailable` nodes lack
 * an available pod (the manage step then recreates them); with surge, new pods start beside old ones on
 * up to `maxSurge` nodes and each old pod goes once its replacement is available.
 *
 * @module
 */
import { scaledValue } from "../deployment/rolling.ts";
import { type Pod, untilAvailable } from "../replicaset/pods.ts";
import { type DaemonSet, isPodUpdated } from "./daemonset.ts";

/** Kube's `updatedDesiredNodeCounts`, as counts. */
export interface RolloutBounds {
  maxSurge: number;
  maxUnavailable: number;
  desiredNumberScheduled: number;
}

/**
 * Kube's `updatedDesiredNodeCounts`: maxSurge and maxUnavailable of the nodes that want the daemon (both
 * rounded up), with maxUnavailable 1 when both come to 0.
 *
 * @example
 * ```ts
 * rolloutBounds(ds, 10); // { maxSurge: 0, maxUnavailable: 1, desiredNumberScheduled: 10 } by default
 * ```
 */
export function rolloutBounds(ds: DaemonSet, desiredNumberScheduled: number): RolloutBounds {
  const rolling = ds.spec.updateStrategy?.type !== "OnDelete" ? ds.spec.updateStrategy?.rollingUpdate : undefined;
  const maxSurge = rolling ? scaledValue(rolling.maxSurge ?? 0, desiredNumberScheduled, true) : 0;
  let maxUnavailable = rolling ? scaledValue(rolling.maxUnavailable ?? 1, desiredNumberScheduled, true) : 0;
  if (desiredNumberScheduled > 0 && maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable, desiredNumberScheduled };
}

/**
 * Kube's `AllowsSurge`: whether the strategy lets an old and a new pod share a node.
 *
 * @example
 * ```ts
 * allowsSurge({ ...ds, spec: { updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } } }); // true
 * ```
 */
export function allowsSurge(ds: DaemonSet): boolean {
  return rolloutBounds(ds, 1).maxSurge > 0;
}

/**
 * Kube's `findUpdatedPodsOnNode`: the node's live new and old pod, or undefined when it has more than
 * one of either (the manage step prunes those first).
 */
function updatedPodsOnNode(
  pods: readonly Pod[],
  hash: string,
  generation: number | undefined,
): { newPod?: Pod; oldPod?: Pod } | undefined {
  let newPod: Pod | undefined, oldPod: Pod | undefined;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    if (isPodUpdated(pod, hash, generation)) {
      if (newPod) return undefined;
      newPod = pod;
    } else {
      if (oldPod) return undefined;
      oldPod = pod;
    }
  }
  return { newPod, oldPod };
}

/** What a rolling update needs to know. */
export interface RolloutInput {
  ds: DaemonSet;
  /** Daemon pods by target node, with an empty entry for every node that wants the daemon but has none. */
  nodeToPods: ReadonlyMap<string, readonly Pod[]>;
  bounds: RolloutBounds;
  hash: string;
  generation: number | undefined;
  /** Whether a new daemon pod may go to this node (`NodeShouldRunDaemonPod`'s shouldRun). */
  shouldRun(node: string): boolean;
  now: number;
}

/**
 * The pods to delete and the nodes to create a new pod on in this round of the rollout.
 *
 * @example
 * ```ts
 * const { deletePods, createOn } = rollingUpdate({ ds, nodeToPods, bounds, hash, generation, shouldRun, now });
 * ```
 */
export function rollingUpdate(input: RolloutInput): { deletePods: Pod[]; createOn: string[] } {
  const { ds, nodeToPods, bounds, hash, generation, now } = input;
  const available = (pod: Pod) => untilAvailable(pod, ds.spec.minReadySeconds ?? 0, now) === 0;

  if (bounds.maxSurge === 0) {
    let unavailable = 0;
    const replacements: Pod[] = [], candidates: Pod[] = [];
    for (const pods of nodeToPods.values()) {
      const found = updatedPodsOnNode(pods, hash, generation);
      if (!found) {
        unavailable++;
        continue;
      }
      const { newPod, oldPod } = found;
      if ((!newPod && !oldPod) || (newPod && oldPod)) unavailable++;
      else if (newPod) {
        if (!available(newPod)) unavailable++;
      } else if (!available(oldPod!)) replacements.push(oldPod!);
      else if (unavailable < bounds.maxUnavailable) candidates.push(oldPod!);
    }
    const room = Math.min(Math.max(0, bounds.maxUnavailable - unavailable), candidates.length);
    return { deletePods: [...replacements, ...candidates.slice(0, room)], createOn: [] };
  }

  const deletePods: Pod[] = [], sunsetting: Pod[] = [], allowedNew: string[] = [], candidateNew: string[] = [];
  let surging = 0, numAvailable = 0;
  for (const [node, pods] of nodeToPods) {
    const found = updatedPodsOnNode(pods, hash, generation);
    if (!found) {
      surging++;
      continue;
    }
    const { newPod, oldPod } = found;
    if (oldPod ? available(oldPod) : newPod && available(newPod)) numAvailable++;
    if (!oldPod) continue;
    if (!newPod) {
      if (!available(oldPod)) {
        // An unavailable old pod is replaced at once — or dropped where the daemon may no longer go.
        if (input.shouldRun(node)) allowedNew.push(node);
        else deletePods.push(oldPod);
      } else if (!input.shouldRun(node)) sunsetting.push(oldPod);
      else if (surging < bounds.maxSurge) candidateNew.push(node);
      continue;
    }
    if (!available(newPod)) surging++;
    else deletePods.push(oldPod);
  }
  // Pods on nodes the daemon is leaving go only once enough pods elsewhere are available.
  const deletable = Math.min(Math.max(0, numAvailable - bounds.desiredNumberScheduled), sunsetting.length);
  deletePods.push(...sunsetting.slice(0, deletable));
  const room = Math.min(Math.max(0, bounds.maxSurge - surging), candidateNew.length);
  return { deletePods, createOn: [...allowedNew, ...candidateNew.slice(0, room)] };
}
