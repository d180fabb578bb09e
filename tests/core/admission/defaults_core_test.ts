import assert from "node:assert/strict";
import { defaults } from "./support.ts";

Deno.test("defaults: a Service gets type ClusterIP, sessionAffinity None, TCP ports and targetPort = port", () => {
  const s = defaults("", "Service", {
    spec: { selector: { app: "web" }, ports: [{ port: 80 }, { port: 53, protocol: "UDP", targetPort: "dns" }] },
  });
  assert.equal(s.spec.type, "ClusterIP");
  assert.equal(s.spec.sessionAffinity, "None");
  assert.deepEqual(s.spec.ports, [
    { port: 80, protocol: "TCP", targetPort: 80 },
    { port: 53, protocol: "UDP", targetPort: "dns" },
  ]);
});

Deno.test("defaults: a Service gets ipFamilyPolicy SingleStack, ipFamilies [IPv4], internalTrafficPolicy Cluster", () => {
  const s = defaults("", "Service", { spec: { selector: { app: "web" }, ports: [{ port: 80 }] } });
  assert.equal(s.spec.ipFamilyPolicy, "SingleStack");
  assert.deepEqual(s.spec.ipFamilies, ["IPv4"]);
  assert.equal(s.spec.internalTrafficPolicy, "Cluster");
  assert.equal(s.spec.externalTrafficPolicy, undefined);
});

Deno.test("defaults: NodePort and LoadBalancer Services get externalTrafficPolicy Cluster", () => {
  const np = defaults("", "Service", { spec: { type: "NodePort", ports: [{ port: 80 }] } });
  assert.equal(np.spec.externalTrafficPolicy, "Cluster");
  const lb = defaults("", "Service", { spec: { type: "LoadBalancer", ports: [{ port: 80 }] } });
  assert.equal(lb.spec.externalTrafficPolicy, "Cluster");
  assert.equal(lb.spec.allocateLoadBalancerNodePorts, true);
});

Deno.test("defaults: clusterIP and clusterIPs are kept in step; a selector-less headless Service requires dual stack", () => {
  const s = defaults("", "Service", { spec: { clusterIP: "10.43.0.10", ports: [{ port: 53 }] } });
  assert.deepEqual(s.spec.clusterIPs, ["10.43.0.10"]);
  const headless = defaults("", "Service", { spec: { clusterIP: "None", ports: [{ port: 80 }] } });
  assert.equal(headless.spec.ipFamilyPolicy, "RequireDualStack");
  const external = defaults("", "Service", { spec: { type: "ExternalName", externalName: "example.com" } });
  assert.equal(external.spec.ipFamilies, undefined);
  assert.equal(external.spec.internalTrafficPolicy, undefined);
});

Deno.test("defaults: ClientIP affinity gets a 10800-second timeout", () => {
  const s = defaults("", "Service", { spec: { sessionAffinity: "ClientIP", ports: [{ port: 80 }] } });
  assert.deepEqual(s.spec.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
});

Deno.test("defaults: a Secret gets type Opaque and its stringData merged into base64 data", () => {
  const s = defaults("", "Secret", { data: { a: "eA==", b: "eQ==" }, stringData: { b: "hunter2", "c.txt": "é" } });
  assert.equal(s.type, "Opaque");
  assert.deepEqual(s.data, { a: "eA==", b: "aHVudGVyMg==", "c.txt": "w6k=" });
  assert.equal("stringData" in s, false);
});

Deno.test("defaults: a Namespace gets finalizer kubernetes on create, phase Active, and its name label", () => {
  const n = defaults("", "Namespace", { metadata: { name: "team-a" } });
  assert.deepEqual(n.spec, { finalizers: ["kubernetes"] });
  assert.deepEqual(n.status, { phase: "Active" });
  assert.deepEqual(n.metadata.labels, { "kubernetes.io/metadata.name": "team-a" });
  const updated = defaults("", "Namespace", { metadata: { name: "team-a" }, spec: { finalizers: [] } }, "update");
  assert.deepEqual(updated.spec.finalizers, []);
});

Deno.test("defaults: a PVC gets volumeMode Filesystem and phase Pending", () => {
  const pvc = defaults("", "PersistentVolumeClaim", {
    spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1G" } } },
  });
  assert.equal(pvc.spec.volumeMode, "Filesystem");
  assert.deepEqual(pvc.status, { phase: "Pending" });
});

Deno.test("defaults: a PersistentVolume gets reclaim policy Retain, volumeMode Filesystem and phase Pending", () => {
  const pv = defaults("", "PersistentVolume", { spec: { capacity: { storage: "1Gi" }, hostPath: { path: "/d" } } });
  assert.equal(pv.spec.persistentVolumeReclaimPolicy, "Retain");
  assert.equal(pv.spec.volumeMode, "Filesystem");
  assert.equal(pv.status.phase, "Pending");
});

Deno.test("defaults: a Node's allocatable defaults to its capacity", () => {
  const n = defaults("", "Node", { metadata: { name: "n1" }, status: { capacity: { cpu: "4", memory: "8192Mi" } } });
  assert.deepEqual(n.status.allocatable, { cpu: "4", memory: "8Gi" });
});

Deno.test("defaults: ConfigMaps, ServiceAccounts and Ingresses are left as they are", () => {
  for (const [group, kind] of [["", "ConfigMap"], ["", "ServiceAccount"], ["networking.k8s.io", "Ingress"]]) {
    const o = { metadata: { name: "x" }, data: { a: "b" } };
    assert.deepEqual(defaults(group, kind, structuredClone(o)), o);
  }
});

Deno.test("defaults: endpoints ports, network policies, storage classes, priority classes and bindings", () => {
  assert.equal(defaults("", "Endpoints", { subsets: [{ ports: [{ port: 80 }] }] }).subsets[0].ports[0].protocol, "TCP");
  assert.deepEqual(defaults("discovery.k8s.io", "EndpointSlice", { ports: [{ port: 80 }] }).ports[0], {
    port: 80,
    name: "",
    protocol: "TCP",
  });
  const np = defaults("networking.k8s.io", "NetworkPolicy", {
    spec: { podSelector: {}, egress: [{ ports: [{ port: 53 }] }] },
  });
  assert.deepEqual(np.spec.policyTypes, ["Ingress", "Egress"]);
  assert.equal(np.spec.egress[0].ports[0].protocol, "TCP");
  const sc = defaults("storage.k8s.io", "StorageClass", { provisioner: "rancher.io/local-path" });
  assert.equal(sc.reclaimPolicy, "Delete");
  assert.equal(sc.volumeBindingMode, "Immediate");
  assert.equal(defaults("scheduling.k8s.io", "PriorityClass", { value: 10 }).preemptionPolicy, "PreemptLowerPriority");
  const rb = defaults("rbac.authorization.k8s.io", "RoleBinding", {
    roleRef: { kind: "Role", name: "r" },
    subjects: [{ kind: "User", name: "a" }, { kind: "ServiceAccount", name: "s", namespace: "n" }],
  });
  assert.equal(rb.roleRef.apiGroup, "rbac.authorization.k8s.io");
  assert.deepEqual(rb.subjects.map((s: { apiGroup: string }) => s.apiGroup), ["rbac.authorization.k8s.io", ""]);
});
