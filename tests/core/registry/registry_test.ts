// The built-in registry matches what kube-apiserver 1.32 serves by default, and lookups behave like kubectl's.
import assert from "node:assert/strict";
import { Registry } from "../../../core/registry/registry.ts";
import { compareKubeVersions } from "../../../core/registry/order.ts";
import type { ResourceInfo } from "../../../core/registry/types.ts";

const registry = new Registry();

/** kube-apiserver 1.32's default resources per group-version (`kubectl api-resources` on a fresh cluster). */
const EXPECTED: Record<string, string[]> = {
  "v1": [
    "bindings",
    "componentstatuses",
    "configmaps",
    "endpoints",
    "events",
    "limitranges",
    "namespaces",
    "nodes",
    "persistentvolumeclaims",
    "persistentvolumes",
    "pods",
    "podtemplates",
    "replicationcontrollers",
    "resourcequotas",
    "secrets",
    "serviceaccounts",
    "services",
  ],
  "admissionregistration.k8s.io/v1": [
    "mutatingwebhookconfigurations",
    "validatingadmissionpolicies",
    "validatingadmissionpolicybindings",
    "validatingwebhookconfigurations",
  ],
  "apiextensions.k8s.io/v1": ["customresourcedefinitions"],
  "apiregistration.k8s.io/v1": ["apiservices"],
  "apps/v1": ["controllerrevisions", "daemonsets", "deployments", "replicasets", "statefulsets"],
  "authentication.k8s.io/v1": ["selfsubjectreviews", "tokenreviews"],
  "authorization.k8s.io/v1": [
    "localsubjectaccessreviews",
    "selfsubjectaccessreviews",
    "selfsubjectrulesreviews",
    "subjectaccessreviews",
  ],
  "autoscaling/v1": ["horizontalpodautoscalers"],
  "autoscaling/v2": ["horizontalpodautoscalers"],
  "batch/v1": ["cronjobs", "jobs"],
  "certificates.k8s.io/v1": ["certificatesigningrequests"],
  "coordination.k8s.io/v1": ["leases"],
  "discovery.k8s.io/v1": ["endpointslices"],
  "events.k8s.io/v1": ["events"],
  "flowcontrol.apiserver.k8s.io/v1": ["flowschemas", "prioritylevelconfigurations"],
  "networking.k8s.io/v1": ["ingressclasses", "ingresses", "networkpolicies"],
  "node.k8s.io/v1": ["runtimeclasses"],
  "policy/v1": ["poddisruptionbudgets"],
  "rbac.authorization.k8s.io/v1": ["clusterrolebindings", "clusterroles", "rolebindings", "roles"],
  "scheduling.k8s.io/v1": ["priorityclasses"],
  "storage.k8s.io/v1": ["csidrivers", "csinodes", "csistoragecapacities", "storageclasses", "volumeattachments"],
};

