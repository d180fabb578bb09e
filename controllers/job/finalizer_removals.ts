/**
 * Tracking-finalizer removals the Job controller waits to see (kube's `uidTrackingExpectations`). Once a pod is
 * counted and its finalizer removed, a pod cache that still shows the finalizer must not make the next sync count it
 * again; a removal is seen once the cache shows the pod without the finalizer, or not at all.
 *
 * @module
 */

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
