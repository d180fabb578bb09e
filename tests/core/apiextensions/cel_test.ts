// The CEL subset CRD rules are written in: parsing, type checking with cel-go's messages, evaluation.
import assert from "node:assert/strict";
import { CelEvalError, type CelType, compile, fromJson, schemaType } from "../../../core/apiextensions/cel/mod.ts";
import type { JSONSchemaProps } from "../../../core/apiextensions/types.ts";

const schema: JSONSchemaProps = {
  type: "object",
  properties: {
    min: { type: "integer" },
    max: { type: "integer" },
    ratio: { type: "number" },
    name: { type: "string" },
    "x-y": { type: "string" },
    tags: { type: "array", items: { type: "string" } },
    limits: { type: "object", additionalProperties: { type: "integer" } },
    port: { "x-kubernetes-int-or-string": true },
    at: { type: "string", format: "date-time" },
    every: { type: "string", format: "duration" },
  },
};
const selfType = schemaType(schema, false, "self") as CelType;
const self = {
  min: 1,
  max: 5,
  ratio: 0.5,
  name: "web-1",
  "x-y": "z",
  tags: ["a", "b"],
  limits: { cpu: 2, mem: 4 },
  port: "http",
  at: "2024-05-01T10:00:00Z",
  every: "90s",
};

function run(rule: string, value: unknown = self): unknown {
  const compiled = compile(rule, new Map([["self", selfType]]));
  if ("error" in compiled) throw new Error(compiled.error);
  return compiled.program.evaluate(new Map([["self", fromJson(value, selfType)]]));
}

function compileError(rule: string): string {
  const compiled = compile(rule, new Map([["self", selfType]]));
  assert.ok("error" in compiled, `${rule} compiled`);
  return compiled.error;
}

Deno.test("cel: comparisons and arithmetic on fields", () => {
  assert.equal(run("self.min <= self.max"), true);
  assert.equal(run("self.max - self.min * 2 == 3"), true);
  assert.equal(run("self.max / 2 == 2 && self.max % 2 == 1"), true);
  assert.equal(run("self.ratio * 2.0 == 1.0"), true);
  assert.equal(run("self.min < 1.5"), true);
});

Deno.test("cel: has(), size() both ways, in, ternary and negation", () => {
  assert.equal(run("has(self.name) && !has(self.ratio)", { name: "a" }), true);
  assert.equal(run("self.tags.size() == 2 && size(self.name) == 5"), true);
  assert.equal(run("'a' in self.tags && !('c' in self.tags) && 'cpu' in self.limits"), true);
  assert.equal(run("self.min > 3 ? false : true"), true);
});

Deno.test("cel: string functions", () => {
  assert.equal(run("self.name.startsWith('web') && self.name.endsWith('-1') && self.name.contains('b-')"), true);
  assert.equal(run("self.name.matches('^[a-z]+-[0-9]$')"), true);
  assert.equal(run("self.name.split('-')[0].upperAscii() == 'WEB' && self.name.indexOf('-') == 3"), true);
  assert.equal(run("self.name.substring(0, 3) + '!' == 'web!' && self.name.replace('-', '_') == 'web_1'"), true);
});

Deno.test("cel: list macros all, exists, exists_one, map and filter", () => {
  assert.equal(run("self.tags.all(t, t.size() == 1)"), true);
  assert.equal(run("self.tags.exists(t, t == 'b') && self.tags.exists_one(t, t == 'a')"), true);
  assert.equal(run("self.tags.map(t, t + t) == ['aa', 'bb']"), true);
  assert.equal(run("self.tags.filter(t, t != 'a').size() == 1"), true);
  assert.equal(run("self.limits.all(k, self.limits[k] > 1)"), true);
});

Deno.test("cel: escaped property names, int-or-string as dyn, conversions and type()", () => {
  assert.equal(run("self.x__dash__y == 'z'"), true);
  assert.equal(run("type(self.port) == string ? self.port == 'http' : self.port > 0"), true);
  assert.equal(run("int('42') == 42 && string(self.min) == '1' && double(self.max) == 5.0"), true);
});

Deno.test("cel: date-time strings are timestamps, duration strings durations", () => {
  assert.equal(run("self.at < timestamp('2025-01-01T00:00:00Z') && self.at.getFullYear() == 2024"), true);
  assert.equal(run("self.every > duration('1m') && self.at + self.every == timestamp('2024-05-01T10:01:30Z')"), true);
});

Deno.test("cel: && and || decide despite an error on the other side, as CEL specifies", () => {
  assert.equal(run("self.max > 10 && self.min == 1", { max: 5 }), false);
  assert.equal(run("self.min == 1 || self.max > 10", { max: 20 }), true);
  assert.throws(() => run("self.min == 1 && self.max > 10", { max: 20 }), CelEvalError);
});

Deno.test("cel: runtime errors name what failed", () => {
  assert.throws(() => run("self.min <= self.max", { max: 1 }), /no such key: min/);
  assert.throws(() => run("self.max / self.min == 1", { max: 1, min: 0 }), /division by zero/);
  assert.throws(() => run("self.tags[5] == 'a'"), /index out of bounds: 5/);
});

Deno.test("cel: an undefined field is a compile error with cel-go's location and caret", () => {
  assert.equal(compileError("self.nope > 1"), "ERROR: <input>:1:5: undefined field 'nope'\n | self.nope > 1\n | ....^");
});

Deno.test("cel: mismatched operand types find no overload", () => {
  assert.equal(
    compileError("self.min <= self.name"),
    "ERROR: <input>:1:10: found no matching overload for '_<=_' applied to '(int, string)'\n | self.min <= self.name\n | .........^",
  );
  assert.match(
    compileError("self.name.startsWith(1)"),
    /found no matching overload for 'startsWith' applied to 'string.\(int\)'/,
  );
});

Deno.test("cel: unknown functions and variables are undeclared references", () => {
  assert.match(compileError("quantity('1') > 0"), /undeclared reference to 'quantity' \(in container ''\)/);
  assert.match(compileError("other.min > 0"), /undeclared reference to 'other'/);
});

Deno.test("cel: syntax errors are refused", () => {
  assert.match(compileError("self.min <="), /Syntax error/);
  assert.match(compileError("self.tags.all(1, true)"), /argument must be a simple name/);
});
