/**
 * Controller metrics in Prometheus' text format, with controller-runtime's and client-go's names:
 * `controller_runtime_reconcile_total`, `controller_runtime_reconcile_time_seconds`,
 * `workqueue_depth`, `workqueue_adds_total`, so the dashboards people have for them fit.
 *
 * @module
 */

/** controller-runtime's reconcile-time buckets, in seconds. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60];

/** How a reconcile ended, as controller-runtime labels it. */
export type ReconcileResult = "success" | "error" | "requeue" | "requeue_after";

/**
 * The counters of one controller.
 *
 * @example
 * ```ts
 * const metrics = new ReconcileMetrics();
 * metrics.observe(0.012, "success");
 * ```
 */
export class ReconcileMetrics {
  readonly results: Record<ReconcileResult, number> = { success: 0, error: 0, requeue: 0, requeue_after: 0 };
  readonly buckets: number[] = BUCKETS.map(() => 0);
  sum: number = 0;
  count: number = 0;

  /** Count one reconcile that took `seconds` and ended as `result`. */
  observe(seconds: number, result: ReconcileResult): void {
    this.results[result]++;
    this.sum += seconds;
    this.count++;
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) this.buckets[i]++;
  }
}

/** What {@linkcode renderMetrics} reads of a controller. */
export interface MeteredController {
  name: string;
  metrics: ReconcileMetrics;
  queue: { length: number; adds: number };
}

/**
 * The Prometheus text exposition of `controllers`' metrics.
 *
 * @example
 * ```ts
 * new Response(renderMetrics(manager.controllers), { headers: { "content-type": "text/plain; version=0.0.4" } });
 * ```
 */
export function renderMetrics(controllers: Iterable<MeteredController>): string {
  const list = [...controllers];
  const lines: string[] = [];
  const family = (name: string, type: string, help: string, samples: string[]) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples);
  };
  const label = (c: MeteredController) => `controller="${c.name}"`;
  family(
    "controller_runtime_reconcile_total",
    "counter",
    "Total number of reconciliations per controller",
    list.flatMap((c) =>
      Object.entries(c.metrics.results).map(([result, n]) =>
        `controller_runtime_reconcile_total{${label(c)},result="${result}"} ${n}`
      )
    ),
  );
  family(
    "controller_runtime_reconcile_errors_total",
    "counter",
    "Total number of reconciliation errors per controller",
    list.map((c) => `controller_runtime_reconcile_errors_total{${label(c)}} ${c.metrics.results.error}`),
  );
  family(
    "controller_runtime_reconcile_time_seconds",
    "histogram",
    "Length of time per reconciliation per controller",
    list.flatMap((c) => [
      ...BUCKETS.map((le, i) =>
        `controller_runtime_reconcile_time_seconds_bucket{${label(c)},le="${le}"} ${c.metrics.buckets[i]}`
      ),
      `controller_runtime_reconcile_time_seconds_bucket{${label(c)},le="+Inf"} ${c.metrics.count}`,
      `controller_runtime_reconcile_time_seconds_sum{${label(c)}} ${c.metrics.sum}`,
      `controller_runtime_reconcile_time_seconds_count{${label(c)}} ${c.metrics.count}`,
    ]),
  );
  family(
    "workqueue_depth",
    "gauge",
    "Current depth of workqueue",
    list.map((c) => `workqueue_depth{name="${c.name}"} ${c.queue.length}`),
  );
  family(
    "workqueue_adds_total",
    "counter",
    "Total number of adds handled by workqueue",
    list.map((c) => `workqueue_adds_total{name="${c.name}"} ${c.queue.adds}`),
  );
  return lines.join("\n") + "\n";
}
