/**
 * Kube's NodeUnschedulable filter: a cordoned node (`spec.unschedulable`) takes only pods that tolerate the
 * `node.kubernetes.io/unschedulable:NoSchedule` taint (DaemonSet pods do).
 *
 * @module
 */
import type { FilterPlugin } from "../framework.ts";
import { unresolvable } from "../framework.ts";
import { tolerates } from "../node_fit.ts";

/** Kube's `ErrReasonUnschedulable`. */
const ERR_REASON_UNSCHEDULABLE = "node(s) were unschedulable";

const REJECTED = unresolvable(ERR_REASON_UNSCHEDULABLE);
const UNSCHEDULABLE_TAINT = { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" };

/**
 * The NodeUnschedulable filter.
 *
 * @example
 * ```ts
 * const { filter } = nodeUnschedulable.preFilter(pod, snapshot) as PreFilterResult;
 * filter?.(cordonedNode); // { code: "UnschedulableAndUnresolvable", reasons: ["node(s) were unschedulable"] }
 * ```
 */
export const nodeUnschedulable: FilterPlugin = {
  name: "NodeUnschedulable",
  preFilter(pod) {
    if ((pod.pod.spec.tolerations ?? []).some((t) => tolerates(t, UNSCHEDULABLE_TAINT))) return {};
    return { filter: (node) => node.unschedulable ? REJECTED : undefined };
  },
};
