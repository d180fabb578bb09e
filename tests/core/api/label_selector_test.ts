import assert from "node:assert/strict";
import { matchesSelector } from "../../../core/api/label_selector.ts";

Deno.test("selector: matchLabels must all be present with equal values", () => {
  assert.equal(matchesSelector({ matchLabels: { app: "web" } }, { app: "web", tier: "front" }), true);
  assert.equal(matchesSelector({ matchLabels: { app: "web" } }, { app: "db" }), false);
});

Deno.test("selector: matchExpressions support In, NotIn, Exists and DoesNotExist", () => {
  const sel = (operator: string, values?: string[]) => ({ matchExpressions: [{ key: "tier", operator, values }] });
  assert.equal(matchesSelector(sel("In", ["a", "b"]), { tier: "b" }), true);
  assert.equal(matchesSelector(sel("In", ["a"]), {}), false);
  assert.equal(matchesSelector(sel("NotIn", ["a"]), {}), true);
  assert.equal(matchesSelector(sel("NotIn", ["a"]), { tier: "a" }), false);
  assert.equal(matchesSelector(sel("Exists"), { tier: "" }), true);
  assert.equal(matchesSelector(sel("DoesNotExist"), { tier: "x" }), false);
});

Deno.test("selector: a missing selector or an unknown operator selects nothing, an empty one everything", () => {
  assert.equal(matchesSelector(undefined, { app: "web" }), false);
  assert.equal(matchesSelector({ matchExpressions: [{ key: "app", operator: "Bogus" }] }, { app: "web" }), false);
  assert.equal(matchesSelector({}, { app: "web" }), true);
});
