/**
 * The node IPAM controller: a pod range for every Node from the cluster CIDR.
 *
 * @example
 * ```ts
 * import { nodeIpamController } from "./controllers/node_ipam/mod.ts";
 * manager.add(nodeIpamController({ client, registry, manager }, { clusterCidr: "10.42.0.0/16" }));
 * ```
 *
 * @module
 */
export {
  DEFAULT_CLUSTER_CIDR,
  DEFAULT_NODE_CIDR_MASK_SIZE,
  nodeIpamController,
  type NodeIpamOptions,
  POD_CIDR_INDEX,
} from "./controller.ts";
export { canonicalCIDR, CidrSet, parseCIDR } from "./cidr_set.ts";
