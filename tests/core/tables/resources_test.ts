// Config, storage, RBAC, admission, and the kinds kube prints with its default table.
import assert from "node:assert/strict";
import { toTable } from "../../../core/tables/table.ts";
import { ago, cells, names, NOW, row, wideNames } from "./helpers.ts";

Deno.test("configmaps, secrets, serviceaccounts: data counts", () => {
  const cm = toTable("ConfigMap", "", [
    { metadata: { name: "kube-root-ca.crt", creationTimestamp: ago(86400 * 9) }, data: { "ca.crt": "x" } },
    { metadata: { name: "bin", creationTimestamp: ago(5) }, data: { a: "1" }, binaryData: { b: "AA==" } },
    { metadata: { name: "empty", creationTimestamp: ago(5) } },
  ], { now: NOW });
  assert.deepEqual(names(cm), ["Name", "Data", "Age"]);
  assert.deepEqual(cells(cm), [["kube-root-ca.crt", 1, "9d"], ["bin", 2, "5s"], ["empty", 0, "5s"]]);

  const secret = toTable("Secret", "", [
    {
      metadata: { name: "sh.helm.release.v1.traefik.v1", creationTimestamp: ago(3600) },
      type: "helm.sh/release.v1",
      data: { release: "H4sI" },
    },
    { metadata: { name: "plain", creationTimestamp: ago(3600) }, stringData: { user: "u", pass: "p" } },
  ], { now: NOW });
  assert.deepEqual(names(secret), ["Name", "Type", "Data", "Age"]);
  assert.deepEqual(cells(secret), [["sh.helm.release.v1.traefik.v1", "helm.sh/release.v1", 1, "60m"], [
    "plain",
    "Opaque",
    2,
    "60m",
  ]]);

  const sa = toTable("ServiceAccount", "", [{ metadata: { name: "default", creationTimestamp: ago(30) } }], {
    now: NOW,
  });
  assert.deepEqual(names(sa), ["Name", "Secrets", "Age"]);
  assert.deepEqual(cells(sa), [["default", 0, "30s"]]);
});

Deno.test("resourcequotas: request and limit columns in resource-name order", () => {
  const table = toTable("ResourceQuota", "", [{
    metadata: { name: "compute", creationTimestamp: ago(120) },
    status: {
      hard: {
        "requests.cpu": "2",
        pods: "10",
        "limits.memory": "4Gi",
        "limits.cpu": "4000m",
        "requests.memory": "2048Mi",
      },
      used: { "requests.cpu": "500m", pods: "2", "limits.memory": "1Gi", "requests.memory": "0" },
    },
  }], { now: NOW });
  assert.deepEqual(names(table), ["Name", "Request", "Limit", "Age"]);
  assert.deepEqual(cells(table), [[
    "compute",
    "pods: 2/10, requests.cpu: 500m/2, requests.memory: 0/2Gi",
    "limits.cpu: 0/4, limits.memory: 1Gi/4Gi",
    "2m",
  ]]);
});

