// Rendered templates into a release: documents split and sorted in Helm's install order, hooks apart, NOTES.txt
// taken out, crds/ left to be installed first.
import assert from "node:assert/strict";
import { Capabilities, loadFiles, parseKubeVersion, versionSet } from "../../../../addons/helm-controller/chart/mod.ts";
import {
  renderResources,
  sortHooksByWeight,
  sortManifests,
  splitManifests,
  UNINSTALL_ORDER,
} from "../../../../addons/helm-controller/release/mod.ts";
import { chartYaml, memoryFiles, renderValues } from "../chart/fixture.ts";

Deno.test("documents are split on --- lines and trimmed, the empty ones at the ends dropped", () => {
  assert.deepEqual(splitManifests("---\na: 1\n---   \n\nb: 2\n---\n"), ["a: 1", "b: 2"]);
});

Deno.test("manifests sort by Helm's install order, unknown kinds last by name, ties in template order", () => {
  const { manifests } = sortManifests({
    "c/templates/b.yaml": "kind: Deployment\nmetadata: {name: d}\n---\nkind: Widget\nmetadata: {name: w}\n",
    "c/templates/a.yaml":
      "kind: Service\nmetadata: {name: s}\n---\nkind: Gadget\n---\nkind: ConfigMap\nmetadata: {name: c1}\n",
    "c/templates/c.yaml": "kind: ConfigMap\nmetadata: {name: c2}\n---\nkind: Namespace\nmetadata: {name: ns}\n",
    "c/templates/_p.tpl": "kind: Secret\n",
    "c/templates/empty.yaml": "  \n",
  });
  assert.deepEqual(manifests.map((m) => `${m.head.kind}/${m.head.name}`), [
    "Namespace/ns",
    "ConfigMap/c1",
    "ConfigMap/c2",
    "Service/s",
    "Deployment/d",
    "Gadget/",
    "Widget/w",
  ]);
  assert.equal(manifests[1].name, "c/templates/a.yaml");
});

Deno.test("hooks are separated with their events, weights and policies; unknown hooks are dropped", () => {
  const { hooks, manifests } = sortManifests({
    "c/templates/hooks.yaml": `kind: Job
metadata:
  name: migrate
  annotations:
    helm.sh/hook: pre-install, Pre-Upgrade
    helm.sh/hook-weight: "-5"
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
---
kind: Pod
metadata:
  name: test
  annotations:
    helm.sh/hook: test-success
---
kind: ConfigMap
metadata:
  name: odd
  annotations:
    helm.sh/hook: sometime
---
kind: ConfigMap
metadata:
  name: plain
  annotations: {team: a}
`,
  });
  assert.deepEqual(manifests.map((m) => m.head.name), ["plain"]);
  assert.deepEqual(hooks.map((h) => [h.Name, h.Kind, h.Events, h.Weight, h.DeletePolicies]), [
    ["test", "Pod", ["test"], 0, []],
    ["migrate", "Job", ["pre-install", "pre-upgrade"], -5, ["before-hook-creation", "hook-succeeded"]],
  ]);
  assert.deepEqual(sortHooksByWeight(hooks).map((h) => h.Name), ["migrate", "test"]);
});

Deno.test("the uninstall order reverses the install order", () => {
  const { manifests } = sortManifests(
    { "c/templates/a.yaml": "kind: Namespace\n---\nkind: Deployment\n" },
    UNINSTALL_ORDER,
  );
  assert.deepEqual(manifests.map((m) => m.head.kind), ["Deployment", "Namespace"]);
});

Deno.test("a document that is not YAML fails naming its template", () => {
  assert.throws(
    () => sortManifests({ "c/templates/a.yaml": "kind: [\n" }),
    /^Error: YAML parse error on c\/templates\/a.yaml: /,
  );
});

const CHART = {
  "Chart.yaml": chartYaml("app", "kubeVersion: '>=1.25.0-0'\n"),
  "templates/NOTES.txt": "Installed {{ .Release.Name }}.",
  "templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n",
  "templates/svc.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n",
  "crds/widget.yaml": "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n",
  "charts/sub/Chart.yaml": chartYaml("sub"),
  "charts/sub/templates/NOTES.txt": "sub notes",
};

Deno.test("a rendered release has the manifest text, the root chart's notes, and no CRDs", async () => {
  const chart = loadFiles(memoryFiles(CHART));
  const out = await renderResources(chart, renderValues(chart));
  assert.equal(out.notes, "Installed rel.");
  assert.equal(
    out.manifest,
    "---\n# Source: app/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n" +
      "---\n# Source: app/templates/svc.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n",
  );
  const withSubNotes = await renderResources(chart, renderValues(chart), { subNotes: true, includeCrds: true });
  assert.equal(withSubNotes.notes, "sub notes\nInstalled rel.");
  assert.ok(
    withSubNotes.manifest.startsWith("---\n# Source: app/crds/widget.yaml\napiVersion: apiextensions.k8s.io/v1\n"),
  );
});

Deno.test("a chart whose kubeVersion excludes the cluster is refused", async () => {
  const chart = loadFiles(memoryFiles({ ...CHART, "Chart.yaml": chartYaml("app", "kubeVersion: <1.20.0\n") }));
  const capabilities = new Capabilities(parseKubeVersion("v1.32.0+k3s1"), versionSet(["v1"]));
  await assert.rejects(renderResources(chart, renderValues(chart, {}, { capabilities })), {
    message: "chart requires kubeVersion: <1.20.0 which is incompatible with Kubernetes v1.32.0",
  });
});
