// The kubelet's `$(VAR)` expansion rules, as env values and subPathExpr see them.
import assert from "node:assert/strict";
import { expand } from "../../../node/env/mod.ts";

const vars: Record<string, string> = { HOST: "db", PORT: "5432", EMPTY: "" };
const lookup = (name: string) => vars[name];

Deno.test("expand replaces defined references, empty ones included", () => {
  assert.equal(expand("$(HOST):$(PORT)/$(EMPTY)x", lookup), "db:5432/x");
});

Deno.test("expand keeps undefined references as written", () => {
  assert.equal(expand("$(MISSING) and $()", lookup), "$(MISSING) and $()");
});

Deno.test("expand turns $$ into a literal $ and does not expand what follows", () => {
  assert.equal(expand("$$(HOST) $$$(HOST) $$$$", lookup), "$(HOST) $db $$");
});

Deno.test("expand keeps a lone or trailing $ and an unterminated reference", () => {
  assert.equal(expand("a$b $", lookup), "a$b $");
  assert.equal(expand("$(HOST $$ $(PORT", lookup), "$(HOST $ $(PORT");
});
