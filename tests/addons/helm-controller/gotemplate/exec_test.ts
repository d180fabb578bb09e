// Execution as Go's text/template does it: trimming, range, variables, if/with, definitions, literals, value
// printing, missingkey, fields and methods, and execution errors with their locations. Expected outputs are
// written from Go's documented behaviour (text/template docs, exec_test.go).
import { type Case, table } from "./support.ts";

class Metadata {
  Name = "web";
  Version = "1.0";
  FullName(): string {
    return `${this.Name}-${this.Version}`;
  }
}

class KubeVersion {
  constructor(readonly Version: string) {}
  String(): string {
    return this.Version;
  }
}

const apiVersions = Object.assign(["v1", "apps/v1"], { Has: (v: unknown) => ["v1", "apps/v1"].includes(String(v)) });
const helmLike = {
  Files: { Get: (name: unknown) => `content of ${name}` },
  Capabilities: { APIVersions: apiVersions, KubeVersion: new KubeVersion("v1.32.0") },
};
const boom = {
  boom: () => {
    throw new Error("evaluated");
  },
};

const trimming: Case[] = [
  { name: "trim markers eat the spaces and newlines beside an action", text: "a \n {{- 3 -}} \n b", want: "a3b" },
  { name: "a minus without a following space is a negative number", text: "{{-3}}", want: "-3" },
  {
    name: "trimmed range renders one YAML line per map entry",
    text: "labels:\n  {{- range $k, $v := .labels }}\n  {{ $k }}: {{ $v }}\n  {{- end }}",
    data: { labels: { b: "two", a: "one" } },
    want: "labels:\n  a: one\n  b: two",
  },
  { name: "comments are dropped and can trim", text: "a {{- /* note */ -}} b{{/* x */}}c", want: "abc" },
];

const range: Case[] = [
  {
    name: "range over a map visits keys in sorted order",
    text: "{{ range $k, $v := . }}{{ $k }}={{ $v }};{{ end }}",
    data: { b: 2, a: 1, c: 3 },
    want: "a=1;b=2;c=3;",
  },
  {
    name: "range over a map with one variable binds the values",
    text: "{{ range $v := . }}{{ $v }},{{ end }}",
    data: { b: "y", a: "x" },
    want: "x,y,",
  },
  {
    name: "range sets dot to each element while $ stays the data",
    text: "{{ range .list }}{{ . }}{{ $.sep }}{{ end }}",
    data: { list: [1n, "x", null], sep: "|" },
    want: "1|x|<no value>|",
  },
  {
    name: "range with two variables binds index and element",
    text: "{{ range $i, $e := .list }}{{ $i }}:{{ $e }} {{ end }}",
    data: { list: ["a", "b"] },
    want: "0:a 1:b ",
  },
  {
    name: "range over an empty list runs else",
    text: "{{ range .list }}x{{ else }}none{{ end }}",
    data: { list: [] },
    want: "none",
  },
  {
    name: "range over a missing value runs else",
    text: "{{ range .missing }}x{{ else }}none{{ end }}",
    data: {},
    want: "none",
  },
  { name: "range over an integer counts from zero", text: "{{ range $i := 3 }}{{ $i }}{{ end }}", want: "012" },
  {
    name: "range over an integer takes one variable only",
    text: "{{ range $i, $e := 3 }}{{ end }}",
    error: 'template: t:1:19: executing "t" at <3>: can\'t use 3 to iterate over more than one variable',
  },
  {
    name: "break ends a range and continue skips to the next element",
    text: "{{ range . }}{{ if eq . 2 }}{{ continue }}{{ end }}{{ if eq . 4 }}{{ break }}{{ end }}{{ . }}{{ end }}",
    data: [1n, 2n, 3n, 4n, 5n],
    want: "13",
  },
  {
    name: "range over a string is an error",
    text: "{{ range .s }}{{ end }}",
    data: { s: "abc" },
    error: 'template: t:1:9: executing "t" at <.s>: range can\'t iterate over abc',
  },
];