function gv(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

Deno.test("registry: serves exactly kube-apiserver 1.32's default group-versions and resources", () => {
  const served: Record<string, string[]> = {};
  for (const { group, version } of registry.groupVersions()) {
    served[gv(group, version)] = registry.resources(group, version).map((r) => r.resource);
  }
  assert.deepEqual(served, EXPECTED);
  assert.equal(registry.all().length, 59);
  assert.equal(registry.groupVersions().length, 21);
});

Deno.test("registry: group-versions follow kube-apiserver's group priority order", () => {
  assert.deepEqual(registry.groupVersions().map((g) => gv(g.group, g.version)), [
    "v1",
    "apiregistration.k8s.io/v1",
    "apps/v1",
    "events.k8s.io/v1",
    "authentication.k8s.io/v1",
    "authorization.k8s.io/v1",
    "autoscaling/v2",
    "autoscaling/v1",
    "batch/v1",
    "certificates.k8s.io/v1",
    "networking.k8s.io/v1",
    "policy/v1",
    "rbac.authorization.k8s.io/v1",
    "storage.k8s.io/v1",
    "admissionregistration.k8s.io/v1",
    "apiextensions.k8s.io/v1",
    "scheduling.k8s.io/v1",
    "coordination.k8s.io/v1",
    "node.k8s.io/v1",
    "discovery.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1",
  ]);
  assert.equal(registry.preferredVersion("autoscaling"), "v2");
  assert.equal(registry.preferredVersion("apps"), "v1");
  assert.equal(registry.preferredVersion("resource.k8s.io"), undefined);
});

Deno.test("registry: resolve finds a resource by group, version and plural", () => {
  const deployments = registry.resolve("apps", "v1", "deployments")!;
  assert.equal(deployments.kind, "Deployment");
  assert.equal(deployments.listKind, "DeploymentList");
  assert.equal(deployments.singular, "deployment");
  assert.equal(deployments.namespaced, true);
  assert.deepEqual(deployments.verbs, [
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
  ]);
  assert.deepEqual(deployments.subresources, [
    { name: "scale", kind: "Scale", group: "autoscaling", version: "v1", verbs: ["get", "patch", "update"] },
    { name: "status", kind: "Deployment", group: "apps", version: "v1", verbs: ["get", "patch", "update"] },
  ]);
  assert.equal(registry.resolve("", "v1", "namespaces")?.namespaced, false);
  assert.equal(registry.resolve("apps", "v1beta1", "deployments"), undefined);
});

Deno.test("registry: pods carry every subresource kubectl uses, with their kinds and verbs", () => {
  const subs = Object.fromEntries(registry.resolve("", "v1", "pods")!.subresources.map((s) => [s.name, s]));
  assert.deepEqual(Object.keys(subs), [
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
  assert.deepEqual(subs.exec, {
    name: "exec",
    kind: "PodExecOptions",
    group: "",
    version: "v1",
    verbs: ["create", "get"],
  });
  assert.deepEqual(subs.log.verbs, ["get"]);
  assert.deepEqual([subs.eviction.group, subs.eviction.version, subs.eviction.kind], ["policy", "v1", "Eviction"]);
  assert.deepEqual(subs.binding.verbs, ["create"]);
  const token = registry.resolve("", "v1", "serviceaccounts")!.subresources[0];
  assert.deepEqual(token, {
    name: "token",
    kind: "TokenRequest",
    group: "authentication.k8s.io",
    version: "v1",
    verbs: ["create"],
  });
  assert.deepEqual(registry.resolve("", "v1", "namespaces")!.subresources.find((s) => s.name === "finalize")?.verbs, [
    "update",
  ]);
});

Deno.test("registry: review and binding resources are create-only", () => {
  for (const [group, resource] of [["authorization.k8s.io", "selfsubjectaccessreviews"], ["", "bindings"]]) {
    assert.deepEqual(registry.resolve(group, "v1", resource)?.verbs, ["create"]);
  }
  assert.deepEqual(registry.resolve("", "v1", "componentstatuses")?.verbs, ["get", "list"]);
});

Deno.test("registry: short names and categories are kube-apiserver's", () => {
  const short = (group: string, resource: string) =>
    registry.resolve(group, registry.preferredVersion(group)!, resource);
  const expected: [string, string, string[]][] = [
    ["", "pods", ["po"]],
    ["", "services", ["svc"]],
    ["", "configmaps", ["cm"]],
    ["", "namespaces", ["ns"]],
    ["", "nodes", ["no"]],
    ["", "persistentvolumeclaims", ["pvc"]],
    ["", "persistentvolumes", ["pv"]],
    ["", "serviceaccounts", ["sa"]],
    ["", "endpoints", ["ep"]],
    ["", "events", ["ev"]],
    ["", "replicationcontrollers", ["rc"]],
    ["", "resourcequotas", ["quota"]],
    ["", "limitranges", ["limits"]],
    ["", "componentstatuses", ["cs"]],
    ["apps", "deployments", ["deploy"]],
    ["apps", "replicasets", ["rs"]],
    ["apps", "statefulsets", ["sts"]],
    ["apps", "daemonsets", ["ds"]],
    ["batch", "cronjobs", ["cj"]],
    ["batch", "jobs", []],
    ["networking.k8s.io", "ingresses", ["ing"]],
    ["networking.k8s.io", "networkpolicies", ["netpol"]],
    ["storage.k8s.io", "storageclasses", ["sc"]],
    ["apiextensions.k8s.io", "customresourcedefinitions", ["crd", "crds"]],
    ["autoscaling", "horizontalpodautoscalers", ["hpa"]],
    ["policy", "poddisruptionbudgets", ["pdb"]],
    ["scheduling.k8s.io", "priorityclasses", ["pc"]],
    ["certificates.k8s.io", "certificatesigningrequests", ["csr"]],
    ["discovery.k8s.io", "endpointslices", []],
    ["events.k8s.io", "events", ["ev"]],
  ];
  for (const [group, resource, names] of expected) {
    assert.deepEqual(short(group, resource)?.shortNames, names, `${resource}.${group}`);
  }
  const inCategory = (category: string) =>
    registry.all().filter((r) => r.categories.includes(category)).map((r) => `${r.resource}.${r.version}.${r.group}`);
  assert.deepEqual(inCategory("all"), [
    "pods.v1.",
    "replicationcontrollers.v1.",
    "services.v1.",
    "daemonsets.v1.apps",
    "deployments.v1.apps",
    "replicasets.v1.apps",
    "statefulsets.v1.apps",
    "horizontalpodautoscalers.v2.autoscaling",
    "horizontalpodautoscalers.v1.autoscaling",
    "cronjobs.v1.batch",
    "jobs.v1.batch",
  ]);
  assert.deepEqual(inCategory("api-extensions"), [
    "apiservices.v1.apiregistration.k8s.io",
    "mutatingwebhookconfigurations.v1.admissionregistration.k8s.io",
    "validatingadmissionpolicies.v1.admissionregistration.k8s.io",
    "validatingadmissionpolicybindings.v1.admissionregistration.k8s.io",
    "validatingwebhookconfigurations.v1.admissionregistration.k8s.io",
    "customresourcedefinitions.v1.apiextensions.k8s.io",
  ]);
});

Deno.test("registry: storage version hashes match kube-apiserver's", () => {
  // Values kube-apiserver publishes (its integration test data); events.k8s.io and autoscaling/v1 share the
  // hash of the version they are stored in.
  const expected: Record<string, string> = {
    "v1/pods": "xPOwRZ+Yhw8=",
    "v1/configmaps": "qFsyl6wFWjQ=",
    "v1/events": "r2yiGXH7wu8=",
    "events.k8s.io/v1/events": "r2yiGXH7wu8=",
    "autoscaling/v1/horizontalpodautoscalers": "qwQve8ut294=",
    "autoscaling/v2/horizontalpodautoscalers": "qwQve8ut294=",
    "apps/v1/deployments": "8aSe+NMegvE=",
    "admissionregistration.k8s.io/v1/validatingadmissionpolicies": "6OxvlMmQ6is=",
    "flowcontrol.apiserver.k8s.io/v1/flowschemas": "GJVAJZSZBIw=",
  };
  for (const [key, hash] of Object.entries(expected)) {
    const parts = key.split("/");
    const [group, version, resource] = parts.length === 2 ? ["", ...parts] : parts;
    assert.equal(registry.resolve(group, version, resource)?.storageVersionHash, hash, key);
  }
  assert.equal(registry.resolve("", "v1", "bindings")?.storageVersionHash, undefined);
  assert.equal(registry.resolve("authorization.k8s.io", "v1", "subjectaccessreviews")?.storageVersionHash, undefined);
});

Deno.test("registry: lookup resolves plural, singular, short and kind names like kubectl", () => {
  const first = (name: string) => {
    const r = registry.lookup(name)[0];
    return r && `${r.resource}.${r.version}.${r.group}`;
  };
  assert.equal(first("deploy"), "deployments.v1.apps");
  assert.equal(first("Deployment"), "deployments.v1.apps");
  assert.equal(first("deployment"), "deployments.v1.apps");
  assert.equal(first("deployments.apps"), "deployments.v1.apps");
  assert.equal(first("deployments.v1.apps"), "deployments.v1.apps");
  assert.equal(first("po"), "pods.v1.");
  assert.equal(first("hpa"), "horizontalpodautoscalers.v2.autoscaling");
  assert.equal(first("hpa.v1.autoscaling"), "horizontalpodautoscalers.v1.autoscaling");
  assert.equal(first("crds"), "customresourcedefinitions.v1.apiextensions.k8s.io");
  assert.equal(first("endpoints"), "endpoints.v1.");
  assert.deepEqual(registry.lookup("ev").map((r) => r.group), ["", "events.k8s.io"]);
  assert.equal(first("events.events.k8s.io"), "events.v1.events.k8s.io");
  assert.deepEqual(registry.lookup("nosuchthing"), []);
  assert.deepEqual(registry.lookup("deployments.v2.apps"), []);
});

Deno.test("registry: forKind picks the preferred version unless told", () => {
  assert.equal(registry.forKind("autoscaling", "HorizontalPodAutoscaler")?.version, "v2");
  assert.equal(registry.forKind("autoscaling", "HorizontalPodAutoscaler", "v1")?.version, "v1");
  assert.equal(registry.forKind("", "Pod")?.resource, "pods");
  assert.equal(registry.forKind("apps", "Pod"), undefined);
});

const helmChart: ResourceInfo = {
  group: "helm.cattle.io",
  version: "v1",
  resource: "helmcharts",
  singular: "helmchart",
  kind: "HelmChart",
  listKind: "HelmChartList",
  namespaced: true,
  shortNames: [],
  categories: [],
  verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
  subresources: [{ name: "status", kind: "HelmChart", group: "helm.cattle.io", version: "v1", verbs: ["get"] }],
};

Deno.test("registry: CRDs can be added and removed, and sort after the built-in groups", () => {
  const r = new Registry();
  const before = r.generation;
  r.add(helmChart);
  r.add({ ...helmChart, version: "v1beta1" });
  assert.ok(r.generation > before);
  assert.equal(r.resolve("helm.cattle.io", "v1", "helmcharts")?.kind, "HelmChart");
  assert.deepEqual(r.versions("helm.cattle.io"), ["v1", "v1beta1"]);
  assert.deepEqual(r.groupVersions().slice(-2), [
    { group: "helm.cattle.io", version: "v1" },
    { group: "helm.cattle.io", version: "v1beta1" },
  ]);
  assert.equal(r.lookup("helmchart")[0].version, "v1");
  assert.equal(r.remove("helm.cattle.io", "v1", "helmcharts"), true);
  assert.equal(r.remove("helm.cattle.io", "v1", "helmcharts"), false);
  assert.equal(r.preferredVersion("helm.cattle.io"), "v1beta1");
  r.setGroupPriority("helm.cattle.io", 20000);
  assert.equal(r.groups()[0].name, "helm.cattle.io");
});

Deno.test("registry: Kubernetes version order puts GA before beta before alpha", () => {
  assert.deepEqual(
    ["v1alpha1", "foo", "v1beta1", "v11alpha2", "v1", "v2", "v1beta2", "v10", "bar", "v3beta1"].sort(
      compareKubeVersions,
    ),
    ["v10", "v2", "v1", "v3beta1", "v1beta2", "v1beta1", "v11alpha2", "v1alpha1", "bar", "foo"],
  );
});
