// The template set: one namespace of templates across parses, as Helm parses every chart file into one set.
import assert from "node:assert/strict";
import { TemplateError, TemplateSet } from "../../../../addons/helm-controller/gotemplate/mod.ts";

Deno.test("gotemplate set: a later definition overrides a block's default", () => {
  const set = new TemplateSet();
  set.parse("base.yaml", '{{ block "name" . }}default{{ end }}');
  assert.equal(set.execute("base.yaml", null), "default");
  set.parse("override.tpl", '{{ define "name" }}override{{ end }}');
  assert.equal(set.execute("base.yaml", null), "override");
});

Deno.test("gotemplate set: an empty later definition does not replace an existing one", () => {
  const set = new TemplateSet();
  set.parse("a.tpl", '{{ define "x" }}kept{{ end }}');
  set.parse("b.tpl", '{{ define "x" }} {{/* nothing */}} {{ end }}');
  assert.equal(set.execute("x", null), "kept");
});

Deno.test("gotemplate set: definitions are shared by every text in the set", () => {
  const set = new TemplateSet();
  set.parse("_helpers.tpl", '{{ define "fullname" }}{{ .Release.Name }}-app{{ end }}');
  set.parse("cm.yaml", 'name: {{ template "fullname" . }}');
  assert.equal(set.execute("cm.yaml", { Release: { Name: "rel" } }), "name: rel-app");
  assert.deepEqual(set.names(), ["_helpers.tpl", "cm.yaml", "fullname"]);
  assert.equal(set.has("fullname"), true);
});

Deno.test("gotemplate set: a text that fails to parse adds nothing", () => {
  const set = new TemplateSet();
  assert.throws(() => set.parse("bad.yaml", '{{ define "d" }}x{{ end }}{{ if }}'), TemplateError);
  assert.deepEqual(set.names(), []);
});

Deno.test("gotemplate set: executing an unknown name names the set", () => {
  const set = new TemplateSet({ name: "gotpl" });
  assert.throws(() => set.execute("nope", null), {
    message: 'template: no template "nope" associated with template "gotpl"',
  });
});

Deno.test("gotemplate set: a clone takes new texts without changing the original", () => {
  const set = new TemplateSet();
  set.parse("a", '{{ define "x" }}old{{ end }}');
  const copy = set.clone();
  copy.parse("tpl", '{{ define "x" }}new{{ end }}{{ template "x" }}');
  assert.equal(copy.execute("tpl", null), "new");
  assert.equal(set.execute("x", null), "old");
  assert.equal(set.has("tpl"), false);
});

Deno.test("gotemplate set: functions added later replace what executions call", () => {
  const set = new TemplateSet({ funcs: { include: () => "stub" } });
  set.parse("t", "{{ include }}");
  set.addFuncs({ include: () => "real" });
  assert.equal(set.execute("t", null), "real");
});

Deno.test("gotemplate set: a function name must be an identifier", () => {
  assert.throws(() => new TemplateSet({ funcs: { "to-yaml": () => "" } }), {
    message: 'function name "to-yaml" is not a valid identifier',
  });
});

Deno.test("gotemplate set: custom delimiters replace {{ and }}", () => {
  const set = new TemplateSet();
  set.parse("t", "[[ .a ]] {{ .a }}", { leftDelim: "[[", rightDelim: "]]" });
  assert.equal(set.execute("t", { a: 1n }), "1 {{ .a }}");
});

Deno.test("gotemplate set: a function may execute templates of its own set, as Helm's include does", () => {
  const set = new TemplateSet();
  set.addFuncs({ include: (name, data) => set.execute(String(name), data).toUpperCase() });
  set.parse("t", '{{ define "inner" }}hi {{ . }}{{ end }}{{ include "inner" "there" }}');
  assert.equal(set.execute("t", null), "HI THERE");
});
