// Discovery documents have kube-apiserver's shapes, and Accept negotiation picks the form kubectl asks for.
import assert from "node:assert/strict";
import {
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  discoveryFormat,
} from "../../../core/discovery/discovery.ts";
import { parseAccept } from "../../../core/discovery/accept.ts";
import { Registry } from "../../../core/registry/registry.ts";

const registry = new Registry();

/** What kubectl 1.32 sends for `/api` and `/apis`. */
const KUBECTL_ACCEPT =
  "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

Deno.test("discovery: /api lists v1 with the server address", () => {
  assert.deepEqual(apiVersions("10.0.0.5:6443"), {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "10.0.0.5:6443" }],
  });
});

Deno.test("discovery: /apis lists apps/v1 and every named group in priority order", () => {
  const list = apiGroupList(registry);
  assert.equal(list.kind, "APIGroupList");
  assert.equal(list.apiVersion, "v1");
  assert.equal(list.groups.length, 19);
  assert.equal(list.groups[0].name, "apiregistration.k8s.io");
  assert.deepEqual(list.groups[1], {
    name: "apps",
    versions: [{ groupVersion: "apps/v1", version: "v1" }],
    preferredVersion: { groupVersion: "apps/v1", version: "v1" },
  });
  const autoscaling = list.groups.find((g) => g.name === "autoscaling")!;
  assert.deepEqual(autoscaling.versions.map((v) => v.groupVersion), ["autoscaling/v2", "autoscaling/v1"]);
  assert.equal(autoscaling.preferredVersion.version, "v2");
  assert.ok(!list.groups.some((g) => g.name === ""));
});

Deno.test("discovery: /apis/<group> is an APIGroup, unknown groups are absent", () => {
  assert.deepEqual(apiGroup(registry, "batch"), {
    kind: "APIGroup",
    apiVersion: "v1",
    name: "batch",
    versions: [{ groupVersion: "batch/v1", version: "v1" }],
    preferredVersion: { groupVersion: "batch/v1", version: "v1" },
  });
  assert.equal(apiGroup(registry, "resource.k8s.io"), undefined);
  assert.equal(apiGroup(registry, ""), undefined);
});

Deno.test("discovery: /apis/apps/v1 lists resources then their subresources, sorted", () => {
  const list = apiResourceList(registry, "apps", "v1")!;
  assert.equal(list.kind, "APIResourceList");
  assert.equal(list.apiVersion, "v1");
  assert.equal(list.groupVersion, "apps/v1");
  assert.deepEqual(list.resources.map((r) => r.name), [
    "controllerrevisions",
    "daemonsets",
    "daemonsets/status",
    "deployments",
    "deployments/scale",
    "deployments/status",
    "replicasets",
    "replicasets/scale",
    "replicasets/status",
    "statefulsets",
    "statefulsets/scale",
    "statefulsets/status",
  ]);
  assert.deepEqual(list.resources[3], {
    name: "deployments",
    singularName: "deployment",
    namespaced: true,
    kind: "Deployment",
    verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
    shortNames: ["deploy"],
    categories: ["all"],
    storageVersionHash: "8aSe+NMegvE=",
  });
  assert.deepEqual(list.resources[4], {
    name: "deployments/scale",
    singularName: "",
    namespaced: true,
    group: "autoscaling",
    version: "v1",
    kind: "Scale",
    verbs: ["get", "patch", "update"],
  });
  assert.deepEqual(list.resources[5], {
    name: "deployments/status",
    singularName: "",
    namespaced: true,
    kind: "Deployment",
    verbs: ["get", "patch", "update"],
  });
  assert.deepEqual(Object.keys(list.resources[0]), [
    "name",
    "singularName",
    "namespaced",
    "kind",
    "verbs",
    "storageVersionHash",
  ]);
});

Deno.test("discovery: /api/v1 has no apiVersion and lists pods/log and pods/eviction", () => {
  const list = apiResourceList(registry, "", "v1")!;
  assert.equal(list.groupVersion, "v1");
  assert.equal("apiVersion" in list, false);
  const byName = Object.fromEntries(list.resources.map((r) => [r.name, r]));
  assert.equal(list.resources.length, 17 + 21);
  assert.deepEqual(byName["pods/log"], {
    name: "pods/log",
    singularName: "",
    namespaced: true,
    kind: "Pod",
    verbs: ["get"],
  });
  assert.deepEqual(byName["pods/eviction"].group, "policy");
  assert.deepEqual(byName["pods/exec"].verbs, ["create", "get"]);
  assert.deepEqual(byName["namespaces/finalize"].namespaced, false);
  assert.deepEqual(byName.bindings, {
    name: "bindings",
    singularName: "binding",
    namespaced: true,
    kind: "Binding",
    verbs: ["create"],
  });
  assert.equal(apiResourceList(registry, "apps", "v1beta1"), undefined);
});

