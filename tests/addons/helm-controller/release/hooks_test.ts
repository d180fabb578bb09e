// Hooks on a real in-process server: run by weight around the release's objects, deleted by their policies, and a
// failing hook failing the release. No kubelet runs here, so the test plays the node for Pod and Job hooks.
import assert from "node:assert/strict";
import type { Client } from "../../../../core/client/mod.ts";
import type { KubeObject } from "../../../../core/operator/mod.ts";
import { install, upgrade } from "../../../../addons/helm-controller/release/mod.ts";
import { until } from "../../../support/cluster.ts";
import { chartYaml } from "../chart/fixture.ts";
import { chartOf, CONFIG_MAP, configMap, configMaps, NAMESPACE, withReleases } from "./cluster.ts";

function hook(name: string, events: string, extra: Record<string, string> = {}): string {
  return configMap(name, {}, { "helm.sh/hook": events, ...extra });
}

const chart = (templates: Record<string, string>) =>
  chartOf({ "Chart.yaml": chartYaml("web"), "templates/cm.yaml": configMap("web-cm"), ...templates });

const revision = (cm: KubeObject | undefined) => Number(cm?.metadata?.resourceVersion);

Deno.test("hooks run by weight then name, pre-install before the objects and post-install after them", async () => {
  await withReleases(async (cfg, client) => {
    await install(
      cfg,
      chart({
        "templates/hooks.yaml": [
          hook("h-b", "pre-install"),
          hook("h-a", "pre-install"),
          hook("h-first", "pre-install", { "helm.sh/hook-weight": "-5" }),
          hook("h-post", "post-install"),
        ].join("---\n"),
      }),
      {},
      { name: "web" },
    );
    const cms = await configMaps(client);
    const order = ["h-first", "h-a", "h-b", "web-cm", "h-post"].map((n) => revision(cms.get(n)));
    assert.deepEqual(order, [...order].sort((a, b) => a - b));
  });
});

Deno.test("hooks are not part of the manifest and carry no release ownership metadata", async () => {
  await withReleases(async (cfg, client) => {
    const release = await install(cfg, chart({ "templates/hook.yaml": hook("h", "pre-install") }), {}, { name: "web" });
    assert.doesNotMatch(release.Manifest, /name: h$/m);
    assert.equal(release.Hooks[0].LastRun.Phase, "Succeeded");
    assert.equal((await configMaps(client)).get("h")?.metadata?.labels, undefined);
  });
});

Deno.test("a hook-succeeded hook is deleted once the hooks of its event succeeded", async () => {
  await withReleases(async (cfg, client) => {
    await install(
      cfg,
      chart({ "templates/hook.yaml": hook("h", "post-install", { "helm.sh/hook-delete-policy": "hook-succeeded" }) }),
      {},
      { name: "web" },
    );
    assert.ok(!(await configMaps(client)).has("h"));
  });
});

Deno.test("before-hook-creation (the default) replaces a hook left from the previous run", async () => {
  await withReleases(async (cfg, client) => {
    const templates = { "templates/hook.yaml": hook("h", "pre-install,pre-upgrade") };
    await install(cfg, chart(templates), {}, { name: "web" });
    const first = (await configMaps(client)).get("h")?.metadata?.uid;
    await upgrade(cfg, "web", chart(templates), {});
    const second = (await configMaps(client)).get("h")?.metadata?.uid;
    assert.ok(first && second && first !== second);
  });
});

/** Resolves once the object exists, then writes `status` on it as its controller or kubelet would. */
async function finish(client: Client, ref: { apiVersion: string; kind: string }, name: string, status: unknown) {
  let object: KubeObject | undefined;
  await until(async () => {
    object = await client.get(ref, NAMESPACE, name);
    return true;
  }, `${ref.kind} ${name} created`);
  await client.updateStatus({ ...object!, apiVersion: ref.apiVersion, kind: ref.kind, status });
}

Deno.test("a failed Pod hook fails the install, and hook-failed deletes it", async () => {
  await withReleases(async (cfg, client) => {
    const pod = `apiVersion: v1
kind: Pod
metadata:
  name: check
  annotations: {"helm.sh/hook": pre-install, "helm.sh/hook-delete-policy": hook-failed}
spec:
  restartPolicy: Never
  containers: [{name: c, image: busybox}]
`;
    const installing = install(cfg, chart({ "templates/pod.yaml": pod }), {}, { name: "web" });
    await finish(client, { apiVersion: "v1", kind: "Pod" }, "check", { phase: "Failed" });
    await assert.rejects(installing, /^Error: failed pre-install: pod check failed$/);
    const [release] = await cfg.storage.history("web");
    assert.equal(release.Info.Status, "failed");
    assert.equal(release.Info.Description, 'Release "web" failed: failed pre-install: pod check failed');
    await until(
      async () => (await client.list({ apiVersion: "v1", kind: "Pod" }, NAMESPACE)).items.length === 0,
      "pod gone",
    );
    assert.ok(!(await configMaps(client)).has("web-cm"));
  });
});

Deno.test("a Job hook holds the install until the Job completes", async () => {
  await withReleases(async (cfg, client) => {
    const job = `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations: {"helm.sh/hook": pre-install}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox}]
`;
    const installing = install(cfg, chart({ "templates/job.yaml": job }), {}, { name: "web" });
    const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    await finish(client, { apiVersion: "batch/v1", kind: "Job" }, "migrate", {
      startTime: now,
      completionTime: now,
      succeeded: 1,
      conditions: [
        { type: "SuccessCriteriaMet", status: "True", lastProbeTime: now, lastTransitionTime: now },
        { type: "Complete", status: "True", lastProbeTime: now, lastTransitionTime: now },
      ],
    });
    const release = await installing;
    assert.equal(release.Info.Status, "deployed");
    assert.ok(await client.get(CONFIG_MAP, NAMESPACE, "web-cm"));
  });
});
