import assert from "node:assert/strict";
import { parseFieldSelector, parseLabelSelector } from "../../../core/api/selectors.ts";
import { StatusError } from "../../../core/api/status.ts";

Deno.test("selectors: equality, inequality and set-based label requirements", () => {
  const labels = { app: "web", tier: "gold", version: "3" };
  const cases: [string, boolean][] = [
    ["app=web", true],
    ["app==web", true],
    ["app!=web", false],
    ["app!=db", true],
    ["tier in (gold,silver)", true],
    ["tier notin (gold)", false],
    ["missing notin (x)", true],
    ["app", true],
    ["!app", false],
    ["!missing", true],
    ["version>2", true],
    ["version<2", false],
    ["app=web, tier in ( gold ), !legacy", true],
    ["", true],
  ];
  for (const [text, expected] of cases) assert.equal(parseLabelSelector(text).matches(labels), expected, text);
});

Deno.test("selectors: a malformed label selector is a 400", () => {
  for (const bad of ["tier in gold", "tier in (gold", "=x", "a>b"]) {
    assert.throws(() => parseLabelSelector(bad), (e) => e instanceof StatusError && e.code === 400, bad);
  }
});

Deno.test("selectors: field selectors match through a reader and expose a pinned name", () => {
  const selector = parseFieldSelector("metadata.name=web,status.phase!=Failed");
  assert.equal(selector.name, "web");
  const fields: Record<string, string> = { "metadata.name": "web", "status.phase": "Running" };
  assert.ok(selector.matches((f) => fields[f]));
  fields["status.phase"] = "Failed";
  assert.ok(!selector.matches((f) => fields[f]));
  assert.equal(parseFieldSelector("a=x\\,y").matches(() => "x,y"), true);
});
