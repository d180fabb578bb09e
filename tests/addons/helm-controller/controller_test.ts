// The HelmChart controller on a real in-process server: charts claimed and installed in-process, upgraded when their
// values or HelmChartConfig change, uninstalled on delete, failures reported in status and Events.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import type { Client } from "../../../core/client/mod.ts";
import { ensureCustomResourceDefinition } from "../../../core/apiextensions/mod.ts";
import type { KubeObject } from "../../../core/operator/mod.ts";
import { HELM_CHART_CRDS } from "../../../controllers/addon/helm_crds.ts";
import { addonController, manifestsDir } from "../../../controllers/addon/mod.ts";
import {
  chartValues,
  CONFIG_HASH_LABEL,
  FINALIZER,
  type HelmChart,
  helmController,
  MANAGED_BY_ANNOTATION,
  UNMANAGED_ANNOTATION,
} from "../../../addons/helm-controller/mod.ts";
import { until, withCluster } from "../../support/cluster.ts";
import { chartYaml, packChart } from "./chart/fixture.ts";
import { repository, serveHttp } from "./source/servers.ts";

const HELM_CHART = { apiVersion: "helm.cattle.io/v1", kind: "HelmChart" };
const HELM_CHART_CONFIG = { apiVersion: "helm.cattle.io/v1", kind: "HelmChartConfig" };
const CONFIG_MAP = { apiVersion: "v1", kind: "ConfigMap" };
const SECRET = { apiVersion: "v1", kind: "Secret" };

async function withHelm(fn: (client: Client) => Promise<void>): Promise<void> {
  await withCluster((deps) => [helmController(deps)], async (client) => {
    for (const crd of HELM_CHART_CRDS) await ensureCustomResourceDefinition(client, crd);
    await fn(client);
  });
}

const greeter = (extra: Record<string, string> = {}) =>
  packChart("greeter", {
    "Chart.yaml": chartYaml("greeter"),
    "values.yaml": "greeting: hello\nreplicas: 1\n",
    "templates/cm.yaml":
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\ndata:\n  greeting: {{ .Values.greeting | quote }}\n  replicas: {{ .Values.replicas | quote }}\n",
    ...extra,
  });

async function createChart(
  client: Client,
  name: string,
  spec: Record<string, unknown>,
  annotations?: Record<string, string>,
) {
  await client.create({ ...HELM_CHART, metadata: { name, namespace: "kube-system", annotations }, spec });
}

const content = (tgz: Uint8Array) => Buffer.from(tgz).toString("base64");
const getChart = (client: Client, name: string) => client.get<HelmChart>(HELM_CHART, "kube-system", name);

async function data(client: Client, namespace: string, name: string): Promise<Record<string, string> | undefined> {
  try {
    return (await client.get(CONFIG_MAP, namespace, name)).data as Record<string, string>;
  } catch {
    return undefined;
  }
}

async function releases(client: Client, namespace: string, name: string): Promise<KubeObject[]> {
  return (await client.list<KubeObject>(SECRET, namespace, { labelSelector: `owner=helm,name=${name}` })).items;
}

function condition(chart: HelmChart, type: string) {
  return chart.status?.conditions?.find((c) => c.type === type);
}

Deno.test("a HelmChart with chartContent is claimed, finalized and installed into its target namespace", async () => {
  await withHelm(async (client) => {
    await createChart(client, "web", {
      chartContent: content(await greeter()),
      targetNamespace: "apps",
      createNamespace: true,
      valuesContent: "greeting: hi",
      set: { replicas: 3 },
    });
    await until(async () => (await data(client, "apps", "web-cm"))?.greeting === "hi", "installed");
    assert.deepEqual(await data(client, "apps", "web-cm"), { greeting: "hi", replicas: "3" });
    const chart = await getChart(client, "web");
    assert.equal(chart.metadata.annotations?.[MANAGED_BY_ANNOTATION], "helm-controller");
    assert.deepEqual(chart.metadata.finalizers, [FINALIZER]);
    const [secret] = await releases(client, "apps", "web");
    assert.equal(secret.metadata?.name, "sh.helm.release.v1.web.v1");
    assert.match(secret.metadata?.labels?.[CONFIG_HASH_LABEL] ?? "", /^[0-9a-f]{63}$/);
    await until(async () => condition(await getChart(client, "web"), "Failed")?.status === "False", "status");
    const installed = await getChart(client, "web");
    assert.equal(installed.status?.jobName, "");
    assert.equal(condition(installed, "JobCreated")?.status, "True");
    assert.match(condition(installed, "JobCreated")?.message ?? "", /in-process as release apps\/web revision 1/);
  });
});

