// Rest over a real SQLite store: list paging and selectors, watch start points, compaction, generation.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../../datastore/mod.ts";
import { Rest, type WireEvent } from "../../../core/api/rest.ts";
import { BuiltinStrategy } from "../../../core/api/strategy.ts";
import { StatusError } from "../../../core/api/status.ts";
import type { KubeObject } from "../../../core/api/storage.ts";
import { Registry } from "../../../core/registry/registry.ts";

const options = { sanitizeOps: false, sanitizeResources: false };

async function setup() {
  const store = await openStore("", { defaultSqlitePath: join(mkdtempSync(join(tmpdir(), "k3s-rest-")), "db") });
  const registry = new Registry();
  const rest = new Rest(store, new BuiltinStrategy(store));
  const namespaces = registry.resolve("", "v1", "namespaces")!;
  await rest.create(namespaces, undefined, { metadata: { name: "default" } });
  return {
    store,
    rest,
    configmaps: registry.resolve("", "v1", "configmaps")!,
    deployments: registry.resolve("apps", "v1", "deployments")!,
    pods: registry.resolve("", "v1", "pods")!,
  };
}

const cm = (name: string, labels: Record<string, string> = {}): KubeObject => ({
  metadata: { name, labels },
  data: { k: name },
});

async function take(events: AsyncGenerator<WireEvent>, n: number): Promise<WireEvent[]> {
  const out: WireEvent[] = [];
  for await (const e of events) {
    out.push(e);
    if (out.length === n) break;
  }
  return out;
}

Deno.test({
  name: "rest: a selective limited list pages by continue token at one revision",
  ...options,
  fn: async () => {
    const { store, rest, configmaps } = await setup();
    try {
      for (let i = 0; i < 30; i++) {
        await rest.create(configmaps, "default", cm(`c${String(i).padStart(2, "0")}`, { even: String(i % 2 === 0) }));
      }
      const names: string[] = [];
      let page = await rest.list(configmaps, "default", { labelSelector: "even=true", limit: 4 });
      const rv = (page.metadata as { resourceVersion: string }).resourceVersion;
      while (true) {
        names.push(...(page.items as KubeObject[]).map((o) => o.metadata!.name!));
        const token = (page.metadata as { continue?: string }).continue;
        if (!token) break;
        await rest.create(configmaps, "default", cm(`late-${names.length}`, { even: "true" }));
        page = await rest.list(configmaps, "default", { labelSelector: "even=true", limit: 4, continue: token });
        assert.equal((page.metadata as { resourceVersion: string }).resourceVersion, rv);
      }
      assert.equal(names.length, 15);
      assert.ok(names.every((n) => /^c\d\d$/.test(n) && Number(n.slice(1)) % 2 === 0));
    } finally {
      await store.close();
    }
  },
});

Deno.test({
  name: "rest: watch from resourceVersion 0 replays as ADDED, from a list's version sends only later changes",
  ...options,
  fn: async () => {
    const { store, rest, configmaps } = await setup();
    try {
      await rest.create(configmaps, "default", cm("before"));
      const list = await rest.list(configmaps, "default");
      const fromZero = rest.watch(configmaps, "default", { resourceVersion: "0" });
      const fromList = rest.watch(configmaps, "default", {
        resourceVersion: (list.metadata as { resourceVersion: string }).resourceVersion,
      });
      const seen = take(fromList, 2);
      assert.deepEqual((await take(fromZero, 1)).map((e) => `${e.type} ${e.object.metadata!.name}`), ["ADDED before"]);
      const after = await rest.create(configmaps, "default", cm("after"));
      await rest.patch(configmaps, "default", "after", "merge", { data: { k: "changed" } });
      assert.deepEqual((await seen).map((e) => `${e.type} ${e.object.metadata!.name}`), [
        "ADDED after",
        "MODIFIED after",
      ]);
      assert.equal(after.metadata!.name, "after");
      await fromZero.return(undefined);
    } finally {
      await store.close();
    }
  },
});

