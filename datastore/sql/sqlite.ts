/**
 * SQLite through `node:sqlite`, the embedded default (`<data-dir>/server/db/state.db`).
 *
 * WAL with `synchronous=FULL`: a write is acknowledged only after its commit reached the disk, so it
 * survives `kill -9` and power loss; the log's group commit keeps that affordable.
 *
 * @module
 */
import { mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { Kysely, sql, type SqliteDatabase, SqliteDialect, type SqliteStatement } from "kysely";
import type { SqlDialect } from "./dialect.ts";
import { COMPACT_KEY, type KineDatabase } from "./schema.ts";

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

function adapt(db: DatabaseSync): SqliteDatabase {
  // The log sends the same few statements over and over: prepare each once.
  const prepared = new Map<string, StatementSync>();
  return {
    close: () => db.close(),
    prepare(text: string): SqliteStatement {
      let stmt = prepared.get(text);
      if (!stmt) {
        stmt = db.prepare(text);
        if (prepared.size < 256) prepared.set(text, stmt);
      }
      const args = (params: ReadonlyArray<unknown>) => params as SQLInputValue[];
      const statement = stmt;
      return {
        reader: statement.columns().length > 0,
        all: (params) => statement.all(...args(params)),
        run: (params) => {
          const r = statement.run(...args(params));
          return { changes: r.changes, lastInsertRowid: r.lastInsertRowid };
        },
        iterate: (params) => statement.iterate(...args(params)) as IterableIterator<unknown>,
      };
    },
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
  raw.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=OFF;");
  const db = new Kysely<KineDatabase>({ dialect: new SqliteDialect({ database: adapt(raw) }) });
  return {
    name: "sqlite",
    db,
    // Only this process writes the file, and its writes wake the poller; the tick is a safety net.
    pollIntervalMs: 1000,
    createSchema() {
      for (const statement of SCHEMA) raw.exec(statement);
      // Start from a small, clean file, as kine does.
      raw.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      return Promise.resolve();
    },
    writeTransaction: (fn) => db.transaction().execute(fn),
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
      await db.destroy();
    },
  };
}
