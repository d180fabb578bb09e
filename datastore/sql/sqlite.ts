/**
 * SQLite through `node:sqlite`, the embedded default (`<data-dir>/server/db/state.db`).
 *
 * WAL with `synchronous=NORMAL` and the WAL file fsynced by {@linkcode SqlDialect.sync} after commits: a
 * write is acknowledged only after its commit reached the disk, so it survives `kill -9` and power loss,
 * as with `synchronous=FULL` — but the fsync runs on a worker thread, not inside COMMIT on the event loop
 * (`node:sqlite` is synchronous), and one fsync covers every batch committed while the previous one ran.
 * Checkpoints run on a worker thread too ({@linkcode Checkpointer}).
 *
 * @module
 */
import { closeSync, fsync, mkdirSync, openSync, statSync } from "node:fs";
import process from "node:process";
import { dirname } from "node:path";
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { Kysely, sql, type SqliteDatabase, SqliteDialect, type SqliteStatement } from "kysely";
import type { SqlDialect } from "./dialect.ts";
import { COMPACT_KEY, type KineDatabase } from "./schema.ts";
import { Checkpointer } from "./sqlite_checkpointer.ts";

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS kine (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    created INTEGER,
    deleted INTEGER,
    create_revision INTEGER,
    prev_revision INTEGER,
    lease INTEGER,
    value BLOB)`,
  `CREATE INDEX IF NOT EXISTS kine_name_index ON kine (name)`,
  `CREATE INDEX IF NOT EXISTS kine_name_id_index ON kine (name, id)`,
  `CREATE INDEX IF NOT EXISTS kine_id_deleted_index ON kine (id, deleted)`,
  `CREATE INDEX IF NOT EXISTS kine_prev_revision_index ON kine (prev_revision)`,
  `CREATE UNIQUE INDEX IF NOT EXISTS kine_name_prev_revision_uindex ON kine (name, prev_revision)`,
  `INSERT OR IGNORE INTO kine (name, created, deleted, create_revision, prev_revision, lease, value)
    VALUES ('${COMPACT_KEY}', 0, 0, 0, 0, 0, NULL)`,
];

/** Statements kept prepared (the log's come in a few dozen shapes; each keeps its last parameters alive). */
const PREPARED_STATEMENTS = 256;

function adapt(db: DatabaseSync): SqliteDatabase {
  // The log sends the same few statements over and over: prepare each once, least recently used out first.
  const prepared = new Map<string, SqliteStatement>();
  return {
    close: () => db.close(),
    prepare(text: string): SqliteStatement {
      let statement = prepared.get(text);
      if (statement) {
        prepared.delete(text);
      } else {
        statement = wrap(db.prepare(text));
        if (prepared.size >= PREPARED_STATEMENTS) prepared.delete(prepared.keys().next().value!);
      }
      prepared.set(text, statement);
      return statement;
    },
  };
}

function wrap(statement: StatementSync): SqliteStatement {
  const args = (params: ReadonlyArray<unknown>) => params as SQLInputValue[];
  return {
    reader: statement.columns().length > 0,
    all: (params) => statement.all(...args(params)),
    run: (params) => {
      const r = statement.run(...args(params));
      return { changes: r.changes, lastInsertRowid: r.lastInsertRowid };
    },
    iterate: (params) => statement.iterate(...args(params)) as IterableIterator<unknown>,
  };
}

/**
 * Open (creating if needed) the SQLite database at `path`.
 *
 * @example
 * ```ts
 * const store = await SqlLog.open(sqliteDialect("/var/lib/rancher/k3s/server/db/state.db"));
 * ```
 */
export function sqliteDialect(path: string): SqlDialect {
  mkdirSync(dirname(path), { recursive: true });
  const raw = new DatabaseSync(path);
  raw.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=OFF;");
  const db = new Kysely<KineDatabase>({ dialect: new SqliteDialect({ database: adapt(raw) }) });
  let checkpointer: Checkpointer | undefined;
  // SQLite keeps the WAL file (same inode, truncated at most) while a connection is open: one descriptor serves.
  let wal: number | undefined;
  const fsyncOf = (fd: number) =>
    new Promise<void>((resolve, reject) => fsync(fd, (error) => error ? reject(error) : resolve()));
  return {
    name: "sqlite",
    db,
    // Only this process writes the file, and its writes wake the poller; the tick is a safety net.
    pollIntervalMs: 1000,
    createSchema() {
      for (const statement of SCHEMA) raw.exec(statement);
      // Start from a small, clean file, as kine does.
      raw.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      raw.exec("PRAGMA wal_autocheckpoint=0");
      checkpointer = new Checkpointer(path, (error) => {
        process.emitWarning(`SQLite checkpoints on a worker thread stopped (${error.message}); the writer makes them`);
        checkpointer = undefined;
        raw.exec("PRAGMA wal_autocheckpoint=1000");
      });
      return Promise.resolve();
    },
    async writeTransaction(fn) {
      await checkpointer?.beforeWrite();
      return await db.transaction().execute(fn);
    },
    async sync() {
      if (wal === undefined) {
        // The WAL's directory entry must be on disk too, once, as SQLite's FULL mode makes sure.
        const dir = openSync(dirname(path), "r");
        try {
          await fsyncOf(dir);
        } finally {
          closeSync(dir);
        }
        wal = openSync(`${path}-wal`, "r");
      }
      await fsyncOf(wal);
    },
    isUnavailable: () => false,
    size() {
      let total = 0;
      for (const suffix of ["", "-wal"]) {
        try {
          total += statSync(path + suffix).size;
        } catch { /* no WAL yet */ }
      }
      return Promise.resolve(total);
    },
    async afterCompact() {
      await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
    },
    async close() {
      await checkpointer?.close();
      await db.destroy();
      if (wal !== undefined) closeSync(wal);
    },
  };
}
