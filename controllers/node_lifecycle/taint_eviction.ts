/**
 * The taint eviction controller (kube 1.29+ runs it apart from node lifecycle, as
 * `taint-eviction-controller`): pods on a node with NoExecute taints they do not tolerate are deleted at once;
 * pods tolerating them for `tolerationSeconds` are deleted when the shortest of those runs out, counted — as in
 * kube — from when this controller first saw them under the taints; the countdown is dropped if the taints go
 * or the pod comes to tolerate them for ever. Each victim gets the `DisruptionTarget` condition first, so its
 * owner and PodDisruptionBudgets can tell an eviction from a crash.
 *
 * @module
 */
import { type Client, isConflict, isNotFound } from "../../core/client/mod.ts";
import { type Controller, controller, eventRecorder, type Manager, objectKey } from "../../core/operator/mod.ts";
import type { Registry } from "../../core/registry/registry.ts";
import type { Node } from "./node.ts";
import { type Pod, type PodCondition, podsAssignedToNode, withPodCondition } from "./pod.ts";
import { matchingTolerations, minTolerationMs } from "./tolerations.ts";

const POD = { apiVersion: "v1", kind: "Pod" };

/** Kube's `retries` of one eviction. */
const EVICTION_ATTEMPTS = 5;

const DISRUPTION_TARGET: PodCondition = {
  type: "DisruptionTarget",
  status: "True",
  reason: "DeletionByTaintManager",
  message: "Taint manager: deleting due to NoExecute taint",
};

/** A pod's eviction countdown. */
interface Countdown {
  uid?: string;
  node: string;
  startedAt: number;
  /** The pod has been deleted; nothing is left to do until the taints change. */
  done: boolean;
}

/**
 * The controller, for Nodes, watching the pods bound to each.
 *
 * @example
 * ```ts
 * manager.add(taintEvictionController({ client, registry, manager }));
 * ```
 */
export function taintEvictionController(deps: { client: Client; registry: Registry; manager: Manager }): Controller {
  const { client, registry, manager } = deps;
  const nodes = registry.resolve("", "v1", "nodes")!;
  const pods = registry.resolve("", "v1", "pods")!;
  const podsOn = podsAssignedToNode(manager.cache(pods));
  const events = eventRecorder(client, "taint-eviction-controller");
  /** By pod key. */
  const countdowns = new Map<string, Countdown>();

  function podEvent(key: string, message: string): void {
    const [namespace, name] = key.split("/");
    events.event({ ...POD, metadata: { namespace, name } }, "Normal", "TaintManagerEviction", `${message} Pod ${key}`);
  }

  function cancel(key: string): void {
    const countdown = countdowns.get(key);
    countdowns.delete(key);
    if (countdown && !countdown.done) podEvent(key, "Cancelling deletion of");
  }

  /** Kube's `addConditionAndDeletePod`, retried (as kube does) while the pod changes under it. */
  async function evict(pod: Pod): Promise<void> {
    const { namespace, name, uid } = pod.metadata;
    podEvent(objectKey(pod), "Marking for deletion");
    for (let attempt = 1;; attempt++) {
      try {
        const live = await client.get<Pod>(POD, namespace, name);
        // A namesake owes nothing to this countdown.
        if (live.metadata.uid !== uid) return;
        const { status, changed } = withPodCondition(live, DISRUPTION_TARGET, Date.now());
        if (changed) await client.updateStatus({ ...live, status });
        await client.delete(POD, namespace, name, { preconditions: { uid } });
        return;
      } catch (error) {
        if (isNotFound(error)) return;
        if (!isConflict(error) || attempt === EVICTION_ATTEMPTS) throw error;
      }
    }
  }

  return controller("taint-eviction-controller")
    .for(nodes)
    .watches(pods, (pod) => pod.spec?.nodeName ? [pod.spec.nodeName] : [])
    .withOptions({ concurrency: 4 })
    .complete(async ({ name: nodeName }) => {
      const node = manager.cache(nodes).get(nodeName) as Node | undefined;
      const taints = (node?.spec?.taints ?? []).filter((t) => t.effect === "NoExecute");
      const onNode = podsOn(nodeName);
      const present = new Set(onNode.map(objectKey));
      for (const [key, countdown] of countdowns) {
        if (countdown.node === nodeName && !present.has(key)) cancel(key);
      }
      const now = Date.now();
      let wakeMs: number | undefined;
      for (const pod of onNode) {
        const key = objectKey(pod);
        let countdown = countdowns.get(key);
        if (countdown && countdown.uid !== pod.metadata.uid) {
          cancel(key);
          countdown = undefined;
        }
        if (taints.length === 0) {
          cancel(key);
          continue;
        }
        const used = matchingTolerations(taints, pod.spec?.tolerations ?? []);
        const tolerationMs = used ? minTolerationMs(used) : 0;
        if (tolerationMs < 0) {
          cancel(key);
          continue;
        }
        if (!countdown) {
          countdown = { uid: pod.metadata.uid, node: nodeName, startedAt: now, done: false };
          countdowns.set(key, countdown);
        }
        if (countdown.done) continue;
        const dueMs = countdown.startedAt + tolerationMs - now;
        if (dueMs > 0) {
          wakeMs = Math.min(wakeMs ?? dueMs, dueMs);
          continue;
        }
        await evict(pod);
        countdown.done = true;
      }
      // Timers may fire a hair early; the extra millisecond makes sure the countdown has run out.
      if (wakeMs !== undefined) return { requeueAfterMs: wakeMs + 1 };
    });
}
