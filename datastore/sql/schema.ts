/**
 * The table every SQL backend keeps: kine's log, one row per write.
 *
 * `id` is the revision. A create inserts `created = 1`; an update inserts a row whose
 * `prev_revision` is the row it replaces; a delete inserts a tombstone (`deleted = 1`) that keeps
 * the deleted value. The unique `(name, prev_revision)` index makes two writers that start from the
 * same version collide, as a last line of defence behind the write lock.
 *
 * @module
 */
import type { Generated } from "kysely";

/** One row of the `kine` table. */
export interface KineRow {
  id: Generated<number>;
  name: string;
  created: number;
  deleted: number;
  create_revision: number;
  prev_revision: number;
  /** TTL in seconds (kine stores the TTL itself as the lease). */
  lease: number;
  value: Uint8Array | null;
}

/** The database as kysely sees it. */
export interface KineDatabase {
  kine: KineRow;
}

/**
 * The row that holds the compacted revision in its `prev_revision` and that every writer locks, so
 * that revisions commit in the order they are numbered and a watcher never sees a later one first.
 */
export const COMPACT_KEY = "compact_rev_key";
