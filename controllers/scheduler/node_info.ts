/**
 * One node as the scheduler sees it (kube's `framework.NodeInfo`): the Node's labels, taints and allocatable
 * resources, the pods on it (bound or only assumed), and running totals kept up to date pod by pod — requested
 * resources, the host ports in use, the pods with affinity — so no filter ever sums a node's pods again.
 *
 * @module
 */
import type { NodeLike, Taint } from "./node_fit.ts";
import type { HostPort, PodInfo } from "./pod_info.ts";
import { allocatableOf, emptyResources, type Resources } from "./resources.ts";

/** A `v1.Node` as the scheduler reads it. */
export interface Node extends NodeLike {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; labels?: Record<string, string>; [field: string]: unknown };
  spec?: { taints?: Taint[]; unschedulable?: boolean; [field: string]: unknown };
  status?: { allocatable?: Record<string, unknown>; [field: string]: unknown };
}

const ALL_ADDRESSES = "0.0.0.0";

/**
 * The host ports in use on a node, by address (kube's `HostPortInfo`); counted, so two pods claiming the same
 * port (one bound, one only assumed) release it cleanly.
 *
 * @example
 * ```ts
 * const ports = new HostPorts();
 * ports.add({ hostIP: "0.0.0.0", protocol: "TCP", port: 80 });
 * ports.conflicts({ hostIP: "10.0.0.1", protocol: "TCP", port: 80 }); // true
 * ```
 */
export class HostPorts {
  readonly #byAddress = new Map<string, Map<string, number>>();

  /** Claim `port`. */
  add(port: HostPort): void {
    let used = this.#byAddress.get(port.hostIP);
    if (!used) this.#byAddress.set(port.hostIP, used = new Map());
    const key = `${port.protocol}/${port.port}`;
    used.set(key, (used.get(key) ?? 0) + 1);
  }

  /** Release `port`. */
  remove(port: HostPort): void {
    const used = this.#byAddress.get(port.hostIP);
    const key = `${port.protocol}/${port.port}`;
    const n = used?.get(key) ?? 0;
    if (n > 1) used!.set(key, n - 1);
    else used?.delete(key);
    if (used?.size === 0) this.#byAddress.delete(port.hostIP);
  }

  /** Whether `port` clashes with one in use: the same address or the wildcard, or any address for a wildcard. */
  conflicts(port: HostPort): boolean {
    const key = `${port.protocol}/${port.port}`;
    if (port.hostIP === ALL_ADDRESSES) {
      for (const used of this.#byAddress.values()) if (used.has(key)) return true;
      return false;
    }
    return Boolean(this.#byAddress.get(ALL_ADDRESSES)?.has(key) || this.#byAddress.get(port.hostIP)?.has(key));
  }
}

/**
 * A node and what is on it.
 *
 * @example
 * ```ts
 * const info = new NodeInfo("n1");
 * info.setNode(node);
 * info.addPod(podInfo(pod));
 * info.requested.milliCPU; // the pod's CPU request
 * ```
 */
export class NodeInfo {
  /** The Node object; undefined while only pods name this node (it was deleted, or is not seen yet). */
  node?: Node;
  labels: Record<string, string> = {};
  taints: Taint[] = [];
  unschedulable = false;
  allocatable: Resources = emptyResources();
  allowedPodNumber = 0;
  /** Pods on the node by uid. */
  readonly pods = new Map<string, PodInfo>();
  readonly requested: Resources = emptyResources();
  /** CPU and memory requested, counting kube's defaults for containers that request none (for scoring). */
  nonZeroCPU = 0;
  nonZeroMemory = 0;
  readonly usedPorts = new HostPorts();
  /** Pods with any pod (anti-)affinity. */
  readonly podsWithAffinity = new Set<PodInfo>();
  /** Pods with required anti-affinity, which can keep others off this node's topology. */
  readonly podsWithRequiredAntiAffinity = new Set<PodInfo>();
  /** How many pods of each priority: preemption asks whether any have less than a pod. */
  readonly #priorities = new Map<number, number>();

  constructor(readonly name: string) {}

  /** Take the Node's labels, taints and allocatable resources. */
  setNode(node: Node): void {
    this.node = node;
    this.labels = node.metadata.labels ?? {};
    this.taints = node.spec?.taints ?? [];
    this.unschedulable = Boolean(node.spec?.unschedulable);
    const { resources, pods } = allocatableOf(node.status?.allocatable);
    this.allocatable = resources;
    this.allowedPodNumber = pods;
  }

  /** Count `pod` on this node. */
  addPod(pod: PodInfo): void {
    this.pods.set(pod.uid, pod);
    this.#account(pod, 1);
    for (const port of pod.hostPorts) this.usedPorts.add(port);
    if (pod.hasAffinity) this.podsWithAffinity.add(pod);
    if (pod.requiredAntiAffinityTerms.length > 0) this.podsWithRequiredAntiAffinity.add(pod);
  }

  /** Stop counting the pod with `uid`; returns it if it was here. */
  removePod(uid: string): PodInfo | undefined {
    const pod = this.pods.get(uid);
    if (!pod) return undefined;
    this.pods.delete(uid);
    this.#account(pod, -1);
    for (const port of pod.hostPorts) this.usedPorts.remove(port);
    this.podsWithAffinity.delete(pod);
    this.podsWithRequiredAntiAffinity.delete(pod);
    return pod;
  }

  /** Whether any pod here has a priority below `priority` (and so could be preempted for it). */
  hasPodsBelow(priority: number): boolean {
    for (const p of this.#priorities.keys()) if (p < priority) return true;
    return false;
  }

  /** A copy of this node without `pods` on it: what preemption would leave behind. */
  without(pods: readonly PodInfo[]): NodeInfo {
    const copy = new NodeInfo(this.name);
    if (this.node) copy.setNode(this.node);
    const gone = new Set(pods.map((p) => p.uid));
    for (const pod of this.pods.values()) if (!gone.has(pod.uid)) copy.addPod(pod);
    return copy;
  }

  #account(pod: PodInfo, sign: 1 | -1): void {
    const r = this.requested;
    r.milliCPU += sign * pod.requests.milliCPU;
    r.memory += sign * pod.requests.memory;
    r.ephemeralStorage += sign * pod.requests.ephemeralStorage;
    for (const [name, value] of pod.requests.scalar) r.scalar.set(name, (r.scalar.get(name) ?? 0) + sign * value);
    this.nonZeroCPU += sign * pod.nonZeroCPU;
    this.nonZeroMemory += sign * pod.nonZeroMemory;
    const n = (this.#priorities.get(pod.priority) ?? 0) + sign;
    if (n > 0) this.#priorities.set(pod.priority, n);
    else this.#priorities.delete(pod.priority);
  }
}