Deno.test("persistentvolumes and persistentvolumeclaims", () => {
  const pv = toTable("PersistentVolume", "", [{
    metadata: { name: "pvc-123", creationTimestamp: ago(3600 * 30) },
    spec: {
      capacity: { storage: "2048Mi" },
      accessModes: ["ReadWriteMany", "ReadWriteOnce"],
      persistentVolumeReclaimPolicy: "Delete",
      claimRef: { namespace: "default", name: "data" },
      storageClassName: "local-path",
      volumeMode: "Filesystem",
    },
    status: { phase: "Bound" },
  }, {
    metadata: {
      name: "legacy",
      creationTimestamp: ago(60),
      deletionTimestamp: ago(1),
      annotations: { "volume.beta.kubernetes.io/storage-class": "slow" },
    },
    spec: { capacity: { storage: "1Gi" }, storageClassName: "fast" },
    status: { phase: "Released", reason: "Oops" },
  }], { now: NOW });
  assert.deepEqual(names(pv), [
    "Name",
    "Capacity",
    "Access Modes",
    "Reclaim Policy",
    "Status",
    "Claim",
    "StorageClass",
    "VolumeAttributesClass",
    "Reason",
    "Age",
    "VolumeMode",
  ]);
  assert.deepEqual(wideNames(pv), ["VolumeMode"]);
  assert.deepEqual(cells(pv), [
    ["pvc-123", "2Gi", "RWO,RWX", "Delete", "Bound", "default/data", "local-path", "<unset>", "", "30h", "Filesystem"],
    ["legacy", "1Gi", "", "Retain", "Terminating", "", "slow", "<unset>", "Oops", "60s", "Filesystem"],
  ]);

  const pvc = toTable("PersistentVolumeClaim", "", [{
    metadata: { name: "data", creationTimestamp: ago(3600 * 30) },
    spec: {
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: "1Gi" } },
      storageClassName: "local-path",
      volumeName: "pvc-123",
    },
    status: { phase: "Bound", accessModes: ["ReadWriteOnce"], capacity: { storage: "2Gi" } },
  }, {
    metadata: { name: "waiting", creationTimestamp: ago(10) },
    spec: {
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: "1Gi" } },
      storageClassName: "local-path",
      volumeMode: "Block",
    },
    status: { phase: "Pending" },
  }], { now: NOW });
  assert.deepEqual(names(pvc), [
    "Name",
    "Status",
    "Volume",
    "Capacity",
    "Access Modes",
    "StorageClass",
    "VolumeAttributesClass",
    "Age",
    "VolumeMode",
  ]);
  assert.deepEqual(cells(pvc), [
    ["data", "Bound", "pvc-123", "2Gi", "RWO", "local-path", "<unset>", "30h", "Filesystem"],
    ["waiting", "Pending", "", "", "", "local-path", "<unset>", "10s", "Block"],
  ]);
});

Deno.test("storageclasses: default marker and defaults", () => {
  const table = toTable("StorageClass", "storage.k8s.io", [{
    metadata: {
      name: "local-path",
      creationTimestamp: ago(86400),
      annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
    },
    provisioner: "rancher.io/local-path",
    reclaimPolicy: "Delete",
    volumeBindingMode: "WaitForFirstConsumer",
  }, {
    metadata: { name: "fast", creationTimestamp: ago(5) },
    provisioner: "example.com/fast",
    allowVolumeExpansion: true,
  }], { now: NOW });
  assert.deepEqual(names(table), [
    "Name",
    "Provisioner",
    "ReclaimPolicy",
    "VolumeBindingMode",
    "AllowVolumeExpansion",
    "Age",
  ]);
  assert.deepEqual(cells(table), [
    ["local-path (default)", "rancher.io/local-path", "Delete", "WaitForFirstConsumer", false, "24h"],
    ["fast", "example.com/fast", "Delete", "Immediate", true, "5s"],
  ]);
});

Deno.test("volumeattachments, csidrivers, csinodes, csistoragecapacities", () => {
  assert.deepEqual(
    cells(toTable("VolumeAttachment", "storage.k8s.io", [{
      metadata: { name: "csi-1", creationTimestamp: ago(5) },
      spec: { attacher: "ebs.csi.aws.com", source: { persistentVolumeName: "pv-1" }, nodeName: "n1" },
      status: { attached: true },
    }], { now: NOW })),
    [["csi-1", "ebs.csi.aws.com", "pv-1", "n1", true, "5s"]],
  );
  const drivers = toTable("CSIDriver", "storage.k8s.io", [{
    metadata: { name: "d", creationTimestamp: ago(5) },
    spec: { tokenRequests: [{ audience: "a" }, { audience: "b" }], volumeLifecycleModes: ["Persistent", "Ephemeral"] },
  }, { metadata: { name: "e", creationTimestamp: ago(5) }, spec: { attachRequired: false } }], { now: NOW });
  assert.deepEqual(names(drivers), [
    "Name",
    "AttachRequired",
    "PodInfoOnMount",
    "StorageCapacity",
    "TokenRequests",
    "RequiresRepublish",
    "Modes",
    "Age",
  ]);
  assert.deepEqual(cells(drivers), [
    ["d", true, false, false, "a,b", false, "Persistent,Ephemeral", "5s"],
    ["e", false, false, false, "<unset>", false, "Persistent", "5s"],
  ]);
  assert.deepEqual(
    cells(
      toTable("CSINode", "storage.k8s.io", [{
        metadata: { name: "n1", creationTimestamp: ago(5) },
        spec: { drivers: [{}] },
      }], { now: NOW }),
    ),
    [["n1", 1, "5s"]],
  );
  assert.deepEqual(
    cells(
      toTable("CSIStorageCapacity", "storage.k8s.io", [{
        metadata: { name: "c" },
        storageClassName: "sc",
        capacity: "1024Mi",
      }, { metadata: { name: "u" }, storageClassName: "sc" }], { now: NOW }),
    ),
    [["c", "sc", "1Gi"], ["u", "sc", "<unset>"]],
  );
});

