// Chart dependencies as Helm's ProcessDependencies applies them: conditions, tags, aliases and import-values.
import assert from "node:assert/strict";
import {
  coalesceValues,
  loadFiles,
  processDependencies,
  type Values,
} from "../../../../addons/helm-controller/chart/mod.ts";
import { type ChartTexts, chartYaml, memoryFiles } from "./fixture.ts";

function app(dependencies: string, extra: ChartTexts = {}, values = "") {
  return loadFiles(memoryFiles({
    "Chart.yaml": chartYaml("app", `dependencies:\n${dependencies}`),
    "values.yaml": values,
    "charts/db/Chart.yaml": chartYaml("db"),
    "charts/db/values.yaml": "port: 5432\nexports:\n  conn: {host: db.local, port: 5432}\nservice: {type: ClusterIP}\n",
    "charts/cache/Chart.yaml": chartYaml("cache"),
    ...extra,
  }));
}

const names = (values: Values, deps: string) => {
  const chart = app(deps);
  processDependencies(chart, values);
  return chart.dependencies().map((d) => d.name()).sort();
};

Deno.test("a condition that is false removes the subchart", () => {
  const deps = "- name: db\n  version: 0.1.0\n  condition: db.enabled\n- name: cache\n  version: 0.1.0\n";
  assert.deepEqual(names({ db: { enabled: false } }, deps), ["cache"]);
  assert.deepEqual(names({ db: { enabled: true } }, deps), ["cache", "db"]);
  assert.deepEqual(names({}, deps), ["cache", "db"]);
});

Deno.test("the first condition path holding a bool decides", () => {
  const deps = "- name: db\n  version: 0.1.0\n  condition: missing.enabled,global.db\n";
  assert.deepEqual(names({ global: { db: false } }, deps), ["cache"]);
});

Deno.test("tags disable subcharts unless one of their tags is true, and conditions override tags", () => {
  const deps =
    "- name: db\n  version: 0.1.0\n  tags: [backend]\n- name: cache\n  version: 0.1.0\n  tags: [backend, fast]\n" +
    "  condition: cache.enabled\n";
  assert.deepEqual(names({ tags: { backend: false } }, deps), []);
  assert.deepEqual(names({ tags: { backend: false, fast: true } }, deps), ["cache"]);
  assert.deepEqual(names({ tags: { backend: false }, cache: { enabled: true } }, deps), ["cache"]);
});

Deno.test("aliases give renamed copies of one subchart, each with its own values; undeclared subcharts stay", () => {
  const chart = app("- name: db\n  version: 0.1.0\n  alias: primary\n- name: db\n  version: 0.1.0\n  alias: replica\n");
  processDependencies(chart, { replica: { port: 6000 } });
  assert.deepEqual(chart.dependencies().map((d) => d.chartFullPath()).sort(), [
    "app/charts/cache",
    "app/charts/primary",
    "app/charts/replica",
  ]);
  const v = coalesceValues(chart, { replica: { port: 6000 } });
  assert.equal((v.primary as Values).port, 5432);
  assert.equal((v.replica as Values).port, 6000);
});

Deno.test("a dependency whose version range does not match the loaded chart keeps its own name", () => {
  const chart = app("- name: db\n  version: ^2.0.0\n  alias: primary\n");
  processDependencies(chart, {});
  assert.deepEqual(chart.dependencies().map((d) => d.name()).sort(), ["cache", "db"]);
});

Deno.test("import-values bring a child's exports and {child, parent} tables into the parent's defaults", () => {
  const chart = app(
    "- name: db\n  version: 0.1.0\n  import-values:\n  - conn\n  - child: service\n    parent: dbService\n",
    {},
    "host: override\n",
  );
  processDependencies(chart, {});
  assert.deepEqual(chart.values?.host, "override");
  assert.equal(chart.values?.port, 5432);
  assert.deepEqual(chart.values?.dbService, { type: "ClusterIP" });
  assert.deepEqual(chart.metadata.Dependencies?.[0]?.ImportValues, [
    { child: "exports.conn", parent: "." },
    { child: "service", parent: "dbService" },
  ]);
});

Deno.test("a condition in a subchart's own dependencies reads its path under the subchart", () => {
  const chart = app("- name: db\n  version: 0.1.0\n", {
    "charts/db/Chart.yaml": chartYaml(
      "db",
      "dependencies:\n- name: metrics\n  version: 0.1.0\n  condition: metrics.on\n",
    ),
    "charts/db/charts/metrics/Chart.yaml": chartYaml("metrics"),
  });
  processDependencies(chart, { db: { metrics: { on: false } } });
  const db = chart.dependencies().find((d) => d.name() === "db")!;
  assert.deepEqual(db.dependencies(), []);
});
