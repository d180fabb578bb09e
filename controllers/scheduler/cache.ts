/**
 * The scheduler's cache (kube's `internal/cache`): every node with the pods on it, fed by the informers, plus
 * the pods this scheduler has *assumed* onto a node — chosen, bind call maybe still in flight, binding not yet
 * seen in the informer. Assumed pods count on their node like bound ones, so a burst of pods cannot all pick
 * the same free space. The informer's bound pod takes over from the assumed one; a failed bind forgets it.
 *
 * The scheduling cycle reads the cache directly as its snapshot: it runs synchronously, so nothing changes
 * underneath it.
 *
 * @module
 */
import { type Node, NodeInfo } from "./node_info.ts";
import type { PodInfo } from "./pod_info.ts";

/** What a scheduling cycle reads. */
export interface Snapshot {
  /** Nodes with a Node object, zones interleaved (kube's `nodeTree` order). */
  readonly nodes: readonly NodeInfo[];
  /** A node with a Node object, by name. */
  get(name: string): NodeInfo | undefined;
  /** Labels of a namespace, for affinity terms' `namespaceSelector`. */
  namespaceLabels(namespace: string): Record<string, string> | undefined;
  /** Counted pods with any pod (anti-)affinity, so plugins can skip looking for them. */
  readonly podsWithAffinity: number;
  /** Counted pods with required anti-affinity. */
  readonly podsWithRequiredAntiAffinity: number;
}

const ZONE_LABELS = ["topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone"];
const REGION_LABELS = ["topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/region"];

function firstLabel(labels: Record<string, string>, keys: string[]): string {
  for (const key of keys) if (labels[key]) return labels[key];
  return "";
}

/**
 * The zone a node is in, region included (kube's `GetZoneKey`); "" when it has no zone labels.
 *
 * @example
 * ```ts
 * zoneKey({ "topology.kubernetes.io/region": "eu", "topology.kubernetes.io/zone": "eu-1a" }); // "eu:\x00:eu-1a"
 * ```
 */
function zoneKey(labels: Record<string, string>): string {
  const region = firstLabel(labels, REGION_LABELS);
  const zone = firstLabel(labels, ZONE_LABELS);
  return region || zone ? `${region}:\x00:${zone}` : "";
}

/**
 * Nodes, their pods, and assumed pods.
 *
 * @example
 * ```ts
 * const cache = new Cache((ns) => namespaces.get(ns)?.metadata?.labels);
 * cache.setNode(node);
 * cache.assume(podInfo(pod), "n1"); // counts on n1 until the informer shows the binding
 * ```
 */
export class Cache implements Snapshot {
  readonly #nodes = new Map<string, NodeInfo>();
  /** Which node each counted pod is on, and whether it is only assumed there. */
  readonly #pods = new Map<string, { node: string; assumed: boolean }>();
  #list?: NodeInfo[];
  podsWithAffinity = 0;
  podsWithRequiredAntiAffinity = 0;

  constructor(readonly namespaceLabels: (namespace: string) => Record<string, string> | undefined) {}

  get nodes(): readonly NodeInfo[] {
    return this.#list ??= this.#interleaved();
  }

  get(name: string): NodeInfo | undefined {
    const info = this.#nodes.get(name);
    return info?.node ? info : undefined;
  }

  /** Add or update a Node; returns the Node it replaces. */
  setNode(node: Node): Node | undefined {
    const info = this.#info(node.metadata.name);
    const old = info.node;
    if (!old || zoneKey(old.metadata.labels ?? {}) !== zoneKey(node.metadata.labels ?? {})) this.#list = undefined;
    info.setNode(node);
    return old;
  }

  /** A Node is gone; its pods stay counted (they are deleted in turn) but it takes no new ones. */
  removeNode(name: string): void {
    const info = this.#nodes.get(name);
    if (!info) return;
    info.node = undefined;
    if (info.pods.size === 0) this.#nodes.delete(name);
    this.#list = undefined;
  }

  /** A pod the informer shows bound to `pod.pod.spec.nodeName` (new, updated, or replacing its assumed self). */
  addPod(pod: PodInfo): void {
    this.#place(pod, pod.pod.spec.nodeName!, false);
  }

  /** Stop counting a pod (deleted, finished, or a failed bind); returns what was counted. */
  removePod(uid: string): PodInfo | undefined {
    const where = this.#pods.get(uid);
    if (!where) return undefined;
    this.#pods.delete(uid);
    const info = this.#nodes.get(where.node);
    const removed = info?.removePod(uid);
    if (info && !info.node && info.pods.size === 0) this.#nodes.delete(where.node);
    if (removed) this.#count(removed, -1);
    return removed;
  }

  /** Count `pod` on `node` ahead of its binding. */
  assume(pod: PodInfo, node: string): void {
    this.#place(pod, node, true);
  }

  /** Drop an assumed pod whose binding failed; a pod already seen bound stays. */
  forget(uid: string): PodInfo | undefined {
    return this.#pods.get(uid)?.assumed ? this.removePod(uid) : undefined;
  }

  /** Whether the pod with `uid` is assumed and not yet seen bound. */
  isAssumed(uid: string): boolean {
    return this.#pods.get(uid)?.assumed ?? false;
  }

  #place(pod: PodInfo, node: string, assumed: boolean): void {
    this.removePod(pod.uid);
    this.#info(node).addPod(pod);
    this.#pods.set(pod.uid, { node, assumed });
    this.#count(pod, 1);
  }

  #count(pod: PodInfo, sign: 1 | -1): void {
    if (pod.hasAffinity) this.podsWithAffinity += sign;
    if (pod.requiredAntiAffinityTerms.length > 0) this.podsWithRequiredAntiAffinity += sign;
  }

  #info(name: string): NodeInfo {
    let info = this.#nodes.get(name);
    if (!info) this.#nodes.set(name, info = new NodeInfo(name));
    return info;
  }

  /** Nodes zone by zone in turn, so a scheduling cycle that looks at only some nodes still sees every zone. */
  #interleaved(): NodeInfo[] {
    const zones = new Map<string, NodeInfo[]>();
    let total = 0;
    for (const info of this.#nodes.values()) {
      if (!info.node) continue;
      const key = zoneKey(info.labels);
      let list = zones.get(key);
      if (!list) zones.set(key, list = []);
      list.push(info);
      total++;
    }
    const lists = [...zones.values()];
    if (lists.length === 1) return lists[0];
    const out: NodeInfo[] = [];
    for (let i = 0; out.length < total; i++) {
      for (const list of lists) if (i < list.length) out.push(list[i]);
    }
    return out;
  }
}
