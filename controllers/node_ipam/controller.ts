/**
 * The node IPAM controller: gives every Node a pod range (`spec.podCIDR` / `spec.podCIDRs`) from the
 * cluster CIDR, as kube-controller-manager's range allocator does. The allocation state is the node
 * cache itself — indexed by pod range — so it is rebuilt from the nodes on every start and a range is
 * free again as soon as its node is gone. Ranges patched but not yet seen in the cache stay reserved.
 * When the cluster CIDR is exhausted the Node gets a `CIDRNotAvailable` Event and waits until a range
 * frees up. IPv4 single-stack.
 *
 * @module
 */
import { isNotFound } from "../../core/client/mod.ts";
import { type Controller, controller, eventRecorder, type KubeObject } from "../../core/operator/mod.ts";
import type { ControllerDeps } from "../mod.ts";
import { canonicalCIDR, CidrSet } from "./cidr_set.ts";

/** K3s's default `--cluster-cidr`. */
export const DEFAULT_CLUSTER_CIDR = "10.42.0.0/16";
/** Kube's default `--node-cidr-mask-size` for IPv4. */
export const DEFAULT_NODE_CIDR_MASK_SIZE = 24;
/** The node cache index by assigned pod range. */
export const POD_CIDR_INDEX = "podCIDR";

/** Options of {@linkcode nodeIpamController}. */
export interface NodeIpamOptions {
  /** `--cluster-cidr` (default 10.42.0.0/16). */
  clusterCidr?: string;
  /** `--node-cidr-mask-size` (default 24). */
  nodeCidrMaskSize?: number;
}

interface Node extends KubeObject {
  metadata: { name: string; uid?: string };
  spec?: { podCIDR?: string; podCIDRs?: string[] };
}

function podCIDRs(node: KubeObject): string[] {
  const spec = (node as Node).spec;
  const cidrs = spec?.podCIDRs?.length ? spec.podCIDRs : spec?.podCIDR ? [spec.podCIDR] : [];
  return cidrs.map(canonicalCIDR);
}

/**
 * The controller, for `v1` Nodes.
 *
 * @example
 * ```ts
 * const server = await startServer({ ...options, controllers: (deps) => [nodeIpamController(deps)] });
 * ```
 */
export function nodeIpamController(deps: ControllerDeps, options: NodeIpamOptions = {}): Controller {
  const { client, registry, manager } = deps;
  const cidrs = new CidrSet(
    options.clusterCidr ?? DEFAULT_CLUSTER_CIDR,
    options.nodeCidrMaskSize ?? DEFAULT_NODE_CIDR_MASK_SIZE,
  );
  const nodes = registry.resolve("", "v1", "nodes")!;
  try {
    manager.informer(nodes).addIndexers({ [POD_CIDR_INDEX]: podCIDRs });
  } catch {
    // Already indexed: the controller was built before on this manager.
  }
  const cache = () => manager.cache(nodes);
  const events = eventRecorder(client, "cidrAllocator");
  /** Ranges patched onto a node whose update the cache has not shown yet: node name → range. */
  const reserved = new Map<string, string>();
  const reservedRanges = new Set<string>();
  /** Nodes that found the cluster CIDR exhausted; any node that holds a range may free one. */
  const waiting = new Set<string>();

  function release(name: string): void {
    const range = reserved.get(name);
    if (range) reservedRanges.delete(range);
    reserved.delete(name);
  }

  /** The lowest range neither a cached node holds nor a write in flight claims. */
  function lowestFree(): string | undefined {
    for (let i = 0; i < cidrs.size; i++) {
      const range = cidrs.subnet(i);
      if (!reservedRanges.has(range) && cache().byIndex(POD_CIDR_INDEX, range).length === 0) return range;
    }
    return undefined;
  }

  return controller("node-ipam")
    .for(nodes)
    .watches(nodes, (node) => podCIDRs(node).length > 0 && waiting.size > 0 ? [...waiting] : [])
    .withOptions({ concurrency: 10 })
    .complete(async ({ key, name }) => {
      const node = cache().get(key) as Node | undefined;
      if (!node || podCIDRs(node).length > 0) {
        release(name);
        waiting.delete(name);
        return;
      }
      if (reserved.has(name)) return;
      const range = lowestFree();
      if (!range) {
        if (!waiting.has(name)) {
          waiting.add(name);
          events.event(
            { apiVersion: "v1", kind: "Node", metadata: { name, uid: node.metadata.uid } },
            "Normal",
            "CIDRNotAvailable",
            `Node ${name} status is now: CIDRNotAvailable`,
          );
        }
        return;
      }
      waiting.delete(name);
      reserved.set(name, range);
      reservedRanges.add(range);
      try {
        await client.patch({ apiVersion: "v1", kind: "Node" }, undefined, name, "merge", {
          spec: { podCIDR: range, podCIDRs: [range] },
        });
      } catch (error) {
        release(name);
        if (isNotFound(error)) return;
        throw error;
      }
    });
}
