// Sprig's reflection functions over the shared value model: Go's type and kind names for the values templates
// see (ints are int64 here, and "int" still matches them), and reflect.DeepEqual.
import { table } from "./support.ts";
import { Version } from "../../../../addons/helm-controller/sprig/mod.ts";

table("reflection", [
  { name: "typeOf a string", fn: "typeOf", args: ["a"], want: "string" },
  { name: "typeOf a YAML number", fn: "typeOf", args: [1.5], want: "float64" },
  { name: "typeOf an int", fn: "typeOf", args: [1n], want: "int64" },
  { name: "typeOf a list", fn: "typeOf", args: [[]], want: "[]interface {}" },
  { name: "typeOf a map", fn: "typeOf", args: [{}], want: "map[string]interface {}" },
  { name: "typeOf nil", fn: "typeOf", args: [null], want: "<nil>" },
  { name: "typeIs", fn: "typeIs", args: ["float64", 1.5], want: true },
  { name: "typeIs int matches an int", fn: "typeIs", args: ["int", 3n], want: true },
  {
    name: "typeIsLike matches through a pointer",
    fn: "typeIsLike",
    args: ["Version", Version.parse("1.0.0")],
    want: true,
  },
  { name: "kindOf a map", fn: "kindOf", args: [{ a: 1 }], want: "map" },
  { name: "kindOf a list", fn: "kindOf", args: [[1n]], want: "slice" },
  { name: "kindOf nil", fn: "kindOf", args: [null], want: "invalid" },
  { name: "kindOf a time", fn: "kindOf", args: [new Date(0)], want: "struct" },
  { name: "kindOf a version", fn: "kindOf", args: [Version.parse("1.0.0")], want: "ptr" },
  { name: "kindIs int matches an int", fn: "kindIs", args: ["int", 123n], want: true },
  { name: "kindIs string", fn: "kindIs", args: ["string", 1n], want: false },
  {
    name: "deepEqual compares deeply",
    fn: "deepEqual",
    args: [{ a: [1n, { b: "x" }] }, { a: [1n, { b: "x" }] }],
    want: true,
  },
  { name: "deepEqual tells int from float", fn: "deepEqual", args: [1n, 1], want: false },
  { name: "deepEqual of different maps", fn: "deepEqual", args: [{ a: 1 }, { a: 1, b: 2 }], want: false },
]);
