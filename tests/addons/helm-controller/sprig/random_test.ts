// Sprig's random strings and UUIDs: the requested length drawn from the right alphabet.
import assert from "node:assert/strict";
import { call } from "./support.ts";

const cases: [string, RegExp][] = [
  ["randAlphaNum", /^[A-Za-z0-9]{32}$/],
  ["randAlpha", /^[A-Za-z]{32}$/],
  ["randNumeric", /^[0-9]{32}$/],
  ["randAscii", /^[ -~]{32}$/],
];

for (const [name, shape] of cases) {
  Deno.test(`${name} draws 32 characters from its alphabet`, () => {
    assert.match(call(name, 32n) as string, shape);
  });
}

Deno.test("a negative count gives the empty string", () => {
  assert.equal(call("randAlphaNum", -1n), "");
});

Deno.test("uuidv4 is a version 4 UUID", () => {
  assert.match(call("uuidv4") as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

Deno.test("shuffle keeps the characters", () => {
  assert.equal([...(call("shuffle", "hello world") as string)].sort().join(""), [..."hello world"].sort().join(""));
});