Deno.test({
  name: "rest: a watch leaving its label selection sees DELETED, a compacted version an ERROR 410",
  ...options,
  fn: async () => {
    const { store, rest, configmaps } = await setup();
    try {
      await rest.create(configmaps, "default", cm("sel", { team: "a" }));
      const start = await store.currentRevision();
      const watch = rest.watch(configmaps, "default", { labelSelector: "team=a", resourceVersion: String(start) });
      const events = take(watch, 1);
      await rest.patch(configmaps, "default", "sel", "merge", { metadata: { labels: { team: "b" } } });
      assert.deepEqual((await events).map((e) => e.type), ["DELETED"]);
      for (let i = 0; i < 5; i++) await rest.patch(configmaps, "default", "sel", "merge", { data: { k: String(i) } });
      await store.compact(await store.currentRevision());
      const old = await take(rest.watch(configmaps, "default", { resourceVersion: String(start) }), 1);
      assert.equal(old[0].type, "ERROR");
      assert.equal((old[0].object as { code?: number }).code, 410);
      assert.equal((old[0].object as { reason?: string }).reason, "Expired");
    } finally {
      await store.close();
    }
  },
});

Deno.test({
  name: "rest: timeoutSeconds ends a watch; a stale resourceVersion on update is a 409",
  ...options,
  fn: async () => {
    const { store, rest, configmaps, deployments } = await setup();
    try {
      const started = Date.now();
      const events = await take(
        rest.watch(configmaps, "default", {
          resourceVersion: String(await store.currentRevision()),
          timeoutSeconds: 1,
        }),
        1,
      );
      assert.deepEqual(events, []);
      assert.ok(Date.now() - started >= 900);
      const created = await rest.create(configmaps, "default", cm("cas"));
      await rest.patch(configmaps, "default", "cas", "merge", { data: { k: "2" } });
      await assert.rejects(
        rest.update(configmaps, "default", "cas", { ...created, data: { k: "3" } }),
        (e) => e instanceof StatusError && e.code === 409 && /the object has been modified/.test(e.message),
      );
      const d = await rest.create(deployments, "default", {
        metadata: { name: "d" },
        spec: {
          selector: { matchLabels: { a: "b" } },
          template: { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "c", image: "busybox" }] } },
        },
      });
      assert.equal(d.metadata!.generation, 1);
      const labelled = await rest.patch(deployments, "default", "d", "merge", { metadata: { labels: { x: "y" } } });
      assert.equal(labelled.metadata!.generation, 1, "metadata changes keep the generation");
      const scaled = await rest.patch(deployments, "default", "d", "merge", { spec: { replicas: 5 } });
      assert.equal(scaled.metadata!.generation, 2, "spec changes bump it");
    } finally {
      await store.close();
    }
  },
});

const pod = (name: string, nodeName?: string): KubeObject => ({
  metadata: { name },
  spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: "c", image: "busybox" }] },
});

Deno.test({
  name: "rest: deleting a pod bound to a node leaves it terminating for its grace period; grace 0 removes it",
  ...options,
  fn: async () => {
    const { store, rest, pods } = await setup();
    try {
      await rest.create(pods, "default", pod("bound", "n1"));
      const marked = await rest.delete(pods, "default", "bound");
      assert.equal(marked.metadata!.deletionGracePeriodSeconds, 30);
      const left = Date.parse(marked.metadata!.deletionTimestamp as string) - Date.now();
      assert.ok(left > 25_000 && left <= 30_000, `deletionTimestamp is now + 30 s (${left} ms)`);
      // The node's status writes do not finish the deletion; a second DELETE only shortens it.
      await rest.patch(pods, "default", "bound", "merge", { status: { phase: "Running" } }, { subresource: "status" });
      assert.equal(
        (await rest.delete(pods, "default", "bound", { gracePeriodSeconds: 60 })).metadata!
          .deletionGracePeriodSeconds,
        30,
      );
      assert.equal(
        (await rest.delete(pods, "default", "bound", { gracePeriodSeconds: 5 })).metadata!
          .deletionGracePeriodSeconds,
        5,
      );
      await rest.delete(pods, "default", "bound", { gracePeriodSeconds: 0 });
      await assert.rejects(rest.get(pods, "default", "bound"), (e: StatusError) => e.code === 404);
    } finally {
      await store.close();
    }
  },
});

