/**
 * PostgreSQL through `pg` (node-postgres). Servers sharing one database hear each other's commits
 * through LISTEN/NOTIFY, with the poll as a safety net.
 *
 * (Not the `postgres` package: 3.4.9 throws from a timer, killing the process, when a rollback runs on
 * a connection the server just dropped — exactly what a database restart mid-write does.)
 *
 * @module
 */
// @ts-types="@types/pg"
import pg from "pg";
import { Kysely, PostgresDialect, sql } from "kysely";
import type { SqlServer } from "../endpoint.ts";
import type { SqlDialect } from "./dialect.ts";
import { isNetworkError } from "./unavailable.ts";
import { COMPACT_KEY, type KineDatabase } from "./schema.ts";

const CHANNEL = "kine";
/** Serialises schema creation between servers starting together (CREATE … IF NOT EXISTS races in PostgreSQL). */
const SCHEMA_LOCK = 0x6b696e65;

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS kine (
    id BIGSERIAL PRIMARY KEY,
    name TEXT COLLATE "C" NOT NULL,
    created INTEGER,
    deleted INTEGER,
    create_revision BIGINT,
    prev_revision BIGINT,
    lease INTEGER,
    value BYTEA)`,
  `CREATE INDEX IF NOT EXISTS kine_name_index ON kine (name)`,
  `CREATE INDEX IF NOT EXISTS kine_name_id_index ON kine (name, id)`,
  `CREATE INDEX IF NOT EXISTS kine_id_deleted_index ON kine (id, deleted)`,
  `CREATE INDEX IF NOT EXISTS kine_prev_revision_index ON kine (prev_revision)`,
  `CREATE UNIQUE INDEX IF NOT EXISTS kine_name_prev_revision_uindex ON kine (name, prev_revision)`,
  `INSERT INTO kine (name, created, deleted, create_revision, prev_revision, lease, value)
    VALUES ('${COMPACT_KEY}', 0, 0, 0, 0, 0, NULL) ON CONFLICT DO NOTHING`,
];

/**
 * A PostgreSQL database; the `kine` table is created on first use.
 *
 * @example
 * ```ts
 * const dialect = postgresDialect({ host: "127.0.0.1", port: 5432, user: "k3s", password: "pw",
 *   database: "kine", params: new URLSearchParams() });
 * const store = await SqlLog.open(dialect);
 * ```
 */
export function postgresDialect(config: SqlServer): SqlDialect {
  const sslmode = config.params.get("sslmode") ?? "disable";
  const connection: pg.ClientConfig = {
    host: config.host,
    port: config.port,
    user: config.user,
    password: config.password,
    database: config.database,
    connectionTimeoutMillis: 5000,
    ssl: sslmode === "disable" ? false : {
      rejectUnauthorized: sslmode === "verify-ca" || sslmode === "verify-full",
      ca: config.tls?.ca,
      cert: config.tls?.cert,
      key: config.tls?.key,
    },
  };
  // BIGINT and BIGSERIAL: revisions stay far below 2^53, so numbers are safe and simpler than strings.
  const types = {
    getTypeParser: (oid: number, format?: string) =>
      oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as "text"),
  };
  const pool = new pg.Pool({ ...connection, types, max: 10 });
  // A connection dropped by a restarting server is an error event (on the pool when idle, on the
  // client when in use); the failed query reports it, so the event itself must not crash the process.
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  const db = new Kysely<KineDatabase>({ dialect: new PostgresDialect({ pool }) });
  const listener = new Listener(connection);
  return {
    name: "postgres",
    db,
    pollIntervalMs: 1000,
    async createSchema() {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        await client.query("SELECT pg_advisory_xact_lock($1)", [SCHEMA_LOCK]);
        for (const statement of SCHEMA) await client.query(statement);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    writeTransaction: (fn) =>
      db.transaction().execute(async (trx) => {
        await sql`SELECT id FROM kine WHERE name = ${COMPACT_KEY} FOR UPDATE`.execute(trx);
        return await fn(trx);
      }),
    async notify(trx, revision) {
      await sql`SELECT pg_notify(${CHANNEL}, ${String(revision)})`.execute(trx);
    },
    listen: (onChange) => listener.start(onChange),
    isUnavailable,
    async size() {
      const r = await pool.query("SELECT pg_total_relation_size('kine') AS bytes");
      return Number(r.rows[0].bytes);
    },
    async afterCompact() {
      // Dead rows only become free space after a vacuum; a plain VACUUM does not block writers.
      await pool.query("VACUUM kine");
    },
    async close() {
      await listener.stop();
      await db.destroy();
    },
  };
}

/**
 * One connection that LISTENs, reconnecting with back-off when the server goes away. After a
 * reconnect it reports a change, since notifications sent meanwhile were lost.
 */
class Listener {
  #client?: pg.Client;
  #stopped = false;
  #timer?: ReturnType<typeof setTimeout>;

  constructor(private readonly config: pg.ClientConfig) {}

  async start(onChange: () => void): Promise<() => Promise<void>> {
    await this.#connect(onChange);
    return () => this.stop();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#client?.end().catch(() => {});
  }

  async #connect(onChange: () => void): Promise<void> {
    const client = new pg.Client(this.config);
    client.on("notification", () => onChange());
    client.on("error", () => {});
    client.on("end", () => {
      if (this.#stopped) return;
      this.#retry(onChange, 250);
    });
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.#client = client;
  }

  #retry(onChange: () => void, delay: number): void {
    this.#timer = setTimeout(async () => {
      if (this.#stopped) return;
      try {
        await this.#connect(onChange);
        onChange();
      } catch {
        this.#retry(onChange, Math.min(delay * 2, 5000));
      }
    }, delay);
  }
}

/** PostgreSQL's SQLSTATEs for a server shutting down, starting up, or a broken connection. */
const UNAVAILABLE_CODES = new Set(["57P01", "57P02", "57P03", "08000", "08003", "08006"]);
// node-postgres reports a dropped connection or a connect timeout with a message and no code.
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i;

function isUnavailable(error: unknown): boolean {
  return isNetworkError(error, UNAVAILABLE_CODES, UNAVAILABLE_MESSAGES);
}
