// Real kubectl 1.32 against a throwaway HTTP server that answers discovery and serves toTable()
// output: the printed headers and cells must be what users of kube-apiserver see.
import assert from "node:assert/strict";
import { toCustomTable, toTable } from "../../../core/tables/table.ts";
import { ago, NOW } from "./helpers.ts";

const KUBECTL = "/usr/lib/google-cloud-sdk/bin/kubectl.1.32";

const available = await Deno.stat(KUBECTL).then(() => true, () => false);

const pods = [
  {
    metadata: { name: "web-0", namespace: "default", creationTimestamp: ago(300), labels: { app: "web" } },
    spec: { nodeName: "node-a", containers: [{ name: "nginx", image: "nginx:1.27" }] },
    status: {
      phase: "Running",
      podIP: "10.42.0.9",
      conditions: [{ type: "Ready", status: "True" }],
      containerStatuses: [{ name: "nginx", ready: true, restartCount: 0, state: { running: {} } }],
    },
  },
  {
    metadata: { name: "crash-1", namespace: "default", creationTimestamp: ago(3600) },
    spec: { containers: [{ name: "app", image: "busybox" }] },
    status: {
      phase: "Running",
      containerStatuses: [{
        name: "app",
        ready: false,
        restartCount: 5,
        state: { waiting: { reason: "CrashLoopBackOff" } },
        lastState: { terminated: { exitCode: 1, finishedAt: ago(120) } },
      }],
    },
  },
];

const deployments = [{
  metadata: { name: "web", namespace: "default", creationTimestamp: ago(86400 * 3) },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: "web" } },
    template: { spec: { containers: [{ name: "nginx", image: "nginx:1.27" }] } },
  },
  status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
}];

const services = [
  {
    metadata: { name: "kubernetes", namespace: "default", creationTimestamp: ago(86400 * 10) },
    spec: { type: "ClusterIP", clusterIP: "10.43.0.1", ports: [{ port: 443, protocol: "TCP" }] },
  },
  {
    metadata: { name: "web", namespace: "default", creationTimestamp: ago(60) },
    spec: {
      type: "LoadBalancer",
      clusterIPs: ["10.43.12.7"],
      ports: [{ port: 80, nodePort: 30080, protocol: "TCP" }],
      selector: { app: "web" },
    },
  },
];

const nodes = [{
  metadata: {
    name: "server-1",
    creationTimestamp: ago(86400 * 2 + 3600 * 3),
    labels: { "node-role.kubernetes.io/control-plane": "true", "node-role.kubernetes.io/master": "true" },
  },
  status: {
    conditions: [{ type: "Ready", status: "True" }],
    nodeInfo: { kubeletVersion: "v1.32.4+k3sts1" },
  },
}];

const helmCharts = [{
  apiVersion: "helm.cattle.io/v1",
  kind: "HelmChart",
  metadata: { name: "traefik", namespace: "default", creationTimestamp: ago(600) },
  spec: { chart: "traefik" },
  status: {},
}];

const helmChartColumns = [
  { name: "Job", type: "string", jsonPath: ".status.jobName" },
  { name: "Chart", type: "string", jsonPath: ".spec.chart" },
  { name: "TargetNamespace", type: "string", jsonPath: ".spec.targetNamespace" },
  { name: "Version", type: "string", jsonPath: ".spec.version" },
  { name: "Repo", type: "string", jsonPath: ".spec.repo" },
  { name: "HelmVersion", type: "string", jsonPath: ".status.helmVersion" },
  { name: "Bootstrap", type: "boolean", jsonPath: ".spec.bootstrap" },
];

function resource(name: string, kind: string, shortNames: string[] = [], namespaced = true) {
  return {
    name,
    singularName: kind.toLowerCase(),
    namespaced,
    kind,
    verbs: ["get", "list"],
    shortNames,
  };
}

