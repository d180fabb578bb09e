// Controller metrics: what a running controller counts, in Prometheus' text format.
import assert from "node:assert/strict";
import { controller } from "../../../core/operator/controller.ts";
import { Manager } from "../../../core/operator/manager.ts";
import { renderMetrics } from "../../../core/operator/metrics.ts";
import { eventually, setup } from "./rest_source.ts";

const options = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  name: "metrics: a running controller's reconciles, errors, latency and queue adds are exposed by name",
  ...options,
  fn: async () => {
    const env = await setup();
    const stop = new AbortController();
    try {
      await env.rest.create(env.configmaps, "default", { metadata: { name: "ok" } });
      await env.rest.create(env.configmaps, "default", { metadata: { name: "bad" } });
      const manager = new Manager({ source: env.source });
      let failed = 0;
      manager.add(
        controller("demo").for(env.configmaps).complete(({ name }) => {
          if (name === "bad" && failed++ === 0) throw new Error("first try fails");
        }),
      );
      const done = manager.start(stop.signal);
      await eventually(() => manager.running[0]?.metrics.count === 3, "two reconciles and one retry");
      const text = renderMetrics(manager.running);
      assert.match(text, /^controller_runtime_reconcile_total\{controller="demo",result="success"\} 2$/m);
      assert.match(text, /^controller_runtime_reconcile_errors_total\{controller="demo"\} 1$/m);
      assert.match(text, /^controller_runtime_reconcile_time_seconds_count\{controller="demo"\} 3$/m);
      assert.match(text, /^controller_runtime_reconcile_time_seconds_bucket\{controller="demo",le="\+Inf"\} 3$/m);
      assert.match(text, /^workqueue_adds_total\{name="demo"\} 3$/m);
      assert.match(text, /^workqueue_depth\{name="demo"\} 0$/m);
      assert.match(text, /^# TYPE controller_runtime_reconcile_time_seconds histogram$/m);
      stop.abort();
      await done;
      assert.equal(manager.running.length, 0);
    } finally {
      stop.abort();
      await env.store.close();
    }
  },
});
