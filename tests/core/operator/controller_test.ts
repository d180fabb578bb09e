// Controllers built with for / owns / watches, run by a Manager over the real REST layer and SQLite.
import assert from "node:assert/strict";
import { controller, type Request } from "../../../core/operator/controller.ts";
import { Manager } from "../../../core/operator/manager.ts";
import { ExponentialBackoff } from "../../../core/operator/workqueue.ts";
import { eventually, setup } from "./rest_source.ts";

const options = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  name: "controller: for(configmaps).owns(secrets) reconciles the owner when an owned Secret changes",
  ...options,
  fn: async () => {
    const env = await setup();
    const stop = new AbortController();
    try {
      const owner = await env.rest.create(env.configmaps, "default", { metadata: { name: "owner" } });
      await env.rest.create(env.configmaps, "default", { metadata: { name: "bystander" } });
      const manager = new Manager({ source: env.source });
      const reconciled: string[] = [];
      manager.add(
        controller("demo").for(env.configmaps).owns(env.secrets).complete((req) => {
          reconciled.push(req.key);
        }),
      );
      const done = manager.start(stop.signal);
      await eventually(() => reconciled.length === 2, "initial reconciles");
      assert.deepEqual(reconciled.sort(), ["default/bystander", "default/owner"]);
      reconciled.length = 0;

      const ref = { apiVersion: "v1", kind: "ConfigMap", name: "owner", uid: owner.metadata!.uid!, controller: true };
      await env.rest.create(env.secrets, "default", { metadata: { name: "s", ownerReferences: [ref] } });
      await eventually(() => reconciled.length === 1, "reconcile for the new Secret");
      assert.deepEqual(reconciled, ["default/owner"]);
      await env.rest.patch(env.secrets, "default", "s", "merge", { data: { k: "dg==" } });
      await eventually(() => reconciled.length === 2, "reconcile for the changed Secret");
      await env.rest.delete(env.secrets, "default", "s");
      await eventually(() => reconciled.length === 3, "reconcile for the deleted Secret");
      assert.deepEqual(reconciled, ["default/owner", "default/owner", "default/owner"]);

      // A Secret without a controller reference, or owned by another kind, is not our business.
      const notController = { ...ref, controller: false };
      await env.rest.create(env.secrets, "default", { metadata: { name: "t", ownerReferences: [notController] } });
      const otherKind = { ...ref, apiVersion: "apps/v1", kind: "Deployment" };
      await env.rest.create(env.secrets, "default", { metadata: { name: "u", ownerReferences: [otherKind] } });
      await env.rest.patch(env.configmaps, "default", "bystander", "merge", { data: { a: "b" } });
      await eventually(() => reconciled.length === 4, "the bystander's own change");
      assert.deepEqual(reconciled.at(-1), "default/bystander");
      stop.abort();
      await done;
    } finally {
      stop.abort();
      await env.store.close();
    }
  },
});

Deno.test({
  name: "controller: watches(kind, map) reconciles what the mapping function names",
  ...options,
  fn: async () => {
    const env = await setup();
    const stop = new AbortController();
    try {
      await env.rest.create(env.configmaps, "default", { metadata: { name: "a", labels: { app: "web" } } });
      await env.rest.create(env.configmaps, "default", { metadata: { name: "b", labels: { app: "db" } } });
      const manager = new Manager({ source: env.source });
      const reconciled: Request[] = [];
      manager.add(
        controller("by-label")
          .for(env.configmaps)
          .watches(env.secrets, (secret) =>
            manager.cache(env.configmaps).list()
              .filter((c) => c.metadata?.labels?.app === secret.metadata?.labels?.app)
              .map((c) => ({ namespace: c.metadata!.namespace, name: c.metadata!.name! })))
          .complete((req) => {
            reconciled.push(req);
          }),
      );
      const done = manager.start(stop.signal);
      await eventually(() => reconciled.length === 2, "initial reconciles");
      reconciled.length = 0;
      await env.rest.create(env.secrets, "default", { metadata: { name: "s", labels: { app: "web" } } });
      await eventually(() => reconciled.length === 1, "mapped reconcile");
      assert.deepEqual(reconciled, [{ key: "default/a", namespace: "default", name: "a" }]);
      stop.abort();
      await done;
    } finally {
      stop.abort();
      await env.store.close();
    }
  },
});

Deno.test({
  name: "controller: a failing reconcile is retried with back-off; requeueAfterMs comes back later",
  ...options,
  fn: async () => {
    const env = await setup();
    const stop = new AbortController();
    try {
      await env.rest.create(env.configmaps, "default", { metadata: { name: "flaky" } });
      await env.rest.create(env.configmaps, "default", { metadata: { name: "periodic" } });
      const manager = new Manager({ source: env.source });
      const calls: Record<string, number> = { "default/flaky": 0, "default/periodic": 0 };
      const errors: unknown[] = [];
      manager.add(
        controller("retry")
          .for(env.configmaps)
          .withOptions({ rateLimiter: new ExponentialBackoff(5, 50), onError: (e) => errors.push(e), concurrency: 2 })
          .complete(({ key }) => {
            calls[key]++;
            if (key === "default/flaky" && calls[key] < 4) throw new Error("not yet");
            if (key === "default/periodic" && calls[key] < 3) return { requeueAfterMs: 20 };
          }),
      );
      const done = manager.start(stop.signal);
      await eventually(() => calls["default/flaky"] === 4 && calls["default/periodic"] === 3, "retries");
      assert.equal(errors.length, 3);
      // Success forgets the failures, and nothing more is queued.
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(calls, { "default/flaky": 4, "default/periodic": 3 });
      stop.abort();
      await done;
    } finally {
      stop.abort();
      await env.store.close();
    }
  },
});

Deno.test({
  name: "manager: controllers share one informer per kind",
  ...options,
  fn: async () => {
    const env = await setup();
    try {
      let sources = 0;
      const manager = new Manager({ source: (kind) => (sources++, env.source(kind)) });
      manager.add(controller("one").for(env.configmaps).complete(() => {}));
      manager.add(controller("two").for(env.configmaps).owns(env.secrets).complete(() => {}));
      assert.equal(sources, 2);
      assert.equal(manager.informer(env.configmaps), manager.informer({ ...env.configmaps }));
    } finally {
      await env.store.close();
    }
  },
});
