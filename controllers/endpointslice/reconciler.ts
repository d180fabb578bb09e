/**
 * Kube's EndpointSlice reconciler, as a plan: given a Service's existing slices of one address type and
 * the endpoints it should have (grouped by port set), which slices to create, update and delete. It
 * touches as few slices as it can — endpoints stay where they are, changed slices are topped up first,
 * leftovers go into the unchanged slice they fill best, and only then into new slices — and it turns a
 * create plus a delete into one update.
 *
 * @module
 */
import {
  type Endpoint,
  endpointKey,
  type EndpointPort,
  endpointsEqualBeyondKey,
  type EndpointSlice,
  portMapKey,
} from "./endpoint.ts";
import type { Service } from "./service.ts";
import { isPlaceholder, newEndpointSlice, ownedBy, sliceLabels } from "./slice.ts";

/** Kube's default `--max-endpoints-per-slice`. */
export const MAX_ENDPOINTS_PER_SLICE = 100;

/** The endpoints a Service should have for one set of ports, by {@linkcode endpointKey}. */
export interface DesiredEndpoints {
  ports: EndpointPort[];
  endpoints: Map<string, Endpoint>;
}

/** What to write. */
export interface SliceChanges {
  create: EndpointSlice[];
  update: EndpointSlice[];
  delete: EndpointSlice[];
}

function name(slice: EndpointSlice): string {
  return slice.metadata.name ?? "";
}

function popFirst(endpoints: Map<string, Endpoint>): Endpoint {
  const [key, endpoint] = endpoints.entries().next().value!;
  endpoints.delete(key);
  return endpoint;
}

/** Kube's `getSliceToFill`: the slice that `count` more endpoints bring closest to full, if any fits them. */
function sliceToFill(slices: EndpointSlice[], count: number, max: number): EndpointSlice | undefined {
  let closest: EndpointSlice | undefined;
  let closestDiff = max;
  for (const slice of slices) {
    const diff = max - (count + (slice.endpoints ?? []).length);
    if (diff >= 0 && diff < closestDiff) {
      closestDiff = diff;
      closest = slice;
      if (diff === 0) break;
    }
  }
  return closest;
}

/** Kube's `reconcileByPortMapping`: the slices of one port set. */
function reconcileByPortMapping(
  service: Service,
  addressType: string,
  existing: EndpointSlice[],
  desired: DesiredEndpoints,
  max: number,
): SliceChanges {
  const wanted = new Map(desired.endpoints);
  const byName = new Map<string, EndpointSlice>();
  const unchanged = new Set<string>();
  const toUpdate = new Set<string>();
  const toDelete = new Set<string>();

  // 1. Keep the wanted endpoints where they are (in their new version); drop the rest.
  for (const slice of existing) {
    byName.set(name(slice), slice);
    const kept: Endpoint[] = [];
    let endpointUpdated = false;
    for (const endpoint of slice.endpoints ?? []) {
      const key = endpointKey(endpoint);
      const got = wanted.get(key);
      if (!got) continue;
      kept.push(got);
      if (!endpointsEqualBeyondKey(got, endpoint)) endpointUpdated = true;
      wanted.delete(key);
    }
    const { labels, changed } = sliceLabels(slice.metadata.labels, service);
    if (endpointUpdated || kept.length !== (slice.endpoints ?? []).length) {
      if (kept.length === 0) {
        toDelete.add(name(slice));
      } else {
        byName.set(name(slice), { ...slice, metadata: { ...slice.metadata, labels }, endpoints: kept });
        toUpdate.add(name(slice));
      }
    } else if (changed) {
      byName.set(name(slice), { ...slice, metadata: { ...slice.metadata, labels } });
      toUpdate.add(name(slice));
    } else {
      unchanged.add(name(slice));
    }
  }

  // 2. Slices being written anyway take new endpoints first, fullest first.
  if (wanted.size > 0 && toUpdate.size > 0) {
    const updating = [...toUpdate].map((n) => byName.get(n)!);
    updating.sort((a, b) => (b.endpoints ?? []).length - (a.endpoints ?? []).length);
    for (const slice of updating) {
      while (wanted.size > 0 && slice.endpoints!.length < max) slice.endpoints!.push(popFirst(wanted));
    }
  }

  // 3. Then the unchanged slice the rest fits best, then new slices.
  const create: EndpointSlice[] = [];
  while (wanted.size > 0) {
    let slice: EndpointSlice | undefined;
    if (wanted.size < max && unchanged.size > 0) {
      const fit = sliceToFill([...unchanged].map((n) => byName.get(n)!), wanted.size, max);
      if (fit) {
        slice = { ...fit, endpoints: [...(fit.endpoints ?? [])] };
        byName.set(name(slice), slice);
      }
    }
    slice ??= newEndpointSlice(service, desired.ports, addressType);
    while (wanted.size > 0 && slice.endpoints!.length < max) slice.endpoints!.push(popFirst(wanted));
    if (slice.metadata.name) {
      toUpdate.add(name(slice));
      unchanged.delete(name(slice));
    } else {
      create.push(slice);
    }
  }

  return {
    create,
    update: [...toUpdate].map((n) => byName.get(n)!),
    delete: [...toDelete].map((n) => byName.get(n)!),
  };
}

