// Install, upgrade, rollback and uninstall against a real in-process server, with the history kept in Secrets as
// Helm 3 keeps it.
import assert from "node:assert/strict";
import {
  Configuration,
  install,
  MANAGED_BY_LABEL,
  RELEASE_NAME_ANNOTATION,
  RELEASE_NAMESPACE_ANNOTATION,
  rollback,
  uninstall,
  upgrade,
} from "../../../../addons/helm-controller/release/mod.ts";
import { chartYaml } from "../chart/fixture.ts";
import {
  chartOf,
  CONFIG_MAP,
  configMap,
  configMaps,
  NAMESPACE,
  releaseSecrets,
  SECRET,
  withReleases,
} from "./cluster.ts";

const base = (extra: Record<string, string> = {}) => ({
  "Chart.yaml": chartYaml("web"),
  "values.yaml": "greeting: hello\n",
  "templates/cm.yaml": configMap("{{ .Release.Name }}-cm", { greeting: "{{ .Values.greeting | quote }}" }),
  ...extra,
});

Deno.test("install stores revision 1 as a deployed helm.sh/release.v1 Secret with Helm's labels", async () => {
  await withReleases(async (cfg, client) => {
    const release = await install(cfg, chartOf(base()), { greeting: "hi" }, { name: "web", labels: { team: "a" } });
    assert.equal(release.Info.Status, "deployed");
    assert.equal(release.Info.Description, "Install complete");
    const secret = await client.get<{ type: string; metadata: { labels: Record<string, string> } }>(
      SECRET,
      NAMESPACE,
      "sh.helm.release.v1.web.v1",
    );
    assert.equal(secret.type, "helm.sh/release.v1");
    const { createdAt, modifiedAt, ...labels } = secret.metadata.labels;
    assert.deepEqual(labels, { name: "web", owner: "helm", status: "deployed", version: "1", team: "a" });
    assert.ok(createdAt === undefined && /^\d+$/.test(modifiedAt));
  });
});

Deno.test("installed objects carry Helm's managed-by label and release annotations", async () => {
  await withReleases(async (cfg, client) => {
    await install(cfg, chartOf(base()), {}, { name: "web" });
    const cm = await client.get(CONFIG_MAP, NAMESPACE, "web-cm");
    assert.equal(cm.metadata?.labels?.[MANAGED_BY_LABEL], "Helm");
    assert.deepEqual(cm.metadata?.annotations, {
      [RELEASE_NAME_ANNOTATION]: "web",
      [RELEASE_NAMESPACE_ANNOTATION]: NAMESPACE,
    });
    assert.deepEqual(cm.data, { greeting: "hello" });
  });
});

