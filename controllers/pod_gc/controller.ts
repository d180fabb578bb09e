/**
 * The pod garbage collector, as kube-controller-manager's `pod-garbage-collector`: it force-deletes (grace
 * period 0) what no kubelet will ever finish —
 *
 * - terminated pods (Succeeded or Failed) beyond `--terminated-pod-gc-threshold`, evicted and oldest first;
 * - terminating pods on a node that is not Ready and carries the `node.kubernetes.io/out-of-service` taint
 *   (the admin's word that the node is down for good);
 * - pods bound to a node that no longer exists, once the node has been missing for a quarantine (a node cache
 *   that lags must not cost pods their lives), checked against the API before acting;
 * - terminating pods never scheduled to a node.
 *
 * A pod not yet terminal is marked Failed first (orphans also get a `DisruptionTarget` condition), so its
 * owner sees how it ended. One sweep looks at every pod, like kube's periodic pass; it runs when a pod or
 * node change could give it work, not on a timer.
 *
 * @module
 */
import { type Client, isConflict, isNotFound } from "../../core/client/mod.ts";
import { type Controller, controller, type KubeObject, type Manager, type Result } from "../../core/operator/mod.ts";
import type { Registry } from "../../core/registry/registry.ts";

/** `--terminated-pod-gc-threshold`. */
export const DEFAULT_TERMINATED_POD_THRESHOLD = 12500;
/** How long a node must be missing before its pods count as orphans (kube's `quarantineTime`). */
export const QUARANTINE_MS = 40_000;
/** The taint an admin puts on a node that is gone for good, so its pods may be force-deleted. */
export const TAINT_OUT_OF_SERVICE = "node.kubernetes.io/out-of-service";

/** Options of {@linkcode podGcController}. */
export interface PodGcOptions {
  /** Terminated pods kept before the oldest are deleted; 0 keeps them all. Default 12500. */
  terminatedPodThreshold?: number;
  /** How long a node must be missing before its pods are deleted. Default 40 s. */
  quarantineMs?: number;
}

interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

interface Pod extends KubeObject {
  metadata: {
    name: string;
    namespace: string;
    uid?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
  };
  spec?: { nodeName?: string };
  status?: { phase?: string; reason?: string; conditions?: PodCondition[] };
}

interface Node extends KubeObject {
  spec?: { taints?: { key: string }[] };
  status?: { conditions?: { type: string; status: string }[] };
}

const POD = { apiVersion: "v1", kind: "Pod" };
const NODE = { apiVersion: "v1", kind: "Node" };
/** The one key all work is queued under: every sweep looks at every pod. */
const SWEEP = "pod-gc";

const ORPHAN_CONDITION: PodCondition = {
  type: "DisruptionTarget",
  status: "True",
  reason: "DeletionByPodGC",
  message: "PodGC: node no longer exists",
};

/** Kube's `isPodTerminated`: any phase but Pending, Running and Unknown. */
function isTerminated(pod: Pod): boolean {
  return !["Pending", "Running", "Unknown"].includes(pod.status?.phase ?? "");
}

function isTerminating(pod: Pod): boolean {
  return pod.metadata.deletionTimestamp !== undefined;
}