Deno.test({
  name: "rest: an unscheduled or finished pod is deleted at once",
  ...options,
  fn: async () => {
    const { store, rest, pods } = await setup();
    try {
      await rest.create(pods, "default", pod("pending"));
      await rest.delete(pods, "default", "pending");
      await assert.rejects(rest.get(pods, "default", "pending"), (e: StatusError) => e.code === 404);
      await rest.create(pods, "default", pod("done", "n1"));
      await rest.patch(pods, "default", "done", "merge", { status: { phase: "Succeeded" } }, { subresource: "status" });
      await rest.delete(pods, "default", "done");
      await assert.rejects(rest.get(pods, "default", "done"), (e: StatusError) => e.code === 404);
    } finally {
      await store.close();
    }
  },
});

Deno.test({
  name: "rest: a write starting from a version another server replaced goes through on a fresh read",
  ...options,
  fn: async () => {
    const { store, rest, configmaps } = await setup();
    // Another API server sharing the datastore: this Rest never sees its writes but in the store.
    const other = new Rest(store, new BuiltinStrategy(store));
    try {
      await rest.create(configmaps, "default", cm("shared"));
      await other.patch(configmaps, "default", "shared", "merge", { data: { other: "1" } });
      const patched = await rest.patch(configmaps, "default", "shared", "merge", { data: { mine: "1" } });
      assert.deepEqual(patched.data, { k: "shared", other: "1", mine: "1" });
      // What this Rest last wrote, written again after the other server changed it, is a change: it is stored.
      await other.patch(configmaps, "default", "shared", "merge", { data: { other: "2" } });
      const { resourceVersion: _, ...meta } = patched.metadata!;
      const again = await rest.update(configmaps, "default", "shared", { ...patched, metadata: meta });
      assert.deepEqual(again.data, { k: "shared", other: "1", mine: "1" });
      assert.deepEqual((await other.get(configmaps, "default", "shared")).data, again.data);
      // A precondition on the version the other server wrote holds.
      const current = await other.get(configmaps, "default", "shared");
      await other.patch(configmaps, "default", "shared", "merge", { data: { other: "3" } });
      await assert.rejects(
        rest.update(configmaps, "default", "shared", current),
        (e) => e instanceof StatusError && e.status.reason === "Conflict",
      );
      const latest = await other.get(configmaps, "default", "shared");
      const updated = await rest.update(configmaps, "default", "shared", { ...latest, data: { k: "last" } });
      assert.deepEqual(updated.data, { k: "last" });
    } finally {
      await store.close();
    }
  },
});

Deno.test({
  name: "rest: a write to an object another server deleted is NotFound",
  ...options,
  fn: async () => {
    const { store, rest, configmaps } = await setup();
    const other = new Rest(store, new BuiltinStrategy(store));
    try {
      await rest.create(configmaps, "default", cm("gone"));
      await other.delete(configmaps, "default", "gone");
      await assert.rejects(
        rest.patch(configmaps, "default", "gone", "merge", { data: { x: "1" } }),
        (e) => e instanceof StatusError && e.status.reason === "NotFound",
      );
    } finally {
      await store.close();
    }
  },
});

Deno.test({
  name: "rest: every watcher of a change gets an object of its own",
  ...options,
  fn: async () => {
    const { store, rest, configmaps } = await setup();
    try {
      const from = await store.currentRevision();
      const first = rest.watch(configmaps, "default", { resourceVersion: String(from) });
      const second = rest.watch(configmaps, "default", { resourceVersion: String(from) });
      const [a, b] = [take(first, 1), take(second, 1)];
      await rest.create(configmaps, "default", cm("seen"));
      const [[one], [two]] = await Promise.all([a, b]);
      assert.notEqual(one.object, two.object);
      (one.object.data as Record<string, string>).k = "changed by one watcher";
      assert.equal((two.object.data as Record<string, string>).k, "seen");
    } finally {
      await store.close();
    }
  },
});

Deno.test({
  name: "rest: a watch whose signal was aborted before it started ends at once",
  ...options,
  fn: async () => {
    const { store, rest, configmaps } = await setup();
    try {
      const events = rest.watch(configmaps, "default", {
        resourceVersion: String(await store.currentRevision()),
        allowWatchBookmarks: true,
        signal: AbortSignal.abort(),
      });
      assert.deepEqual(await take(events, 1), []);
    } finally {
      await store.close();
    }
  },
});
