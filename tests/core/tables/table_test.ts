// The Table envelope: kind, list metadata, column definition shape, and the embedded row objects.
import assert from "node:assert/strict";
import { printerFor, toTable } from "../../../core/tables/table.ts";
import { ago, NOW } from "./helpers.ts";

const metadata = {
  name: "cm",
  namespace: "default",
  uid: "1f3a",
  resourceVersion: "41",
  creationTimestamp: ago(10),
  labels: { app: "web" },
  annotations: { note: "x" },
};
const configMap = { apiVersion: "v1", kind: "ConfigMap", metadata, data: { a: "1" } };

Deno.test("table: kind, apiVersion, list metadata and column definition fields", () => {
  const table = toTable("ConfigMap", "", [configMap], {
    now: NOW,
    listMeta: { resourceVersion: "42", continue: "eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ", remainingItemCount: 3 },
  });
  assert.equal(table.kind, "Table");
  assert.equal(table.apiVersion, "meta.k8s.io/v1");
  assert.deepEqual(table.metadata, {
    resourceVersion: "42",
    continue: "eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ",
    remainingItemCount: 3,
  });
  for (const column of table.columnDefinitions as Record<string, unknown>[]) {
    assert.deepEqual(Object.keys(column).sort(), ["description", "format", "name", "priority", "type"]);
    assert.ok(typeof column.description === "string" && column.description.length > 0);
  }
  assert.deepEqual(toTable("ConfigMap", "", [], { now: NOW }).metadata, {});
});

Deno.test("table: includeObject Metadata (the default) embeds PartialObjectMetadata", () => {
  for (const includeObject of [undefined, "Metadata"] as const) {
    const table = toTable("ConfigMap", "", [configMap], { now: NOW, includeObject });
    assert.deepEqual((table.rows as Record<string, unknown>[])[0], {
      cells: ["cm", 1, "10s"],
      object: { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata },
    });
  }
});

Deno.test("table: includeObject Object embeds the object, None embeds nothing", () => {
  const full = toTable("ConfigMap", "", [configMap], { now: NOW, includeObject: "Object" });
  assert.equal((full.rows as Record<string, unknown>[])[0].object, configMap);
  const none = toTable("ConfigMap", "", [configMap], { now: NOW, includeObject: "None" });
  assert.deepEqual((none.rows as Record<string, unknown>[])[0], { cells: ["cm", 1, "10s"] });
});

Deno.test("table: noHeaders drops the column definitions (watch events after the first)", () => {
  const table = toTable("ConfigMap", "", [configMap], { now: NOW, noHeaders: true });
  assert.equal("columnDefinitions" in table, false);
  assert.equal((table.rows as unknown[]).length, 1);
});

Deno.test("table: the default clock is the current time", () => {
  const table = toTable("ConfigMap", "", [{ metadata: { name: "x", creationTimestamp: new Date().toISOString() } }]);
  assert.match(String((table.rows as { cells: unknown[] }[])[0].cells[2]), /^[01]s$/);
});

Deno.test("table: every kind from the brief has a printer or deliberately uses the default", () => {
  const printed: [string, string][] = [
    ["Pod", ""],
    ["Deployment", "apps"],
    ["ReplicaSet", "apps"],
    ["ReplicationController", ""],
    ["StatefulSet", "apps"],
    ["DaemonSet", "apps"],
    ["Job", "batch"],
    ["CronJob", "batch"],
    ["Service", ""],
    ["Endpoints", ""],
    ["EndpointSlice", "discovery.k8s.io"],
    ["Node", ""],
    ["Namespace", ""],
    ["ConfigMap", ""],
    ["Secret", ""],
    ["ServiceAccount", ""],
    ["Event", ""],
    ["Event", "events.k8s.io"],
    ["Ingress", "networking.k8s.io"],
    ["IngressClass", "networking.k8s.io"],
    ["NetworkPolicy", "networking.k8s.io"],
    ["PersistentVolume", ""],
    ["PersistentVolumeClaim", ""],
    ["StorageClass", "storage.k8s.io"],
    ["RoleBinding", "rbac.authorization.k8s.io"],
    ["ClusterRoleBinding", "rbac.authorization.k8s.io"],
    ["Lease", "coordination.k8s.io"],
    ["HorizontalPodAutoscaler", "autoscaling"],
    ["PodDisruptionBudget", "policy"],
    ["PriorityClass", "scheduling.k8s.io"],
    ["ResourceQuota", ""],
    ["CertificateSigningRequest", "certificates.k8s.io"],
    ["ControllerRevision", "apps"],
  ];
  for (const [kind, group] of printed) assert.ok(printerFor(kind, group), `${group}/${kind}`);
  for (
    const [kind, group] of [["Role", "rbac.authorization.k8s.io"], ["ClusterRole", "rbac.authorization.k8s.io"], [
      "CustomResourceDefinition",
      "apiextensions.k8s.io",
    ], ["LimitRange", ""]]
  ) {
    assert.equal(printerFor(kind, group), undefined, `${group}/${kind}`);
  }
  // Every printer's cells line up with its columns, even for an empty object.
  for (const [kind, group] of printed) {
    const table = toTable(kind, group, [{}], { now: NOW });
    const width = (table.columnDefinitions as unknown[]).length;
    assert.equal((table.rows as { cells: unknown[] }[])[0].cells.length, width, `${group}/${kind}`);
  }
});
