/**
 * MySQL and MariaDB through `mysql2`. Other servers' writes are seen by polling.
 *
 * @module
 */
import { createPool } from "mysql2";
import { Kysely, MysqlDialect, sql } from "kysely";
import type { SqlServer } from "../endpoint.ts";
import type { SqlDialect } from "./dialect.ts";
import { isNetworkError } from "./unavailable.ts";
import { COMPACT_KEY, type KineDatabase } from "./schema.ts";

const SCHEMA = [
  // utf8mb4_bin: keys compare byte by byte and case-sensitively, as in etcd.
  `CREATE TABLE IF NOT EXISTS kine (
    id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(630) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    created INTEGER,
    deleted INTEGER,
    create_revision BIGINT UNSIGNED,
    prev_revision BIGINT UNSIGNED,
    lease INTEGER,
    value MEDIUMBLOB,
    INDEX kine_name_index (name),
    INDEX kine_name_id_index (name, id),
    INDEX kine_id_deleted_index (id, deleted),
    INDEX kine_prev_revision_index (prev_revision),
    UNIQUE INDEX kine_name_prev_revision_uindex (name, prev_revision)
  ) ENGINE=InnoDB`,
  `INSERT IGNORE INTO kine (name, created, deleted, create_revision, prev_revision, lease, value)
    VALUES ('${COMPACT_KEY}', 0, 0, 0, 0, 0, NULL)`,
];

/**
 * A MySQL or MariaDB database; the `kine` table is created on first use.
 *
 * @example
 * ```ts
 * const store = await SqlLog.open(mysqlDialect({ host: "127.0.0.1", port: 3306, user: "k3s",
 *   password: "pw", database: "kine", params: new URLSearchParams() }));
 * ```
 */
export function mysqlDialect(config: SqlServer): SqlDialect {
  const tlsWanted = config.tls?.ca || config.params.get("tls") === "true";
  const pool = createPool({
    host: config.host,
    port: config.port,
    user: config.user,
    password: config.password,
    database: config.database,
    connectionLimit: 10,
    connectTimeout: 5000,
    ssl: tlsWanted ? { ca: config.tls?.ca, cert: config.tls?.cert, key: config.tls?.key } : undefined,
    supportBigNumbers: true,
    bigNumberStrings: false,
  });
  const db = new Kysely<KineDatabase>({ dialect: new MysqlDialect({ pool }) });
  return {
    name: "mysql",
    db,
    pollIntervalMs: 250,
    async createSchema() {
      for (const statement of SCHEMA) await sql.raw(statement).execute(db);
    },
    writeTransaction: (fn) =>
      db.transaction().setIsolationLevel("read committed").execute(async (trx) => {
        await sql`SELECT id FROM kine WHERE name = ${COMPACT_KEY} FOR UPDATE`.execute(trx);
        return await fn(trx);
      }),
    isUnavailable,
    async size() {
      const r = await sql<{ bytes: number | string }>`SELECT COALESCE(SUM(data_length + index_length), 0) AS bytes
        FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'kine'`.execute(db);
      return Number(r.rows[0]?.bytes ?? 0);
    },
    async close() {
      await db.destroy();
    },
  };
}

const UNAVAILABLE_CODES = new Set([
  "PROTOCOL_CONNECTION_LOST",
  "PROTOCOL_SEQUENCE_TIMEOUT",
  "ER_SERVER_SHUTDOWN",
  "ER_CON_COUNT_ERROR",
  "ER_LOCK_WAIT_TIMEOUT",
]);

function isUnavailable(error: unknown): boolean {
  if ((error as { fatal?: boolean })?.fatal === true) return true;
  return isNetworkError(error, UNAVAILABLE_CODES, /closed state|Pool is closed|connection is in closed/i);
}
