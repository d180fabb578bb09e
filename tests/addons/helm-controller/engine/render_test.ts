// Helm's engine.Render over charts of our own: scopes, Helm's functions and Helm's error messages.
import assert from "node:assert/strict";
import { loadArchive, readValues, versionSet } from "../../../../addons/helm-controller/chart/mod.ts";
import { defaultCapabilities, parseKubeVersion } from "../../../../addons/helm-controller/chart/mod.ts";
import { Capabilities } from "../../../../addons/helm-controller/chart/mod.ts";
import { render } from "../../../../addons/helm-controller/engine/mod.ts";
import { chartYaml, packChart, renderTexts, renderValues } from "../chart/fixture.ts";

/** The greeter chart of the acceptance scenario (../shared/scenarios/helm.sh). */
const GREETER = {
  "Chart.yaml": 'apiVersion: v2\nname: greeter\nversion: 0.1.0\nappVersion: "1.2.3"\n',
  "values.yaml":
    "greeting: hello\nreplicas: 1\nlabels:\n  b: two\n  a: one\nsub:\n  color: green\nglobal:\n  site: earth\n",
  "templates/_helpers.tpl": '{{- define "greeter.fullname" -}}\n' +
    '{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}\n{{- end -}}\n',
  "templates/cm.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "greeter.fullname" . }}
  labels:
    {{- range $k, $v := .Values.labels }}
    {{ $k }}: {{ $v | quote }}
    {{- end }}
data:
  greeting: {{ .Values.greeting | upper | quote }}
  release: {{ .Release.Name }}
  namespace: {{ .Release.Namespace }}
  chartVersion: {{ .Chart.Version | quote }}
  appVersion: {{ .Chart.AppVersion | quote }}
  replicas: {{ .Values.replicas | quote }}
  fallback: {{ .Values.missing | default "dflt" | quote }}
  labelKeys: {{ keys .Values.labels | sortAlpha | join "," | quote }}
  labels.yaml: |
    {{- toYaml .Values.labels | nindent 4 }}
`,
  "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.0.1\n",
  "charts/sub/values.yaml": "color: red\n",
  "charts/sub/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-sub\n" +
    "data:\n  color: {{ .Values.color }}\n  site: {{ .Values.global.site }}\n",
};

Deno.test("the scenario's greeter chart renders the ConfigMaps the scenario expects", async () => {
  const chart = loadArchive(await packChart("greeter", GREETER));
  const values = { ...readValues("greeting: hi"), replicas: 3 };
  const out = await render(chart, renderValues(chart, values));
  assert.deepEqual(Object.keys(out).sort(), ["greeter/charts/sub/templates/cm.yaml", "greeter/templates/cm.yaml"]);
  assert.equal(
    out["greeter/templates/cm.yaml"],
    `apiVersion: v1
kind: ConfigMap
metadata:
  name: rel-greeter
  labels:
    a: "one"
    b: "two"
data:
  greeting: "HI"
  release: rel
  namespace: ns
  chartVersion: "0.1.0"
  appVersion: "1.2.3"
  replicas: "3"
  fallback: "dflt"
  labelKeys: "a,b"
  labels.yaml: |
    a: one
    b: two
`,
  );
  assert.equal(
    out["greeter/charts/sub/templates/cm.yaml"],
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rel-sub\ndata:\n  color: green\n  site: earth\n",
  );
});

Deno.test("numbers from values print as float64: 1000000 is 1e+06", async () => {
  const out = await renderTexts(
    { "Chart.yaml": chartYaml("c"), "templates/a.yaml": "{{ .Values.n }} {{ .Values.m }}" },
    {
      n: 1000000,
      m: 3,
    },
  );
  assert.equal(out["c/templates/a.yaml"], "1e+06 3");
});

Deno.test("a template using an undefined function fails to parse with Helm's location", async () => {
  const broken = {
    "Chart.yaml": chartYaml("broken"),
    "templates/cm.yaml":
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  x: {{ .Values.x | nosuchfunc }}\n",
  };
  await assert.rejects(renderTexts(broken), {
    message: 'parse error at (broken/templates/cm.yaml:6): function "nosuchfunc" not defined',
  });
});

Deno.test("required and fail stop the render with execution error at the call", async () => {
  await assert.rejects(
    renderTexts({
      "Chart.yaml": chartYaml("c"),
      "templates/a.yaml": 'x: {{ required "image.tag is required" .Values.tag }}',
    }),
    { message: "execution error at (c/templates/a.yaml:1:6): image.tag is required" },
  );
  await assert.rejects(
    renderTexts({ "Chart.yaml": chartYaml("c"), "templates/a.yaml": '\n{{ fail "not supported" }}' }),
    { message: "execution error at (c/templates/a.yaml:2:3): not supported" },
  );
});

Deno.test("required inside an include reports the including template's location", async () => {
  await assert.rejects(
    renderTexts({
      "Chart.yaml": chartYaml("c"),
      "templates/_h.tpl": '{{ define "need" }}{{ required "need x" .Values.x }}{{ end }}',
      "templates/a.yaml": 'a: {{ include "need" . }}',
    }),
    { message: "execution error at (c/templates/a.yaml:1:6): need x" },
  );
});

Deno.test("include passes any dot and nests; partials are not emitted", async () => {
  const out = await renderTexts({
    "Chart.yaml": chartYaml("c"),
    "templates/_h.tpl": '{{ define "name" }}{{ .name }}{{ end }}{{ define "outer" }}[{{ include "name" . }}]{{ end }}',
    "templates/a.yaml": '{{ include "outer" (dict "name" "x") }} {{ include "name" .Values }}',
  }, { name: "v" });
  assert.deepEqual(out, { "c/templates/a.yaml": "[x] v" });
});

Deno.test("a template including itself stops at Helm's recursion limit", async () => {
  await assert.rejects(
    renderTexts({
      "Chart.yaml": chartYaml("c"),
      "templates/_h.tpl": '{{ define "loop" }}{{ include "loop" . }}{{ end }}',
      "templates/a.yaml": '{{ include "loop" . }}',
    }),
    (error: Error) =>
      error.message.endsWith(
        'executing "loop" at <include "loop" .>: error calling include: ' +
          "rendering template has a nested reference name: loop: unable to execute template",
      ),
  );
});

Deno.test("a parent's define overrides a subchart's of the same name", async () => {
  const out = await renderTexts({
    "Chart.yaml": chartYaml("app"),
    "templates/_h.tpl": '{{ define "who" }}parent{{ end }}',
    "charts/sub/Chart.yaml": chartYaml("sub"),
    "charts/sub/templates/_h.tpl": '{{ define "who" }}sub{{ end }}',
    "charts/sub/templates/a.yaml": '{{ include "who" . }}',
  });
  assert.equal(out["app/charts/sub/templates/a.yaml"], "parent");
});

Deno.test("tpl renders values as templates, sees the chart's defines, and keeps its own to itself", async () => {
  const out = await renderTexts({
    "Chart.yaml": chartYaml("c"),
    "templates/_h.tpl": '{{ define "x" }}X{{ end }}',
    "templates/a.yaml": '{{ tpl .Values.t . }}|{{ tpl "{{ define \\"y\\" }}Y{{ end }}{{ include \\"y\\" . }}" . }}|' +
      '{{ if (.Template.Name | hasSuffix "a.yaml") }}ok{{ end }}',
  }, { t: '{{ .Release.Name }}-{{ include "x" . }}' });
  assert.equal(out["c/templates/a.yaml"], "rel-X|Y|ok");
});

Deno.test("tpl errors name the text and the template gotpl", async () => {
  await assert.rejects(
    renderTexts({ "Chart.yaml": chartYaml("c"), "templates/a.yaml": "{{ tpl .Values.t . }}" }, { t: "{{ nope }}" }),
    {
      message: 'template: c/templates/a.yaml:1:3: executing "c/templates/a.yaml" at <tpl .Values.t .>: ' +
        'error calling tpl: cannot parse template "{{ nope }}": template: gotpl:1: function "nope" not defined',
    },
  );
  await assert.rejects(
    renderTexts({ "Chart.yaml": chartYaml("c"), "templates/a.yaml": "{{ tpl .Values.t . }}" }, { t: "{{ .a.b }}" }),
    {
      message: 'template: c/templates/a.yaml:1:3: executing "c/templates/a.yaml" at <tpl .Values.t .>: ' +
        'error calling tpl: error during tpl function execution for "{{ .a.b }}": template: gotpl:1:5: ' +
        'executing "gotpl" at <.a.b>: nil pointer evaluating interface {}.b',
    },
  );
});

Deno.test("missing values render as nothing, and strict mode refuses them", async () => {
  const texts = { "Chart.yaml": chartYaml("c"), "templates/a.yaml": "x: {{ .Values.nope }}" };
  assert.equal((await renderTexts(texts))["c/templates/a.yaml"], "x: ");
  await assert.rejects(renderTexts(texts, {}, { strict: true }), /map has no entry for key "nope"/);
});

Deno.test("toYaml | nindent writes a nested block", async () => {
  const out = await renderTexts({
    "Chart.yaml": chartYaml("c"),
    "templates/a.yaml": "spec:\n  resources:\n    {{- toYaml .Values.resources | nindent 4 }}\n",
  }, { resources: { limits: { cpu: "1", memory: "1Gi" }, requests: { cpu: 0.5 } } });
  assert.equal(
    out["c/templates/a.yaml"],
    'spec:\n  resources:\n    limits:\n      cpu: "1"\n      memory: 1Gi\n    requests:\n      cpu: 0.5\n',
  );
});

Deno.test(".Capabilities reports the Kubernetes version and answers APIVersions.Has", async () => {
  const capabilities = new Capabilities(
    parseKubeVersion("v1.32.3+k3s1"),
    versionSet(["v1", "apps/v1", "apps/v1/Deployment"]),
  );
  const out = await renderTexts(
    {
      "Chart.yaml": chartYaml("c"),
      "templates/a.yaml": "{{ .Capabilities.KubeVersion }} {{ .Capabilities.KubeVersion.Minor }} " +
        '{{ .Capabilities.APIVersions.Has "apps/v1/Deployment" }} {{ .Capabilities.APIVersions.Has "batch/v1" }} ' +
        "{{ .Capabilities.KubeVersion.GitVersion }} {{ .Capabilities.HelmVersion.Version }}",
    },
    {},
    { capabilities },
  );
  assert.equal(out["c/templates/a.yaml"], "v1.32.3 32 true false v1.32.3 v3.18.6");
  assert.ok(defaultCapabilities().APIVersions.Has("apps/v1"));
});

Deno.test(".Files reads the chart's other files but not its templates", async () => {
  const out = await renderTexts({
    "Chart.yaml": chartYaml("c"),
    "config/a.ini": "a=1\n",
    "config/b.ini": "b=2\nc=3\n",
    "templates/a.yaml": '{{ .Files.Get "config/a.ini" }}|{{ .Files.Get "templates/a.yaml" }}|' +
      '{{ range $path, $_ := .Files.Glob "config/*.ini" }}{{ $path }},{{ end }}|' +
      '{{ range .Files.Lines "config/b.ini" }}<{{ . }}>{{ end }}|{{ (.Files.Glob "config/**").AsConfig }}|' +
      '{{ (.Files.Glob "config/a.ini").AsSecrets }}|{{ len (.Files.GetBytes "config/a.ini") }}',
  });
  assert.equal(
    out["c/templates/a.yaml"],
    "a=1\n||config/a.ini,config/b.ini,|<b=2><c=3>|a.ini: |\n  a=1\nb.ini: |\n  b=2\n  c=3|a.ini: YT0xCg==|4",
  );
});

Deno.test(".Template, .Chart.IsRoot and .Values are scoped per chart", async () => {
  const out = await renderTexts({
    "Chart.yaml": chartYaml("app"),
    "values.yaml": "sub: {x: 1}\n",
    "templates/a.yaml":
      "{{ .Template.Name }} {{ .Template.BasePath }} {{ .Chart.IsRoot }} {{ .Subcharts.sub.Values.x }}",
    "charts/sub/Chart.yaml": chartYaml("sub"),
    "charts/sub/templates/b.yaml": "{{ .Template.Name }} {{ .Chart.IsRoot }} {{ .Values.x }}",
  });
  assert.equal(out["app/templates/a.yaml"], "app/templates/a.yaml app/templates true 1");
  assert.equal(out["app/charts/sub/templates/b.yaml"], "app/charts/sub/templates/b.yaml false 1");
});

Deno.test("a library chart's templates are not rendered but its defines are usable", async () => {
  const out = await renderTexts({
    "Chart.yaml": chartYaml("app"),
    "templates/a.yaml": '{{ include "lib.name" . }}',
    "charts/lib/Chart.yaml": chartYaml("lib", "type: library\n"),
    "charts/lib/templates/_n.tpl": '{{ define "lib.name" }}from-lib{{ end }}',
    "charts/lib/templates/cm.yaml": "kind: ConfigMap\n",
  });
  assert.deepEqual(out, { "app/templates/a.yaml": "from-lib" });
});

Deno.test("lookup returns an empty map without a cluster", async () => {
  const out = await renderTexts({
    "Chart.yaml": chartYaml("c"),
    "templates/a.yaml": '{{ if not (lookup "v1" "Secret" "ns" "s") }}absent{{ end }}',
  });
  assert.equal(out["c/templates/a.yaml"], "absent");
});

Deno.test("lookup answers from an injected asynchronous API, with integers as int64", async () => {
  const asked: string[] = [];
  const lookup = async (apiVersion: string, kind: string, namespace: string, name: string) => {
    asked.push([apiVersion, kind, namespace, name].join("/"));
    await new Promise((r) => setTimeout(r, 1));
    if (name === "s") return { metadata: { name: "s" }, data: { password: "c2VjcmV0" }, spec: { replicas: 2 } };
    if (name === "") return { items: [{ metadata: { name: "a" } }, { metadata: { name: "b" } }] };
    return {};
  };
  const out = await renderTexts(
    {
      "Chart.yaml": chartYaml("c"),
      "templates/a.yaml": '{{ $s := lookup "v1" "Secret" "ns" "s" }}{{ $s.data.password | b64dec }} ' +
        '{{ printf "%T" $s.spec.replicas }} {{ range (lookup "v1" "Secret" "ns" "").items }}{{ .metadata.name }}{{ end }} ' +
        '{{ lookup "v1" "Secret" "ns" "missing" }}',
    },
    {},
    { lookup },
  );
  assert.equal(out["c/templates/a.yaml"], "secret int64 ab map[]");
  assert.deepEqual([...new Set(asked)].sort(), ["v1/Secret/ns/", "v1/Secret/ns/missing", "v1/Secret/ns/s"]);
});

Deno.test("a lookup that fails fails the template", async () => {
  const lookup = () => Promise.reject(new Error("secrets is forbidden"));
  await assert.rejects(
    renderTexts({ "Chart.yaml": chartYaml("c"), "templates/a.yaml": '{{ lookup "v1" "Secret" "ns" "s" }}' }, {}, {
      lookup,
    }),
    /error calling lookup: secrets is forbidden/,
  );
});

Deno.test("fromYaml, fromJson and their array forms report errors in the result", async () => {
  const out = await renderTexts({
    "Chart.yaml": chartYaml("c"),
    "templates/a.yaml": '{{ (fromYaml "a: 1").a }}|{{ (fromYaml "- x").Error }}|{{ fromYamlArray "- a\\n- b" }}|' +
      '{{ (fromJson "{\\"a\\": [1, 2]}").a }}|{{ (fromJson "{").Error }}|{{ fromJsonArray "{}" }}|' +
      '{{ toJson (dict "b" 1 "a" "<x>") }}',
  });
  assert.equal(
    out["c/templates/a.yaml"],
    "1|error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type " +
      "map[string]interface {}|[a b]|[1 2]|unexpected end of JSON input|" +
      "[json: cannot unmarshal object into Go value of type []interface {}]|" +
      '{"a":"\\u003cx\\u003e","b":1}',
  );
});

Deno.test("toToml and fromToml follow BurntSushi/toml", async () => {
  const out = await renderTexts({
    "Chart.yaml": chartYaml("c"),
    "templates/a.yaml": '{{ toToml .Values.cfg }}|{{ (fromToml .Values.text).db.port | printf "%T" }}',
  }, { cfg: { name: "web", ratio: 2, db: { host: "x" } }, text: "[db]\nport = 5432\n" });
  assert.equal(out["c/templates/a.yaml"], 'name = "web"\nratio = 2.0\n\n[db]\n  host = "x"\n|int64');
});
