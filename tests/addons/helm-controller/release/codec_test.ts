// Release records stored as Helm 3 stores them, readable by the same pipeline the acceptance scenario uses.
import assert from "node:assert/strict";
import { loadFiles } from "../../../../addons/helm-controller/chart/mod.ts";
import {
  decodeRelease,
  encodeRelease,
  Hook,
  Release,
  releaseFromSecret,
  releaseSecret,
  releaseSecretName,
} from "../../../../addons/helm-controller/release/mod.ts";
import { chartYaml, memoryFiles } from "../chart/fixture.ts";

function deployed(): Release {
  const release = new Release();
  release.Name = "greeter";
  release.Namespace = "apps";
  release.Version = 2;
  release.Chart = loadFiles(memoryFiles({
    "Chart.yaml": chartYaml("greeter", 'appVersion: "1.2.3"\n'),
    "values.yaml": "greeting: hello\n",
    "values.schema.json": '{"type": "object"}',
    "templates/cm.yaml": "kind: ConfigMap\n",
    "README.md": "hi <there> & all",
  }));
  release.Config = { greeting: "hi", replicas: 3 };
  release.Manifest = "---\n# Source: greeter/templates/cm.yaml\nkind: ConfigMap\n";
  release.Info.Status = "deployed";
  release.Info.Description = "Upgrade complete";
  release.Info.FirstDeployed = new Date("2024-05-01T10:00:00.123Z");
  release.Info.LastDeployed = new Date("2024-05-02T10:00:00Z");
  release.Info.Notes = "enjoy <it> & more";
  const hook = new Hook();
  hook.Name = "migrate";
  hook.Kind = "Job";
  hook.Events = ["pre-upgrade"];
  hook.Weight = -1;
  release.Hooks = [hook];
  release.Labels = { team: "web" };
  return release;
}

Deno.test("a release survives encoding and decoding", () => {
  const back = decodeRelease(encodeRelease(deployed()));
  assert.equal(back.Name, "greeter");
  assert.equal(back.Version, 2);
  assert.equal(back.Namespace, "apps");
  assert.equal(back.Info.Status, "deployed");
  assert.equal(back.Info.FirstDeployed?.toISOString(), "2024-05-01T10:00:00.123Z");
  assert.equal(back.Info.Deleted, null);
  assert.deepEqual(back.Config, { greeting: "hi", replicas: 3 });
  assert.equal(back.Chart?.metadata.AppVersion, "1.2.3");
  assert.deepEqual(back.Chart?.values, { greeting: "hello" });
  assert.equal(new TextDecoder().decode(back.Chart?.schema ?? undefined), '{"type": "object"}');
  assert.deepEqual(back.Chart?.templates.map((t) => [t.name, new TextDecoder().decode(t.data)]), [
    ["templates/cm.yaml", "kind: ConfigMap\n"],
  ]);
  assert.deepEqual(back.Hooks.map((h) => [h.Name, h.Events, h.Weight]), [["migrate", ["pre-upgrade"], -1]]);
  assert.equal(back.Manifest, deployed().Manifest);
});

Deno.test("the Secret is named, typed and labelled as Helm's secrets driver does it", () => {
  const secret = releaseSecret(deployed(), { createdAt: new Date(1700000000_000) });
  assert.equal(secret.metadata.name, "sh.helm.release.v1.greeter.v2");
  assert.equal(releaseSecretName("greeter", 2), secret.metadata.name);
  assert.equal(secret.type, "helm.sh/release.v1");
  assert.deepEqual(secret.metadata.labels, {
    team: "web",
    createdAt: "1700000000",
    name: "greeter",
    owner: "helm",
    status: "deployed",
    version: "2",
  });
  const back = releaseFromSecret(secret);
  assert.deepEqual(back.Labels, { team: "web" });
  assert.equal(back.Info.Notes, "enjoy <it> & more");
});

Deno.test("the Secret's data decodes with base64 -d | base64 -d | gunzip into Helm's JSON", async () => {
  const secret = releaseSecret(deployed());
  const child = new Deno.Command("sh", {
    args: ["-c", "base64 -d | base64 -d | gunzip"],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(secret.data.release));
  await writer.close();
  const { code, stdout } = await child.output();
  assert.equal(code, 0);
  const text = new TextDecoder().decode(stdout);
  assert.match(text, /"status": ?"deployed"/);
  const json = JSON.parse(text);
  assert.deepEqual(Object.keys(json), ["name", "info", "chart", "config", "manifest", "hooks", "version", "namespace"]);
  assert.deepEqual(Object.keys(json.info), [
    "first_deployed",
    "last_deployed",
    "deleted",
    "description",
    "status",
    "notes",
  ]);
  assert.equal(json.info.deleted, "");
  assert.deepEqual(Object.keys(json.chart), ["metadata", "lock", "templates", "values", "schema", "files"]);
  assert.deepEqual(json.chart.metadata, { name: "greeter", version: "0.1.0", apiVersion: "v2", appVersion: "1.2.3" });
  assert.equal(atob(json.chart.files[0].data), "hi <there> & all");
  assert.match(text, /"notes":"enjoy \\u003cit\\u003e \\u0026 more"/);
  assert.deepEqual(json.hooks[0], {
    name: "migrate",
    kind: "Job",
    events: ["pre-upgrade"],
    last_run: { started_at: "", completed_at: "", phase: "" },
    weight: -1,
  });
});