Deno.test("a HelmChart dropped into the manifests directory is installed", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const tgz = content(await greeter());
    await Deno.mkdir(manifestsDir(dataDir), { recursive: true });
    await Deno.writeTextFile(
      `${manifestsDir(dataDir)}/web.yaml`,
      `apiVersion: helm.cattle.io/v1\nkind: HelmChart\nmetadata: {name: web, namespace: kube-system}\n` +
        `spec:\n  chartContent: ${tgz}\n  targetNamespace: kube-system\n  valuesContent: "greeting: dropped"\n`,
    );
    await withCluster(
      (deps) => [addonController(deps, { dataDir, log: () => {} }), helmController(deps)],
      async (client) => {
        await until(async () => (await data(client, "kube-system", "web-cm"))?.greeting === "dropped", "installed");
      },
    );
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("changing valuesContent upgrades the release to revision 2", async () => {
  await withHelm(async (client) => {
    await createChart(client, "web", {
      chartContent: content(await greeter()),
      targetNamespace: "apps",
      createNamespace: true,
    });
    await until(async () => (await data(client, "apps", "web-cm")) !== undefined, "installed");
    await client.patch(HELM_CHART, "kube-system", "web", "merge", { spec: { valuesContent: "greeting: howdy" } });
    await until(async () => (await data(client, "apps", "web-cm"))?.greeting === "howdy", "upgraded");
    const statuses = Object.fromEntries(
      (await releases(client, "apps", "web")).map((s) => [s.metadata!.name, s.metadata!.labels!.status]),
    );
    assert.deepEqual(statuses, { "sh.helm.release.v1.web.v1": "superseded", "sh.helm.release.v1.web.v2": "deployed" });
  });
});

Deno.test("a HelmChartConfig of the same name layers its values over the chart's and re-deploys it", async () => {
  await withHelm(async (client) => {
    await createChart(client, "web", {
      chartContent: content(await greeter()),
      targetNamespace: "apps",
      createNamespace: true,
      valuesContent: "greeting: chart\nreplicas: 2",
    });
    await until(async () => (await data(client, "apps", "web-cm"))?.greeting === "chart", "installed");
    await client.create({
      ...HELM_CHART_CONFIG,
      metadata: { name: "web", namespace: "kube-system" },
      spec: { valuesContent: "greeting: configured" },
    });
    await until(async () => (await data(client, "apps", "web-cm"))?.greeting === "configured", "re-deployed");
    assert.equal((await data(client, "apps", "web-cm"))?.replicas, "2");
  });
});

Deno.test("deleting the HelmChart uninstalls the release and removes its records", async () => {
  await withHelm(async (client) => {
    await createChart(client, "web", {
      chartContent: content(await greeter()),
      targetNamespace: "apps",
      createNamespace: true,
    });
    await until(async () => (await releases(client, "apps", "web")).length === 1, "installed");
    await client.delete(HELM_CHART, "kube-system", "web");
    await until(async () => {
      await getChart(client, "web").then(() => assert.fail("still there"), () => {});
      return true;
    }, "chart gone");
    assert.equal(await data(client, "apps", "web-cm"), undefined);
    assert.equal((await releases(client, "apps", "web")).length, 0);
  });
});

Deno.test("a chart that does not render gets Failed=True with the template error, and a Warning event", async () => {
  await withHelm(async (client) => {
    const broken = await packChart("broken", {
      "Chart.yaml": chartYaml("broken"),
      "templates/cm.yaml":
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  x: {{ .Values.x | nosuchfunc }}\n",
    });
    await createChart(client, "broken", { chartContent: content(broken), targetNamespace: "kube-system" });
    await until(async () => condition(await getChart(client, "broken"), "Failed")?.status === "True", "failed");
    const failed = condition(await getChart(client, "broken"), "Failed")!;
    assert.equal(failed.reason, "Job failed");
    assert.equal(failed.message, 'parse error at (broken/templates/cm.yaml:6): function "nosuchfunc" not defined');
    const events = await client.list<KubeObject>({ apiVersion: "v1", kind: "Event" }, "kube-system", {
      fieldSelector: "involvedObject.name=broken,type=Warning",
    });
    assert.ok(events.items.some((e) => e.reason === "JobFailed" && /nosuchfunc/.test(e.message)));
  });
});

Deno.test("a failed release is reinstalled once the chart is fixed (failurePolicy reinstall)", async () => {
  await withHelm(async (client) => {
    const tgz = await greeter({
      "templates/svc.yaml":
        "{{ if .Values.port }}apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\nspec:\n  ports: [{port: {{ .Values.port }}}]\n{{ end }}\n",
    });
    await createChart(client, "web", {
      chartContent: content(tgz),
      targetNamespace: "kube-system",
      valuesContent: "port: 99999",
    });
    await until(
      async () => (await releases(client, "kube-system", "web"))[0]?.metadata?.labels?.status === "failed",
      "failed",
    );
    await client.patch(HELM_CHART, "kube-system", "web", "merge", { spec: { valuesContent: "port: 80" } });
    await until(
      async () => (await releases(client, "kube-system", "web"))[0]?.metadata?.labels?.status === "deployed",
      "reinstalled",
    );
    assert.deepEqual((await releases(client, "kube-system", "web")).map((s) => s.metadata?.name), [
      "sh.helm.release.v1.web.v1",
    ]);
  });
});

Deno.test("failurePolicy abort leaves a failed release for an operator", async () => {
  await withHelm(async (client) => {
    const tgz = await greeter({
      "templates/svc.yaml":
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\nspec:\n  ports: [{port: {{ .Values.port }}}]\n",
    });
    await createChart(client, "web", {
      chartContent: content(tgz),
      targetNamespace: "kube-system",
      valuesContent: "port: 99999",
      failurePolicy: "abort",
    });
    await until(
      async () => (await releases(client, "kube-system", "web"))[0]?.metadata?.labels?.status === "failed",
      "failed",
    );
    await client.patch(HELM_CHART, "kube-system", "web", "merge", { spec: { valuesContent: "port: 80" } });
    await until(
      async () => /failure policy is 'abort'/.test(condition(await getChart(client, "web"), "Failed")?.message ?? ""),
      "aborted",
    );
    assert.equal((await releases(client, "kube-system", "web"))[0]?.metadata?.labels?.status, "failed");
  });
});

Deno.test("a repo chart is installed in the highest version matching spec.version", async () => {
  const versions: Record<string, Uint8Array> = {};
  for (const v of ["1.0.0", "1.1.0", "2.0.0"]) {
    versions[v] = await packChart("greeter", {
      "Chart.yaml": chartYaml("greeter").replace("0.1.0", v),
      "templates/cm.yaml":
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: repo-cm\ndata:\n  v: {{ .Chart.Version | quote }}\n",
    });
  }
  const server = await serveHttp(repository({ greeter: versions }));
  try {
    await withHelm(async (client) => {
      await createChart(client, "repo", {
        repo: server.url,
        chart: "greeter",
        version: "^1.0",
        targetNamespace: "kube-system",
      });
      await until(async () => (await data(client, "kube-system", "repo-cm"))?.v === "1.1.0", "installed 1.1.0");
    });
  } finally {
    await server.close();
  }
});

Deno.test("a chart managed by another controller, unmanaged, or naming no chart is left alone", async () => {
  await withHelm(async (client) => {
    const spec = { chartContent: content(await greeter()), targetNamespace: "kube-system" };
    await createChart(client, "other", spec, { [MANAGED_BY_ANNOTATION]: "someone-else" });
    await createChart(client, "mine-not", spec, { [UNMANAGED_ANNOTATION]: "true" });
    await createChart(client, "empty", { targetNamespace: "kube-system" });
    await createChart(client, "control", spec);
    await until(async () => (await data(client, "kube-system", "control-cm")) !== undefined, "control installed");
    for (const name of ["other", "mine-not", "empty"]) {
      const chart = await getChart(client, name);
      assert.equal(chart.metadata.finalizers, undefined, name);
      assert.equal(chart.status, undefined, name);
      assert.equal(await data(client, "kube-system", `${name}-cm`), undefined, name);
    }
  });
});

Deno.test("a helmVersion other than v3 is refused as an unsupported version", async () => {
  await withHelm(async (client) => {
    await createChart(client, "old", { chartContent: content(await greeter()), helmVersion: "v2" });
    await until(
      async () => condition(await getChart(client, "old"), "Failed")?.reason === "Unsupported version",
      "refused",
    );
    assert.equal(condition(await getChart(client, "old"), "Failed")?.message, "Only Helm v3 charts are supported");
  });
});

Deno.test("spec.set passes integers, booleans and null as --set and everything else as --set-string", () => {
  const values = chartValues(
    {
      valuesContent: "a: 1\nimage: {tag: v1}",
      set: { replicas: 3, enabled: "True", none: "null", tag: "007", list: "a,b", "image.tag": "v2" },
    },
    { valuesContent: "a: 2" },
  );
  assert.deepEqual(values, {
    a: 2,
    image: { tag: "v2" },
    replicas: 3n,
    enabled: true,
    none: null,
    tag: "007",
    list: "a,b",
  });
});
