// The builtin functions and user functions: Go's results, its comparison rules (an int never equals a
// float64), signatures that check and convert arguments, and errors wrapped as "error calling <name>".
import { withSignature } from "../../../../addons/helm-controller/gotemplate/mod.ts";
import { type Case, table } from "./support.ts";

const trunc = withSignature((n, s) => String(s).slice(0, Number(n)), ["int", "string"]);
const upper = withSignature((s) => String(s).toUpperCase(), ["string"]);
const fail = (message: unknown) => {
  throw new Error(String(message));
};
const funcs = { trunc, upper, fail };

const builtins: Case[] = [
  { name: "not negates truthiness", text: '{{ not 0 }} {{ not "a" }}', want: "true false" },
  {
    name: "eq compares basic values and matches any of several",
    text: '{{ eq .s "a" "b" }} {{ eq 1 1 }} {{ eq .f 1.5 }} {{ eq .nul nil }}',
    data: { s: "b", f: 1.5, nul: null },
    want: "true true true true",
  },
  {
    name: "ne, lt, le, gt and ge",
    text: '{{ ne 1 2 }} {{ lt 1 2 }} {{ le 2 2 }} {{ gt "b" "a" }} {{ ge 1.5 2.5 }}',
    want: "true true true true false",
  },
  {
    name: "comparing an int with a float64 is an error",
    text: "{{ eq .n 3 }}",
    data: { n: 3 },
    error: 'template: t:1:3: executing "t" at <eq .n 3>: error calling eq: incompatible types for comparison',
  },
  {
    name: "ordering nil is an error",
    text: "{{ lt .missing 1 }}",
    data: {},
    error: 'template: t:1:3: executing "t" at <lt .missing 1>: error calling lt: invalid type for comparison',
  },
  {
    name: "len counts string bytes, elements and keys",
    text: '{{ len "héllo" }} {{ len .l }} {{ len .m }}',
    data: { l: [1, 2], m: { a: 1 } },
    want: "6 2 1",
  },
  {
    name: "len of nil is an error",
    text: "{{ len .nul }}",
    data: { nul: null },
    error: 'template: t:1:3: executing "t" at <len .nul>: error calling len: len of nil pointer',
  },
  {
    name: "index walks nested maps and slices",
    text: '{{ index . "a" 1 "b" }}',
    data: { a: [0, { b: "deep" }] },
    want: "deep",
  },
  {
    name: "index out of range is an error",
    text: "{{ index .l 5 }}",
    data: { l: [1] },
    error: 'template: t:1:3: executing "t" at <index .l 5>: error calling index: index out of range: 5',
  },
  { name: "index of a missing map key is nil", text: '{{ index .m "x" }}', data: { m: {} }, want: "<no value>" },
  {
    name: "slice cuts strings and lists",
    text: '{{ slice "hello" 1 3 }} {{ slice .l 1 }} {{ slice .l }}',
    data: { l: [1, 2, 3] },
    want: "el [2 3] [1 2 3]",
  },
  {
    name: "print spaces only between non-strings, println always and adds a newline",
    text: '{{ print 1 2 "a" "b" 3 }}|{{ println "a" 1 }}|',
    want: "1 2ab3|a 1\n|",
  },
  {
    name: "printf formats like Go's fmt",
    text: '{{ printf "%s=%d %05.2f %v %q" "a" 3 3.14159 .l "x" }}',
    data: { l: [1, 2] },
    want: 'a=3 03.14 [1 2] "x"',
  },
  {
    name: "printf complains in place about a verb that does not fit",
    text: '{{ printf "%d" 1.5 }}',
    want: "%!d(float64=1.5)",
  },
  {
    name: "html, js and urlquery escape their text",
    text: `{{ html "<a href='x'>" }}|{{ js "it's <b>" }}|{{ urlquery "a b&c=d" }}`,
    want: "&lt;a href=&#39;x&#39;&gt;|it\\'s \\u003Cb\\u003E|a+b%26c%3Dd",
  },
  {
    name: "call invokes a function value with arguments",
    text: '{{ call (index . "f") 2 3 }}',
    data: { f: (a: unknown, b: unknown) => (a as bigint) * (b as bigint) },
    want: "6",
  },
  {
    name: "call of a non-function is an error",
    text: "{{ call .s }}",
    data: { s: "x" },
    error: 'template: t:1:3: executing "t" at <call .s>: error calling call: non-function .s of type string',
  },
];

const userFunctions: Case[] = [
  {
    name: "an unknown function is a parse error naming it and its line",
    text: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  x: {{ .Values.x | nosuchfunc }}\n",
    error: 'template: t:6: function "nosuchfunc" not defined',
  },
  {
    name: "a function's error is wrapped as error calling <name>",
    text: '{{ fail "boom" }}',
    options: { funcs },
    error: 'template: t:1:3: executing "t" at <fail "boom">: error calling fail: boom',
  },
  {
    name: "a declared signature checks the number of arguments",
    text: "{{ trunc 3 }}",
    options: { funcs },
    error: 'template: t:1:3: executing "t" at <trunc>: wrong number of args for trunc: want 2 got 1',
  },
  {
    name: "a declared signature converts constants",
    text: '{{ trunc 3 "abcdef" }} {{ "xyz" | trunc 2 }}',
    options: { funcs },
    want: "abc xy",
  },
  {
    name: "a declared signature rejects a value of another type",
    text: '{{ trunc .n "abc" }}',
    data: { n: 2 },
    options: { funcs },
    error: 'template: t:1:9: executing "t" at <.n>: wrong type for value; expected int; got float64',
  },
  {
    name: "a declared signature rejects a constant of another kind",
    text: '{{ trunc "3" "abc" }}',
    options: { funcs },
    error: 'template: t:1:9: executing "t" at <"3">: expected integer; found "3"',
  },
  {
    name: "a missing value piped into a string parameter is an invalid value",
    text: "{{ .missing | upper }}",
    data: {},
    options: { funcs },
    error: 'template: t:1:14: executing "t" at <upper>: invalid value; expected string',
  },
];

table("gotemplate builtins", builtins);
table("gotemplate functions", userFunctions);
