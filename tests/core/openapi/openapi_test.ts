// OpenAPI documents: the v3 index and per-group-version documents kubectl validates against, v2, and negotiation.
import assert from "node:assert/strict";
import { OpenAPI, openapiFormat } from "../../../core/openapi/openapi.ts";
import { schemaToV3 } from "../../../core/openapi/convert.ts";
import { Registry } from "../../../core/registry/registry.ts";

const openapi = new OpenAPI();

// deno-lint-ignore no-explicit-any
type Json = any;

function doc(path: string): Json {
  return JSON.parse(openapi.v3(path)!.json);
}

Deno.test("openapi: the v3 index lists every served group-version with a hash-pinned URL", () => {
  const { paths } = openapi.index();
  const keys = Object.keys(paths);
  assert.deepEqual(keys.filter((k) => k.split("/").length === 2 && k.startsWith("api/")), ["api/v1"]);
  assert.equal(keys.filter((k) => /^apis\/[^/]+\/[^/]+$/.test(k)).length, 20);
  for (
    const k of ["api", "apis", "apis/apps", "apis/apps/v1", "apis/autoscaling/v1", "apis/autoscaling/v2", "version"]
  ) {
    assert.ok(keys.includes(k), k);
  }
  assert.ok(!keys.some((k) => k.includes("v1beta1") || k.includes("alpha") || k.includes("resource.k8s.io")));
  assert.deepEqual(keys, [...keys].sort());
  const url = paths["apis/apps/v1"].serverRelativeURL;
  assert.match(url, /^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
  assert.equal(url.split("hash=")[1], openapi.v3("apis/apps/v1")!.hash);
});

Deno.test("openapi: hashes are stable across instances and differ between documents", () => {
  const again = new OpenAPI();
  assert.equal(again.v3("api/v1")!.hash, openapi.v3("api/v1")!.hash);
  assert.notEqual(openapi.v3("api/v1")!.hash, openapi.v3("apis/apps/v1")!.hash);
});

Deno.test("openapi: apps/v1 has the Deployment schema with an integer spec.replicas", () => {
  const apps = doc("apis/apps/v1");
  assert.equal(apps.openapi, "3.0.0");
  assert.equal(apps.info.title, "Kubernetes");
  const schemas = apps.components.schemas;
  const deployment = schemas["io.k8s.api.apps.v1.Deployment"];
  assert.deepEqual(deployment["x-kubernetes-group-version-kind"], [{
    group: "apps",
    kind: "Deployment",
    version: "v1",
  }]);
  assert.deepEqual(deployment.properties.spec.allOf, [{
    $ref: "#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec",
  }]);
  const replicas = schemas["io.k8s.api.apps.v1.DeploymentSpec"].properties.replicas;
  assert.equal(replicas.type, "integer");
  assert.equal(replicas.format, "int32");
  // Referenced schemas come along (ObjectMeta, PodSpec, …); unrelated ones do not.
  assert.ok(schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]);
  assert.ok(schemas["io.k8s.api.core.v1.PodSpec"]);
  assert.equal(schemas["io.k8s.api.batch.v1.Job"], undefined);
  assert.ok(!openapi.v3("apis/apps/v1")!.json.includes("#/definitions/"));
});

Deno.test("openapi: patch operations carry the kind and the fieldValidation, dryRun and fieldManager parameters", () => {
  const item = doc("apis/apps/v1").paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"];
  const patch = item.patch;
  assert.deepEqual(patch["x-kubernetes-group-version-kind"], { group: "apps", kind: "Deployment", version: "v1" });
  assert.equal(patch["x-kubernetes-action"], "patch");
  const names = patch.parameters.map((p: Json) => p.name);
  for (const name of ["fieldValidation", "dryRun", "fieldManager", "force"]) assert.ok(names.includes(name), name);
  assert.deepEqual(patch.parameters.find((p: Json) => p.name === "fieldValidation").schema, {
    type: "string",
    uniqueItems: true,
  });
  assert.deepEqual(Object.keys(patch.requestBody.content).slice(0, 4), [
    "application/json-patch+json",
    "application/merge-patch+json",
    "application/strategic-merge-patch+json",
    "application/apply-patch+yaml",
  ]);
  assert.equal(patch.requestBody.required, true);
  assert.deepEqual(patch.responses["200"].content["application/json"].schema, {
    $ref: "#/components/schemas/io.k8s.api.apps.v1.Deployment",
  });
  // Path-level parameters are inlined with their schemas.
  assert.deepEqual(item.parameters.map((p: Json) => p.name), ["name", "namespace", "pretty"]);
  assert.deepEqual(item.parameters[1].schema, { type: "string", uniqueItems: true });
  assert.equal(item.parameters[1].required, true);
  // The scale subresource patches an autoscaling/v1 Scale.
  const scale = doc("apis/apps/v1").paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"].patch;
  assert.deepEqual(scale["x-kubernetes-group-version-kind"], { group: "autoscaling", kind: "Scale", version: "v1" });
});

