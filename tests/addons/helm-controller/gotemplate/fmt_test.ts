// Go's fmt over the shared value model: verbs, flags, width and precision, float rounding (half to even on the
// exact binary value), %v of nested maps and slices, and the %!verb(...) complaints. Outputs are Go's.
import assert from "node:assert/strict";
import { formatValue, sprint, sprintf, sprintln } from "../../../../addons/helm-controller/gotemplate/mod.ts";

type Row = [format: string, args: unknown[], want: string];

const cases: Record<string, Row[]> = {
  "%v prints nested maps sorted and slices space-separated": [
    ["%v", [{ b: [1, 2], a: null }], "map[a:<nil> b:[1 2]]"],
    ["%v", [[1n, "x", [true]]], "[1 x [true]]"],
  ],
  "%v of a float64 is its shortest %g form": [
    ["%v %v %v %v %v", [1e6, 3, 0.1, 1.5e-7, 100000], "1e+06 3 0.1 1.5e-07 100000"],
    ["%v %v %v", [-0, NaN, Infinity], "-0 NaN +Inf"],
  ],
  "a verb that does not fit the value prints %!verb(type=value)": [
    ["%d", [1.5], "%!d(float64=1.5)"],
    ["%s", [true], "%!s(bool=true)"],
    ["%z", [1n], "%!z(int64=1)"],
    ["%s", [null], "%!s(<nil>)"],
  ],
  "a verb applies to each element of a slice or map": [
    ["%d", [[1n, 2n]], "[1 2]"],
    ["%d", [{ a: 1n }], "map[%!d(string=a):1]"],
    ["%s", [[1.5, "x"]], "[%!s(float64=1.5) x]"],
  ],
  "missing and extra arguments are reported": [
    ["%s %s", ["a"], "a %!s(MISSING)"],
    ["%s", ["a", "b", 3n], "a%!(EXTRA string=b, int64=3)"],
    ["%", [], "%!(NOVERB)"],
  ],
  "width, precision and flags pad and truncate": [
    ["%-5s|%5s|", ["ab", "cd"], "ab   |   cd|"],
    ["%05.2f", [3.14159], "03.14"],
    ["%08.3f", [-3.5], "-003.500"],
    ["%+d %+.1e", [5n, 12345], "+5 +1.2e+04"],
    ["%05s", ["ab"], "000ab"],
    ["%-05d|", [3n], "3    |"],
    ["%.2s", ["héllo"], "hé"],
    ["%6.2f%%", [12.345], " 12.35%"],
    ["%*d|%-*d|", [5n, 3n, 4n, 7n], "    3|7   |"],
  ],
  "explicit argument indexes reorder arguments": [["%[2]s %[1]s", ["a", "b"], "b a"]],
  "floats round half to even on their exact value": [
    ["%.0f %.0f %.0f", [0.5, 1.5, 2.5], "0 2 2"],
    ["%5.1f|", [2.25], "  2.2|"],
    ["%e %E", [123456.789, 1e-10], "1.234568e+05 1.000000E-10"],
    ["%g %g %.3g", [1e-5, 0.0001, 1234.5678], "1e-05 0.0001 1.23e+03"],
    ["%x", [1.5], "0x1.8p+00"],
  ],
  "integers print in every base": [
    ["%x %X %#x %o %#o %O %b", [255n, 255n, 255n, 8n, 8n, 8n, 5n], "ff FF 0xff 10 010 0o10 101"],
    ["%c%c %q %U %#U", [72n, 0x1f600n, 65n, 0x41n, 0x41n], "H😀 'A' U+0041 U+0041 'A'"],
  ],
  "strings quote and hex-encode": [
    ["%q", ['a"b\n'], '"a\\"b\\n"'],
    ["%#q %+q", ["ab", "é"], '`ab` "\\u00e9"'],
    ["%x|% x|%#x", ["hi", "hi", "hi"], "6869|68 69|0x6869"],
  ],
  "%T names the Go type": [
    [
      "%T %T %T %T %T %T",
      [3n, 1.5, "s", [], {}, null],
      "int64 float64 string []interface {} map[string]interface {} <nil>",
    ],
  ],
  "%#v prints Go syntax": [
    ["%#v", [{ a: "x", b: [1n] }], 'map[string]interface {}{"a":"x", "b":[]interface {}{1}}'],
  ],
  "byte slices print as numbers with %v and as text with %s": [
    ["%v %s", [new Uint8Array([104, 105]), new Uint8Array([104, 105])], "[104 105] hi"],
  ],
};

for (const [name, rows] of Object.entries(cases)) {
  Deno.test(`gotemplate fmt: ${name}`, () => {
    for (const [format, args, want] of rows) assert.equal(sprintf(format, ...args), want, format);
  });
}

Deno.test("gotemplate fmt: Sprint adds spaces only between two non-strings", () => {
  assert.equal(sprint(1n, 2n, "a", "b", 3.5, null, 4n), "1 2ab3.5 <nil> 4");
});

Deno.test("gotemplate fmt: Sprintln separates every operand and ends the line", () => {
  assert.equal(sprintln("a", 1n, null), "a 1 <nil>\n");
});

Deno.test("gotemplate fmt: a Stringer or an error prints its text", () => {
  assert.equal(formatValue({ String: () => "v1.32.0" }), "v1.32.0");
  assert.equal(formatValue([new Error("boom")]), "[boom]");
});

Deno.test("gotemplate fmt: a struct prints its fields, with names under %+v", () => {
  class Metadata {
    Name = "web";
    Version = "1.0";
  }
  assert.equal(formatValue(new Metadata()), "{web 1.0}");
  assert.equal(sprintf("%+v", new Metadata()), "{Name:web Version:1.0}");
});
