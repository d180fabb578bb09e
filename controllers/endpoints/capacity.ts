/**
 * Kube's cap on an Endpoints object: at most 1000 addresses. Beyond that the controller keeps a share of
 * each subset's addresses proportional to its size — ready ones first — and marks the object with the
 * `endpoints.kubernetes.io/over-capacity: truncated` annotation; EndpointSlices carry the full list.
 *
 * @module
 */
import type { EndpointSubset } from "./repack.ts";

/** Kube's `maxCapacity`. */
export const MAX_CAPACITY = 1000;
/** The annotation marking a truncated Endpoints object. */
export const ENDPOINTS_OVER_CAPACITY = "endpoints.kubernetes.io/over-capacity";

function count(subsets: EndpointSubset[]): { ready: number; notReady: number } {
  let ready = 0, notReady = 0;
  for (const subset of subsets) {
    ready += subset.addresses?.length ?? 0;
    notReady += subset.notReadyAddresses?.length ?? 0;
  }
  return { ready, notReady };
}

/**
 * Kube's `truncateEndpoints`: the subsets cut to {@linkcode MAX_CAPACITY} addresses, and whether any were
 * cut. With more ready addresses than fit, the not-ready ones all go and the ready ones are cut;
 * otherwise only the not-ready ones are.
 *
 * @example
 * ```ts
 * const { subsets, truncated } = truncateEndpoints(repacked);
 * if (truncated) annotations[ENDPOINTS_OVER_CAPACITY] = "truncated";
 * ```
 */
export function truncateEndpoints(subsets: EndpointSubset[]): { subsets: EndpointSubset[]; truncated: boolean } {
  const { ready, notReady } = count(subsets);
  if (ready + notReady <= MAX_CAPACITY) return { subsets, truncated: false };
  const truncateReady = ready > MAX_CAPACITY;
  const max = truncateReady ? MAX_CAPACITY : MAX_CAPACITY - ready;
  const total = truncateReady ? ready : notReady;
  let canBeAdded = max;
  const truncated = subsets.map((subset) => {
    const inSubset = (truncateReady ? subset.addresses?.length : subset.notReadyAddresses?.length) ?? 0;
    // Rounding each share up leaves the last subsets with less than theirs.
    const toBeAdded = Math.min(Math.ceil((inSubset / total) * max), canBeAdded);
    // Emptied lists are left out, as Go's omitempty does.
    if (truncateReady) {
      const addresses = (subset.addresses ?? []).slice(0, toBeAdded);
      canBeAdded -= addresses.length;
      const { addresses: _, notReadyAddresses: __, ...rest } = subset;
      return addresses.length > 0 ? { ...rest, addresses } : rest;
    }
    const notReadyAddresses = (subset.notReadyAddresses ?? []).slice(0, toBeAdded);
    canBeAdded -= notReadyAddresses.length;
    const { notReadyAddresses: _, ...rest } = subset;
    return notReadyAddresses.length > 0 ? { ...rest, notReadyAddresses } : rest;
  });
  return { subsets: truncated, truncated: true };
}

/**
 * Kube's `capacityAnnotationSetCorrectly`: an object within capacity carries no over-capacity mark (one
 * over capacity is never right as it is: it still needs cutting).
 *
 * @example
 * ```ts
 * if (sameSubsets && capacityAnnotationSetCorrectly(current.metadata.annotations, current.subsets)) return;
 * ```
 */
export function capacityAnnotationSetCorrectly(
  annotations: Record<string, string> | undefined,
  subsets: EndpointSubset[] | undefined,
): boolean {
  const { ready, notReady } = count(subsets ?? []);
  if (ready + notReady > MAX_CAPACITY) return false;
  return !Object.hasOwn(annotations ?? {}, ENDPOINTS_OVER_CAPACITY);
}
