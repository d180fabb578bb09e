/**
 * Tracking-finalizer removals the Job controller waits to see (kube's `uidTrackingExpectations`). Once a pod is
 * counted and its finalizer removed, a pod cache that still shows the finalizer must not make the next sync count it
 * again; a removal is seen once the cache shows the pod without the finalizer, or not at all.
 *
 * @module
 */
import { type Client, isNotFound } from "../../core/client/mod.ts";
import { TRACKING_FINALIZER } from "./job.ts";
import type { Pod } from "./pods.ts";

const POD = { apiVersion: "v1", kind: "Pod" };

/**
 * Take the tracking finalizer off `pod` (a strategic merge patch, so other finalizers stay).
 *
 * @example
 * ```ts
 * await removeTrackingFinalizer(client, pod);
 * ```
 */
export async function removeTrackingFinalizer(client: Client, pod: Pod): Promise<void> {
  await client.patch(POD, pod.metadata.namespace, pod.metadata.name, "strategic", {
    metadata: { "$deleteFromPrimitiveList/finalizers": [TRACKING_FINALIZER] },
  });
}

/**
 * Pod uids per Job key whose finalizer removal is not in the cache yet.
 *
 * @example
 * ```ts
 * removals.expect(key, [pod.metadata.uid]);
 * const skip = removals.pending(key, (uid) => cacheStillHasFinalizer(uid));
 * ```
 */
export class FinalizerRemovals {
  readonly #pending = new Map<string, Set<string>>();

  /**
   * Kube's `removeTrackingFinalizerFromPods` for the Job at `key`: which removals succeeded (a pod already gone
   * counts), and the first error.
   */
  async remove(client: Client, key: string, victims: Pod[]): Promise<{ done: boolean[]; error?: unknown }> {
    this.expect(key, victims.map((p) => p.metadata.uid!));
    let error: unknown;
    const done = await Promise.all(victims.map(async (pod) => {
      try {
        await removeTrackingFinalizer(client, pod);
        return true;
      } catch (e) {
        this.observed(key, pod.metadata.uid!);
        if (isNotFound(e)) return true;
        error ??= e;
        return false;
      }
    }));
    return { done, error };
  }

  /** The removals from these pods are under way. */
  expect(key: string, uids: string[]): void {
    let set = this.#pending.get(key);
    if (!set) this.#pending.set(key, set = new Set());
    for (const uid of uids) set.add(uid);
  }

  /** A removal failed (or is otherwise settled): nothing to wait for. */
  observed(key: string, uid: string): void {
    this.#pending.get(key)?.delete(uid);
  }

  /** The uids still awaited, given whether the cache still shows each pod with the finalizer. */
  pending(key: string, cacheHasFinalizer: (uid: string) => boolean): Set<string> {
    const set = this.#pending.get(key);
    if (!set) return new Set();
    for (const uid of set) if (!cacheHasFinalizer(uid)) set.delete(uid);
    if (set.size === 0) this.#pending.delete(key);
    return new Set(set);
  }

  /** Forget `key` (its Job is gone). */
  forget(key: string): void {
    this.#pending.delete(key);
  }
}
