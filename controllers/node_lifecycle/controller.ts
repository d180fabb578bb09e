/**
 * The node lifecycle controller, as kube-controller-manager's: it watches each node's signs of life (its
 * Lease in `kube-node-lease` and its Ready heartbeat); a node silent for longer than the grace period gets
 * its kubelet's conditions set to Unknown and its pods marked not ready. It keeps the node's taints in step
 * with its state — NoSchedule taints for adverse conditions and cordoning (TaintNodesByCondition), a NoExecute
 * `not-ready` or `unreachable` taint while it is not Ready (TaintBasedEvictions) — and the taint eviction
 * controller evicts what does not tolerate them.
 *
 * @module
 */
import { type Client, isConflict, isNotFound } from "../../core/client/mod.ts";
import {
  type Controller,
  controller,
  eventRecorder,
  type Lease,
  type Manager,
  type Result,
} from "../../core/operator/mod.ts";
import type { Registry } from "../../core/registry/registry.ts";
import { ZoneDisruption } from "./disruption.ts";
import { DEFAULT_GRACE_PERIOD_SECONDS, NodeHealth, STARTUP_GRACE_PERIOD_SECONDS, unknownConditions } from "./health.ts";
import { type Node, nodeCondition } from "./node.ts";
import { type Pod, podsAssignedToNode, withPodCondition } from "./pod.ts";
import { noExecuteTaintKey, noScheduleTaintKeys, withControllerTaints } from "./taints.ts";

/** kube-controller-manager's `--node-monitor-period`: how often each node's health is looked at. */
export const DEFAULT_MONITOR_PERIOD_MS = 5000;
/** Where kubelets keep their heartbeat Leases, one per node, named after it. */
export const NODE_LEASE_NAMESPACE = "kube-node-lease";

/** Options of {@linkcode nodeLifecycleController}. */
export interface NodeLifecycleOptions {
  /** `--node-monitor-grace-period`: silence after which a node is Unknown. Default 50 (kube 1.32). */
  gracePeriodSeconds?: number;
  /** `--node-monitor-period`. Default 5000. */
  monitorPeriodMs?: number;
}

const NODE = { apiVersion: "v1", kind: "Node" };

/**
 * The controller, for Nodes, watching node Leases and the pods bound to each node.
 *
 * @example
 * ```ts
 * manager.add(nodeLifecycleController({ client, registry, manager }, { gracePeriodSeconds: 50 }));
 * ```
 */
