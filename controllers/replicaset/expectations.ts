/**
 * Expectations, kube-controller-manager's guard against acting twice on a lagging cache: after a sync
 * creates or deletes pods, the next sync of that ReplicaSet waits until the pod cache shows the result.
 *
 * Kube counts the informer's add/delete events. Here every write has a place in one global revision
 * (`resourceVersion`), so a creation is "seen" once the pod informer has reached the revision the API
 * returned for it — even if the pod was deleted again meanwhile — and a deletion once the pod's uid is
 * gone from the cache (or marked terminating there). A deadline (kube's five minutes) keeps one lost
 * event from wedging a ReplicaSet for ever.
 *
 * @module
 */
import type { Kind, Manager } from "../../core/operator/mod.ts";

/** What the expectations consult: the cache's revision and whether a pod (by uid) is still live in it. */
export interface CacheView {
  /** The last resourceVersion the pod cache reflects. */
  resourceVersion(): string;
  /** Whether the cache still holds this pod without a deletionTimestamp. */
  holdsLive(uid: string): boolean;
}

interface Pending {
  uid: string;
  createdRevision: bigint;
  deleting: Set<string>;
  deadline: number;
}

/** Kube's `ExpectationsTimeout`. */
export const DEFAULT_EXPECTATION_TIMEOUT_MS = 5 * 60_000;

function revision(rv: string | undefined): bigint {
  try {
    return rv ? BigInt(rv) : 0n;
  } catch {
    return 0n;
  }
}

/**
 * Outstanding pod creations and deletions per ReplicaSet key.
 *
 * @example
 * ```ts
 * const expectations = new Expectations(view);
 * if (!expectations.satisfied(key, rs.metadata.uid)) return { requeueAfterMs: 200 };
 * const pod = await client.create(template);
 * expectations.created(key, rs.metadata.uid, pod.metadata.resourceVersion);
 * ```
 */
export class Expectations {
  readonly #pending = new Map<string, Pending>();

  constructor(readonly view: CacheView, readonly timeoutMs: number = DEFAULT_EXPECTATION_TIMEOUT_MS) {}

  /** Whether the cache reflects every write made for `key` (a ReplicaSet of uid `uid`), so it may act. */
  satisfied(key: string, uid: string): boolean {
    const p = this.#pending.get(key);
    if (!p) return true;
    // A ReplicaSet recreated under the same name owes nothing to its predecessor.
    if (p.uid !== uid || Date.now() >= p.deadline) {
      this.#pending.delete(key);
      return true;
    }
    for (const deleting of p.deleting) if (!this.view.holdsLive(deleting)) p.deleting.delete(deleting);
    if (p.deleting.size > 0 || revision(this.view.resourceVersion()) < p.createdRevision) return false;
    this.#pending.delete(key);
    return true;
  }

  /** A pod was created for `key`; the API answered with `resourceVersion`. */
  created(key: string, uid: string, resourceVersion: string | undefined): void {
    const p = this.#entry(key, uid);
    const rv = revision(resourceVersion);
    if (rv > p.createdRevision) p.createdRevision = rv;
  }

  /** A pod (by uid) was deleted for `key`. */
  deleted(key: string, uid: string, podUid: string): void {
    this.#entry(key, uid).deleting.add(podUid);
  }

  /** Forget `key` (its ReplicaSet is gone). */
  forget(key: string): void {
    this.#pending.delete(key);
  }

  #entry(key: string, uid: string): Pending {
    let p = this.#pending.get(key);
    if (!p || p.uid !== uid) {
      p = { uid, createdRevision: 0n, deleting: new Set(), deadline: 0 };
      this.#pending.set(key, p);
    }
    p.deadline = Date.now() + this.timeoutMs;
    return p;
  }
}

/**
 * Expectations over the pod cache of `manager`, as every controller that creates pods keeps them.
 *
 * @example
 * ```ts
 * const expectations = podExpectations(manager, registry.resolve("", "v1", "pods")!);
 * ```
 */
export function podExpectations(manager: Manager, pods: Kind): Expectations {
  return new Expectations({
    resourceVersion: () => manager.informer(pods).resourceVersion,
    holdsLive: (uid) =>
      manager.cache(pods).list().some((p) => p.metadata?.uid === uid && !p.metadata.deletionTimestamp),
  });
}
