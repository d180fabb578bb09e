// Sprig's math: int64 results (bigint) from the integer functions whatever their inputs, float64 results
// (number) from the float ones through exact decimals, cast's conversions, and the integer sequences.
import assert from "node:assert/strict";
import { call, table } from "./support.ts";

table("integer math", [
  { name: "add sums to an int64", fn: "add", args: [1n, 2n, 3n], want: 6n },
  { name: "add truncates float64 values", fn: "add", args: [1.9, 2n], want: 3n },
  { name: "add reads numeric strings", fn: "add", args: ["12", "0x10"], want: 28n },
  { name: "add of nothing is 0", fn: "add", args: [], want: 0n },
  { name: "add1", fn: "add1", args: [3n], want: 4n },
  { name: "sub", fn: "sub", args: [14n, 3n], want: 11n },
  { name: "div truncates", fn: "div", args: [5n, 4n], want: 1n },
  { name: "div rounds toward zero", fn: "div", args: [-7n, 2n], want: -3n },
  { name: "div by zero is Go's panic", fn: "div", args: [1n, 0n], error: "runtime error: integer divide by zero" },
  { name: "mod", fn: "mod", args: [-7n, 3n], want: -1n },
  { name: "mul", fn: "mul", args: [1n, "2", 3n, "4"], want: 24n },
  { name: "mul wraps around like int64", fn: "mul", args: [4611686018427387904n, 2n], want: -9223372036854775808n },
  { name: "max", fn: "max", args: [1n, 5.5, "3"], want: 5n },
  { name: "biggest is max", fn: "biggest", args: [1n, 2n], want: 2n },
  { name: "min", fn: "min", args: [1n, -2n, 3n], want: -2n },
]);

table("float math", [
  { name: "addf is exact in decimal", fn: "addf", args: [1.1, 2.2], want: 3.3 },
  { name: "addf of mixed arguments", fn: "addf", args: [1.5, 2.2, 3n], want: 6.7 },
  { name: "add1f", fn: "add1f", args: [3.4], want: 4.4 },
  { name: "subf", fn: "subf", args: [4.5, 1n, 3n], want: 0.5 },
  { name: "mulf", fn: "mulf", args: [1.2, "2.4", 10n, "4"], want: 115.2 },
  { name: "divf", fn: "divf", args: [5n, 4n, 2n], want: 0.625 },
  { name: "divf rounds at 16 places", fn: "divf", args: [10n, 3n], want: 3.3333333333333335 },
  { name: "divf by zero fails", fn: "divf", args: [1n, 0n], error: "decimal division by zero" },
  { name: "maxf", fn: "maxf", args: [1n, 2.5, "3.5"], want: 3.5 },
  { name: "minf", fn: "minf", args: [1n, 2.5, -3n], want: -3 },
  { name: "floor", fn: "floor", args: ["123.9999"], want: 123 },
  { name: "ceil", fn: "ceil", args: [123.01], want: 124 },
  { name: "round half up", fn: "round", args: [123.5555, 3n], want: 123.556 },
  { name: "round a string", fn: "round", args: ["123.55555", 3n], want: 123.556 },
  { name: "round to a whole number", fn: "round", args: [123.500001, 0n], want: 124 },
  { name: "round with a threshold", fn: "round", args: [123.2329999, 2n, 0.3], want: 123.23 },
  { name: "round at the threshold", fn: "round", args: [123.233, 2n, 0.3], want: 123.24 },
]);

table("conversions", [
  { name: "int of a float64 truncates", fn: "int", args: [102.1234], want: 102n },
  { name: "int of a string", fn: "int", args: ["102"], want: 102n },
  { name: "int of a string with a zero fraction", fn: "int", args: ["12.00"], want: 12n },
  { name: "int of a bad string is 0", fn: "int", args: ["frankie"], want: 0n },
  { name: "int reads octal like Go", fn: "int", args: ["010"], want: 8n },
  { name: "int of true is 1", fn: "int", args: [true], want: 1n },
  { name: "int64 of nil is 0", fn: "int64", args: [null], want: 0n },
  { name: "float64 of an int", fn: "float64", args: [102n], want: 102 },
  { name: "float64 of a string", fn: "float64", args: ["1e3"], want: 1000 },
  { name: "float64 of a bad string is 0", fn: "float64", args: ["x"], want: 0 },
  { name: "atoi", fn: "atoi", args: ["42"], want: 42n },
  { name: "atoi of a bad string is 0", fn: "atoi", args: ["4x"], want: 0n },
  { name: "toDecimal reads octal", fn: "toDecimal", args: ["0777"], want: 511n },
  { name: "toDecimal of an int", fn: "toDecimal", args: [777n], want: 511n },
  { name: "toDecimal of a non-octal is 0", fn: "toDecimal", args: ["8"], want: 0n },
]);

table("sequences", [
  { name: "until counts up", fn: "until", args: [5n], want: [0n, 1n, 2n, 3n, 4n] },
  { name: "until counts down", fn: "until", args: [-3n], want: [0n, -1n, -2n] },
  { name: "untilStep", fn: "untilStep", args: [3n, 6n, 2n], want: [3n, 5n] },
  { name: "untilStep the wrong way is empty", fn: "untilStep", args: [0n, 10n, -1n], want: [] },
  { name: "seq END", fn: "seq", args: [5n], want: "1 2 3 4 5" },
  { name: "seq of a negative END", fn: "seq", args: [-5n], want: "1 0 -1 -2 -3 -4 -5" },
  { name: "seq 0", fn: "seq", args: [0n], want: "1 0" },
  { name: "seq START END", fn: "seq", args: [0n, -4n], want: "0 -1 -2 -3 -4" },
  { name: "seq START STEP END", fn: "seq", args: [0n, 3n, 10n], want: "0 3 6 9" },
  { name: "seq with a step the wrong way", fn: "seq", args: [3n, 3n, 2n], want: "" },
  { name: "seq counting down", fn: "seq", args: [3n, -3n, 2n], want: "3" },
  { name: "seq of nothing", fn: "seq", args: [], want: "" },
  { name: "seq of four arguments", fn: "seq", args: [0n, 1n, 2n, 3n], want: "" },
]);

Deno.test("randInt stays within [min, max)", () => {
  for (let i = 0; i < 50; i++) {
    const n = call("randInt", 3n, 6n) as bigint;
    assert.ok(typeof n === "bigint" && n >= 3n && n < 6n, `${n}`);
  }
});
