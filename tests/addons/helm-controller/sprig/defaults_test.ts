// Sprig's defaults and JSON: Sprig's notion of empty (0, 0.0, "", false, nil, empty list or map), and Go's
// encoding/json for toJson/fromJson (sorted keys, HTML escaping, float64 numbers, Go's error messages).
import { table } from "./support.ts";

table("default", [
  { name: "a set value wins", fn: "default", args: ["foo", "bar"], want: "bar" },
  { name: "nil takes the default", fn: "default", args: ["foo", null], want: "foo" },
  { name: "a missing value takes the default", fn: "default", args: ["foo"], want: "foo" },
  { name: "the empty string is empty", fn: "default", args: ["foo", ""], want: "foo" },
  { name: "false is empty", fn: "default", args: ["foo", false], want: "foo" },
  { name: "int 0 is empty", fn: "default", args: [42n, 0n], want: 42n },
  { name: "float 0 is empty", fn: "default", args: [42n, 0], want: 42n },
  { name: "an empty list is empty", fn: "default", args: ["foo", []], want: "foo" },
  { name: "an empty map is empty", fn: "default", args: ["foo", {}], want: "foo" },
  { name: "a map with a nil entry is set", fn: "default", args: ["foo", { a: null }], want: { a: null } },
  { name: "true is set", fn: "default", args: ["foo", true], want: true },
]);

table("empty and friends", [
  { name: "empty of 0", fn: "empty", args: [0n], want: true },
  { name: "empty of a time is false", fn: "empty", args: [new Date(0)], want: false },
  { name: "coalesce returns the first non-empty", fn: "coalesce", args: [null, "", 0, "x", "y"], want: "x" },
  { name: "coalesce of empties is nil", fn: "coalesce", args: [null, ""], want: null },
  { name: "all", fn: "all", args: [1n, "a", [0n]], want: true },
  { name: "all is false with an empty value", fn: "all", args: [1n, ""], want: false },
  { name: "any", fn: "any", args: [0n, "", "x"], want: true },
  { name: "any of nothing is false", fn: "any", args: [], want: false },
  { name: "ternary true", fn: "ternary", args: ["yes", "no", true], want: "yes" },
  { name: "ternary false", fn: "ternary", args: ["yes", "no", false], want: "no" },
  { name: "fail fails with its message", fn: "fail", args: ["boom"], error: "boom" },
]);

table("json", [
  {
    name: "toJson sorts keys",
    fn: "toJson",
    args: [{ b: 1, a: [1n, "x", null, true] }],
    want: '{"a":[1,"x",null,true],"b":1}',
  },
  { name: "toJson escapes HTML", fn: "toJson", args: ["<a&b>"], want: '"\\u003ca\\u0026b\\u003e"' },
  {
    name: "toJson writes float64 as ES numbers",
    fn: "toJson",
    args: [[1e6, 1e21, 1e-7, 0.1]],
    want: "[1000000,1e+21,1e-7,0.1]",
  },
  { name: "toJson of NaN is empty, the error swallowed", fn: "toJson", args: [NaN], want: "" },
  { name: "mustToJson reports Go's error", fn: "mustToJson", args: [NaN], error: "json: unsupported value: NaN" },
  { name: "toRawJson keeps HTML", fn: "toRawJson", args: [{ a: "<b>" }], want: '{"a":"<b>"}' },
  {
    name: "toPrettyJson indents",
    fn: "toPrettyJson",
    args: [{ a: [1n], b: {} }],
    want: '{\n  "a": [\n    1\n  ],\n  "b": {}\n}',
  },
  {
    name: "fromJson reads numbers as float64",
    fn: "fromJson",
    args: ['{"a":[1,2.5,"x",null,{"b":true}]}'],
    want: { a: [1, 2.5, "x", null, { b: true }] },
  },
  { name: "fromJson of bad input is nil", fn: "fromJson", args: ["{"], want: null },
  { name: "mustFromJson reports Go's error", fn: "mustFromJson", args: ["{"], error: "unexpected end of JSON input" },
  {
    name: "mustFromJson names the bad character",
    fn: "mustFromJson",
    args: ['{"a" 1}'],
    error: "invalid character '1' after object key",
  },
  {
    name: "mustFromJson rejects trailing data",
    fn: "mustFromJson",
    args: ["1 2"],
    error: "invalid character '2' after top-level value",
  },
]);