/** Kube's `byEvictionAndCreationTimestamp`: evicted pods first, then oldest first, then by name. */
function evictedThenOldest(a: Pod, b: Pod): number {
  const evicted = (p: Pod) => p.status?.phase === "Failed" && p.status.reason === "Evicted";
  if (evicted(a) !== evicted(b)) return evicted(a) ? -1 : 1;
  const age = Date.parse(a.metadata.creationTimestamp ?? "") - Date.parse(b.metadata.creationTimestamp ?? "");
  if (age) return age;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/** Kube's `UpdatePodCondition`: the transition time moves only when the status does. */
function withCondition(conditions: PodCondition[], condition: PodCondition, now: number): PodCondition[] {
  const old = conditions.find((c) => c.type === condition.type);
  const next = {
    ...condition,
    lastTransitionTime: old?.status === condition.status
      ? old.lastTransitionTime
      : new Date(now).toISOString().replace(/\.\d+Z$/, "Z"),
  };
  return old ? conditions.map((c) => c === old ? next : c) : [...conditions, next];
}

/**
 * The controller, for Pods, watching Nodes.
 *
 * @example
 * ```ts
 * manager.add(podGcController({ client, registry, manager }, { terminatedPodThreshold: 12500 }));
 * ```
 */
export function podGcController(
  deps: { client: Client; registry: Registry; manager: Manager },
  options: PodGcOptions = {},
): Controller {
  const { client, registry, manager } = deps;
  const pods = registry.resolve("", "v1", "pods")!;
  const nodes = registry.resolve("", "v1", "nodes")!;
  const threshold = options.terminatedPodThreshold ?? DEFAULT_TERMINATED_POD_THRESHOLD;
  const quarantineMs = options.quarantineMs ?? QUARANTINE_MS;
  const nodeCache = () => manager.cache(nodes);
  /** Node names pods are bound to but the node cache lacks, with when that was first seen. */
  const missingSince = new Map<string, number>();

  /** Phase Failed (and `condition`) on the live pod; false when a namesake has replaced it. */
  async function markFailed(pod: Pod, condition: PodCondition | undefined): Promise<boolean> {
    for (let attempt = 1;; attempt++) {
      const live = await client.get<Pod>(POD, pod.metadata.namespace, pod.metadata.name);
      if (live.metadata.uid !== pod.metadata.uid) return false;
      if (isTerminated(live)) return true;
      const conditions = live.status?.conditions ?? [];
      const status = {
        ...live.status,
        phase: "Failed",
        ...(condition ? { conditions: withCondition(conditions, condition, Date.now()) } : {}),
      };
      try {
        await client.updateStatus({ ...live, status });
        return true;
      } catch (error) {
        // The kubelet or a controller wrote meanwhile: read again, as kube's status patch would apply anew.
        if (!isConflict(error) || attempt === 5) throw error;
      }
    }
  }

  /** Kube's `markFailedAndDeletePodWithCondition`. */
  async function markFailedAndDelete(pod: Pod, condition?: PodCondition): Promise<void> {
    const { namespace, name, uid } = pod.metadata;
    try {
      if (!isTerminated(pod) && !(await markFailed(pod, condition))) return;
      await client.delete(POD, namespace, name, { gracePeriodSeconds: 0, preconditions: { uid } });
    } catch (error) {
      // Gone already, or (a failed uid precondition) replaced by a namesake that is not ours to judge.
      if (isNotFound(error) || (isConflict(error) && (await replaced(pod)))) return;
      throw error;
    }
  }

  async function replaced(pod: Pod): Promise<boolean> {
    try {
      return (await client.get<Pod>(POD, pod.metadata.namespace, pod.metadata.name)).metadata.uid !== pod.metadata.uid;
    } catch (error) {
      if (isNotFound(error)) return true;
      throw error;
    }
  }

  function terminatedBeyondThreshold(all: Pod[]): Pod[] {
    if (threshold <= 0) return [];
    const terminated = all.filter(isTerminated);
    const excess = terminated.length - threshold;
    return excess > 0 ? terminated.sort(evictedThenOldest).slice(0, excess) : [];
  }

  function terminatingOutOfService(all: Pod[]): Pod[] {
    return all.filter((pod) => {
      if (!isTerminating(pod) || !pod.spec?.nodeName) return false;
      const node = nodeCache().get(pod.spec.nodeName) as Node | undefined;
      if (!node) return false;
      const ready = node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True");
      return !ready && (node.spec?.taints ?? []).some((t) => t.key === TAINT_OUT_OF_SERVICE);
    }).sort(evictedThenOldest);
  }

  /** Node names missing past the quarantine and confirmed gone by the API; and how long until the next is due. */
  async function deletedNodes(all: Pod[], now: number): Promise<{ gone: Set<string>; waitMs?: number }> {
    const bound = new Set(all.map((p) => p.spec?.nodeName).filter((n): n is string => Boolean(n)));
    for (const name of missingSince.keys()) {
      if (!bound.has(name) || nodeCache().get(name)) missingSince.delete(name);
    }
    for (const name of bound) if (!nodeCache().get(name) && !missingSince.has(name)) missingSince.set(name, now);
    const gone = new Set<string>();
    let waitMs: number | undefined;
    for (const [name, since] of missingSince) {
      const left = since + quarantineMs - now;
      if (left > 0) {
        waitMs = Math.min(waitMs ?? left, left);
        continue;
      }
      // Whatever the API answers, the quarantine starts over should the name go missing again.
      missingSince.delete(name);
      try {
        await client.get(NODE, undefined, name);
      } catch (error) {
        if (!isNotFound(error)) throw error;
        gone.add(name);
      }
    }
    return { gone, waitMs };
  }

  async function sweep(): Promise<Result | void> {
    const all = manager.cache(pods).list() as Pod[];
    const now = Date.now();
    const { gone, waitMs } = await deletedNodes(all, now);
    const victims = new Map<string, { pod: Pod; condition?: PodCondition }>();
    const collect = (list: Pod[], condition?: PodCondition) => {
      for (const pod of list) {
        if (!victims.has(pod.metadata.uid ?? "")) victims.set(pod.metadata.uid ?? "", { pod, condition });
      }
    };
    collect(terminatedBeyondThreshold(all));
    collect(terminatingOutOfService(all));
    collect(all.filter((p) => gone.has(p.spec?.nodeName ?? "")), ORPHAN_CONDITION);
    collect(all.filter((p) => isTerminating(p) && !p.spec?.nodeName));
    const results = await Promise.allSettled([...victims.values()].map((v) => markFailedAndDelete(v.pod, v.condition)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
    if (waitMs !== undefined) return { requeueAfterMs: waitMs + 1 };
  }

  /** A pod change can give the sweep work only if the pod is terminated, terminating or bound to an unknown node. */
  const podMatters = (pod: KubeObject) =>
    isTerminated(pod as Pod) || isTerminating(pod as Pod) ||
    (Boolean(pod.spec?.nodeName) && !nodeCache().get(pod.spec.nodeName));
  /** A node change matters when the node is gone (the cache no longer has it) or declared out of service. */
  const nodeMatters = (node: KubeObject) =>
    !nodeCache().get(node.metadata?.name ?? "") ||
    ((node as Node).spec?.taints ?? []).some((t) => t.key === TAINT_OUT_OF_SERVICE);

  return controller("pod-garbage-collector")
    .for(pods, () => false)
    .watches(pods, () => [SWEEP], podMatters)
    .watches(nodes, () => [SWEEP], nodeMatters)
    .complete(sweep);
}
