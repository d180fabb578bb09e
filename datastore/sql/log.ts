/**
 * The log every SQL backend shares: kine's semantics over one {@linkcode SqlDialect}.
 *
 * Writes from concurrent callers are group-committed: one transaction per batch, holding the
 * dialect's write lock, so revisions commit in the order they are numbered on every server sharing
 * the database and a watcher reading `id > last` never skips one. A dialect whose commits return before
 * they are on disk (SQLite) syncs in the background while the next batch commits; nothing is
 * acknowledged, read or watched before its revision is on disk.
 *
 * @module
 */
import { setImmediate } from "node:timers";
import type { Selectable, Transaction } from "kysely";
import {
  CompactedError,
  ConflictError,
  FutureRevisionError,
  KeyExistsError,
  KeyNotFoundError,
  type KeyValue,
  type ListOptions,
  type ListResult,
  prefixEnd,
  type Store,
  StoreError,
  UnavailableError,
  type WatchEvent,
  type WatchOptions,
  type WriteOptions,
} from "../store.ts";
import type { SqlDialect } from "./dialect.ts";
import { COMPACT_KEY, type KineDatabase, type KineRow } from "./schema.ts";
import { WatchHub } from "./watch_hub.ts";
import { LeaseReaper } from "./lease_reaper.ts";
import { Durability } from "./durability.ts";

/** Rows a batch (write, poll, replay or compaction) handles at most. */
const BATCH = 500;
/** Revisions one compaction transaction covers, so writers never wait long for the lock. */
const COMPACT_BATCH = 1000;

/** A row as read back: every column, the id included. */
type Row = Selectable<KineRow>;

type WriteOp =
  | { kind: "create"; key: string; value: Uint8Array; ttl: number }
  | { kind: "update"; key: string; value: Uint8Array; expected: number; ttl: number }
  | { kind: "delete"; key: string; expected?: number };

interface Pending {
  op: WriteOp;
  resolve(row: Row): void;
  reject(error: Error): void;
}

const EMPTY = new Uint8Array(0);

function toKeyValue(row: Row): KeyValue {
  const id = Number(row.id);
  return {
    key: row.name,
    value: row.value ?? EMPTY,
    createRevision: row.created ? id : Number(row.create_revision),
    modRevision: id,
    lease: Number(row.lease) || 0,
  };
}

/**
 * A {@linkcode Store} over a SQL database.
 *
 * @example
 * ```ts
 * const store = await SqlLog.open(await sqliteDialect("/var/lib/rancher/k3s/server/db/state.db"));
 * await store.create("/registry/namespaces/default", new TextEncoder().encode("{}"));
 * ```
 */
export class SqlLog implements Store {
  readonly backend: string;
  readonly #dialect: SqlDialect;
  readonly #hub: WatchHub;
  readonly #reaper: LeaseReaper;
  #durability?: Durability;
  #queue: Pending[] = [];
  #flushing = false;
  #closed = false;
  #unlisten?: () => Promise<void>;