const variables: Case[] = [
  {
    name: "= assigns to the variable of an enclosing scope",
    text: "{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}",
    want: "2",
  },
  {
    name: "a variable declared in a block ends at its end",
    text: "{{ if true }}{{ $y := 3 }}{{ end }}{{ $y }}",
    error: 'template: t:1: undefined variable "$y"',
  },
  {
    name: "a called template's $ is the dot it was given",
    text: '{{ define "T" }}{{ $ }}{{ end }}{{ template "T" "arg" }}',
    want: "arg",
  },
];

const branches: Case[] = [
  {
    name: "if treats empty values as false",
    text: "{{ range . }}{{ if . }}T{{ else }}F{{ end }}{{ end }}",
    data: ["", "a", 0, 1.5, 0n, 2n, [], [0], {}, { a: 1 }, null, false, true],
    want: "FTFTFTFTFTFFT",
  },
  {
    name: "else if chains",
    text: "{{ if .a }}A{{ else if .b }}B{{ else }}C{{ end }}",
    data: { b: 1 },
    want: "B",
  },
  {
    name: "with sets dot and else with tries the next value",
    text: "{{ with .a }}A{{ . }}{{ else with .b }}B{{ . }}{{ else }}C{{ end }}",
    data: { b: "x" },
    want: "Bx",
  },
  {
    name: "with on an empty value runs else with the outer dot",
    text: "{{ with .a }}{{ . }}{{ else }}{{ .c }}{{ end }}",
    data: { c: "outer" },
    want: "outer",
  },
];

const definitions: Case[] = [
  {
    name: "template runs a definition with the given dot, or none",
    text: '{{ define "T" }}[{{ . }}]{{ end }}{{ template "T" .n }}{{ template "T" }}',
    data: { n: 3n },
    want: "[3][<no value>]",
  },
  { name: "block renders its own body", text: '{{ block "B" .n }}<{{ . }}>{{ end }}', data: { n: 5n }, want: "<5>" },
  {
    name: "an undefined template is an execution error",
    text: '{{ template "nope" }}',
    error: 'template: t:1:12: executing "t" at <{{template "nope"}}>: template "nope" not defined',
  },
  {
    name: "an error inside a definition names the definition and the line in its text",
    text: '{{ define "T" }}\n{{ .a.b }}{{ end }}{{ template "T" .x }}',
    data: { x: { a: null } },
    error: 'template: t:2:5: executing "T" at <.a.b>: nil pointer evaluating interface {}.b',
  },
  {
    name: "endless recursion stops at the maximum template depth",
    text: '{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}',
    error: 'template: t:1:28: executing "r" at <{{template "r" .}}>: exceeded maximum template depth (1000)',
  },
];

const literals: Case[] = [
  {
    name: "number literals: floats by syntax, ints in every base, runes, underscores",
    text: "{{ 1e6 }} {{ 1.5 }} {{ 0x1F }} {{ 0o17 }} {{ 017 }} {{ 0b101 }} {{ 'a' }} {{ 1_000 }} {{ -2 }} {{ 1e3 }}",
    want: "1e+06 1.5 31 15 15 5 97 1000 -2 1000",
  },
  { name: "string literals: escapes and raw strings", text: '{{ "a\\tb" }}|{{ `c\\nd` }}', want: "a\tb|c\\nd" },
  { name: "boolean literals", text: "{{ true }} {{ false }}", want: "true false" },
  {
    name: "nil is not a command",
    text: "{{ nil }}",
    error: 'template: t:1:3: executing "t" at <nil>: nil is not a command',
  },
];

const printing: Case[] = [
  {
    name: "float64 values print in Go's shortest %v form",
    text: "{{ .a }} {{ .b }} {{ .c }} {{ .d }} {{ .e }} {{ .f }}",
    data: { a: 1e6, b: 3, c: 0.1, d: 1.5e-7, e: 123456789, f: -0.5 },
    want: "1e+06 3 0.1 1.5e-07 1.23456789e+08 -0.5",
  },
  {
    name: "int64 values print as integers",
    text: "{{ .a }} {{ .b }}",
    data: { a: 1000000n, b: -3n },
    want: "1000000 -3",
  },
  {
    name: "maps and slices print as Go prints them, keys sorted",
    text: "{{ . }}",
    data: { b: [1, "x", null], a: { d: true, c: 1.5 } },
    want: "map[a:map[c:1.5 d:true] b:[1 x <nil>]]",
  },
  {
    name: "nil prints <no value> from an action and <nil> through fmt",
    text: '{{ .nul }} {{ print .nul }} {{ printf "%v" .missing }}',
    data: { nul: null },
    want: "<no value> <nil> <nil>",
  },
  {
    name: "a Stringer prints its String()",
    text: "{{ .Capabilities.KubeVersion }} {{ .Capabilities.KubeVersion.Version }}",
    data: helmLike,
    want: "v1.32.0 v1.32.0",
  },
];

