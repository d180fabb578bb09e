/**
 * The relationships the Node authorizer follows, kept simple: rather than kube's incrementally maintained graph, the
 * pods bound to a node are looked up through a `spec.nodeName` index of the shared pod cache, and an object is
 * related to the node when one of those pods references it (a persistent volume through its bound claim; a volume
 * attachment through its own `spec.nodeName`).
 *
 * @module
 */
import type { Indexer, Kind } from "../../operator/mod.ts";
import type { InformerOf } from "../rbac/objects.ts";
import { podClaimNames, podConfigMapNames, podResourceClaimNames, podSecretNames } from "./pod_references.ts";

/** What the node asks about (kube's vertex types). */
export type VertexType =
  | "pod"
  | "secret"
  | "configmap"
  | "persistentvolumeclaim"
  | "persistentvolume"
  | "serviceaccount"
  | "resourceclaim"
  | "volumeattachment";

/** The index of pods by the node they are bound to (shared with controllers that index pods the same way). */
export const NODE_NAME_INDEX = "spec.nodeName";

const core = (resource: string, kind: string, namespaced: boolean): Kind => ({
  group: "",
  version: "v1",
  resource,
  kind,
  namespaced,
});

/** The kinds the graph reads. */
export const GRAPH_KINDS = {
  pods: core("pods", "Pod", true),
  nodes: core("nodes", "Node", false),
  persistentVolumeClaims: core("persistentvolumeclaims", "PersistentVolumeClaim", true),
  volumeAttachments: {
    group: "storage.k8s.io",
    version: "v1",
    resource: "volumeattachments",
    kind: "VolumeAttachment",
    namespaced: false,
  } as Kind,
};

// deno-lint-ignore no-explicit-any
type Json = any;

/**
 * Node-to-object relationships over the shared caches.
 *
 * @example
 * ```ts
 * const graph = new NodeGraph((kind) => manager.informer(kind));
 * await graph.hasPathFrom("node1", "secret", "default", "db-password");
 * ```
 */
export class NodeGraph {
  #indexed = false;

  constructor(private readonly informerOf: InformerOf) {}

  /** The cache of `kind`, once it holds the first list. */
  async cache(kind: Kind): Promise<Indexer> {
    const informer = this.informerOf(kind);
    if (!informer.hasSynced) await informer.synced;
    return informer.indexer;
  }

  /** The pods bound to `node` in `namespace`. */
  async podsOn(node: string, namespace: string): Promise<Json[]> {
    const pods = await this.cache(GRAPH_KINDS.pods);
    if (!this.#indexed) {
      try {
        pods.addIndexers({ [NODE_NAME_INDEX]: (pod: Json) => pod.spec?.nodeName ? [pod.spec.nodeName] : [] });
      } catch {
        // Indexed already by a controller sharing this cache.
      }
      this.#indexed = true;
    }
    return pods.byIndex(NODE_NAME_INDEX, node).filter((pod: Json) => pod.metadata?.namespace === namespace);
  }

  /** kube's `hasPathFrom`: whether the object is related to `node`. */
  async hasPathFrom(node: string, type: VertexType, namespace: string, name: string): Promise<boolean> {
    const related = async (references: (pod: Json) => boolean) => (await this.podsOn(node, namespace)).some(references);
    switch (type) {
      case "pod":
        return await related((pod) => pod.metadata?.name === name);
      case "secret":
        return await related((pod) => podSecretNames(pod).has(name));
      case "configmap":
        return await related((pod) => podConfigMapNames(pod).has(name));
      case "persistentvolumeclaim":
        return await related((pod) => podClaimNames(pod).has(name));
      case "serviceaccount":
        return await related((pod) => pod.spec?.serviceAccountName === name);
      case "resourceclaim":
        return await related((pod) => podResourceClaimNames(pod).has(name));
      case "persistentvolume":
        return await this.#volumeOnNode(node, name);
      case "volumeattachment":
        return ((await this.cache(GRAPH_KINDS.volumeAttachments)).get(name) as Json)?.spec?.nodeName === node;
    }
  }

  /** A persistent volume is related through a claim bound to it that a pod on the node mounts. */
  async #volumeOnNode(node: string, volume: string): Promise<boolean> {
    const claims = await this.cache(GRAPH_KINDS.persistentVolumeClaims);
    for (const claim of claims.list() as Json[]) {
      if (claim.spec?.volumeName !== volume) continue;
      if (await this.hasPathFrom(node, "persistentvolumeclaim", claim.metadata?.namespace, claim.metadata?.name)) {
        return true;
      }
    }
    return false;
  }
}