/**
 * Kube's `reconcileByAddressType` and `finalize`, without the writes: the changes that bring a Service's
 * slices of `addressType` to `desired` (keyed by {@linkcode portMapKey}). Slices owned by another
 * Service (a deleted namesake) are deleted; a Service without endpoints keeps one empty placeholder.
 *
 * @example
 * ```ts
 * const changes = planSlices(service, "IPv4", existing, desired, MAX_ENDPOINTS_PER_SLICE);
 * for (const slice of changes.create) await client.create(slice);
 * ```
 */
export function planSlices(
  service: Service,
  addressType: string,
  existing: EndpointSlice[],
  desired: Map<string, DesiredEndpoints>,
  max: number = MAX_ENDPOINTS_PER_SLICE,
): SliceChanges {
  const changes: SliceChanges = { create: [], update: [], delete: [] };
  const existingByPortMap = new Map<string, EndpointSlice[]>();
  for (const slice of existing) {
    if (!ownedBy(slice, service)) {
      changes.delete.push(slice);
      continue;
    }
    const key = portMapKey(slice.ports);
    existingByPortMap.set(key, [...(existingByPortMap.get(key) ?? []), slice]);
  }
  for (const [key, wanted] of desired) {
    const part = reconcileByPortMapping(service, addressType, existingByPortMap.get(key) ?? [], wanted, max);
    changes.create.push(...part.create);
    changes.update.push(...part.update);
    changes.delete.push(...part.delete);
  }
  for (const [key, slices] of existingByPortMap) {
    if (!desired.has(key)) changes.delete.push(...slices);
  }

  if (existing.length === changes.delete.length && changes.create.length === 0) {
    if (changes.delete.length === 1 && isPlaceholder(changes.delete[0], service, addressType)) {
      // The placeholder it would delete and recreate is already there.
      changes.delete = [];
    } else {
      changes.create.push(newEndpointSlice(service, [], addressType));
    }
  }

  // A create and a delete become one update of the slice being deleted, under its name.
  for (let i = 0; i < changes.delete.length && changes.create.length > 0;) {
    const doomed = changes.delete[i];
    if (doomed.addressType === addressType && ownedBy(doomed, service)) {
      const slice = changes.create.pop()!;
      slice.metadata = {
        ...slice.metadata,
        name: doomed.metadata.name,
        resourceVersion: doomed.metadata.resourceVersion,
      };
      changes.update.push(slice);
      changes.delete.splice(i, 1);
    } else {
      i++;
    }
  }
  return changes;
}
