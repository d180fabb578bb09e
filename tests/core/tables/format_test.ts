import assert from "node:assert/strict";
import {
  formatLabels,
  formatLabelSelector,
  humanDuration,
  labelSelectorString,
  parseTime,
  since,
} from "../../../core/tables/format.ts";
import { canonicalQuantity } from "../../../core/tables/quantity.ts";
import { rfc3339 } from "../../../core/tables/default.ts";
import { ago, NOW } from "./helpers.ts";

Deno.test("humanDuration follows apimachinery's HumanDuration at every boundary", () => {
  const s = 1000, m = 60 * s, h = 60 * m, d = 24 * h;
  const cases: [number, string][] = [
    [-3 * s, "<invalid>"],
    [-1500, "0s"],
    [0, "0s"],
    [5 * s, "5s"],
    [119 * s, "119s"],
    [2 * m, "2m"],
    [3 * m + 2 * s, "3m2s"],
    [9 * m + 59 * s, "9m59s"],
    [10 * m + 30 * s, "10m"],
    [179 * m, "179m"],
    [3 * h, "3h"],
    [4 * h, "4h"],
    [7 * h + 59 * m, "7h59m"],
    [8 * h + 30 * m, "8h"],
    [47 * h, "47h"],
    [2 * d, "2d"],
    [2 * d + 3 * h, "2d3h"],
    [7 * d + 23 * h, "7d23h"],
    [8 * d + 5 * h, "8d"],
    [729 * d, "729d"],
    [730 * d, "2y"],
    [730 * d + 10 * d, "2y10d"],
    [8 * 365 * d + 40 * d, "8y"],
  ];
  for (const [ms, text] of cases) assert.equal(humanDuration(ms), text, `${ms}ms`);
});

Deno.test("since prints <unknown> for unset or zero timestamps and ages otherwise", () => {
  assert.equal(since(undefined, NOW), "<unknown>");
  assert.equal(since(null, NOW), "<unknown>");
  assert.equal(since("0001-01-01T00:00:00Z", NOW), "<unknown>");
  assert.equal(since(ago(5), NOW), "5s");
  assert.equal(since("2025-03-01T11:59:59.500000Z", NOW), "0s");
  assert.equal(parseTime("garbage"), undefined);
});

Deno.test("label maps and selectors print like labels.FormatLabels and LabelSelectorAsSelector", () => {
  assert.equal(formatLabels({ tier: "web", app: "nginx" }), "app=nginx,tier=web");
  assert.equal(formatLabels({}), "<none>");
  assert.equal(formatLabels(undefined), "<none>");
  assert.equal(
    labelSelectorString({
      matchLabels: { "k8s-app": "kube-dns" },
      matchExpressions: [
        { key: "env", operator: "NotIn", values: ["prod", "dev"] },
        { key: "canary", operator: "DoesNotExist" },
        { key: "zone", operator: "Exists" },
        { key: "app", operator: "In", values: ["b", "a"] },
      ],
    }),
    "app in (a,b),!canary,env notin (dev,prod),k8s-app=kube-dns,zone",
  );
  assert.equal(labelSelectorString(undefined), "");
  assert.equal(formatLabelSelector({}), "<none>");
  assert.equal(formatLabelSelector(null), "<none>");
  assert.equal(formatLabelSelector({ matchExpressions: [{ key: "a", operator: "Bogus" }] }), "<error>");
  assert.equal(formatLabelSelector({ matchExpressions: [{ key: "a", operator: "In", values: [] }] }), "<error>");
});

Deno.test("quantities print in resource.Quantity's canonical form", () => {
  const cases: [unknown, string][] = [
    ["1Gi", "1Gi"],
    ["1024Mi", "1Gi"],
    ["1536Mi", "1536Mi"],
    ["0.5Gi", "512Mi"],
    ["512", "512"],
    ["1000", "1k"],
    ["1.5", "1500m"],
    ["100m", "100m"],
    ["2000M", "2G"],
    ["1e3", "1e3"],
    ["0", "0"],
    ["0.1n", "1n"],
    [1073741824, "1073741824"],
    [undefined, "0"],
  ];
  for (const [input, text] of cases) assert.equal(canonicalQuantity(input), text, String(input));
});

Deno.test("Created At is RFC3339 in UTC at second precision, Go's zero time when unset", () => {
  assert.equal(rfc3339("2024-05-01T10:00:00.987654Z"), "2024-05-01T10:00:00Z");
  assert.equal(rfc3339("2024-05-01T12:00:00+02:00"), "2024-05-01T10:00:00Z");
  assert.equal(rfc3339(undefined), "0001-01-01T00:00:00Z");
});
