// Informers over the real REST layer and SQLite: list then watch, resume after a dropped watch,
// relist after 410, indexes, transforms.
import assert from "node:assert/strict";
import { Informer, stripManagedFields } from "../../../core/operator/informer.ts";
import { Manager } from "../../../core/operator/manager.ts";
import { NAMESPACE_INDEX } from "../../../core/operator/cache/indexer.ts";
import type { KubeObject } from "../../../core/operator/source.ts";
import { eventually, setup } from "./rest_source.ts";

const options = { sanitizeOps: false, sanitizeResources: false };
const cm = (name: string, labels: Record<string, string> = {}) => ({ metadata: { name, labels }, data: { k: name } });

Deno.test({
  name: "informer: fills the cache from the list, then applies watch events",
  ...options,
  fn: async () => {
    const env = await setup();
    const stop = new AbortController();
    try {
      await env.rest.create(env.configmaps, "default", cm("a"));
      await env.rest.create(env.configmaps, "default", cm("b"));
      const informer = new Informer(env.source(env.configmaps));
      const seen: string[] = [];
      informer.addHandler({
        add: (o) => seen.push(`add ${o.metadata!.name}`),
        update: (_, o) => seen.push(`update ${o.metadata!.name}`),
        delete: (o) => seen.push(`delete ${o.metadata!.name}`),
      });
      const run = informer.run(stop.signal);
      await informer.synced;
      assert.deepEqual(informer.indexer.keys().sort(), ["default/a", "default/b"]);
      await env.rest.create(env.configmaps, "default", cm("c"));
      await env.rest.patch(env.configmaps, "default", "a", "merge", { data: { k: "changed" } });
      await env.rest.delete(env.configmaps, "default", "b");
      await eventually(() => seen.length === 5, "five events");
      assert.deepEqual(seen, ["add a", "add b", "add c", "update a", "delete b"]);
      assert.equal(informer.indexer.get("default/a")!.data.k, "changed");
      assert.equal(informer.indexer.get("default/b"), undefined);
      const current = await env.store.currentRevision();
      assert.equal(informer.resourceVersion, String(current));
      stop.abort();
      await run;
    } finally {
      stop.abort();
      await env.store.close();
    }
  },
});

Deno.test({
  name: "informer: a watch that ends is resumed from the last resourceVersion without a relist",
  ...options,
  fn: async () => {
    const env = await setup();
    const stop = new AbortController();
    try {
      const source = env.source(env.configmaps);
      const informer = new Informer(source, { initialBackoffMs: 5 });
      const run = informer.run(stop.signal);
      await informer.synced;
      await env.rest.create(env.configmaps, "default", cm("a"));
      await eventually(() => informer.indexer.size === 1, "a cached");
      const rv = informer.resourceVersion;
      source.cut(true);
      await env.rest.create(env.configmaps, "default", cm("b")); // happens while disconnected
      source.resume();
      await eventually(() => informer.indexer.size === 2, "b cached after reconnect");
      assert.equal(source.resumedFrom.at(-1), rv, "reconnected from the last version seen");
      assert.equal(informer.lists, 1, "no relist was needed");
      stop.abort();
      await run;
    } finally {
      stop.abort();
      await env.store.close();
    }
  },
});

Deno.test({
  name: "informer: relists after a 410 and reports deletions it missed",
  ...options,
  fn: async () => {
    const env = await setup();
    const stop = new AbortController();
    try {
      await env.rest.create(env.configmaps, "default", cm("a"));
      await env.rest.create(env.configmaps, "default", cm("b"));
      const source = env.source(env.configmaps);
      const informer = new Informer(source, { initialBackoffMs: 5 });
      const deleted: string[] = [];
      informer.addHandler({ delete: (o) => deleted.push(o.metadata!.name!) });
      const run = informer.run(stop.signal);
      await informer.synced;
      source.cut(true);
      await env.rest.delete(env.configmaps, "default", "a");
      await env.rest.create(env.configmaps, "default", cm("c"));
      await env.rest.patch(env.configmaps, "default", "c", "merge", { data: { k: "x" } });
      // Compacting past where the informer stopped makes its resume point history the store no longer has.
      await env.store.compact(await env.store.currentRevision());
      source.resume();
      await eventually(() => informer.lists === 2, "a relist");
      await eventually(() => informer.indexer.size === 2, "cache matches the store");
      assert.deepEqual(informer.indexer.keys().sort(), ["default/b", "default/c"]);
      assert.deepEqual(deleted, ["a"]);
      assert.equal(informer.indexer.get("default/c")!.data.k, "x");
      // And it keeps watching from the relisted version.
      await env.rest.create(env.configmaps, "default", cm("d"));
      await eventually(() => informer.indexer.size === 3, "d cached after the relist");
      stop.abort();
      await run;
    } finally {
      stop.abort();
      await env.store.close();
    }
  },
});

