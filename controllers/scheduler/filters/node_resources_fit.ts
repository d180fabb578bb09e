/**
 * Kube's NodeResourcesFit filter: the pod's requests must fit in what the node's allocatable leaves after the
 * pods already there (bound or assumed), and there must be room for one more pod. Every shortage is a reason.
 *
 * @module
 */
import { type FilterPlugin, type Status, unschedulable } from "../framework.ts";

/** Kube's reason for a node at its pod limit. */
const ERR_REASON_TOO_MANY_PODS = "Too many pods";

/**
 * Kube's reason for a resource in short supply.
 *
 * @example
 * ```ts
 * insufficient("cpu"); // "Insufficient cpu"
 * ```
 */
function insufficient(resource: string): string {
  return `Insufficient ${resource}`;
}

/**
 * The NodeResourcesFit filter.
 *
 * @example
 * ```ts
 * const { filter } = nodeResourcesFit.preFilter(podInfo(bigPod), snapshot) as PreFilterResult;
 * filter?.(smallNode)?.reasons; // ["Insufficient cpu", "Insufficient memory"]
 * ```
 */
export const nodeResourcesFit: FilterPlugin = {
  name: "NodeResourcesFit",
  preFilter(pod) {
    const want = pod.requests;
    // Most rejections repeat the same few reasons; share their Status objects.
    const statuses = new Map<string, Status>();
    return {
      filter: (node) => {
        const free = node.allocatable;
        const used = node.requested;
        const tooMany = node.pods.size + 1 > node.allowedPodNumber;
        const cpu = want.milliCPU > 0 && want.milliCPU > free.milliCPU - used.milliCPU;
        const memory = want.memory > 0 && want.memory > free.memory - used.memory;
        const storage = want.ephemeralStorage > 0 &&
          want.ephemeralStorage > free.ephemeralStorage - used.ephemeralStorage;
        let scalar: string[] | undefined;
        for (const [name, amount] of want.scalar) {
          if (amount > 0 && amount > (free.scalar.get(name) ?? 0) - (used.scalar.get(name) ?? 0)) {
            (scalar ??= []).push(insufficient(name));
          }
        }
        // The common case, a node with room, allocates nothing.
        if (!tooMany && !cpu && !memory && !storage && !scalar) return undefined;
        const reasons: string[] = [];
        if (tooMany) reasons.push(ERR_REASON_TOO_MANY_PODS);
        if (cpu) reasons.push(insufficient("cpu"));
        if (memory) reasons.push(insufficient("memory"));
        if (storage) reasons.push(insufficient("ephemeral-storage"));
        reasons.push(...scalar ?? []);
        const key = reasons.join("\n");
        let status = statuses.get(key);
        if (!status) statuses.set(key, status = unschedulable(...reasons));
        return status;
      },
    };
  },
};
