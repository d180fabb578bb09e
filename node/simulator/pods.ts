/**
 * The simulated kubelets' pod loop: one controller over one shared pod watch for every simulated node.
 * A pod bound to a simulated node gets an IP from its node's pod range (once the IPAM controller has
 * assigned one) and moves Pending → Running, then → Succeeded when its containers "exit" (see
 * `containers.ts`). A pod being deleted gracefully is finished at once — containers marked exited, then
 * the pod deleted with grace period 0 and a uid precondition — since there are no processes to stop.
 * IPs are released when a pod is deleted or terminal. Pods of a node whose heartbeat was stopped are
 * left alone, as a dead kubelet would.
 *
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import { type Client, isConflict, isNotFound } from "../../core/client/mod.ts";
import {
  type Controller,
  controller,
  type EventRecorder,
  eventRecorder,
  type Indexer,
  type Kind,
  objectKey,
} from "../../core/operator/mod.ts";
import { generatePodStatus, type PodStatus } from "../pod_status.ts";
import { allExited, type SimContainer, simulateContainers, stopContainers } from "./containers.ts";
import type { SimNode } from "./node_object.ts";
import { PodIPs } from "./pod_ips.ts";

/** `v1` Pods, for informers and controllers. */
export const PODS: Kind = { group: "", version: "v1", resource: "pods", kind: "Pod", namespaced: true };
/** `v1` Nodes, for informers and controllers. */
export const NODES: Kind = { group: "", version: "v1", resource: "nodes", kind: "Node", namespaced: false };
/** The pod cache index by `spec.nodeName`. */
export const NODE_NAME_INDEX = "spec.nodeName";

/** How soon a pod that found its node's pod range full tries again. */
const IP_RETRY_MS = 10_000;
/** Status writes (and deletions) in flight at once, across all simulated nodes. */
const CONCURRENCY = 16;

/** A pod as the loop reads it. */
export interface Pod {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace: string; uid: string; deletionTimestamp?: string; [field: string]: unknown };
  spec: {
    nodeName?: string;
    hostNetwork?: boolean;
    restartPolicy?: string;
    containers: SimContainer[];
    initContainers?: SimContainer[];
    [field: string]: unknown;
  };
  status?: PodStatus;
}

/** A simulated node as the pod loop sees it. */
export interface LocalNode {
  name: string;
  hostIP: string;
  /** False once its heartbeat was stopped: the "kubelet" is dead. */
  alive: boolean;
}

/** What the pod loop works with. */
export interface PodLoopOptions {
  client: Client;
  nodes: ReadonlyMap<string, LocalNode>;
  /** The shared caches: bound pods (indexed by {@linkcode NODE_NAME_INDEX}) and nodes. */
  pods: Indexer;
  nodeCache: Indexer;
  onError(error: unknown, key: string): void;
}

function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
}

function podRange(node: SimNode | undefined): string | undefined {
  return node?.spec?.podCIDRs?.[0] ?? node?.spec?.podCIDR;
}

/**
 * The pod loop's controller; start it with the pod and node informers.
 *
 * @example
 * ```ts
 * const loop = simulatedPods({ client, nodes, pods: podInformer.indexer, nodeCache: nodeInformer.indexer, onError });
 * await loop.start((kind) => kind.resource === "pods" ? podInformer : nodeInformer, signal);
 * ```
 */