Deno.test("rolebindings and clusterrolebindings: role ref and wide subjects", () => {
  const table = toTable("ClusterRoleBinding", "rbac.authorization.k8s.io", [{
    metadata: { name: "cluster-admin", creationTimestamp: ago(600) },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
    subjects: [
      { kind: "Group", name: "system:masters" },
      { kind: "User", name: "alice" },
      { kind: "User", name: "bob" },
      { kind: "ServiceAccount", namespace: "kube-system", name: "coredns" },
    ],
  }], { now: NOW });
  assert.deepEqual(names(table), ["Name", "Role", "Age", "Users", "Groups", "ServiceAccounts"]);
  assert.deepEqual(wideNames(table), ["Users", "Groups", "ServiceAccounts"]);
  assert.deepEqual(cells(table), [[
    "cluster-admin",
    "ClusterRole/cluster-admin",
    "10m",
    "alice, bob",
    "system:masters",
    "kube-system/coredns",
  ]]);
  const rb = row(toTable("RoleBinding", "rbac.authorization.k8s.io", [{
    metadata: { name: "rb", creationTimestamp: ago(5) },
    roleRef: { kind: "Role", name: "reader" },
  }], { now: NOW }));
  assert.deepEqual(rb, { Name: "rb", Role: "Role/reader", Age: "5s", Users: "", Groups: "", ServiceAccounts: "" });
});

Deno.test("roles, clusterroles, CRDs, limitranges and unknown kinds use the default Name / Created At table", () => {
  for (
    const [kind, group] of [
      ["Role", "rbac.authorization.k8s.io"],
      ["ClusterRole", "rbac.authorization.k8s.io"],
      ["CustomResourceDefinition", "apiextensions.k8s.io"],
      ["LimitRange", ""],
      ["Widget", "example.com"],
    ]
  ) {
    const table = toTable(kind, group, [{ metadata: { name: "x", creationTimestamp: "2025-02-28T09:30:15Z" } }], {
      now: NOW,
    });
    assert.deepEqual(table.columnDefinitions, [
      {
        name: "Name",
        type: "string",
        format: "name",
        description: (table.columnDefinitions as { description: string }[])[0].description,
        priority: 0,
      },
      {
        name: "Created At",
        type: "date",
        format: "",
        description: (table.columnDefinitions as { description: string }[])[1].description,
        priority: 0,
      },
    ], kind);
    assert.deepEqual(cells(table), [["x", "2025-02-28T09:30:15Z"]], kind);
  }
});

Deno.test("admission: webhook configurations and validating admission policies", () => {
  const hooks = toTable("ValidatingWebhookConfiguration", "admissionregistration.k8s.io", [
    { metadata: { name: "v", creationTimestamp: ago(5) }, webhooks: [{ name: "a" }, { name: "b" }] },
  ], { now: NOW });
  assert.deepEqual(names(hooks), ["Name", "Webhooks", "Age"]);
  assert.deepEqual(cells(hooks), [["v", 2, "5s"]]);
  const vap = toTable("ValidatingAdmissionPolicy", "admissionregistration.k8s.io", [
    {
      metadata: { name: "p", creationTimestamp: ago(5) },
      spec: { paramKind: { apiVersion: "v1", kind: "ConfigMap" }, validations: [{ expression: "true" }] },
    },
  ], { now: NOW });
  assert.deepEqual(cells(vap), [["p", 1, "v1/ConfigMap", "5s"]]);
  const vapb = toTable("ValidatingAdmissionPolicyBinding", "admissionregistration.k8s.io", [
    { metadata: { name: "b1", creationTimestamp: ago(5) }, spec: { policyName: "p", paramRef: { name: "cfg" } } },
    { metadata: { name: "b2", creationTimestamp: ago(5) }, spec: { policyName: "p" } },
  ], { now: NOW });
  assert.deepEqual(cells(vapb), [["b1", "p", "*/cfg", "5s"], ["b2", "p", "<unset>", "5s"]]);
});
