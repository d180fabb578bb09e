// The real kubectl 1.32 uses our OpenAPI documents: explain reads the v3 schemas, and strict validation finds
// the fieldValidation parameter so it leaves validation to the server instead of fetching /openapi/v2.
import assert from "node:assert/strict";
import { HAVE_KUBECTL, kubectl, startFakeApiServer } from "../discovery/fake_apiserver.ts";

const ignore = !HAVE_KUBECTL;

Deno.test({
  name: "openapi: kubectl explain reads field types and descriptions from the v3 documents",
  ignore,
  async fn() {
    await using server = await startFakeApiServer();
    const { code, stdout, stderr } = await kubectl(server, ["explain", "deployment.spec.replicas"]);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /GROUP:\s+apps/);
    assert.match(stdout, /FIELD:\s+replicas <integer>/);
    assert.match(stdout, /Number of desired pods/);
    const pods = await kubectl(server, ["explain", "pods.spec.containers.ports"]);
    assert.equal(pods.code, 0, pods.stderr);
    assert.match(pods.stdout, /containerPort\s+<integer> -required-/);
    assert.ok(server.requests.some((r) => r.path === "/openapi/v3/apis/apps/v1" && r.query.startsWith("?hash=")));
  },
});

Deno.test({
  name: "openapi: kubectl create --validate=strict sends fieldValidation=Strict and never needs /openapi/v2",
  ignore,
  async fn() {
    await using server = await startFakeApiServer();
    const deployment = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web" },
      spec: {
        selector: { matchLabels: { app: "web" } },
        template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "nginx" }] } },
      },
    };
    const { code, stdout, stderr } = await kubectl(
      server,
      ["create", "-f", "-", "--validate=strict", "--dry-run=server"],
      JSON.stringify(deployment),
    );
    assert.equal(code, 0, stderr);
    assert.match(stdout, /deployment.apps\/web created \(server dry run\)/);
    const post = server.requests.find((r) => r.method === "POST")!;
    assert.equal(post.path, "/apis/apps/v1/namespaces/default/deployments");
    assert.match(post.query, /fieldValidation=Strict/);
    assert.match(post.query, /dryRun=All/);
    assert.ok(!server.requests.some((r) => r.path === "/openapi/v2"));
  },
});

Deno.test({
  name: "openapi: kubectl get --raw /openapi/v2 receives the JSON document",
  ignore,
  async fn() {
    await using server = await startFakeApiServer();
    const { code, stdout, stderr } = await kubectl(server, ["get", "--raw", "/openapi/v2"]);
    assert.equal(code, 0, stderr);
    const doc = JSON.parse(stdout);
    assert.equal(doc.swagger, "2.0");
    assert.ok(doc.definitions["io.k8s.api.apps.v1.Deployment"]);
  },
});

Deno.test({
  name: "openapi: kubectl apply computes a strategic merge patch from the v3 schemas without warnings",
  ignore,
  async fn() {
    const applied = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "default" },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: { containers: [{ name: "a", image: "nginx" }, { name: "b", image: "redis" }] },
        },
      },
    };
    const live = {
      ...applied,
      metadata: {
        ...applied.metadata,
        uid: "1",
        resourceVersion: "7",
        annotations: { "kubectl.kubernetes.io/last-applied-configuration": JSON.stringify(applied) },
      },
    };
    await using server = await startFakeApiServer({
      objects: { "/apis/apps/v1/namespaces/default/deployments/web": live },
    });
    const next = structuredClone(applied);
    next.spec.template.spec.containers = [{ name: "b", image: "redis:7" }];
    const { code, stdout, stderr } = await kubectl(server, ["apply", "-f", "-"], JSON.stringify(next));
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stderr, /warning/i);
    assert.match(stdout, /deployment.apps\/web configured/);
    const patch = server.requests.find((r) => r.method === "PATCH")!;
    assert.equal(patch.contentType, "application/strategic-merge-patch+json");
    const body = JSON.parse(patch.body);
    // Containers merge by name: the patch keeps the order, updates "b" in place and deletes "a" by key.
    assert.deepEqual(body.spec, {
      template: {
        spec: {
          "$setElementOrder/containers": [{ name: "b" }],
          containers: [{ image: "redis:7", name: "b" }, { $patch: "delete", name: "a" }],
        },
      },
    });
    assert.ok(server.requests.some((r) => r.path === "/openapi/v3/apis/apps/v1"));
  },
});