export function nodeLifecycleController(
  deps: { client: Client; registry: Registry; manager: Manager },
  options: NodeLifecycleOptions = {},
): Controller {
  const { client, registry, manager } = deps;
  const nodes = registry.resolve("", "v1", "nodes")!;
  const pods = registry.resolve("", "v1", "pods")!;
  const leases = registry.resolve("coordination.k8s.io", "v1", "leases")!;
  const podsOn = podsAssignedToNode(manager.cache(pods));
  const events = eventRecorder(client, "node-controller");
  const monitorPeriodMs = options.monitorPeriodMs ?? DEFAULT_MONITOR_PERIOD_MS;
  const health = new NodeHealth(
    (options.gracePeriodSeconds ?? DEFAULT_GRACE_PERIOD_SECONDS) * 1000,
    STARTUP_GRACE_PERIOD_SECONDS * 1000,
  );
  const disruption = new ZoneDisruption();
  /** Nodes seen so far (name → uid), for the RegisteredNode and RemovingNode Events. */
  const known = new Map<string, string | undefined>();
  /** Per node not Ready: the pods (uids) already dealt with since it stopped being Ready. */
  const handledWhileNotReady = new Map<string, Set<string>>();

  function nodeEvent(name: string, uid: string | undefined, reason: string, message: string): void {
    events.event({ apiVersion: "v1", kind: "Node", metadata: { name, uid } }, "Normal", reason, message);
  }

  /** kube's `MarkPodsNotReady`: Ready turns False on the pods that report it; each pod is recorded as handled. */
  async function markPodsNotReady(pods: Pod[], handled: Set<string>): Promise<void> {
    for (const pod of pods) {
      const ready = pod.status?.conditions?.find((c) => c.type === "Ready");
      const { status, changed } = ready
        ? withPodCondition(pod, { ...ready, status: "False" }, Date.now())
        : { status: pod.status, changed: false };
      if (changed) {
        try {
          await client.updateStatus({ ...pod, status });
          events.event(pod, "Warning", "NodeNotReady", "Node is not ready");
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
      }
      handled.add(pod.metadata.uid ?? "");
    }
  }

  /** Pods of a node not Ready: all when this controller found it silent, else those bound since. */
  async function handlePods(node: Node, silenced: boolean): Promise<void> {
    const name = node.metadata.name;
    const onNode = podsOn(name);
    const handled = silenced ? new Set<string>() : handledWhileNotReady.get(name);
    if (!handled) {
      // A spell the kubelet reported itself (or one found at start-up): its pods are the kubelet's to update.
      handledWhileNotReady.set(name, new Set(onNode.map((p) => p.metadata.uid ?? "")));
      return;
    }
    handledWhileNotReady.set(name, handled);
    await markPodsNotReady(onNode.filter((p) => !handled.has(p.metadata.uid ?? "")), handled);
  }

  async function sync(name: string): Promise<Result | void> {
    const node = manager.cache(nodes).get(name) as Node | undefined;
    if (!node) {
      if (known.has(name)) {
        nodeEvent(name, known.get(name), "RemovingNode", `Node ${name} event: Removing Node ${name} from Controller`);
      }
      known.delete(name);
      health.forget(name);
      handledWhileNotReady.delete(name);
      return;
    }
    if (!known.has(name)) {
      known.set(name, node.metadata.uid);
      nodeEvent(name, node.metadata.uid, "RegisteredNode", `Node ${name} event: Registered Node ${name} in Controller`);
    }
    const now = Date.now();
    const lease = manager.cache(leases).get(`${NODE_LEASE_NAMESPACE}/${name}`) as Lease | undefined;
    const ready = nodeCondition(node.status, "Ready");
    if (health.observe(node, lease?.spec?.renewTime, now)) {
      const conditions = unknownConditions(node, now);
      const current = conditions.find((c) => c.type === "Ready");
      if (!ready || JSON.stringify(current) !== JSON.stringify(ready)) {
        health.wrote(await client.updateStatus({ ...node, status: { ...node.status, conditions } }));
        if (ready?.status === "True") {
          nodeEvent(name, node.metadata.uid, "NodeNotReady", `Node ${name} status is now: NodeNotReady`);
          await handlePods(node, true);
        }
        // The updated node comes back through the cache and is tainted from there.
        return { requeueAfterMs: monitorPeriodMs };
      }
    }
    if (ready && ready.status !== "True") await handlePods(node, false);
    else handledWhileNotReady.delete(name);

    if (disruption.update(manager.cache(nodes).list() as Node[])) health.refresh(now);
    const taints = node.spec?.taints ?? [];
    const next = withControllerTaints(
      taints,
      noScheduleTaintKeys(node),
      noExecuteTaintKey(ready, taints, disruption.policy(node)),
      now,
    );
    if (next) {
      // The resourceVersion makes the patch fail rather than overwrite taints someone else just changed.
      await client.patch(NODE, undefined, name, "merge", {
        metadata: { resourceVersion: node.metadata.resourceVersion },
        spec: { taints: next.length > 0 ? next : null },
      });
    }
    return { requeueAfterMs: monitorPeriodMs };
  }

  return controller("node-lifecycle-controller")
    .for(nodes)
    .watches(leases, (lease) => lease.metadata?.namespace === NODE_LEASE_NAMESPACE ? [lease.metadata.name!] : [])
    .watches(pods, (pod) => pod.spec?.nodeName ? [pod.spec.nodeName] : [])
    .withOptions({ concurrency: 4 })
    .complete(async ({ name }) => {
      try {
        return await sync(name);
      } catch (error) {
        // A node or pod changed under us (a kubelet heartbeat): its newer version is on its way.
        if (isConflict(error)) return { requeue: true };
        // The node is being deleted: its deletion brings the last sync.
        if (!isNotFound(error)) throw error;
      }
    });
}
