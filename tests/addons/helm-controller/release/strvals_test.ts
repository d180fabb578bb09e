// Helm's --set and --set-string syntax, with the expectations of helm/helm's own strvals cases.
import assert from "node:assert/strict";
import { parseInto, typedVal } from "../../../../addons/helm-controller/release/mod.ts";

const parse = (text: string, asString = false) => {
  const values = {};
  parseInto(text, values, asString);
  return values;
};

Deno.test("--set types true, false, null and integers without a leading zero; the rest stay strings", () => {
  assert.deepEqual(
    [typedVal("true"), typedVal("FALSE"), typedVal("null"), typedVal("0"), typedVal("42"), typedVal("-7")],
    [true, false, null, 0n, 42n, -7n],
  );
  assert.deepEqual([typedVal("007"), typedVal("1.5"), typedVal("1e3"), typedVal("")], ["007", "1.5", "1e3", ""]);
});

Deno.test("--set-string keeps every value a string", () => {
  assert.deepEqual(parse("a=true,b=3,c=null", true), { a: "true", b: "3", c: "null" });
});

Deno.test("dotted keys nest maps and indexes build lists", () => {
  assert.deepEqual(parse("image.tag=v2,image.pull=Always,ports[1].name=http,args[0]=x"), {
    image: { tag: "v2", pull: "Always" },
    ports: [null, { name: "http" }],
    args: ["x"],
  });
});

Deno.test("braces make a list value and a backslash escapes the next character", () => {
  assert.deepEqual(parse("names={a,b,3},csv=a\\,b,dotted\\.key=1"), {
    names: ["a", "b", 3n],
    csv: "a,b",
    "dotted.key": 1n,
  });
});

Deno.test("an empty value is an empty string and a later pair overrides an earlier one", () => {
  assert.deepEqual(parse("a=,b=1,b=2"), { a: "", b: 2n });
});

Deno.test("malformed input is refused with Helm's messages", () => {
  assert.throws(() => parse("name"), { message: 'key "name" has no value' });
  assert.throws(() => parse("name,b=1"), { message: 'key "name" has no value (cannot end with ,)' });
  assert.throws(() => parse("list={a,b"), { message: "list must terminate with '}'" });
  assert.throws(() => parse("a[-1]=x"), { message: "negative -1 index not allowed" });
  assert.throws(() => parse("a[70000]=x"), {
    message: "index of 70000 is greater than maximum supported index of 65536",
  });
});