Deno.test("the stored release decodes with base64 -d | base64 -d | gunzip into Helm's JSON", async () => {
  await withReleases(async (cfg, client) => {
    await install(cfg, chartOf(base()), { greeting: "hi" }, { name: "web" });
    const secret = await client.get<{ data: { release: string } }>(SECRET, NAMESPACE, "sh.helm.release.v1.web.v1");
    // The API sends the Secret's data base64-encoded, and Helm's value is base64 already: what kubectl's jsonpath shows.
    const wire = secret.data.release;
    const shell = new Deno.Command("sh", {
      args: ["-c", "base64 -d | base64 -d | gunzip"],
      stdin: "piped",
      stdout: "piped",
    }).spawn();
    const writer = shell.stdin.getWriter();
    await writer.write(new TextEncoder().encode(wire));
    await writer.close();
    const json = JSON.parse(new TextDecoder().decode((await shell.output()).stdout));
    assert.equal(json.name, "web");
    assert.equal(json.version, 1);
    assert.equal(json.info.status, "deployed");
    assert.deepEqual(json.config, { greeting: "hi" });
    assert.match(json.manifest, /^---\n# Source: web\/templates\/cm\.yaml\n/);
  });
});

Deno.test("upgrade writes revision 2, supersedes revision 1 and deletes objects the chart dropped", async () => {
  await withReleases(async (cfg, client) => {
    await install(cfg, chartOf(base({ "templates/extra.yaml": configMap("extra") })), {}, { name: "web" });
    const release = await upgrade(cfg, "web", chartOf(base()), { greeting: "howdy" });
    assert.equal(release.Version, 2);
    assert.equal(release.Info.Description, "Upgrade complete");
    const secrets = await releaseSecrets(client, "web");
    assert.equal(secrets.get("sh.helm.release.v1.web.v1")?.status, "superseded");
    assert.equal(secrets.get("sh.helm.release.v1.web.v2")?.status, "deployed");
    const cms = await configMaps(client);
    assert.deepEqual([...cms.keys()], ["web-cm"]);
    assert.deepEqual(cms.get("web-cm")?.data, { greeting: "howdy" });
  });
});

Deno.test("upgrade patches three-way: fields another writer set stay, fields the chart dropped go", async () => {
  await withReleases(async (cfg, client) => {
    const texts = (data: Record<string, string>) => base({ "templates/cm.yaml": configMap("web-cm", data) });
    await install(cfg, chartOf(texts({ a: '"1"', b: '"2"' })), {}, { name: "web" });
    await client.patch(CONFIG_MAP, NAMESPACE, "web-cm", "merge", {
      metadata: { labels: { owner: "ops" } },
      data: { c: "3" },
    });
    await upgrade(cfg, "web", chartOf(texts({ a: '"10"' })), {});
    const cm = (await configMaps(client)).get("web-cm")!;
    assert.deepEqual(cm.data, { a: "10", c: "3" });
    assert.equal(cm.metadata?.labels?.owner, "ops");
  });
});

Deno.test("an object annotated helm.sh/resource-policy: keep survives removal from the chart", async () => {
  await withReleases(async (cfg, client) => {
    const kept = configMap("kept", {}, { "helm.sh/resource-policy": "keep" });
    await install(cfg, chartOf(base({ "templates/kept.yaml": kept })), {}, { name: "web" });
    await upgrade(cfg, "web", chartOf(base()), {});
    assert.ok((await configMaps(client)).has("kept"));
  });
});

Deno.test("uninstall keeps resource-policy keep objects, deletes the rest and purges every record", async () => {
  await withReleases(async (cfg, client) => {
    const kept = configMap("kept", {}, { "helm.sh/resource-policy": "keep" });
    await install(cfg, chartOf(base({ "templates/kept.yaml": kept })), {}, { name: "web" });
    await upgrade(cfg, "web", chartOf(base({ "templates/kept.yaml": kept })), { greeting: "again" });
    const result = await uninstall(cfg, "web");
    assert.deepEqual(result.kept, ["[ConfigMap] kept"]);
    assert.deepEqual([...(await configMaps(client)).keys()], ["kept"]);
    assert.equal((await releaseSecrets(client, "web")).size, 0);
  });
});

Deno.test("uninstall with keepHistory keeps the last record as uninstalled", async () => {
  await withReleases(async (cfg, client) => {
    await install(cfg, chartOf(base()), {}, { name: "web" });
    await uninstall(cfg, "web", { keepHistory: true });
    assert.equal((await releaseSecrets(client, "web")).get("sh.helm.release.v1.web.v1")?.status, "uninstalled");
  });
});

Deno.test("rollback stores a new revision with an earlier revision's objects", async () => {
  await withReleases(async (cfg, client) => {
    await install(cfg, chartOf(base({ "templates/extra.yaml": configMap("extra") })), {}, { name: "web" });
    await upgrade(cfg, "web", chartOf(base()), { greeting: "two" });
    const release = await rollback(cfg, "web", { version: 1 });
    assert.equal(release.Version, 3);
    assert.equal(release.Info.Description, "Rollback to 1");
    const cms = await configMaps(client);
    assert.deepEqual([...cms.keys()].sort(), ["extra", "web-cm"]);
    assert.deepEqual(cms.get("web-cm")?.data, { greeting: "hello" });
    const statuses = Object.fromEntries([...await releaseSecrets(client, "web")].map(([k, v]) => [k, v.status]));
    assert.deepEqual(statuses, {
      "sh.helm.release.v1.web.v1": "superseded",
      "sh.helm.release.v1.web.v2": "superseded",
      "sh.helm.release.v1.web.v3": "deployed",
    });
  });
});

Deno.test("crds/ are created before the templates that use them are rendered and installed", async () => {
  await withReleases(async (cfg, client) => {
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, listKind: WidgetList}
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
`;
    const widget = `{{ if .Capabilities.APIVersions.Has "example.com/v1/Widget" }}
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec: {size: 3}
{{ end }}`;
    const release = await install(
      cfg,
      chartOf(base({ "crds/widget.yaml": crd, "templates/widget.yaml": widget })),
      {},
      {
        name: "web",
      },
    );
    assert.match(release.Manifest, /kind: Widget/);
    const w = await client.get({ apiVersion: "example.com/v1", kind: "Widget" }, NAMESPACE, "w");
    assert.deepEqual(w.spec, { size: 3 });
  });
});

Deno.test("install refuses an object that exists without this release's ownership", async () => {
  await withReleases(async (cfg, client) => {
    await client.create({ ...CONFIG_MAP, metadata: { name: "web-cm", namespace: NAMESPACE } });
    await assert.rejects(
      install(cfg, chartOf(base()), {}, { name: "web" }),
      (e: Error) =>
        e.message.startsWith(
          'Unable to continue with install: ConfigMap "web-cm" in namespace "apps" exists and cannot be imported into the current release: invalid ownership metadata; label validation error: missing key "app.kubernetes.io/managed-by": must be set to "Helm"',
        ),
    );
    assert.equal((await releaseSecrets(client, "web")).size, 0);
  });
});

Deno.test("a failed install is recorded as failed with Helm's description", async () => {
  await withReleases(async (cfg, client) => {
    const bad = "apiVersion: v1\nkind: Service\nmetadata:\n  name: bad\nspec:\n  ports: [{port: 99999}]\n";
    await assert.rejects(install(cfg, chartOf(base({ "templates/svc.yaml": bad })), {}, { name: "web" }));
    const [release] = await cfg.storage.history("web");
    assert.equal(release.Info.Status, "failed");
    assert.match(release.Info.Description, /^Release "web" failed: /);
    assert.equal((await releaseSecrets(client, "web")).get("sh.helm.release.v1.web.v1")?.status, "failed");
  });
});

Deno.test("a chart that does not render stores no release", async () => {
  await withReleases(async (cfg, client) => {
    const broken = base({ "templates/cm.yaml": "data: {{ .Values.x | nosuchfunc }}\n" });
    await assert.rejects(install(cfg, chartOf(broken), {}, { name: "web" }), /function "nosuchfunc" not defined/);
    assert.equal((await releaseSecrets(client, "web")).size, 0);
  });
});

Deno.test("createNamespace creates the release namespace labelled with its name", async () => {
  await withReleases(async (cfg, client) => {
    await install(new Configuration(cfg.deps, "fresh"), chartOf(base()), {}, { name: "web", createNamespace: true });
    const ns = await client.get({ apiVersion: "v1", kind: "Namespace" }, undefined, "fresh");
    assert.equal(ns.metadata?.labels?.name, "fresh");
    assert.ok(await client.get(CONFIG_MAP, "fresh", "web-cm"));
  });
});

Deno.test("lookup reads the live API while rendering", async () => {
  await withReleases(async (cfg, client) => {
    await client.create({
      ...CONFIG_MAP,
      metadata: { name: "settings", namespace: NAMESPACE },
      data: { color: "blue" },
    });
    const texts = base({
      "templates/cm.yaml": configMap("web-cm", {
        color: '{{ (lookup "v1" "ConfigMap" "apps" "settings").data.color }}',
        missing: '{{ empty (lookup "v1" "ConfigMap" "apps" "nope") | quote }}',
      }),
    });
    await install(cfg, chartOf(texts), {}, { name: "web" });
    assert.deepEqual((await configMaps(client)).get("web-cm")?.data, { color: "blue", missing: "true" });
  });
});

Deno.test(".Capabilities come from the server: its version and every served kind", async () => {
  await withReleases(async (cfg, client) => {
    const texts = base({
      "templates/cm.yaml": configMap("web-cm", {
        major: "{{ .Capabilities.KubeVersion.Major | quote }}",
        minor: "{{ .Capabilities.KubeVersion.Minor | quote }}",
        apps: '{{ .Capabilities.APIVersions.Has "apps/v1/Deployment" | quote }}',
        none: '{{ .Capabilities.APIVersions.Has "nope/v1" | quote }}',
      }),
    });
    await install(cfg, chartOf(texts), {}, { name: "web" });
    assert.deepEqual((await configMaps(client)).get("web-cm")?.data, {
      major: "1",
      minor: "32",
      apps: "true",
      none: "false",
    });
  });
});

Deno.test("history is pruned to maxHistory, sparing the deployed revision", async () => {
  await withReleases(async (cfg, client) => {
    cfg.storage.maxHistory = 2;
    await install(cfg, chartOf(base()), {}, { name: "web" });
    for (const greeting of ["b", "c", "d"]) await upgrade(cfg, "web", chartOf(base()), { greeting });
    assert.deepEqual([...(await releaseSecrets(client, "web")).keys()].sort(), [
      "sh.helm.release.v1.web.v3",
      "sh.helm.release.v1.web.v4",
    ]);
  });
});

Deno.test("custom release labels may not take the storage's own label names", async () => {
  await withReleases(async (cfg) => {
    await assert.rejects(install(cfg, chartOf(base()), {}, { name: "web", labels: { owner: "me" } }), {
      message: "user supplied labels contains system reserved label name. " +
        "System labels: [name owner status version createdAt modifiedAt]",
    });
  });
});