function serve(): { port: number; close: () => Promise<void> } {
  const json = (body: unknown) => Response.json(body, { headers: { "content-type": "application/json" } });
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (req) => {
    const url = new URL(req.url);
    const table = (req.headers.get("accept") ?? "").includes("as=Table");
    const list = (kind: string, group: string, items: Record<string, unknown>[]) =>
      json(
        table
          ? toTable(kind, group, items, { now: NOW, includeObject: "Metadata", listMeta: { resourceVersion: "7" } })
          : { kind: `${kind}List`, apiVersion: group ? `${group}/v1` : "v1", metadata: {}, items },
      );
    switch (url.pathname) {
      case "/version":
        return json({ major: "1", minor: "32", gitVersion: "v1.32.4", platform: "linux/amd64" });
      case "/api":
        return json({ kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [] });
      case "/apis":
        return json({
          kind: "APIGroupList",
          apiVersion: "v1",
          groups: ["apps", "helm.cattle.io"].map((name) => ({
            name,
            versions: [{ groupVersion: `${name}/v1`, version: "v1" }],
            preferredVersion: { groupVersion: `${name}/v1`, version: "v1" },
          })),
        });
      case "/api/v1":
        return json({
          kind: "APIResourceList",
          groupVersion: "v1",
          resources: [
            resource("pods", "Pod", ["po"]),
            resource("services", "Service", ["svc"]),
            resource("nodes", "Node", ["no"], false),
          ],
        });
      case "/apis/apps/v1":
        return json({
          kind: "APIResourceList",
          groupVersion: "apps/v1",
          resources: [resource("deployments", "Deployment", ["deploy"])],
        });
      case "/apis/helm.cattle.io/v1":
        return json({
          kind: "APIResourceList",
          groupVersion: "helm.cattle.io/v1",
          resources: [resource("helmcharts", "HelmChart")],
        });
      case "/apis/helm.cattle.io/v1/namespaces/default/helmcharts":
        return json(toCustomTable(helmChartColumns, helmCharts, { now: NOW }));
      case "/api/v1/nodes":
        return list("Node", "", nodes);
      case "/api/v1/namespaces/default/pods":
        return list("Pod", "", pods);
      case "/api/v1/namespaces/default/services":
        return list("Service", "", services);
      case "/apis/apps/v1/namespaces/default/deployments":
        return list("Deployment", "apps", deployments);
    }
    return json({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404 });
  });
  return { port: server.addr.port, close: () => server.shutdown() };
}

async function kubectl(port: number, ...args: string[]): Promise<string[][]> {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/config`, "");
    const { code, stdout, stderr } = await new Deno.Command(KUBECTL, {
      args: ["--server", `http://127.0.0.1:${port}`, "--cache-dir", `${dir}/cache`, "-n", "default", ...args],
      env: { KUBECONFIG: `${dir}/config`, HOME: dir },
    }).output();
    const out = new TextDecoder().decode(stdout);
    assert.equal(code, 0, new TextDecoder().decode(stderr));
    // Columns are separated by at least three spaces; cells such as "5 (2m ago)" contain single ones.
    return out.trimEnd().split("\n").map((line) => line.trim().split(/ {2,}/));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  name: "kubectl 1.32 prints pods, deployments and services from our tables like kube-apiserver's",
  ignore: !available,
  async fn() {
    const server = serve();
    try {
      const { port } = server;
      assert.deepEqual(await kubectl(port, "get", "pods"), [
        ["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
        ["web-0", "1/1", "Running", "0", "5m"],
        ["crash-1", "0/1", "CrashLoopBackOff", "5 (2m ago)", "60m"],
      ]);
      assert.deepEqual(await kubectl(port, "get", "pods", "-o", "wide"), [
        ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
        ["web-0", "1/1", "Running", "0", "5m", "10.42.0.9", "node-a", "<none>", "<none>"],
        ["crash-1", "0/1", "CrashLoopBackOff", "5 (2m ago)", "60m", "<none>", "<none>", "<none>", "<none>"],
      ]);
      assert.deepEqual(await kubectl(port, "get", "deployments"), [
        ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
        ["web", "2/3", "3", "2", "3d"],
      ]);
      assert.deepEqual(await kubectl(port, "get", "deploy", "-o", "wide"), [
        ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"],
        ["web", "2/3", "3", "2", "3d", "nginx", "nginx:1.27", "app=web"],
      ]);
      assert.deepEqual(await kubectl(port, "get", "services"), [
        ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"],
        ["kubernetes", "ClusterIP", "10.43.0.1", "<none>", "443/TCP", "10d"],
        ["web", "LoadBalancer", "10.43.12.7", "<pending>", "80:30080/TCP", "60s"],
      ]);
      assert.deepEqual(await kubectl(port, "get", "svc", "-o", "wide"), [
        ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"],
        ["kubernetes", "ClusterIP", "10.43.0.1", "<none>", "443/TCP", "10d", "<none>"],
        ["web", "LoadBalancer", "10.43.12.7", "<pending>", "80:30080/TCP", "60s", "app=web"],
      ]);
      assert.deepEqual(await kubectl(port, "get", "nodes"), [
        ["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
        ["server-1", "Ready", "control-plane,master", "2d3h", "v1.32.4+k3sts1"],
      ]);
      // Missing printer-column values are null cells, which kubectl leaves blank; no Age column is added.
      assert.deepEqual(await kubectl(port, "get", "helmcharts"), [
        ["NAME", "JOB", "CHART", "TARGETNAMESPACE", "VERSION", "REPO", "HELMVERSION", "BOOTSTRAP"],
        ["traefik", "traefik"],
      ]);
      // --show-labels reads labels from the PartialObjectMetadata embedded in each row.
      const labelled = await kubectl(port, "get", "pods", "--show-labels");
      assert.deepEqual(labelled[0].at(-1), "LABELS");
      assert.deepEqual(labelled[1].at(-1), "app=web");
    } finally {
      await server.close();
    }
  },
});