const missingKeys: Case[] = [
  {
    name: "missing keys print <no value> by default",
    text: "{{ .a }} {{ .a.b.c }}",
    data: {},
    want: "<no value> <no value>",
  },
  {
    name: "missingkey=zero prints <no value> for a missing key",
    text: "{{ .a }}",
    data: {},
    options: { missingKey: "zero" },
    want: "<no value>",
  },
  {
    name: "missingkey=zero makes a field of a missing key a nil pointer error",
    text: "{{ .a.b }}",
    data: {},
    options: { missingKey: "zero" },
    error: 'template: t:1:5: executing "t" at <.a.b>: nil pointer evaluating interface {}.b',
  },
  {
    name: "missingkey=error names the missing key",
    text: "{{ .a }}",
    data: {},
    options: { missingKey: "error" },
    error: 'template: t:1:3: executing "t" at <.a>: map has no entry for key "a"',
  },
];

const fields: Case[] = [
  {
    name: "a field of a null value is a nil pointer error with line and column",
    text: "line1\n  x: {{ .Values.x.y }}",
    data: { Values: { x: null } },
    error: 'template: t:2:15: executing "t" at <.Values.x.y>: nil pointer evaluating interface {}.y',
  },
  {
    name: "a field of a slice element names interface {} as its type",
    text: "{{ range .list }}{{ .Values }}{{ end }}",
    data: { list: ["a"] },
    error: 'template: t:1:20: executing "t" at <.Values>: can\'t evaluate field Values in type interface {}',
  },
  {
    name: "a field of a string variable names string as its type",
    text: "{{ $s := .s }}{{ $s.x }}",
    data: { s: "a" },
    error: 'template: t:1:19: executing "t" at <$s.x>: can\'t evaluate field x in type string',
  },
  {
    name: "a map entry given arguments is an error",
    text: "{{ .s 1 }}",
    data: { s: "a" },
    error: 'template: t:1:3: executing "t" at <.s>: s is not a method but has arguments',
  },
  {
    name: "a function-valued field is called like a method with the arguments",
    text: '{{ .Files.Get "a.txt" }}|{{ if .Capabilities.APIVersions.Has "v1" }}yes{{ end }}',
    data: helmLike,
    want: "content of a.txt|yes",
  },
  {
    name: "a piped value is a method's last argument",
    text: '{{ "a.txt" | .Files.Get }}',
    data: helmLike,
    want: "content of a.txt",
  },
  {
    name: "a struct's fields and methods are reachable",
    text: "{{ .Name }} {{ .FullName }}",
    data: new Metadata(),
    want: "web web-1.0",
  },
  {
    name: "an unknown struct field is an error",
    text: "{{ .Nope }}",
    data: new Metadata(),
    error: 'template: t:1:3: executing "t" at <.Nope>: can\'t evaluate field Nope in type *Metadata',
  },
  {
    name: "and and or stop at the deciding value",
    text: '{{ and 1 0 .boom }}|{{ or 0 "" "x" .boom }}|{{ and 1 2 }}|{{ or 0 false }}',
    data: boom,
    want: "0|x|2|false",
  },
];

table("gotemplate trimming", trimming);
table("gotemplate range", range);
table("gotemplate variables", variables);
table("gotemplate if/with", branches);
table("gotemplate define/template/block", definitions);
table("gotemplate literals", literals);
table("gotemplate printing", printing);
table("gotemplate missingkey", missingKeys);
table("gotemplate fields", fields);
