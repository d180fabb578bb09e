/**
 * Writing ControllerRevisions, after kube's `history.realHistory`: creating one under a name free of
 * collisions, renumbering one (a rollback makes an old revision the newest again), and trimming history
 * to `revisionHistoryLimit`.
 *
 * @module
 */
import { type Client, isAlreadyExists, isConflict, isNotFound } from "../../core/client/mod.ts";
import { controllerRevisionHash, controllerRevisionName } from "./hash.ts";
import {
  byRevision,
  CONTROLLER_REVISION,
  type ControllerRevision,
  equalRevision,
  newControllerRevision,
  nextRevision,
  type RevisionParent,
} from "./revision.ts";

/** A revision that was created (or found already there) and the collision count its name needed. */
export interface CreatedRevision {
  revision: ControllerRevision;
  collisionCount: number;
}

/**
 * Kube's `CreateControllerRevision`: create `revision`, and when its name is taken by different data,
 * bump `collisionCount` and retry under the new hash. A namesake with the same data (our own earlier
 * write, not yet in the cache) is returned as is.
 *
 * @example
 * ```ts
 * const { revision, collisionCount } = await createControllerRevision(client, "web", rev, HASH_LABEL, 0);
 * ```
 */
export async function createControllerRevision(
  client: Client,
  parentName: string,
  revision: ControllerRevision,
  hashLabel: string,
  collisionCount: number,
): Promise<CreatedRevision> {
  for (;; collisionCount++) {
    const hash = controllerRevisionHash(revision.data, collisionCount);
    const candidate = {
      ...revision,
      ...CONTROLLER_REVISION,
      metadata: {
        ...revision.metadata,
        name: controllerRevisionName(parentName, hash),
        labels: { ...revision.metadata.labels, [hashLabel]: hash },
      },
    };
    try {
      return { revision: await client.create(candidate), collisionCount };
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
    const existing = await client.get<ControllerRevision>(
      CONTROLLER_REVISION,
      candidate.metadata.namespace,
      candidate.metadata.name,
    );
    if (equalRevision(existing, candidate)) return { revision: existing, collisionCount };
  }
}

/**
 * Kube's `UpdateControllerRevision`: give `revision` the number `to` (a no-op when it has it).
 *
 * @example
 * ```ts
 * const rolledBack = await renumberControllerRevision(client, equal, nextRevision(revisions));
 * ```
 */
export async function renumberControllerRevision(
  client: Client,
  revision: ControllerRevision,
  to: number,
): Promise<ControllerRevision> {
  if (revision.revision === to) return revision;
  return await client.patch<ControllerRevision>(
    CONTROLLER_REVISION,
    revision.metadata.namespace,
    revision.metadata.name,
    "merge",
    { revision: to },
  );
}

/**
 * The revision of `parent`'s current template, as both workload controllers find it (kube's
 * `getStatefulSetRevisions` / the DaemonSet's `constructHistory`): the newest revision with equal data if
 * it is the newest of all; an older equal one renumbered to be the newest (a rollback); otherwise a new
 * revision numbered one past the newest.
 *
 * @example
 * ```ts
 * const { revision: update, collisionCount } = await revisionForTemplate(client, { ...STS, ...sts }, revisions, HASH, 0);
 * ```
 */
export async function revisionForTemplate(
  client: Client,
  parent: RevisionParent,
  revisions: readonly ControllerRevision[],
  hashLabel: string,
  collisionCount: number,
): Promise<CreatedRevision> {
  const sorted = [...revisions].sort(byRevision);
  const next = nextRevision(sorted);
  const wanted = newControllerRevision(parent, hashLabel, next, collisionCount);
  const equal = sorted.filter((r) => equalRevision(r, wanted));
  const newest = sorted.at(-1);
  if (equal.length > 0 && equal.at(-1) === newest) return { revision: newest!, collisionCount };
  if (equal.length > 0) {
    return { revision: await renumberControllerRevision(client, equal.at(-1)!, next), collisionCount };
  }
  return await createControllerRevision(client, parent.metadata.name, wanted, hashLabel, collisionCount);
}

/**
 * Kube's `truncateHistory`: of the revisions no pod or status uses (`live` says which are used), delete
 * the oldest until `limit` remain.
 *
 * @example
 * ```ts
 * await truncateHistory(client, revisions, (r) => liveNames.has(r.metadata.name), sts.spec.revisionHistoryLimit ?? 10);
 * ```
 */
export async function truncateHistory(
  client: Client,
  revisions: readonly ControllerRevision[],
  live: (revision: ControllerRevision) => boolean,
  limit: number,
): Promise<void> {
  const history = revisions.filter((r) => !live(r) && !r.metadata.deletionTimestamp);
  const surplus = [...history].sort((a, b) => a.revision - b.revision).slice(0, Math.max(0, history.length - limit));
  for (const revision of surplus) {
    try {
      await client.delete(CONTROLLER_REVISION, revision.metadata.namespace, revision.metadata.name, {
        preconditions: { uid: revision.metadata.uid },
      });
    } catch (error) {
      // Gone already, or replaced by a namesake that is not ours to judge.
      if (!isNotFound(error) && !isConflict(error)) throw error;
    }
  }
}
