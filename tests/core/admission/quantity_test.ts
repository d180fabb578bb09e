import assert from "node:assert/strict";
import { canonicalQuantity, compareQuantities, parseQuantity } from "../../../core/admission/quantity.ts";

Deno.test("quantity: values print in kube's canonical form", () => {
  const cases: [unknown, string][] = [
    ["0.5", "500m"],
    ["1000m", "1"],
    ["1000", "1k"],
    ["1024Mi", "1Gi"],
    ["1536Mi", "1536Mi"],
    ["0.5Gi", "512Mi"],
    ["1536", "1536"],
    ["100Mi", "100Mi"],
    ["1e3", "1e3"],
    ["1.5", "1500m"],
    ["0", "0"],
    [2, "2"],
    ["-1", "-1"],
  ];
  for (const [input, want] of cases) assert.equal(canonicalQuantity(input), want, String(input));
});

Deno.test("quantity: resource lists round up to milli units", () => {
  assert.equal(canonicalQuantity("0.0001", -3), "1m");
  assert.equal(canonicalQuantity("100n"), "100n");
});

Deno.test("quantity: malformed strings do not parse, comparisons are exact", () => {
  assert.equal(parseQuantity("1.2.3"), undefined);
  assert.equal(parseQuantity("12Q"), undefined);
  assert.equal(parseQuantity(""), undefined);
  assert.equal(compareQuantities(parseQuantity("500m")!, parseQuantity("0.5")!), 0);
  assert.equal(compareQuantities(parseQuantity("1Gi")!, parseQuantity("1G")!), 1);
});
