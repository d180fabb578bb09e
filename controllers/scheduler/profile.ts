/**
 * Kube-scheduler's default profile as far as it is built here: the filter plugins in kube's order (a node is
 * rejected by the first that fails) and the score plugins with kube's weights. The volume plugins and
 * ImageLocality are not part of it.
 *
 * @module
 */
import type { Profile } from "./algorithm.ts";
import { interPodAffinity } from "./filters/inter_pod_affinity.ts";
import { nodeAffinity } from "./filters/node_affinity.ts";
import { nodePorts } from "./filters/node_ports.ts";
import { nodeResourcesFit } from "./filters/node_resources_fit.ts";
import { nodeUnschedulable } from "./filters/node_unschedulable.ts";
import { podTopologySpread } from "./filters/pod_topology_spread.ts";
import { taintToleration } from "./filters/taint_toleration.ts";
import { balancedAllocationScore } from "./scores/balanced_allocation.ts";
import { interPodAffinityScore } from "./scores/inter_pod_affinity.ts";
import { leastAllocatedScore } from "./scores/least_allocated.ts";
import { nodeAffinityScore } from "./scores/node_affinity.ts";
import { podTopologySpreadScore } from "./scores/pod_topology_spread.ts";
import { taintTolerationScore } from "./scores/taint_toleration.ts";

/**
 * The default profile.
 *
 * @example
 * ```ts
 * const algorithm = new Algorithm(DEFAULT_PROFILE);
 * ```
 */
export const DEFAULT_PROFILE: Profile = {
  filters: [
    nodeUnschedulable,
    taintToleration,
    nodeAffinity,
    nodePorts,
    nodeResourcesFit,
    podTopologySpread,
    interPodAffinity,
  ],
  scores: [
    taintTolerationScore,
    nodeAffinityScore,
    leastAllocatedScore,
    podTopologySpreadScore,
    interPodAffinityScore,
    balancedAllocationScore,
  ],
};
