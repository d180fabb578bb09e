/**
 * The Store contract: the same behaviours, pinned by name, for every backend.
 *
 * Each backend's `*_test.ts` calls {@linkcode storeContract} with a way to open stores on one real
 * database. Tests share the database and keep to their own key prefix.
 */
import assert from "node:assert/strict";
import {
  CompactedError,
  ConflictError,
  FutureRevisionError,
  KeyExistsError,
  KeyNotFoundError,
  type Store,
  UnavailableError,
  type WatchEvent,
} from "../../datastore/mod.ts";

/** How a backend's test file plugs into the contract. */
export interface ContractTarget {
  /** A new Store on the shared database. */
  open(): Promise<Store>;
  /**
   * Whether several Stores (servers) may share the database. Not for the embedded SQLite: as in K3s,
   * one server owns its file, so "several writers" means concurrent callers of one Store there.
   */
  shared: boolean;
  /** Crash the database server, keeping its data (absent for the embedded SQLite)… */
  stopDatabase?(): Promise<void>;
  /** …and start it again. */
  startDatabase?(): Promise<void>;
}

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const options = { sanitizeOps: false, sanitizeResources: false };

/** Collects a watch's events in the background until `stop()`. */
export function collect(store: Store, prefix: string, fromRevision?: number) {
  const controller = new AbortController();
  const events: WatchEvent[] = [];
  let failure: unknown;
  const done = (async () => {
    try {
      for await (const batch of store.watch(prefix, { fromRevision, signal: controller.signal })) events.push(...batch);
    } catch (error) {
      failure = error;
    }
  })();
  return {
    events,
    get error() {
      return failure;
    },
    async until(predicate: (events: WatchEvent[]) => boolean, timeoutMs = 10_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(events)) {
        if (failure) throw failure;
        if (Date.now() > deadline) throw new Error(`watch on ${prefix} timed out with ${events.length} events`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      controller.abort();
      await done;
    },
  };
}

async function eventually<T>(fn: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Register the contract's tests for one backend. */
export function storeContract(backend: string, target: ContractTarget): void {
  const stores: Store[] = [];
  const open = async () => {
    const store = await target.open();
    stores.push(store);
    return store;
  };
  let shared: Store | undefined;
  const store = async () => shared ??= await open();
  const another = async () => target.shared ? await open() : await store();
  const test = (name: string, fn: () => Promise<void>) => Deno.test({ name: `${backend}: ${name}`, ...options, fn });

  test("create assigns increasing revisions and refuses an existing key", async () => {
    const s = await store();
    const a = await s.create("/c/create/a", enc("1"));
    const b = await s.create("/c/create/b", enc("2"));
    assert.ok(b.modRevision > a.modRevision);
    assert.equal(a.createRevision, a.modRevision);
    await assert.rejects(s.create("/c/create/a", enc("x")), KeyExistsError);
    const got = await s.get("/c/create/a");
    assert.equal(dec(got.kv!.value), "1");
    assert.ok(got.revision >= b.modRevision);
    assert.equal((await s.get("/c/create/none")).kv, undefined);
  });

  test("update and delete compare the mod revision", async () => {
    const s = await store();
    const v1 = await s.create("/c/cas/k", enc("1"));
    const v2 = await s.update("/c/cas/k", enc("2"), v1.modRevision);
    assert.equal(v2.createRevision, v1.modRevision);
    const conflict = await s.update("/c/cas/k", enc("3"), v1.modRevision).catch((e) => e);
    assert.ok(conflict instanceof ConflictError, String(conflict));
    assert.equal(conflict.current?.modRevision, v2.modRevision);
    assert.equal(dec(conflict.current!.value), "2");
    await assert.rejects(s.update("/c/cas/missing", enc("x"), 1), KeyNotFoundError);
    await assert.rejects(s.delete("/c/cas/k", v1.modRevision), ConflictError);
    const deleted = await s.delete("/c/cas/k", v2.modRevision);
    assert.equal(dec(deleted.prevKv.value), "2");
    assert.ok(deleted.revision > v2.modRevision);
    await assert.rejects(s.delete("/c/cas/k"), KeyNotFoundError);
    const again = await s.create("/c/cas/k", enc("new"));
    assert.equal(again.createRevision, again.modRevision);
    assert.ok(again.modRevision > deleted.revision);
  });

  test("get reads an older revision, refuses a future one", async () => {
    const s = await store();
    const v1 = await s.create("/c/history/k", enc("old"));
    await s.update("/c/history/k", enc("new"), v1.modRevision);
    assert.equal(dec((await s.get("/c/history/k", { revision: v1.modRevision })).kv!.value), "old");
    assert.equal(dec((await s.get("/c/history/k")).kv!.value), "new");
    const current = await s.currentRevision();
    await assert.rejects(s.get("/c/history/k", { revision: current + 1000 }), FutureRevisionError);
  });

  test("list pages stay consistent at one revision while writes continue", async () => {
    const s = await store();
    for (let i = 0; i < 25; i++) await s.create(`/c/list/${String(i).padStart(2, "0")}`, enc(String(i)));
    await s.create("/c/listing", enc("not under the prefix"));
    const first = await s.list("/c/list/", { limit: 10 });
    assert.equal(first.kvs.length, 10);
    assert.ok(first.more);
    // Writes after the first page must not show in later pages read at its revision.
    await s.create("/c/list/05a", enc("late"));
    await s.delete("/c/list/20");
    const keys = first.kvs.map((kv) => kv.key);
    let next = first;
    while (next.more) {
      const last = next.kvs[next.kvs.length - 1].key;
      next = await s.list("/c/list/", { limit: 10, revision: first.revision, startKey: last + "\0" });
      keys.push(...next.kvs.map((kv) => kv.key));
    }
    assert.deepEqual(keys, Array.from({ length: 25 }, (_, i) => `/c/list/${String(i).padStart(2, "0")}`));
    const now = await s.list("/c/list/");
    assert.equal(now.kvs.length, 25);
    assert.ok(now.kvs.some((kv) => kv.key === "/c/list/05a"));
    assert.equal((await s.count("/c/list/")).count, 25);
    assert.equal((await s.count("/c/list/", { revision: first.revision })).count, 25);
  });

  test("concurrent writers on several stores lose no update", async () => {
    const a = await store();
    const b = await another();
    await a.create("/c/counter", enc("0"));
    const increment = async (s: Store) => {
      while (true) {
        const { kv } = await s.get("/c/counter");
        try {
          await s.update("/c/counter", enc(String(Number(dec(kv!.value)) + 1)), kv!.modRevision);
          return;
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: 40 }, (_, i) => increment(i % 2 ? a : b)));
    assert.equal(dec((await a.get("/c/counter")).kv!.value), "40");
    assert.equal(dec((await b.get("/c/counter")).kv!.value), "40");
  });

  test("watch delivers every change in revision order, once, from every writer", async () => {
    const a = await store();
    const b = await another();
    const start = await a.currentRevision();
    const watcher = collect(a, "/c/watch/", start + 1);
    const writes = Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).create(`/c/watch/${i}`, enc(String(i))));
    const created = await Promise.all(writes);
    const updated = await a.update("/c/watch/0", enc("changed"), created[0].modRevision);
    const deleted = await b.delete("/c/watch/1");
    await a.create("/c/watchers/outside", enc("x"));
    await watcher.until((events) => events.length >= 62);
    await new Promise((r) => setTimeout(r, 300));
    await watcher.stop();
    const revisions = watcher.events.map((e) => e.kv.modRevision);
    assert.deepEqual(revisions, [...revisions].sort((x, y) => x - y), "in order");
    assert.equal(new Set(revisions).size, revisions.length, "no duplicates");
    assert.equal(watcher.events.length, 62);
    assert.ok(watcher.events.every((e) => e.kv.key.startsWith("/c/watch/")));
    const update = watcher.events.find((e) => e.kv.modRevision === updated.modRevision)!;
    assert.equal(update.type, "update");
    assert.equal(dec(update.prevKv!.value), "0");
    const del = watcher.events.find((e) => e.kv.modRevision === deleted.revision)!;
    assert.equal(del.type, "delete");
    assert.equal(del.kv.key, "/c/watch/1");
    assert.equal(dec(del.prevKv!.value), "1");
    assert.equal(watcher.events.filter((e) => e.type === "create").length, 60);
  });

  test("watch resumes from a past revision, then follows live writes", async () => {
    const s = await store();
    const first = await s.create("/c/resume/a", enc("a"));
    await s.create("/c/resume/b", enc("b"));
    await s.update("/c/resume/a", enc("a2"), first.modRevision);
    const watcher = collect(s, "/c/resume/", first.modRevision + 1);
    await watcher.until((events) => events.length >= 2);
    await s.create("/c/resume/c", enc("c"));
    await watcher.until((events) => events.length >= 3);
    await watcher.stop();
    assert.deepEqual(watcher.events.map((e) => `${e.type} ${e.kv.key}`), [
      "create /c/resume/b",
      "update /c/resume/a",
      "create /c/resume/c",
    ]);
  });

  test("compaction removes history: old revisions give a compacted error", async () => {
    const s = await store();
    let kv = await s.create("/c/compact/k", enc("0"));
    const old = kv.modRevision;
    for (let i = 1; i <= 20; i++) kv = await s.update("/c/compact/k", enc(String(i)), kv.modRevision);
    const gone = await s.create("/c/compact/gone", enc("x"));
    await s.delete("/c/compact/gone", gone.modRevision);
    await s.create("/c/compact/after", enc("y"));
    const target = kv.modRevision;
    await s.compact(target);
    assert.ok((await s.compactRevision()) >= target - 1);
    await assert.rejects(s.get("/c/compact/k", { revision: old }), CompactedError);
    const watcher = collect(s, "/c/compact/", old);
    await watcher.stop();
    assert.ok(watcher.error instanceof CompactedError, String(watcher.error));
    assert.equal(dec((await s.get("/c/compact/k")).kv!.value), "20");
    assert.equal((await s.get("/c/compact/gone")).kv, undefined);
    assert.equal((await s.list("/c/compact/")).kvs.length, 2);
    // A watch from after the compacted revision still works.
    const live = collect(s, "/c/compact/", await s.currentRevision());
    await live.until((events) => events.length >= 1);
    await live.stop();
  });

  test("database size stays bounded under churn with compaction", async () => {
    const s = await store();
    const value = enc("x".repeat(1024));
    const churn = async () => {
      const created = await Promise.all(Array.from({ length: 50 }, (_, i) => s.create(`/c/churn/${i}`, value)));
      let kvs = created;
      for (let round = 0; round < 10; round++) {
        kvs = await Promise.all(kvs.map((kv) => s.update(kv.key, value, kv.modRevision)));
      }
      await Promise.all(kvs.map((kv) => s.delete(kv.key, kv.modRevision)));
      await s.compact(await s.currentRevision());
    };
    await churn();
    const after1 = await s.size();
    await churn();
    await churn();
    const after3 = await s.size();
    assert.ok(after3 <= after1 * 1.5 + 256 * 1024, `size grew from ${after1} to ${after3} bytes`);
  });

  test("a key written with a TTL is deleted when it expires", async () => {
    const s = await store();
    const start = await s.currentRevision();
    const watcher = collect(s, "/c/ttl/", start + 1);
    await s.create("/c/ttl/event", enc("e"), { ttl: 1 });
    await s.create("/c/ttl/keep", enc("k"));
    await watcher.until((events) => events.some((e) => e.type === "delete"), 15_000);
    await watcher.stop();
    assert.equal((await s.get("/c/ttl/event")).kv, undefined);
    assert.equal(dec((await s.get("/c/ttl/keep")).kv!.value), "k");
  });

  if (target.stopDatabase && target.startDatabase) {
    const { stopDatabase, startDatabase } = target;
    test("a database restart: writes fail clearly meanwhile, watches resume without losing events", async () => {
      const s = await store();
      const start = await s.currentRevision();
      const watcher = collect(s, "/c/restart/", start + 1);
      await s.create("/c/restart/before", enc("1"));
      await stopDatabase();
      const failure = await s.create("/c/restart/during", enc("2")).catch((e) => e);
      assert.ok(failure instanceof UnavailableError, `expected UnavailableError, got ${failure}`);
      await startDatabase();
      await eventually(() => s.create("/c/restart/after", enc("3")));
      const b = await another();
      await b.create("/c/restart/other", enc("4"));
      await watcher.until((events) => events.length >= 3, 20_000);
      await watcher.stop();
      assert.deepEqual(watcher.events.map((e) => e.kv.key), [
        "/c/restart/before",
        "/c/restart/after",
        "/c/restart/other",
      ]);
    });
  }

  Deno.test({
    name: `${backend}: close every store`,
    ...options,
    fn: async () => {
      await Promise.all(stores.map((s) => s.close()));
    },
  });
}
