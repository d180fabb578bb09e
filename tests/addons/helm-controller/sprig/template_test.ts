// Sprig's functions called from templates, through the Go template engine: the chart idioms of the Helm
// scenario, Go's argument conversion from the declared signatures (constants to int, float64 refused where Go
// wants an int), struct fields and methods of returned values, and errors wrapped as Go wraps them.
import assert from "node:assert/strict";
import { render } from "./support.ts";
import { TemplateError } from "../../../../addons/helm-controller/gotemplate/mod.ts";

const values = {
  Release: { Name: "greeter-1234567890123456789012345678901234567890123456789012345" },
  Chart: { Name: "greeter" },
  Values: { greeting: "hi", replicas: 3, labels: { b: "two", a: "one" }, big: 1000000 },
};

function renderError(text: string, data: unknown = null): string {
  try {
    render(text, data);
  } catch (err) {
    assert.ok(err instanceof TemplateError, `${err}`);
    return err.message;
  }
  assert.fail(`expected ${text} to fail`);
}

const cases: [string, string, string][] = [
  [
    "a fullname is cut to 63 bytes without a trailing dash",
    '{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}',
    "greeter-1234567890123456789012345678901234567890123456789012345",
  ],
  ["upper and quote chain", "{{ .Values.greeting | upper | quote }}", '"HI"'],
  ["a missing value takes the default", '{{ .Values.missing | default "dflt" | quote }}', '"dflt"'],
  ["keys, sortAlpha and join", '{{ keys .Values.labels | sortAlpha | join "," | quote }}', '"a,b"'],
  [
    "a YAML number quotes as Go prints float64",
    "{{ .Values.replicas | quote }} {{ .Values.big | quote }}",
    '"3" "1e+06"',
  ],
  [
    "integer math gives int64",
    "{{ add 1 2 | typeOf }} {{ div 10 3 }} {{ .Values.replicas | int | add1 }}",
    "int64 3 4",
  ],
  ["float math gives float64", "{{ 3 | addf 1.5 2.2 }} {{ addf 1 2 | typeOf }}", "6.7 float64"],
  ["lists and dicts to JSON", '{{ list 1 "a" | toJson }} {{ dict "b" 2 "a" 1.5 | toJson }}', '[1,"a"] {"a":1.5,"b":2}'],
  ["regex replacement expands groups", '{{ regexReplaceAll "a(n)" "banana" "${1}x" }}', "bnxnxa"],
  ["semverCompare against a version string", '{{ semverCompare ">=1.20-0" "v1.32.0+k3s1" }}', "true"],
  ["struct fields of a certificate", '{{ (genCA "x" 1).Cert | hasPrefix "-----BEGIN CERTIFICATE-----" }}', "true"],
  ["a method of a semver", '{{ (semver "1.2.3").Minor }}', "2"],
  ["a time formats with a Go layout", '{{ now | date "2006" | len }}', "4"],
  ["nindent of a block", '{{ "a: 1\\nb: 2" | nindent 2 }}', "\n  a: 1\n  b: 2"],
  ["ternary picks by a bool", '{{ ternary "on" "off" (eq 1 1) }}', "on"],
  ["until ranges over ints", "{{ range until 3 }}{{ . }}{{ end }}", "012"],
];

for (const [name, text, want] of cases) {
  Deno.test(`in a template: ${name}`, () => {
    assert.equal(render(text, values), want);
  });
}

Deno.test("in a template: a float64 where Go wants an int is refused", () => {
  assert.equal(
    renderError('{{ trunc .Values.replicas "abc" }}', values),
    'template: t:1:16: executing "t" at <.Values.replicas>: wrong type for value; expected int; got float64',
  );
});

Deno.test("in a template: a function's error is wrapped with its name", () => {
  assert.equal(
    renderError('{{ fail "boom" }}'),
    'template: t:1:3: executing "t" at <fail "boom">: error calling fail: boom',
  );
});

Deno.test("in a template: a wrong argument count is Go's error", () => {
  assert.equal(
    renderError("{{ trunc 3 }}"),
    'template: t:1:3: executing "t" at <trunc>: wrong number of args for trunc: want 2 got 1',
  );
});
