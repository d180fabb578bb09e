/**
 * Kube's `EndpointSliceTracker`: the slice versions this controller wrote and the slices it deleted, per
 * Service. It keeps a sync from acting on a cache that has not caught up with those writes (which would
 * create duplicate slices), and tells the controller's own slice events apart from other writers' — only
 * the latter need a sync. Kube tracks generations; here every write has a place in the one global
 * revision, so the resourceVersion the API answered with serves.
 *
 * @module
 */
import type { EndpointSlice } from "./endpoint.ts";
import { LABEL_SERVICE_NAME } from "./slice.ts";

const DELETION_EXPECTED = "deleted";

function revision(rv: string | undefined): bigint {
  try {
    return rv ? BigInt(rv) : 0n;
  } catch {
    return 0n;
  }
}

/**
 * The Service key a slice belongs to, by its `kubernetes.io/service-name` label.
 *
 * @example
 * ```ts
 * serviceKeyOf(slice); // "default/web"
 * ```
 */
export function serviceKeyOf(slice: EndpointSlice): string | undefined {
  const service = slice.metadata.labels?.[LABEL_SERVICE_NAME];
  return service ? `${slice.metadata.namespace}/${service}` : undefined;
}

/**
 * Written and deleted slices by Service key.
 *
 * @example
 * ```ts
 * const tracker = new EndpointSliceTracker();
 * tracker.update(await client.create(slice));
 * if (tracker.staleSlices("default/web", cachedSlices)) return { requeue: true };
 * ```
 */
export class EndpointSliceTracker {
  /** service key → slice uid → the revision written, or "deleted". */
  readonly #services = new Map<string, Map<string, bigint | typeof DELETION_EXPECTED>>();

  #slices(slice: EndpointSlice, create: boolean): Map<string, bigint | typeof DELETION_EXPECTED> | undefined {
    const key = serviceKeyOf(slice);
    if (!key) return undefined;
    let slices = this.#services.get(key);
    if (!slices && create) this.#services.set(key, slices = new Map());
    return slices;
  }

  /** The API answered a create or update with `slice`. */
  update(slice: EndpointSlice): void {
    if (slice.metadata.uid) {
      this.#slices(slice, true)?.set(slice.metadata.uid, revision(slice.metadata.resourceVersion));
    }
  }

  /** This controller deleted `slice`. */
  expectDeletion(slice: EndpointSlice): void {
    if (slice.metadata.uid) this.#slices(slice, true)?.set(slice.metadata.uid, DELETION_EXPECTED);
  }

  /** Whether an added or updated slice is news to the controller (not a version it wrote itself). */
  shouldSync(slice: EndpointSlice): boolean {
    const written = this.#slices(slice, false)?.get(slice.metadata.uid ?? "");
    return written === undefined || written === DELETION_EXPECTED || revision(slice.metadata.resourceVersion) > written;
  }

  /** A slice is gone: forget it, and say whether this controller deleted it (else it needs a sync). */
  handleDeletion(slice: EndpointSlice): boolean {
    const slices = this.#slices(slice, false);
    const uid = slice.metadata.uid ?? "";
    const written = slices?.get(uid);
    slices?.delete(uid);
    return written === DELETION_EXPECTED;
  }

  /**
   * Whether the cached slices of a Service (without those already being deleted) lag behind what this
   * controller wrote: an older version, a slice it deleted, or a slice it created that is not there yet.
   */
  staleSlices(serviceKey: string, slices: EndpointSlice[]): boolean {
    const tracked = this.#services.get(serviceKey);
    if (!tracked) return false;
    const cached = new Set<string>();
    for (const slice of slices) {
      const uid = slice.metadata.uid ?? "";
      cached.add(uid);
      const written = tracked.get(uid);
      if (written === DELETION_EXPECTED) return true;
      if (written !== undefined && written > revision(slice.metadata.resourceVersion)) return true;
    }
    for (const [uid, written] of tracked) {
      if (written !== DELETION_EXPECTED && !cached.has(uid)) return true;
    }
    return false;
  }

  /** Forget a deleted Service. */
  deleteService(serviceKey: string): void {
    this.#services.delete(serviceKey);
  }
}
