/**
 * Kube's NodePorts filter: a pod's host ports must be free on the node (the same address, or any address when
 * either side binds the wildcard).
 *
 * @module
 */
import { type FilterPlugin, unschedulable } from "../framework.ts";

/** Kube's `ErrReason` of NodePorts. */
const ERR_REASON_PORTS = "node(s) didn't have free ports for the requested pod ports";

const REJECTED = unschedulable(ERR_REASON_PORTS);

/**
 * The NodePorts filter.
 *
 * @example
 * ```ts
 * const { filter } = nodePorts.preFilter(podWithHostPort80, snapshot) as PreFilterResult;
 * filter?.(nodeWithPort80Used); // rejected
 * ```
 */
export const nodePorts: FilterPlugin = {
  name: "NodePorts",
  preFilter(pod) {
    if (pod.hostPorts.length === 0) return {};
    return { filter: (node) => pod.hostPorts.some((p) => node.usedPorts.conflicts(p)) ? REJECTED : undefined };
  },
};
