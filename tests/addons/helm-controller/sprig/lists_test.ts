// Sprig's list functions: new lists rather than in-place changes, deep equality for membership, nil for the
// first/last of an empty list, and Sprig's errors for non-lists and Go's panic for a nil list.
import { table } from "./support.ts";

const l = [1n, 2n, 3n, 4n, 5n];

table("lists", [
  { name: "list collects its arguments", fn: "list", args: [1n, "a", null], want: [1n, "a", null] },
  { name: "tuple is list", fn: "tuple", args: [1n], want: [1n] },
  { name: "first", fn: "first", args: [l], want: 1n },
  { name: "first of an empty list is nil", fn: "first", args: [[]], want: null },
  { name: "last", fn: "last", args: [l], want: 5n },
  { name: "rest", fn: "rest", args: [l], want: [2n, 3n, 4n, 5n] },
  { name: "initial", fn: "initial", args: [l], want: [1n, 2n, 3n, 4n] },
  { name: "append adds at the end", fn: "append", args: [[1n, 2n], 3n], want: [1n, 2n, 3n] },
  { name: "push is append", fn: "push", args: [[], "x"], want: ["x"] },
  { name: "prepend adds at the front", fn: "prepend", args: [[1n, 2n], 0n], want: [0n, 1n, 2n] },
  { name: "concat joins lists", fn: "concat", args: [[1n], [2n, 3n], []], want: [1n, 2n, 3n] },
  { name: "reverse", fn: "reverse", args: [[1n, 2n, 3n]], want: [3n, 2n, 1n] },
  { name: "uniq keeps first occurrences", fn: "uniq", args: [[1n, 2n, 2n, 1n, "1"]], want: [1n, 2n, "1"] },
  { name: "uniq compares deeply", fn: "uniq", args: [[{ a: [1n] }, { a: [1n] }]], want: [{ a: [1n] }] },
  { name: "without drops values", fn: "without", args: [[1n, 2n, 3n, 4n], 1n, 3n], want: [2n, 4n] },
  { name: "has finds a value", fn: "has", args: [4n, [1n, 2n, 3n, 4n]], want: true },
  { name: "has tells an int from a float", fn: "has", args: [4, [1n, 2n, 3n, 4n]], want: false },
  { name: "has of a nil list is false", fn: "has", args: ["x", null], want: false },
  {
    name: "compact drops empty values",
    fn: "compact",
    args: [[1n, "", null, 0, false, "foo", [], {}]],
    want: [1n, "foo"],
  },
  { name: "slice with start and end", fn: "slice", args: [l, 1n, 3n], want: [2n, 3n] },
  { name: "slice with start only", fn: "slice", args: [l, 3n], want: [4n, 5n] },
  { name: "slice of an empty list is nil", fn: "slice", args: [[]], want: null },
  {
    name: "slice out of range is reflect's panic",
    fn: "slice",
    args: [l, 2n, 9n],
    error: "reflect.Value.Slice: slice index out of range",
  },
  {
    name: "chunk splits into pieces",
    fn: "chunk",
    args: [3n, [1n, 2n, 3n, 4n, 5n, 6n, 7n]],
    want: [[1n, 2n, 3n], [4n, 5n, 6n], [7n]],
  },
  { name: "chunk of an empty list", fn: "chunk", args: [2n, []], want: [] },
  { name: "first of a map is Sprig's error", fn: "first", args: [{ a: 1 }], error: "Cannot find first on type map" },
  { name: "mustFirst fails alike", fn: "mustFirst", args: ["abc"], error: "Cannot find first on type string" },
  { name: "append to a number fails", fn: "mustAppend", args: [1.5, 1n], error: "Cannot push on type float64" },
  { name: "concat of a non-list fails", fn: "concat", args: [[1n], "x"], error: "Cannot concat type string as list" },
  {
    name: "a nil list is Go's nil dereference",
    fn: "first",
    args: [null],
    error: "runtime error: invalid memory address or nil pointer dereference",
  },
]);
