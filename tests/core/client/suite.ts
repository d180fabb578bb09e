// The behaviours every Client transport must share, run against a real server by client_test.ts.
import assert from "node:assert/strict";
import type { V1ConfigMap, V1Deployment } from "@kubernetes/client-node";
import {
  ApiError,
  type Client,
  isAlreadyExists,
  isConflict,
  isNotFound,
  type WatchEvent,
} from "../../../core/client/mod.ts";

const CONFIGMAP = { apiVersion: "v1", kind: "ConfigMap" } as const;
const DEPLOYMENT = { apiVersion: "apps/v1", kind: "Deployment" } as const;

function configMap(name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}): V1ConfigMap {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default", labels }, data };
}

function deployment(name: string): V1Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "default" },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name: "web", image: "nginx:1.25" }, { name: "sidecar", image: "busybox:1.36" }],
        },
      },
    },
  };
}

async function rejects(promise: Promise<unknown>, predicate: (e: unknown) => boolean, what: string): Promise<void> {
  await assert.rejects(promise, (e) => {
    assert.ok(predicate(e), `expected ${what}, got ${e}`);
    return true;
  });
}

/** Runs each behaviour as a step of `t` against `client`. */
export async function clientBehaviours(t: Deno.TestContext, client: Client): Promise<void> {
  await t.step("create returns the stored object and get reads it back; a second create is AlreadyExists", async () => {
    const created = await client.create(configMap("crud", {}, { a: "1" }));
    assert.ok(created.metadata?.uid);
    assert.ok(created.metadata?.resourceVersion);
    const read = await client.get<V1ConfigMap>(CONFIGMAP, "default", "crud");
    assert.deepEqual(read.data, { a: "1" });
    assert.equal(read.metadata?.resourceVersion, created.metadata?.resourceVersion);
    await rejects(client.create(configMap("crud")), isAlreadyExists, "AlreadyExists");
  });

  await t.step("list with a label selector returns only the matching objects", async () => {
    await client.create(configMap("pick-1", { tier: "front" }));
    await client.create(configMap("pick-2", { tier: "front" }));
    await client.create(configMap("skip-1", { tier: "back" }));
    const list = await client.list<V1ConfigMap>(CONFIGMAP, "default", { labelSelector: "tier=front" });
    assert.deepEqual(list.items.map((c) => c.metadata?.name).sort(), ["pick-1", "pick-2"]);
    assert.ok(list.metadata.resourceVersion);
    const page = await client.list<V1ConfigMap>(CONFIGMAP, "default", { labelSelector: "tier", limit: 2 });
    assert.equal(page.items.length, 2);
    assert.ok(page.metadata.continue, "a limited list hands back a continue token");
    const next = await client.list<V1ConfigMap>(CONFIGMAP, "default", {
      labelSelector: "tier",
      limit: 2,
      continue: page.metadata.continue,
    });
    assert.equal(next.items.length, 1);
  });

  await t.step("update with a stale resourceVersion is a Conflict; with the current one it succeeds", async () => {
    const original = await client.create(configMap("race", {}, { v: "0" }));
    const first = await client.update({ ...original, data: { v: "1" } });
    assert.notEqual(first.metadata?.resourceVersion, original.metadata?.resourceVersion);
    await rejects(client.update({ ...original, data: { v: "2" } }), isConflict, "Conflict");
    const second = await client.update({ ...first, data: { v: "2" } });
    assert.deepEqual(second.data, { v: "2" });
  });

  await t.step("merge, JSON and strategic patches change only what they name", async () => {
    await client.create(configMap("patched", {}, { keep: "yes", drop: "yes" }));
    const merged = await client.patch<V1ConfigMap>(CONFIGMAP, "default", "patched", "merge", {
      data: { drop: null, added: "1" },
    });
    assert.deepEqual(merged.data, { keep: "yes", added: "1" });
    const jsonPatched = await client.patch<V1ConfigMap>(CONFIGMAP, "default", "patched", "json", [
      { op: "replace", path: "/data/keep", value: "still" },
    ]);
    assert.equal(jsonPatched.data?.keep, "still");

    await client.create(deployment("smp"));
    const patched = await client.patch<V1Deployment>(DEPLOYMENT, "default", "smp", "strategic", {
      spec: { template: { spec: { containers: [{ name: "web", image: "nginx:1.27" }] } } },
    });
    // Strategic merge matches containers by name: the sidecar survives, only web's image changes.
    assert.deepEqual(
      patched.spec?.template.spec?.containers.map((c) => `${c.name}=${c.image}`),
      ["web=nginx:1.27", "sidecar=busybox:1.36"],
    );
  });

  await t.step("delete removes the object; get and delete afterwards are NotFound", async () => {
    await client.create(configMap("doomed"));
    await client.delete(CONFIGMAP, "default", "doomed", { propagationPolicy: "Background" });
    await rejects(client.get(CONFIGMAP, "default", "doomed"), isNotFound, "NotFound");
    await rejects(client.delete(CONFIGMAP, "default", "doomed"), isNotFound, "NotFound");
  });

  await t.step("delete with a stale resourceVersion precondition is a Conflict", async () => {
    const created = await client.create(configMap("guarded"));
    await client.update({ ...created, data: { changed: "1" } });
    await rejects(
      client.delete(CONFIGMAP, "default", "guarded", {
        preconditions: { resourceVersion: created.metadata?.resourceVersion },
      }),
      isConflict,
      "Conflict",
    );
  });

  await t.step("updateStatus on a Deployment changes the status and leaves the spec alone", async () => {
    const created = await client.create(deployment("status"));
    const updated = await client.updateStatus<V1Deployment>({
      ...created,
      spec: { ...created.spec!, replicas: 7 },
      status: { replicas: 2, readyReplicas: 1, observedGeneration: 1 },
    });
    assert.equal(updated.status?.readyReplicas, 1);
    assert.equal(updated.spec?.replicas, 2);
    const read = await client.get<V1Deployment>(DEPLOYMENT, "default", "status");
    assert.equal(read.spec?.replicas, 2);
    assert.equal(read.status?.readyReplicas, 1);
  });

  await t.step("watch delivers ADDED, MODIFIED, DELETED in order and ends when its signal aborts", async () => {
    const start = await client.list(CONFIGMAP, "default", { labelSelector: "watched=yes" });
    const abort = new AbortController();
    const seen: string[] = [];
    let resolveThree!: () => void;
    const three = new Promise<void>((resolve) => resolveThree = resolve);
    const consumed = (async () => {
      const events: AsyncIterable<WatchEvent<V1ConfigMap>> = client.watch<V1ConfigMap>(CONFIGMAP, "default", {
        labelSelector: "watched=yes",
        resourceVersion: start.metadata.resourceVersion,
        signal: abort.signal,
      });
      for await (const event of events) {
        seen.push(`${event.type} ${event.object.metadata?.name} ${event.object.data?.v ?? ""}`.trim());
        if (seen.length === 3) resolveThree();
      }
    })();
    const created = await client.create(configMap("w", { watched: "yes" }, { v: "1" }));
    await client.update({ ...created, data: { v: "2" } });
    await client.delete(CONFIGMAP, "default", "w");
    await withTimeout(three, "three watch events");
    abort.abort();
    await withTimeout(consumed, "the watch to end after abort");
    assert.deepEqual(seen, ["ADDED w 1", "MODIFIED w 2", "DELETED w 2"]);
  });

  await t.step("a watch ends by itself when the server's timeoutSeconds elapse", async () => {
    const events = client.watch(CONFIGMAP, "default", { labelSelector: "never=seen", timeoutSeconds: 1 });
    const types = await withTimeout(
      (async () => {
        const seen: string[] = [];
        for await (const event of events) seen.push(event.type);
        return seen;
      })(),
      "the server to end the watch",
    );
    assert.deepEqual(types, []);
  });

  await t.step("a cluster-scoped kind is addressed without a namespace", async () => {
    const ns = await client.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "client-ns" } });
    assert.equal(ns.metadata?.name, "client-ns");
    const read = await client.get({ apiVersion: "v1", kind: "Namespace" }, undefined, "client-ns");
    assert.equal((read.metadata as { name?: string }).name, "client-ns");
  });

  await t.step("an invalid object is refused as Invalid, its causes naming each field with a reason", async () => {
    const bad = { ...configMap("Not_A_Name"), data: { "bad key!": "x" } };
    await assert.rejects(client.create(bad), (e) => {
      assert.ok(e instanceof ApiError, `expected an ApiError, got ${e}`);
      assert.equal(e.code, 422);
      assert.equal(e.reason, "Invalid");
      const causes = (e.status.details?.causes ?? []) as { reason?: string; field?: string }[];
      assert.ok(causes.length >= 2, JSON.stringify(causes));
      for (const cause of causes) assert.equal(cause.reason, "FieldValueInvalid", JSON.stringify(cause));
      assert.deepEqual(causes.map((c) => c.field).sort(), ["data[bad key!]", "metadata.name"]);
      return true;
    });
  });

  await t.step("what the client sends stays as it was, and what it gets back is its own", async () => {
    const sent = configMap("owned", { tier: "a" }, { k: "v" });
    const before = structuredClone(sent);
    const created = await client.create(sent);
    assert.deepEqual(sent, before);
    created.data!.k = "changed locally";
    assert.equal((await client.get<V1ConfigMap>(CONFIGMAP, "default", "owned")).data?.k, "v");
  });

  await t.step("two watches of one change each get an object of their own", async () => {
    const from = (await client.list(CONFIGMAP, "default")).metadata.resourceVersion;
    const stop = new AbortController();
    const first = (async () => {
      for await (
        const e of client.watch<V1ConfigMap>(CONFIGMAP, "default", { resourceVersion: from, signal: stop.signal })
      ) {
        return e.object;
      }
    })();
    const second = (async () => {
      for await (
        const e of client.watch<V1ConfigMap>(CONFIGMAP, "default", { resourceVersion: from, signal: stop.signal })
      ) {
        return e.object;
      }
    })();
    await client.create(configMap("watched", {}, { k: "v" }));
    const [one, two] = await withTimeout(Promise.all([first, second]), "both watches");
    stop.abort();
    one!.data!.k = "changed by one watcher";
    assert.equal(two!.data?.k, "v");
  });
}

async function withTimeout<T>(promise: Promise<T>, what: string, ms = 10_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