export function simulatedPods(options: PodLoopOptions): Controller {
  const { client, nodes, pods, nodeCache } = options;
  const local = (pod: Pod) => nodes.get(pod.spec?.nodeName ?? "");
  const ipsByNode = new Map<string, PodIPs>();
  /** pod key → the node whose range its IP came from */
  const holders = new Map<string, string>();
  const recorders = new Map<string, EventRecorder>();

  function release(key: string): void {
    const node = holders.get(key);
    if (node === undefined) return;
    ipsByNode.get(node)?.release(key);
    holders.delete(key);
  }

  /** The node's addresses, rebuilt from the pods the cache shows holding one the first time it is needed. */
  function ipsOf(node: string, range: string): PodIPs {
    let ips = ipsByNode.get(node);
    if (ips?.cidr === range) return ips;
    ips = new PodIPs(range);
    ipsByNode.set(node, ips);
    for (const pod of pods.byIndex(NODE_NAME_INDEX, node) as Pod[]) {
      const ip = pod.status?.podIP;
      if (!ip || pod.spec.hostNetwork || isTerminal(pod) || !ips.contains(ip)) continue;
      ips.allocate(objectKey(pod), pod.metadata.uid, ip);
      holders.set(objectKey(pod), node);
    }
    return ips;
  }

  function recorder(node: string): EventRecorder {
    let r = recorders.get(node);
    if (!r) recorders.set(node, r = eventRecorder(client, "kubelet", { host: node }));
    return r;
  }

  /** Write `status`; false when the pod is gone or changed meanwhile (its newer version brings a new sync). */
  async function writeStatus(pod: Pod, status: PodStatus): Promise<boolean> {
    try {
      await client.updateStatus({ ...pod, apiVersion: "v1", kind: "Pod", status });
      return true;
    } catch (error) {
      if (isNotFound(error) || isConflict(error)) return false;
      throw error;
    }
  }

  /** The kubelet's side of a graceful deletion: stop the containers, then remove the pod for good. */
  async function finishDeletion(key: string, pod: Pod, node: LocalNode): Promise<void> {
    if (!allExited(pod)) {
      const podIPs = pod.status?.podIP ? [pod.status.podIP] : [];
      const status = generatePodStatus(pod, {
        containers: stopContainers(pod, new Date()),
        sandboxReady: false,
        hostIPs: [node.hostIP],
        podIPs,
        terminal: true,
      });
      await writeStatus(pod, status);
    }
    try {
      await client.delete({ apiVersion: "v1", kind: "Pod" }, pod.metadata.namespace, pod.metadata.name, {
        gracePeriodSeconds: 0,
        preconditions: { uid: pod.metadata.uid },
      });
    } catch (error) {
      // Gone already, or the name now belongs to another pod.
      if (!isNotFound(error) && !isConflict(error)) throw error;
    }
    release(key);
  }

  /** The pod's IPs, or why there are none yet. */
  function podIPsOf(key: string, pod: Pod, node: LocalNode): string[] | "no-range" | "full" {
    if (pod.spec.hostNetwork) return [node.hostIP];
    const range = podRange(nodeCache.get(node.name) as SimNode | undefined);
    if (!range) return "no-range";
    const ip = ipsOf(node.name, range).allocate(key, pod.metadata.uid, pod.status?.podIP);
    if (!ip) return "full";
    holders.set(key, node.name);
    return [ip];
  }

  /** A node that gets its pod range concerns its pods still waiting for an IP. */
  function waitingForIP(object: { metadata?: { name?: string } }): string[] {
    const name = object.metadata?.name ?? "";
    if (!nodes.has(name) || !podRange(object as SimNode)) return [];
    return (pods.byIndex(NODE_NAME_INDEX, name) as Pod[])
      .filter((p) => !p.status?.podIP && !isTerminal(p))
      .map((p) => objectKey(p));
  }

  return controller("simulated-kubelet")
    .for(PODS, (pod) => Boolean(local(pod as Pod)))
    .watches(NODES, waitingForIP)
    .withOptions({
      concurrency: CONCURRENCY,
      needLeaderElection: false,
      onError: (error, request) => options.onError(error, request.key),
    })
    .complete(async ({ key }) => {
      const pod = pods.get(key) as Pod | undefined;
      const node = pod && local(pod);
      if (!pod || !node) return release(key);
      if (!node.alive) return;
      if (pod.metadata.deletionTimestamp) return await finishDeletion(key, pod, node);
      if (isTerminal(pod)) return release(key);
      const podIPs = podIPsOf(key, pod, node);
      if (podIPs === "no-range") return;
      if (podIPs === "full") {
        const range = podRange(nodeCache.get(node.name) as SimNode | undefined);
        recorder(node.name).event(
          { apiVersion: "v1", kind: "Pod", metadata: pod.metadata },
          "Warning",
          "FailedCreatePodSandBox",
          `Failed to create pod sandbox: failed to allocate for range 0: no IP addresses available in range set: ${range}`,
        );
        return { requeueAfterMs: IP_RETRY_MS };
      }
      const now = new Date();
      const simulation = simulateContainers(pod, now);
      const status = generatePodStatus(pod, {
        containers: simulation.containers,
        sandboxReady: !simulation.exited,
        hostIPs: [node.hostIP],
        podIPs,
      }, now);
      if (!isDeepStrictEqual(status, pod.status) && !(await writeStatus(pod, status))) return;
      if (status.phase === "Succeeded" || status.phase === "Failed") return release(key);
      if (simulation.nextExitAt !== undefined) {
        return { requeueAfterMs: Math.max(1, simulation.nextExitAt - now.getTime()) };
      }
    });
}