Deno.test("discovery: aggregated /apis nests subresources and reports responseKind", () => {
  const list = aggregatedDiscovery(registry, "apis");
  assert.equal(list.kind, "APIGroupDiscoveryList");
  assert.equal(list.apiVersion, "apidiscovery.k8s.io/v2");
  assert.deepEqual(list.metadata, {});
  assert.equal(list.items.length, 19);
  const apps = list.items.find((g) => g.metadata.name === "apps")!;
  assert.equal(apps.versions.length, 1);
  assert.equal(apps.versions[0].version, "v1");
  assert.equal(apps.versions[0].freshness, "Current");
  const deployments = apps.versions[0].resources.find((r) => r.resource === "deployments");
  assert.deepEqual(deployments, {
    resource: "deployments",
    responseKind: { group: "", version: "", kind: "Deployment" },
    scope: "Namespaced",
    singularResource: "deployment",
    verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
    shortNames: ["deploy"],
    categories: ["all"],
    subresources: [
      {
        subresource: "scale",
        responseKind: { group: "autoscaling", version: "v1", kind: "Scale" },
        verbs: ["get", "patch", "update"],
      },
      {
        subresource: "status",
        responseKind: { group: "", version: "", kind: "Deployment" },
        verbs: ["get", "patch", "update"],
      },
    ],
  });
  const autoscaling = list.items.find((g) => g.metadata.name === "autoscaling")!;
  assert.deepEqual(autoscaling.versions.map((v) => v.version), ["v2", "v1"]);
  const controllerRevisions = apps.versions[0].resources[0];
  assert.equal("subresources" in controllerRevisions, false);
  assert.equal("shortNames" in controllerRevisions, false);
});

Deno.test("discovery: aggregated /api has the core group alone, without a name", () => {
  const list = aggregatedDiscovery(registry, "api", "apidiscovery.k8s.io/v2beta1");
  assert.equal(list.apiVersion, "apidiscovery.k8s.io/v2beta1");
  assert.equal(list.items.length, 1);
  assert.deepEqual(list.items[0].metadata, {});
  const resources = list.items[0].versions[0].resources;
  assert.equal(resources.length, 17);
  const pods = resources.find((r) => r.resource === "pods")!;
  assert.equal(pods.scope, "Namespaced");
  assert.deepEqual(pods.shortNames, ["po"]);
  assert.deepEqual(pods.subresources?.map((s) => s.subresource), [
    "attach",
    "binding",
    "ephemeralcontainers",
    "eviction",
    "exec",
    "log",
    "portforward",
    "proxy",
    "status",
  ]);
  assert.deepEqual(pods.subresources?.find((s) => s.subresource === "eviction")?.responseKind, {
    group: "policy",
    version: "v1",
    kind: "Eviction",
  });
  assert.equal(resources.find((r) => r.resource === "nodes")?.scope, "Cluster");
});

Deno.test("discovery: kubectl's Accept gets aggregated v2, plain JSON gets the legacy form", () => {
  assert.deepEqual(discoveryFormat(KUBECTL_ACCEPT), {
    format: "aggregated",
    apiVersion: "apidiscovery.k8s.io/v2",
    contentType: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
  });
  assert.deepEqual(
    discoveryFormat("application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"),
    {
      format: "aggregated",
      apiVersion: "apidiscovery.k8s.io/v2beta1",
      contentType: "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList",
    },
  );
  for (const accept of ["application/json", "*/*", "", null, undefined, "application/json, */*;q=0.8"]) {
    assert.deepEqual(discoveryFormat(accept), { format: "legacy", contentType: "application/json" }, String(accept));
  }
});

Deno.test("discovery: protobuf-only or unknown aggregated versions are not acceptable", () => {
  assert.deepEqual(
    discoveryFormat("application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"),
    { format: "not-acceptable" },
  );
  assert.deepEqual(discoveryFormat("application/vnd.kubernetes.protobuf"), { format: "not-acceptable" });
  assert.deepEqual(
    discoveryFormat("application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList"),
    { format: "not-acceptable" },
  );
  // A preference for protobuf still falls through to the JSON the client also accepts.
  assert.equal(
    discoveryFormat(
      "application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json",
    ).format,
    "legacy",
  );
});

Deno.test("discovery: Accept parsing orders by quality and keeps parameters", () => {
  assert.deepEqual(parseAccept("application/yaml;q=0.5, application/json;as=Table;v=v1, text/plain;q=0"), [
    { type: "application", subtype: "json", params: { as: "Table", v: "v1" }, q: 1 },
    { type: "application", subtype: "yaml", params: {}, q: 0.5 },
  ]);
  assert.deepEqual(parseAccept(undefined), [{ type: "*", subtype: "*", params: {}, q: 1 }]);
  assert.deepEqual(parseAccept("garbage, application/json"), [
    { type: "application", subtype: "json", params: {}, q: 1 },
  ]);
});
