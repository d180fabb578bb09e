/**
 * What the shared SQL log needs from one database: a kysely instance, its DDL, and the few
 * statements that differ between SQLite, PostgreSQL and MySQL.
 *
 * @module
 */
import type { Kysely, Transaction } from "kysely";
import type { KineDatabase } from "./schema.ts";

/** One SQL database behind the log. */
export interface SqlDialect {
  readonly name: "sqlite" | "postgres" | "mysql";
  readonly db: Kysely<KineDatabase>;
  /** How often the watch poller looks for rows written by other servers, in milliseconds. */
  readonly pollIntervalMs: number;
  /** Create the table and indexes if they are missing. */
  createSchema(): Promise<void>;
  /**
   * Run `fn` in a write transaction that holds the log's write lock: while it runs no other writer,
   * on any server sharing the database, can insert, so revisions are numbered and committed in order.
   */
  writeTransaction<T>(fn: (trx: Transaction<KineDatabase>) => Promise<T>): Promise<T>;
  /**
   * For a database whose commits return before they are on disk: make every transaction committed before
   * the call durable (off the event loop). The log acknowledges, serves and watches nothing before.
   */
  sync?(): Promise<void>;
  /** Tell other servers that rows up to `revision` were committed (inside the write transaction). */
  notify?(trx: Transaction<KineDatabase>, revision: number): Promise<void>;
  /** Call `onChange` whenever another server commits; resolves to an unsubscribe function. */
  listen?(onChange: () => void): Promise<() => Promise<void>>;
  /** Whether an error means the database is unreachable (rather than a bad statement). */
  isUnavailable(error: unknown): boolean;
  /** Bytes on disk. */
  size(): Promise<number>;
  /** Work after a compaction (SQLite checkpoints its WAL). */
  afterCompact?(): Promise<void>;
  close(): Promise<void>;
}