Deno.test({
  name: "informer: indexes objects by namespace and by a custom index, following updates",
  ...options,
  fn: async () => {
    const env = await setup();
    const stop = new AbortController();
    try {
      await env.rest.create(env.namespaces, undefined, { metadata: { name: "other" } });
      await env.rest.create(env.configmaps, "default", cm("a", { app: "web" }));
      await env.rest.create(env.configmaps, "default", cm("b", { app: "db" }));
      await env.rest.create(env.configmaps, "other", cm("c", { app: "web" }));
      const informer = new Informer(env.source(env.configmaps), {
        indexers: { app: (o: KubeObject) => o.metadata?.labels?.app ? [o.metadata.labels.app] : [] },
      });
      const run = informer.run(stop.signal);
      await informer.synced;
      const names = (objects: KubeObject[]) => objects.map((o) => o.metadata!.name).sort();
      assert.deepEqual(names(informer.indexer.byIndex(NAMESPACE_INDEX, "default")), ["a", "b"]);
      assert.deepEqual(names(informer.indexer.byIndex(NAMESPACE_INDEX, "other")), ["c"]);
      assert.deepEqual(names(informer.indexer.byIndex("app", "web")), ["a", "c"]);
      await env.rest.patch(env.configmaps, "default", "b", "merge", { metadata: { labels: { app: "web" } } });
      await env.rest.delete(env.configmaps, "other", "c");
      await eventually(() => informer.indexer.size === 2, "c deleted");
      assert.deepEqual(names(informer.indexer.byIndex("app", "web")), ["a", "b"]);
      assert.deepEqual(informer.indexer.byIndex("app", "db"), []);
      assert.deepEqual(informer.indexer.byIndex(NAMESPACE_INDEX, "other"), []);
      stop.abort();
      await run;
    } finally {
      stop.abort();
      await env.store.close();
    }
  },
});

Deno.test({
  name: "informer: a transform shapes every object before it is cached or handed to a handler",
  ...options,
  fn: async () => {
    const env = await setup();
    const stop = new AbortController();
    try {
      await env.rest.create(env.configmaps, "default", cm("listed"));
      const informer = new Informer(env.source(env.configmaps), { transform: stripManagedFields });
      const handled: KubeObject[] = [];
      informer.addHandler({ add: (o) => handled.push(o), update: (_, o) => handled.push(o) });
      const run = informer.run(stop.signal);
      await informer.synced;
      await env.rest.create(env.configmaps, "default", cm("watched"));
      await eventually(() => handled.length === 2, "both objects");
      for (const object of [...handled, ...informer.indexer.list()]) {
        assert.equal(object.metadata?.managedFields, undefined, `${object.metadata?.name}`);
      }
      assert.ok((await env.rest.get(env.configmaps, "default", "watched")).metadata?.managedFields);
      stop.abort();
      await run;
    } finally {
      stop.abort();
      await env.store.close();
    }
  },
});

Deno.test({
  name: "manager: the shared caches keep no managedFields, as kube-controller-manager's keep none",
  ...options,
  fn: async () => {
    const env = await setup();
    const stop = new AbortController();
    try {
      await env.rest.create(env.configmaps, "default", cm("a"));
      const manager = new Manager({ source: env.source });
      const informer = manager.informer(env.configmaps);
      const done = manager.start(stop.signal);
      await informer.synced;
      assert.equal(manager.cache(env.configmaps).get("default/a")?.metadata?.managedFields, undefined);
      stop.abort();
      await done;
    } finally {
      stop.abort();
      await env.store.close();
    }
  },
});