  private constructor(dialect: SqlDialect, startRevision: number) {
    this.#dialect = dialect;
    this.backend = dialect.name;
    // Watchers read only what is on disk.
    this.#hub = new WatchHub(
      (after) => this.#readAfter(after, this.#durability?.revision),
      startRevision,
      dialect.pollIntervalMs,
    );
    this.#reaper = new LeaseReaper(this);
  }

  /** Create the schema if needed and start the watch poller and the lease reaper. */
  static async open(dialect: SqlDialect): Promise<SqlLog> {
    try {
      await dialect.createSchema();
      const log = new SqlLog(dialect, 0);
      const start = await log.currentRevision();
      if (dialect.sync) {
        // What a previous process committed may still be only in the page cache.
        await dialect.sync();
        log.#durability = new Durability(dialect.sync, start, () => log.#hub.wake());
      }
      log.#hub.start(start);
      if (dialect.listen) log.#unlisten = await dialect.listen(() => log.#hub.wake());
      await log.#reaper.start(start, await log.#rowsWithLease(start));
      return log;
    } catch (error) {
      await dialect.close().catch(() => {});
      throw dialect.isUnavailable(error)
        ? new UnavailableError(`datastore ${dialect.name} is unavailable: ${messageOf(error)}`, { cause: error })
        : error;
    }
  }

  async currentRevision(): Promise<number> {
    const revision = await this.#guard(async () => {
      const row = await this.#dialect.db.selectFrom("kine").select((eb) => eb.fn.max("id").as("rev"))
        .executeTakeFirst();
      return Number(row?.rev ?? 0);
    });
    // A revision is only answered once it is on disk: nobody sees a write a power cut could take back.
    await this.#durability?.until(revision);
    return revision;
  }

  async compactRevision(): Promise<number> {
    return await this.#guard(async () => {
      const row = await this.#dialect.db.selectFrom("kine").select("prev_revision").where("name", "=", COMPACT_KEY)
        .executeTakeFirst();
      return Number(row?.prev_revision ?? 0);
    });
  }

  async get(key: string, options: { revision?: number } = {}): Promise<{ revision: number; kv?: KeyValue }> {
    if (!options.revision || options.revision <= 0) return await this.#getCurrent(key);
    const revision = await this.#readRevision(options.revision);
    return await this.#guard(async () => {
      const row = await this.#dialect.db.selectFrom("kine").selectAll().where("name", "=", key)
        .where("id", "<=", revision).orderBy("id", "desc").limit(1).executeTakeFirst() as Row | undefined;
      return { revision, kv: row && !row.deleted ? toKeyValue(row) : undefined };
    });
  }

  /** The current revision and the key's newest version, read in one statement (so at one snapshot). */
  async #getCurrent(key: string): Promise<{ revision: number; kv?: KeyValue }> {
    const row = await this.#guard(() =>
      this.#dialect.db
        .selectFrom((eb) => eb.selectFrom("kine").select((e) => e.fn.max("id").as("rev")).as("r"))
        .leftJoin("kine as kv", (join) =>
          join.on((eb) =>
            eb(
              "kv.id",
              "=",
              eb.selectFrom("kine").select((e) => e.fn.max("id").as("mid")).where("name", "=", key),
            )
          ))
        .selectAll("kv")
        .select("r.rev")
        .executeTakeFirst()
    );
    const revision = Number(row?.rev ?? 0);
    await this.#durability?.until(revision);
    const found = row?.id !== null && row?.id !== undefined && !row.deleted;
    return { revision, kv: found ? toKeyValue(row as Row) : undefined };
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    const revision = await this.#readRevision(options.revision);
    const start = options.startKey !== undefined && options.startKey > prefix ? options.startKey : prefix;
    // "key\0", the first key after "key", cannot be a parameter everywhere (PostgreSQL text refuses NUL).
    const exclusive = start.endsWith("\0");
    const from = exclusive ? start.slice(0, -1) : start;
    const limit = options.limit && options.limit > 0 ? options.limit : 0;
    return await this.#guard(async () => {
      const kvs: KeyValue[] = [];
      let after = from;
      let inclusive = !exclusive;
      // The newest row of each name, one window of names at a time: a limited list reads about
      // `limit` names instead of grouping the whole prefix, and tombstones only cost another window.
      while (true) {
        const window = limit ? limit + 1 - kvs.length : 0;
        let names = this.#dialect.db.selectFrom("kine").select((e) => [e.fn.max("id").as("mid"), "name"])
          .where("name", inclusive ? ">=" : ">", after).where("name", "<", prefixEnd(prefix))
          .where("name", "!=", COMPACT_KEY).where("id", "<=", revision).groupBy("name").orderBy("name");
        if (window) names = names.limit(window);
        const rows = await this.#dialect.db.selectFrom("kine as kv")
          .innerJoin(names.as("m"), (join) => join.onRef("kv.id", "=", "m.mid"))
          .selectAll("kv").orderBy("kv.name").execute() as Row[];
        for (const row of rows) if (!row.deleted) kvs.push(toKeyValue(row));
        if (!window || rows.length < window || kvs.length > limit) break;
        after = rows[rows.length - 1].name;
        inclusive = false;
      }
      const more = limit > 0 && kvs.length > limit;
      return { revision, kvs: more ? kvs.slice(0, limit) : kvs, more };
    });
  }

  async count(prefix: string, options: { revision?: number } = {}): Promise<{ revision: number; count: number }> {
    const revision = await this.#readRevision(options.revision);
    return await this.#guard(async () => {
      const row = await this.#dialect.db.selectFrom("kine as kv")
        .innerJoin(
          (eb) =>
            eb.selectFrom("kine").select((e) => e.fn.max("id").as("mid"))
              .where("name", ">=", prefix).where("name", "<", prefixEnd(prefix)).where("name", "!=", COMPACT_KEY)
              .where("id", "<=", revision).groupBy("name").as("m"),
          (join) => join.onRef("kv.id", "=", "m.mid"),
        )
        .select((eb) => eb.fn.countAll().as("n")).where("kv.deleted", "=", 0).executeTakeFirst();
      return { revision, count: Number(row?.n ?? 0) };
    });
  }

  async create(key: string, value: Uint8Array, options: WriteOptions = {}): Promise<KeyValue> {
    return toKeyValue(await this.#write({ kind: "create", key, value, ttl: options.ttl ?? 0 }));
  }

  async update(
    key: string,
    value: Uint8Array,
    expectedRevision: number,
    options: WriteOptions = {},
  ): Promise<KeyValue> {
    return toKeyValue(
      await this.#write({ kind: "update", key, value, expected: expectedRevision, ttl: options.ttl ?? 0 }),
    );
  }

  async delete(key: string, expectedRevision?: number): Promise<{ revision: number; prevKv: KeyValue }> {
    const tombstone = await this.#write({ kind: "delete", key, expected: expectedRevision });
    const prevKv = toKeyValue({ ...tombstone, id: tombstone.prev_revision });
    return { revision: Number(tombstone.id), prevKv };
  }

  async *watch(prefix: string, options: WatchOptions = {}): AsyncGenerator<WatchEvent[]> {
    if (this.#closed) throw new StoreError("store is closed");
    const subscription = this.#hub.subscribe(prefix, options.signal);
    try {
      const from = options.fromRevision ?? 0;
      if (from > 0) {
        const compacted = await this.compactRevision();
        if (from <= compacted) throw new CompactedError(from, compacted);
        let after = from - 1;
        while (after < subscription.startRevision) {
          const rows = await this.#readAfter(after, subscription.startRevision, prefix);
          if (rows.length === 0) break;
          after = rows[rows.length - 1].kv.modRevision;
          yield rows;
        }
        const compactedNow = await this.compactRevision();
        if (from <= compactedNow) throw new CompactedError(from, compactedNow);
      }
      for await (const batch of subscription) {
        const events = from > subscription.startRevision ? batch.filter((e) => e.kv.modRevision >= from) : batch;
        if (events.length) yield events;
      }
    } finally {
      subscription.close();
    }
  }

  async compact(revision: number): Promise<void> {
    const current = await this.currentRevision();
    // Keep the newest row whatever is asked: the current revision is MAX(id) and must never go back.
    const target = Math.min(revision, current - 1);
    let from = await this.compactRevision();
    while (from < target) {
      const to = Math.min(from + COMPACT_BATCH, target);
      await this.#guard(() =>
        this.#dialect.writeTransaction(async (trx) => {
          const done = await trx.selectFrom("kine").select("prev_revision").where("name", "=", COMPACT_KEY)
            .executeTakeFirst();
          const lo = Number(done?.prev_revision ?? 0);
          if (lo >= to) return; // another server sharing the database got there first
          await trx.deleteFrom("kine").where("id", "in", (eb) =>
            eb.selectFrom(
              (inner) =>
                inner.selectFrom("kine").select("prev_revision").where("name", "!=", COMPACT_KEY)
                  .where("prev_revision", "!=", 0).where("id", ">", lo).where("id", "<=", to).as("superseded"),
            ).select("superseded.prev_revision")).execute();
          await trx.deleteFrom("kine").where("deleted", "=", 1).where("id", ">", lo).where("id", "<=", to).execute();
          await trx.updateTable("kine").set({ prev_revision: to }).where("name", "=", COMPACT_KEY).execute();
        })
      );
      from = to;
    }
    await this.#dialect.afterCompact?.();
  }

  async size(): Promise<number> {
    return await this.#guard(() => this.#dialect.size());
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#reaper.stop();
    this.#hub.stop();
    while (this.#flushing) await new Promise((r) => setTimeout(r, 5));
    await this.#durability?.drained().catch(() => {});
    await this.#unlisten?.().catch(() => {});
    await this.#dialect.close();
  }

  /** The rows with a lease, newest version per key, for the reaper's first pass. */
  async #rowsWithLease(revision: number): Promise<KeyValue[]> {
    const rows = await this.#dialect.db.selectFrom("kine as kv")
      .innerJoin(
        (eb) =>
          eb.selectFrom("kine").select((e) => e.fn.max("id").as("mid")).where("name", "!=", COMPACT_KEY)
            .where("id", "<=", revision).groupBy("name").as("m"),
        (join) => join.onRef("kv.id", "=", "m.mid"),
      )
      .selectAll("kv").where("kv.deleted", "=", 0).where("kv.lease", ">", 0).execute() as Row[];
    return rows.map(toKeyValue);
  }

  /** Events after `after` (up to `until`, under `prefix`), with the versions they replaced. */
  async #readAfter(after: number, until?: number, prefix?: string): Promise<WatchEvent[]> {
    let query = this.#dialect.db.selectFrom("kine as k").leftJoin("kine as p", "p.id", "k.prev_revision")
      .selectAll("k")
      .select([
        "p.id as p_id",
        "p.created as p_created",
        "p.create_revision as p_create_revision",
        "p.lease as p_lease",
        "p.value as p_value",
      ])
      .where("k.id", ">", after).where("k.name", "!=", COMPACT_KEY).orderBy("k.id").limit(BATCH);
    if (until !== undefined) query = query.where("k.id", "<=", until);
    if (prefix) query = query.where("k.name", ">=", prefix).where("k.name", "<", prefixEnd(prefix));
    const rows = await query.execute();
    return rows.map((r) => {
      const kv = toKeyValue(r as Row);
      const prevKv = r.p_id === null || r.p_id === undefined ? undefined : toKeyValue({
        id: r.p_id,
        name: r.name,
        created: r.p_created ?? 0,
        deleted: 0,
        create_revision: r.p_create_revision ?? 0,
        prev_revision: 0,
        lease: r.p_lease ?? 0,
        value: r.p_value ?? null,
      });
      const type = r.deleted ? "delete" : r.created ? "create" : "update";
      return type === "create" ? { type, kv } : { type, kv, prevKv };
    });
  }

  async #readRevision(requested?: number): Promise<number> {
    const current = await this.currentRevision();
    if (!requested || requested <= 0) return current;
    if (requested > current) throw new FutureRevisionError(requested, current);
    const compacted = await this.compactRevision();
    if (requested < compacted) throw new CompactedError(requested, compacted);
    return requested;
  }

  #write(op: WriteOp): Promise<Row> {
    if (this.#closed) return Promise.reject(new StoreError("store is closed"));
    return new Promise<Row>((resolve, reject) => {
      this.#queue.push({ op, resolve, reject });
      if (!this.#flushing) {
        this.#flushing = true;
        // Let every caller of this turn of the event loop join the batch (the next turn follows at once).
        setImmediate(() => this.#flush());
      }
    });
  }

  async #flush(): Promise<void> {
    try {
      while (this.#queue.length) {
        const batch = this.#queue.splice(0, BATCH);
        await this.#commit(batch);
        if (!this.#durability) this.#hub.wake();
      }
    } finally {
      this.#flushing = false;
    }
  }

  async #commit(batch: Pending[]): Promise<void> {
    let outcomes: (Row | Error)[];
    let last = 0;
    // Refusals (conflicts, already exists) were decided against the rows up to here: they wait for those too.
    let seen = 0;
    try {
      outcomes = await this.#dialect.writeTransaction(async (trx) => {
        // Under the write lock nobody else can insert, so the batch numbers its rows itself, gap-free,
        // and needs three statements however many writes it carries.
        const top = await trx.selectFrom("kine").select((eb) => eb.fn.max("id").as("rev")).executeTakeFirst();
        let revision = Number(top?.rev ?? 0);
        seen = revision;
        const latest = await this.#latest(trx, [...new Set(batch.map((p) => p.op.key))]);
        const rows: Row[] = [];
        const results = batch.map((pending) => {
          const outcome = nextRow(latest.get(pending.op.key), pending.op, revision + 1);
          if (!(outcome instanceof Error)) {
            revision++;
            rows.push(outcome);
            latest.set(outcome.name, outcome);
          }
          return outcome;
        });
        for (const chunk of insertChunks(rows)) {
          await trx.insertInto("kine").values(chunk).execute();
        }
        if (rows.length && this.#dialect.notify) await this.#dialect.notify(trx, revision);
        last = revision;
        return results;
      });
    } catch (error) {
      if (batch.length > 1 && !this.#dialect.isUnavailable(error)) {
        // One bad write must not fail the others it was batched with: retry each alone.
        for (const pending of batch) await this.#commit([pending]);
        return;
      }
      const failure = this.#mapError(error);
      for (const pending of batch) pending.reject(failure);
      return;
    }
    const settle = () =>
      outcomes.forEach((outcome, i) => outcome instanceof Error ? batch[i].reject(outcome) : batch[i].resolve(outcome));
    if (!this.#durability) return settle();
    // Acknowledged once on disk; meanwhile the next batch may commit.
    this.#durability.committed(last);
    this.#durability.until(Math.max(seen, last)).then(settle, (error) => {
      const failure = new UnavailableError(`datastore ${this.#dialect.name} could not sync: ${messageOf(error)}`, {
        cause: error,
      });
      for (const pending of batch) pending.reject(failure);
    });
  }

  /** The newest row of each key. */
  async #latest(trx: Transaction<KineDatabase>, keys: string[]): Promise<Map<string, Row>> {
    const latest = new Map<string, Row>();
    for (let i = 0; i < keys.length; i += BATCH) {
      const rows = await trx.selectFrom("kine as kv")
        .innerJoin(
          (eb) =>
            eb.selectFrom("kine").select((e) => e.fn.max("id").as("mid"))
              .where("name", "in", paddedToPowerOfTwo(keys.slice(i, i + BATCH))).groupBy("name").as("m"),
          (join) => join.onRef("kv.id", "=", "m.mid"),
        )
        .selectAll("kv").execute() as Row[];
      for (const row of rows) latest.set(row.name, row);
    }
    return latest;
  }

  async #guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw this.#mapError(error);
    }
  }

  #mapError(error: unknown): Error {
    if (error instanceof StoreError) return error;
    if (this.#dialect.isUnavailable(error)) {
      return new UnavailableError(`datastore ${this.#dialect.name} is unavailable: ${messageOf(error)}`, {
        cause: error,
      });
    }
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** The row `op` writes after `current` (the key's newest row), numbered `id`, or why it may not. */
function nextRow(current: Row | undefined, op: WriteOp, id: number): Row | Error {
  const live = current && !current.deleted ? current : undefined;
  if (op.kind === "create") {
    if (live) return new KeyExistsError(op.key);
    // After a delete the new version follows the tombstone, so (name, prev_revision) stays unique.
    const prev = current ? Number(current.id) : 0;
    return {
      id,
      name: op.key,
      created: 1,
      deleted: 0,
      create_revision: id,
      prev_revision: prev,
      lease: op.ttl,
      value: op.value,
    };
  }
  if (!live) return new KeyNotFoundError(op.key);
  if (op.expected !== undefined && Number(live.id) !== op.expected) {
    return new ConflictError(op.key, op.expected, toKeyValue(live));
  }
  // Every row has its columns in one order, so every INSERT of n rows is the same statement.
  const deleted = op.kind === "delete";
  return {
    id,
    name: op.key,
    created: 0,
    deleted: deleted ? 1 : 0,
    create_revision: toKeyValue(live).createRevision,
    prev_revision: Number(live.id),
    lease: deleted ? live.lease : op.ttl,
    value: deleted ? live.value : op.value,
  };
}

/** Most rows an INSERT carries (a power of two, see {@linkcode insertChunks}). */
const INSERT_ROWS = 128;

/**
 * Rows split so that no INSERT carries more than a few MiB or too many bound parameters, and into chunks of
 * power-of-two sizes: the statements a database prepares and keeps (SQLite's, each holding on to its last
 * parameters) then come in eight shapes rather than one per batch size.
 */
function* insertChunks(rows: Row[]): Generator<Row[]> {
  let chunk: Row[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = (row.value?.length ?? 0) + row.name.length;
    if (chunk.length && (chunk.length >= INSERT_ROWS || bytes + size > 4 * 1024 * 1024)) {
      yield* powerOfTwoChunks(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(row);
    bytes += size;
  }
  yield* powerOfTwoChunks(chunk);
}

function* powerOfTwoChunks(rows: Row[]): Generator<Row[]> {
  let start = 0;
  for (let size = INSERT_ROWS; size >= 1; size /= 2) {
    if (rows.length - start >= size) {
      yield rows.slice(start, start + size);
      start += size;
    }
  }
}

/**
 * `keys` made as long as the next power of two by repeating the last (an `IN` list means the same with a key twice),
 * so that the statements a database prepares and keeps come in a few lengths.
 */
function paddedToPowerOfTwo(keys: string[]): string[] {
  let length = 1;
  while (length < keys.length) length *= 2;
  if (keys.length === 0 || keys.length === length) return keys;
  return [...keys, ...Array(length - keys.length).fill(keys[keys.length - 1])];
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length) return messageOf(error.errors[0]);
  if (error instanceof Error) return error.message || (error as { code?: string }).code || error.name;
  return String(error);
}
