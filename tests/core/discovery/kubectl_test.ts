// The real kubectl 1.32 reads our discovery documents, aggregated and legacy, the way it reads kube-apiserver's.
import assert from "node:assert/strict";
import { HAVE_KUBECTL, kubectl, startFakeApiServer } from "./fake_apiserver.ts";

const ignore = !HAVE_KUBECTL;

/** `kubectl api-resources` rows as `name shortnames apiVersion namespaced kind`, whitespace-normalised. */
function rows(stdout: string): string[] {
  return stdout.trim().split("\n").slice(1).map((line) => line.trim().split(/\s+/).join(" "));
}

const EXPECTED_ROWS = [
  "bindings v1 true Binding",
  "componentstatuses cs v1 false ComponentStatus",
  "configmaps cm v1 true ConfigMap",
  "pods po v1 true Pod",
  "deployments deploy apps/v1 true Deployment",
  "horizontalpodautoscalers hpa autoscaling/v2 true HorizontalPodAutoscaler",
  "customresourcedefinitions crd,crds apiextensions.k8s.io/v1 false CustomResourceDefinition",
  "events ev events.k8s.io/v1 true Event",
  "selfsubjectaccessreviews authorization.k8s.io/v1 false SelfSubjectAccessReview",
  "networkpolicies netpol networking.k8s.io/v1 true NetworkPolicy",
];

Deno.test({
  name: "discovery: kubectl api-resources reads aggregated discovery without per-group requests",
  ignore,
  async fn() {
    await using server = await startFakeApiServer();
    const { code, stdout, stderr } = await kubectl(server, ["api-resources"]);
    assert.equal(code, 0, stderr);
    const listed = rows(stdout);
    assert.equal(listed.length, 58); // 59 resources, autoscaling listed once in its preferred version
    for (const row of EXPECTED_ROWS) assert.ok(listed.includes(row), `${row}\n${stdout}`);
    const paths = server.requests.map((r) => r.path);
    assert.ok(paths.includes("/apis"));
    assert.ok(!paths.some((p) => p.startsWith("/apis/")), paths.join(" "));
  },
});

Deno.test({
  name: "discovery: kubectl falls back to legacy discovery and sees the same resources",
  ignore,
  async fn() {
    await using server = await startFakeApiServer({ legacyOnly: true });
    const { code, stdout, stderr } = await kubectl(server, ["api-resources"]);
    assert.equal(code, 0, stderr);
    const listed = rows(stdout);
    assert.equal(listed.length, 58);
    for (const row of EXPECTED_ROWS) assert.ok(listed.includes(row), `${row}\n${stdout}`);
    assert.ok(server.requests.some((r) => r.path === "/apis/apps/v1"));
  },
});

Deno.test({
  name: "discovery: kubectl finds the `all` and `api-extensions` categories and api-versions",
  ignore,
  async fn() {
    await using server = await startFakeApiServer();
    const all = await kubectl(server, ["api-resources", "--categories=all", "-o", "name"]);
    assert.equal(all.code, 0, all.stderr);
    assert.deepEqual(all.stdout.trim().split("\n").sort(), [
      "cronjobs.batch",
      "daemonsets.apps",
      "deployments.apps",
      "horizontalpodautoscalers.autoscaling",
      "jobs.batch",
      "pods",
      "replicasets.apps",
      "replicationcontrollers",
      "services",
      "statefulsets.apps",
    ]);
    const ext = await kubectl(server, ["api-resources", "--categories=api-extensions", "-o", "name"]);
    assert.equal(ext.stdout.trim().split("\n").length, 6, ext.stdout);
    const versions = await kubectl(server, ["api-versions"]);
    assert.equal(versions.code, 0, versions.stderr);
    const list = versions.stdout.trim().split("\n");
    assert.equal(list.length, 21);
    assert.ok(list.includes("autoscaling/v1") && list.includes("autoscaling/v2") && list.includes("v1"));
  },
});
