// Loading charts as Helm's loader does: archives packed by the system tar (ustar, GNU long names, pax), directories
// with .helmignore, in-memory file lists, Chart.yaml rules, subcharts and crds/.
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  loadArchive,
  loadArchiveFiles,
  loadDirectory,
  loadFiles,
} from "../../../../addons/helm-controller/chart/mod.ts";
import { chartYaml, memoryFiles, packChart, tarGz, writeChart } from "./fixture.ts";

const GREETER = {
  "Chart.yaml": 'apiVersion: v2\nname: greeter\nversion: 0.1.0\nappVersion: "1.2.3"\n',
  "values.yaml": "greeting: hello\n",
  "templates/_helpers.tpl": '{{- define "x" }}x{{ end }}\n',
  "templates/cm.yaml": "kind: ConfigMap\n",
  "templates/NOTES.txt": "hello\n",
  "charts/sub/Chart.yaml": chartYaml("sub"),
  "charts/sub/values.yaml": "color: red\n",
  "charts/sub/templates/cm.yaml": "kind: ConfigMap\n",
  "crds/widget.yaml": "kind: CustomResourceDefinition\n",
  "README.md": "# greeter\n",
};

Deno.test("a chart packed with tar czf loads with its subchart, templates, values and files", async () => {
  const chart = loadArchive(await packChart("greeter", GREETER));
  assert.equal(chart.name(), "greeter");
  assert.equal(chart.metadata.AppVersion, "1.2.3");
  assert.deepEqual(chart.templates.map((t) => t.name).sort(), [
    "templates/NOTES.txt",
    "templates/_helpers.tpl",
    "templates/cm.yaml",
  ]);
  assert.deepEqual(chart.values, { greeting: "hello" });
  assert.deepEqual(chart.files.map((f) => f.name).sort(), ["README.md", "crds/widget.yaml"]);
  const [sub] = chart.dependencies();
  assert.equal(sub.chartFullPath(), "greeter/charts/sub");
  assert.deepEqual(sub.values, { color: "red" });
});

Deno.test("GNU long names and pax paths longer than 100 bytes are read", async () => {
  const long = "templates/" + "d".repeat(60) + "/" + "f".repeat(60) + ".yaml";
  for (const format of ["--format=gnu", "--format=pax", "--format=ustar"]) {
    const files = loadArchiveFiles(await packChart("c", { "Chart.yaml": chartYaml("c"), [long]: "x: 1\n" }, [format]));
    assert.ok(files.some((f) => f.name === long), format);
  }
});

Deno.test("a subchart packed as charts/<name>.tgz is loaded", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeChart(dir, "db", { "Chart.yaml": chartYaml("db"), "templates/s.yaml": "kind: Service\n" });
    const dbTgz = await tarGz(dir, "db");
    const root = await writeChart(dir, "app", { "Chart.yaml": chartYaml("app") });
    await Deno.mkdir(join(root, "charts"));
    await Deno.writeFile(join(root, "charts", "db-0.1.0.tgz"), dbTgz);
    const chart = loadArchive(await tarGz(dir, "app"));
    assert.deepEqual(chart.dependencies().map((d) => d.chartFullPath()), ["app/charts/db"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a directory loads without what .helmignore names, and never templates/ dotfiles", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const root = await writeChart(dir, "c", {
      "Chart.yaml": chartYaml("c"),
      ".helmignore": "# comment\n*.md\n/ci/\n",
      "README.md": "x",
      "ci/values.yaml": "a: 1\n",
      "docs/ci/keep.txt": "kept",
      "templates/.swp": "x",
      "templates/cm.yaml": "kind: ConfigMap\n",
    });
    const chart = loadDirectory(root);
    assert.deepEqual(chart.templates.map((t) => t.name), ["templates/cm.yaml"]);
    assert.deepEqual(chart.files.map((f) => f.name).sort(), [".helmignore", "docs/ci/keep.txt"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a chart without Chart.yaml is refused", () => {
  assert.throws(() => loadFiles(memoryFiles({ "values.yaml": "a: 1\n" })), { message: "Chart.yaml file is missing" });
});

Deno.test("Chart.yaml is validated with Helm's messages", () => {
  const load = (chartYamlText: string) => loadFiles(memoryFiles({ "Chart.yaml": chartYamlText }));
  assert.throws(() => load("apiVersion: v2\nversion: 1.0.0\n"), {
    message: "validation: chart.metadata.name is required",
  });
  assert.throws(() => load("apiVersion: v2\nname: a\n"), { message: "validation: chart.metadata.version is required" });
  assert.throws(() => load("apiVersion: v2\nname: a\nversion: latest\n"), {
    message: 'validation: chart.metadata.version "latest" is invalid',
  });
  assert.throws(() => load("apiVersion: v2\nname: a\nversion: 1.0.0\ntype: plugin\n"), {
    message: "validation: chart.metadata.type must be application or library",
  });
  assert.throws(() => load("apiVersion: v2\nname: [a]\n"), {
    message:
      "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go struct field Metadata.name of type string",
  });
});

Deno.test("numbers in Chart.yaml string fields read as go-yaml printed them", () => {
  const chart = loadFiles(memoryFiles({ "Chart.yaml": "name: a\nversion: 1.0\nappVersion: 1.10\n" }));
  assert.equal(chart.metadata.Version, "1");
  assert.equal(chart.metadata.AppVersion, "1.1");
  assert.equal(chart.metadata.APIVersion, "v1");
});

Deno.test("a v1 chart takes its dependencies from requirements.yaml and keeps the file", () => {
  const chart = loadFiles(memoryFiles({
    "Chart.yaml": "apiVersion: v1\nname: a\nversion: 1.0.0\n",
    "requirements.yaml": "dependencies:\n- name: db\n  version: 1.x\n  condition: db.enabled\n",
  }));
  assert.deepEqual(chart.metadata.Dependencies?.map((d) => [d?.Name, d?.Condition]), [["db", "db.enabled"]]);
  assert.deepEqual(chart.files.map((f) => f.name), ["requirements.yaml"]);
});

Deno.test("crds/ files of the chart and its subcharts are listed with their full paths", async () => {
  const chart = loadArchive(
    await packChart("app", {
      "Chart.yaml": chartYaml("app"),
      "crds/a.yaml": "kind: CustomResourceDefinition\n",
      "crds/notes.txt": "not a manifest",
      "charts/sub/Chart.yaml": chartYaml("sub"),
      "charts/sub/crds/b.json": "{}",
    }),
  );
  assert.deepEqual(chart.crdObjects().map((c) => c.filename), ["app/crds/a.yaml", "app/charts/sub/crds/b.json"]);
});

Deno.test("an archive that is not gzip is refused", () => {
  assert.throws(() => loadArchive(new TextEncoder().encode("apiVersion: v2\n")), { message: "gzip: invalid header" });
});

Deno.test("a file at the top of an archive is outside the chart directory", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "Chart.yaml"), chartYaml("a"));
    const tgz = await tarGz(dir, "Chart.yaml");
    assert.throws(() => loadArchive(tgz), {
      message: 'chart illegally contains content outside the base directory: "Chart.yaml"',
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