Deno.test("openapi: every patchable built-in kind has a patch operation kubectl's validation accepts", () => {
  for (const r of new Registry().all().filter((r) => r.verbs.includes("patch"))) {
    const path = r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`;
    const found = (Object.values(doc(path).paths) as Json[]).some((item) => {
      const gvk = item.patch?.["x-kubernetes-group-version-kind"];
      return gvk?.kind === r.kind && gvk.group === r.group && gvk.version === r.version &&
        item.patch.parameters?.some((p: Json) => p.name === "fieldValidation");
    });
    assert.ok(found, `${r.resource}.${r.version}.${r.group}`);
  }
  const core = doc("api/v1");
  assert.ok(core.paths["/api/v1/namespaces/{namespace}/pods/{name}"].patch);
  assert.equal(core.paths["/api/v1/namespaces/{namespace}/pods/{name}/resize"], undefined); // alpha in 1.32
  assert.ok(core.paths["/api/v1/namespaces/{namespace}/pods/{name}/exec"].post);
});

Deno.test("openapi: create requests accept any body type, delete takes optional DeleteOptions", () => {
  const item = doc("apis/apps/v1").paths["/apis/apps/v1/namespaces/{namespace}/deployments"];
  assert.deepEqual(item.post.requestBody, {
    content: { "*/*": { schema: { $ref: "#/components/schemas/io.k8s.api.apps.v1.Deployment" } } },
    required: true,
  });
  assert.deepEqual(item.delete.requestBody, {
    content: { "*/*": { schema: { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions" } } },
  });
});

Deno.test("openapi: the v2 document is the served part of the Swagger spec", () => {
  const v2 = JSON.parse(openapi.v2().json);
  assert.equal(v2.swagger, "2.0");
  assert.match(v2.info.version, /^v1\.32\./);
  assert.ok(v2.paths["/apis/apps/v1/namespaces/{namespace}/deployments"]);
  assert.equal(v2.paths["/apis/resource.k8s.io/v1beta1/resourceclaims"], undefined);
  assert.equal(v2.definitions["io.k8s.api.apps.v1.DeploymentSpec"].properties.replicas.type, "integer");
  assert.equal(
    v2.definitions["io.k8s.api.core.v1.PodSpec"].properties.containers["x-kubernetes-patch-merge-key"],
    "name",
  );
  assert.equal(v2.definitions["io.k8s.api.resource.v1beta1.ResourceClaim"], undefined);
});

Deno.test("openapi: CRD documents can be added to and removed from v3 and v2", () => {
  const o = new OpenAPI();
  const crdDoc = {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: "v1.32.4" },
    paths: {},
    components: { schemas: o.schemas(["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]) },
  };
  assert.ok(crdDoc.components.schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry"]);
  o.setV3("apis/helm.cattle.io/v1", crdDoc);
  const first = o.index().paths["apis/helm.cattle.io/v1"].serverRelativeURL;
  assert.deepEqual(JSON.parse(o.v3("/openapi/v3/apis/helm.cattle.io/v1")!.json), crdDoc);
  o.setV3("apis/helm.cattle.io/v1", { ...crdDoc, paths: { "/x": {} } });
  assert.notEqual(o.index().paths["apis/helm.cattle.io/v1"].serverRelativeURL, first);
  assert.equal(o.removeV3("apis/helm.cattle.io/v1"), true);
  assert.equal(o.v3("apis/helm.cattle.io/v1"), undefined);
  assert.equal(o.removeV3("apis/batch/v1"), true); // built-ins can be turned off too
  assert.equal(o.index().paths["apis/batch/v1"], undefined);

  o.setV2("helmcharts.helm.cattle.io", { definitions: { "io.cattle.helm.v1.HelmChart": { type: "object" } } });
  assert.deepEqual(JSON.parse(o.v2().json).definitions["io.cattle.helm.v1.HelmChart"], { type: "object" });
  assert.equal(o.removeV2("helmcharts.helm.cattle.io"), true);
  assert.equal(JSON.parse(o.v2().json).definitions["io.cattle.helm.v1.HelmChart"], undefined);
});

Deno.test("openapi: /openapi/v2 answers JSON to JSON clients and 406 to protobuf-only ones", () => {
  const json = { format: "json", contentType: "application/json" };
  for (const accept of ["application/json", "*/*", "", null, undefined, "application/json, */*", "application/*"]) {
    assert.deepEqual(openapiFormat(accept), json, String(accept));
  }
  const notAcceptable = { format: "not-acceptable" };
  assert.deepEqual(openapiFormat("application/com.github.proto-openapi.spec.v2@v1.0+protobuf"), notAcceptable);
  assert.deepEqual(openapiFormat("application/com.github.proto-openapi.spec.v2.v1.0+protobuf"), notAcceptable);
  assert.deepEqual(openapiFormat("application/com.github.proto-openapi.spec.v3@v1.0+protobuf"), notAcceptable);
  assert.deepEqual(openapiFormat("application/json;q=0, application/x-protobuf"), notAcceptable);
});

Deno.test("openapi: v2 schemas convert to v3 references, wrapping refs that have siblings", () => {
  assert.deepEqual(schemaToV3({ $ref: "#/definitions/a.B" }), { $ref: "#/components/schemas/a.B" });
  assert.deepEqual(
    schemaToV3({ type: "array", items: { $ref: "#/definitions/a.B" }, "x-kubernetes-list-type": "map" }),
    {
      type: "array",
      items: { $ref: "#/components/schemas/a.B" },
      "x-kubernetes-list-type": "map",
    },
  );
  assert.deepEqual(schemaToV3({ $ref: "#/definitions/a.B", description: "d" }), {
    allOf: [{ $ref: "#/components/schemas/a.B" }],
    description: "d",
  });
  // JSONSchemaProps has a property named $ref: an object there is not a reference.
  assert.deepEqual(schemaToV3({ properties: { $ref: { type: "string" } } }), {
    properties: { $ref: { type: "string" } },
  });
});
