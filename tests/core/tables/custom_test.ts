import assert from "node:assert/strict";
import { evaluate, parseJsonPath } from "../../../core/tables/jsonpath.ts";
import { toCustomTable } from "../../../core/tables/table.ts";
import { ago, cells, names, NOW } from "./helpers.ts";

const helmChart = {
  apiVersion: "helm.cattle.io/v1",
  kind: "HelmChart",
  metadata: {
    name: "traefik",
    namespace: "kube-system",
    creationTimestamp: ago(7200),
    annotations: { "helm.cattle.io/chart-url": "https://example/traefik.tgz" },
  },
  spec: { chart: "traefik", version: "27.0.2", replicas: 2, ratio: 0.5, valuesContent: null, set: { a: "1", b: 2 } },
  status: {
    jobName: "helm-install-traefik",
    conditions: [
      { type: "JobCreated", status: "True", lastTransitionTime: ago(7000) },
      { type: "Ready", status: "False", lastTransitionTime: ago(65) },
    ],
    items: [{ name: "x", port: 80 }, { name: "y", port: 443 }],
  },
};

Deno.test("jsonpath: fields, quoted keys, escapes, indexes, slices, wildcards, filters, recursion", () => {
  const at = (path: string) => evaluate(parseJsonPath(path), helmChart);
  assert.deepEqual(at(".spec.replicas"), [2]);
  assert.deepEqual(at("{.spec.chart}"), ["traefik"]);
  assert.deepEqual(at("$.spec.version"), ["27.0.2"]);
  assert.deepEqual(at(".metadata.annotations['helm.cattle.io/chart-url']"), ["https://example/traefik.tgz"]);
  assert.deepEqual(at(".metadata.annotations.helm\\.cattle\\.io/chart-url"), ["https://example/traefik.tgz"]);
  assert.deepEqual(at('.status.conditions[?(@.type=="Ready")].status'), ["False"]);
  assert.deepEqual(at(".status.conditions[?(@.type=='JobCreated')].status"), ["True"]);
  assert.deepEqual(at('.status.conditions[?(@.type!="Ready")].type'), ["JobCreated"]);
  assert.deepEqual(at(".status.items[?(@.port > 100)].name"), ["y"]);
  assert.deepEqual(at(".status.conditions[0].type"), ["JobCreated"]);
  assert.deepEqual(at(".status.conditions[-1].type"), ["Ready"]);
  assert.deepEqual(at(".status.items[0:1].name"), ["x"]);
  assert.deepEqual(at(".status.items[*].port"), [80, 443]);
  assert.deepEqual(at("..port"), [80, 443]);
  assert.deepEqual(at(".spec.missing.deeper"), []);
  assert.deepEqual(at(".status.conditions[5]"), []);
  assert.throws(() => parseJsonPath(".status.conditions[?(@.type=="));
});

Deno.test("custom resources: Name first, then printer columns typed by their type", () => {
  const table = toCustomTable(
    [
      { name: "Chart", type: "string", jsonPath: ".spec.chart" },
      { name: "Replicas", type: "integer", jsonPath: ".spec.replicas", priority: 1, description: "How many." },
      { name: "Ratio", type: "number", jsonPath: ".spec.ratio" },
      { name: "Ready", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
      { name: "Since", type: "date", jsonPath: '.status.conditions[?(@.type=="Ready")].lastTransitionTime' },
      { name: "Missing", type: "string", jsonPath: ".spec.nothing" },
      { name: "Values", type: "string", jsonPath: ".spec.valuesContent" },
      { name: "Set", type: "string", jsonPath: ".spec.set" },
      { name: "Ports", type: "string", jsonPath: ".status.items[*].port" },
      { name: "WrongType", type: "boolean", jsonPath: ".spec.chart" },
      { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
    ],
    [helmChart],
    { now: NOW },
  );
  assert.deepEqual(names(table), [
    "Name",
    "Chart",
    "Replicas",
    "Ratio",
    "Ready",
    "Since",
    "Missing",
    "Values",
    "Set",
    "Ports",
    "WrongType",
    "Age",
  ]);
  const defs = table.columnDefinitions as Record<string, unknown>[];
  assert.deepEqual(defs[1], {
    name: "Chart",
    type: "string",
    format: "",
    description: "Custom resource definition column (in JSONPath format): .spec.chart",
    priority: 0,
  });
  assert.deepEqual(defs[2], { name: "Replicas", type: "integer", format: "", description: "How many.", priority: 1 });
  assert.deepEqual(cells(table), [[
    "traefik",
    "traefik",
    2,
    0.5,
    "False",
    "65s",
    null,
    "<no value>",
    "map[a:1 b:2]",
    "80",
    null,
    "120m",
  ]]);
});

Deno.test("custom resources: a version without printer columns gets Name and Age only", () => {
  for (const columns of [undefined, []]) {
    const table = toCustomTable(columns, [helmChart], { now: NOW });
    assert.deepEqual(names(table), ["Name", "Age"]);
    assert.equal((table.columnDefinitions as { type: string }[])[1].type, "date");
    assert.deepEqual(cells(table), [["traefik", "120m"]]);
  }
});

Deno.test("custom resources: Age is not added when other columns exist, as in apiextensions-apiserver", () => {
  const table = toCustomTable([{ name: "Job", type: "string", jsonPath: ".status.jobName" }], [helmChart], {
    now: NOW,
  });
  assert.deepEqual(names(table), ["Name", "Job"]);
  assert.deepEqual(cells(table), [["traefik", "helm-install-traefik"]]);
});

Deno.test("custom resources: dates that are empty or malformed", () => {
  const table = toCustomTable(
    [
      { name: "Empty", type: "date", jsonPath: ".a" },
      { name: "Bad", type: "date", jsonPath: ".b" },
      { name: "NotString", type: "date", jsonPath: ".c" },
    ],
    [{ metadata: { name: "x" }, a: "", b: "yesterday", c: 5 }],
    { now: NOW },
  );
  assert.deepEqual(cells(table), [["x", "<unknown>", "<invalid>", null]]);
});

Deno.test("custom resources: the v1beta1 JSONPath spelling and row objects", () => {
  const table = toCustomTable(
    [{ name: "Chart", type: "string", JSONPath: ".spec.chart" }],
    [helmChart],
    { now: NOW, includeObject: "Object", listMeta: { resourceVersion: "99", continue: "abc" } },
  );
  assert.deepEqual(table.metadata, { resourceVersion: "99", continue: "abc" });
  assert.deepEqual((table.rows as { object: unknown }[])[0].object, helmChart);
  assert.deepEqual(cells(table), [["traefik", "traefik"]]);
});
