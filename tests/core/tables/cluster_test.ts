import assert from "node:assert/strict";
import { toTable } from "../../../core/tables/table.ts";
import { ago, cells, names, narrowNames, NOW, row, wideNames } from "./helpers.ts";

Deno.test("nodes: status, roles, version and wide system info", () => {
  const table = toTable("Node", "", [{
    metadata: {
      name: "server-1",
      creationTimestamp: ago(86400 * 2 + 3600 * 3),
      labels: {
        "node-role.kubernetes.io/control-plane": "true",
        "node-role.kubernetes.io/master": "true",
        "node-role.kubernetes.io/etcd": "true",
        "kubernetes.io/hostname": "server-1",
      },
    },
    spec: {},
    status: {
      conditions: [{ type: "MemoryPressure", status: "False" }, { type: "Ready", status: "True" }],
      addresses: [{ type: "InternalIP", address: "192.168.1.5" }, { type: "Hostname", address: "server-1" }],
      nodeInfo: {
        kubeletVersion: "v1.32.4+k3sts1",
        osImage: "Debian GNU/Linux 13 (trixie)",
        kernelVersion: "6.12.0",
        containerRuntimeVersion: "containerd://2.1.0",
      },
    },
  }, {
    metadata: { name: "agent-1", creationTimestamp: ago(600), labels: { "kubernetes.io/role": "worker" } },
    spec: { unschedulable: true },
    status: { conditions: [{ type: "Ready", status: "Unknown" }] },
  }, { metadata: { name: "new", creationTimestamp: ago(1) } }], { now: NOW });
  assert.deepEqual(narrowNames(table), ["Name", "Status", "Roles", "Age", "Version"]);
  assert.deepEqual(wideNames(table), ["Internal-IP", "External-IP", "OS-Image", "Kernel-Version", "Container-Runtime"]);
  assert.deepEqual(cells(table), [
    [
      "server-1",
      "Ready",
      "control-plane,etcd,master",
      "2d3h",
      "v1.32.4+k3sts1",
      "192.168.1.5",
      "<none>",
      "Debian GNU/Linux 13 (trixie)",
      "6.12.0",
      "containerd://2.1.0",
    ],
    [
      "agent-1",
      "NotReady,SchedulingDisabled",
      "worker",
      "10m",
      "",
      "<none>",
      "<none>",
      "<unknown>",
      "<unknown>",
      "<unknown>",
    ],
    ["new", "Unknown", "<none>", "1s", "", "<none>", "<none>", "<unknown>", "<unknown>", "<unknown>"],
  ]);
});

Deno.test("namespaces: status and age", () => {
  const table = toTable("Namespace", "", [
    { metadata: { name: "default", creationTimestamp: ago(86400 * 30) }, status: { phase: "Active" } },
    {
      metadata: { name: "gone", creationTimestamp: ago(60), deletionTimestamp: ago(5) },
      status: { phase: "Terminating" },
    },
  ], { now: NOW });
  assert.deepEqual(names(table), ["Name", "Status", "Age"]);
  assert.deepEqual(cells(table), [["default", "Active", "30d"], ["gone", "Terminating", "60s"]]);
});

Deno.test("events (core/v1): last seen, object, source, count, name", () => {
  const table = toTable("Event", "", [{
    metadata: { name: "web-0.17f", namespace: "default", creationTimestamp: ago(400) },
    involvedObject: { kind: "Pod", name: "web-0", namespace: "default", fieldPath: "spec.containers{nginx}" },
    reason: "Pulled",
    message: 'Successfully pulled image "nginx"\n',
    source: { component: "kubelet", host: "server-1" },
    firstTimestamp: ago(400),
    lastTimestamp: ago(100),
    count: 3,
    type: "Normal",
  }, {
    metadata: { name: "sched.1", namespace: "default", creationTimestamp: ago(50) },
    involvedObject: { kind: "Pod", name: "web-1" },
    reason: "Scheduled",
    message: "Successfully assigned default/web-1 to server-1",
    eventTime: "2025-03-01T11:59:10.123456Z",
    reportingComponent: "default-scheduler",
    reportingInstance: "default-scheduler-server-1",
    type: "Normal",
  }], { now: NOW });
  assert.deepEqual(narrowNames(table), ["Last Seen", "Type", "Reason", "Object", "Message"]);
  assert.deepEqual(names(table), [
    "Last Seen",
    "Type",
    "Reason",
    "Object",
    "Subobject",
    "Source",
    "Message",
    "First Seen",
    "Count",
    "Name",
  ]);
  assert.deepEqual(cells(table), [
    [
      "100s",
      "Normal",
      "Pulled",
      "pod/web-0",
      "spec.containers{nginx}",
      "kubelet, server-1",
      'Successfully pulled image "nginx"',
      "6m40s",
      3,
      "web-0.17f",
    ],
    [
      "49s",
      "Normal",
      "Scheduled",
      "pod/web-1",
      "",
      "default-scheduler, default-scheduler-server-1",
      "Successfully assigned default/web-1 to server-1",
      "49s",
      1,
      "sched.1",
    ],
  ]);
});

Deno.test("events (events.k8s.io/v1): same columns from the new field names, series count", () => {
  const r = row(toTable("Event", "events.k8s.io", [{
    metadata: { name: "e1", creationTimestamp: ago(900) },
    regarding: { kind: "Node", name: "server-1" },
    reason: "NodeNotReady",
    note: "Node server-1 status is now: NodeNotReady",
    type: "Warning",
    eventTime: ago(900),
    series: { count: 4, lastObservedTime: ago(30) },
    reportingController: "node-controller",
  }], { now: NOW }));
  assert.equal(r["Last Seen"], "30s");
  assert.equal(r["First Seen"], "15m");
  assert.equal(r.Count, 4);
  assert.equal(r.Object, "node/server-1");
  assert.equal(r.Source, "node-controller");
  assert.equal(r.Type, "Warning");
});

Deno.test("leases, priorityclasses, runtimeclasses, componentstatuses", () => {
  const lease = toTable("Lease", "coordination.k8s.io", [
    { metadata: { name: "server-1", creationTimestamp: ago(20) }, spec: { holderIdentity: "server-1" } },
    { metadata: { name: "free", creationTimestamp: ago(20) }, spec: {} },
  ], { now: NOW });
  assert.deepEqual(names(lease), ["Name", "Holder", "Age"]);
  assert.deepEqual(cells(lease), [["server-1", "server-1", "20s"], ["free", "", "20s"]]);

  const pc = toTable("PriorityClass", "scheduling.k8s.io", [
    { metadata: { name: "system-node-critical", creationTimestamp: ago(86400) }, value: 2000001000 },
    {
      metadata: { name: "low", creationTimestamp: ago(10) },
      value: -5,
      globalDefault: true,
      preemptionPolicy: "Never",
    },
  ], { now: NOW });
  assert.deepEqual(names(pc), ["Name", "Value", "Global-Default", "Age", "PreemptionPolicy"]);
  assert.deepEqual((pc.columnDefinitions as { priority: number }[]).map((c) => c.priority), [0, 0, 0, 0, 0]);
  assert.deepEqual(cells(pc), [
    ["system-node-critical", 2000001000, false, "24h", "PreemptLowerPriority"],
    ["low", -5, true, "10s", "Never"],
  ]);

  const rc = toTable("RuntimeClass", "node.k8s.io", [{
    metadata: { name: "nvidia", creationTimestamp: ago(5) },
    handler: "nvidia",
  }], {
    now: NOW,
  });
  assert.deepEqual(cells(rc), [["nvidia", "nvidia", "5s"]]);

  const cs = toTable("ComponentStatus", "", [
    { metadata: { name: "etcd-0" }, conditions: [{ type: "Healthy", status: "True", message: "ok" }] },
    { metadata: { name: "scheduler" }, conditions: [{ type: "Healthy", status: "False", error: "refused" }] },
    { metadata: { name: "x" } },
  ], { now: NOW });
  assert.deepEqual(names(cs), ["Name", "Status", "Message", "Error"]);
  assert.deepEqual(cells(cs), [["etcd-0", "Healthy", "ok", ""], ["scheduler", "Unhealthy", "", "refused"], [
    "x",
    "Unknown",
    "",
    "",
  ]]);
});

Deno.test("certificatesigningrequests: signer, requestor, duration, condition", () => {
  const table = toTable("CertificateSigningRequest", "certificates.k8s.io", [{
    metadata: { name: "csr-abc", creationTimestamp: ago(90) },
    spec: { signerName: "kubernetes.io/kube-apiserver-client", username: "system:admin", expirationSeconds: 86400 },
    status: { conditions: [{ type: "Approved", status: "True" }], certificate: "LS0tLS1CRUdJTi..." },
  }, {
    metadata: { name: "pending", creationTimestamp: ago(90) },
    spec: { signerName: "kubernetes.io/kubelet-serving", username: "system:node:a" },
  }, {
    metadata: { name: "denied", creationTimestamp: ago(90) },
    spec: { username: "bob" },
    status: { conditions: [{ type: "Approved" }, { type: "Denied" }, { type: "Failed" }] },
  }], { now: NOW });
  assert.deepEqual(names(table), ["Name", "Age", "SignerName", "Requestor", "RequestedDuration", "Condition"]);
  assert.deepEqual(cells(table), [
    ["csr-abc", "90s", "kubernetes.io/kube-apiserver-client", "system:admin", "24h", "Approved,Issued"],
    ["pending", "90s", "kubernetes.io/kubelet-serving", "system:node:a", "<none>", "Pending"],
    ["denied", "90s", "<none>", "bob", "<none>", "Denied,Failed"],
  ]);
});

Deno.test("apiservices and flowschemas", () => {
  const api = toTable("APIService", "apiregistration.k8s.io", [
    {
      metadata: { name: "v1.apps", creationTimestamp: ago(60) },
      spec: { group: "apps", version: "v1" },
      status: { conditions: [{ type: "Available", status: "True" }] },
    },
    {
      metadata: { name: "v1beta1.metrics.k8s.io", creationTimestamp: ago(60) },
      spec: { service: { namespace: "kube-system", name: "metrics-server" } },
      status: { conditions: [{ type: "Available", status: "False", reason: "MissingEndpoints" }] },
    },
  ], { now: NOW });
  assert.deepEqual(names(api), ["Name", "Service", "Available", "Age"]);
  assert.deepEqual(cells(api), [
    ["v1.apps", "Local", "True", "60s"],
    ["v1beta1.metrics.k8s.io", "kube-system/metrics-server", "False (MissingEndpoints)", "60s"],
  ]);

  const fs = toTable("FlowSchema", "flowcontrol.apiserver.k8s.io", [
    {
      metadata: { name: "global-default", creationTimestamp: ago(5) },
      spec: {
        priorityLevelConfiguration: { name: "global-default" },
        matchingPrecedence: 9900,
        distinguisherMethod: { type: "ByUser" },
      },
    },
    {
      metadata: { name: "exempt", creationTimestamp: ago(5) },
      spec: { priorityLevelConfiguration: { name: "exempt" }, matchingPrecedence: 1 },
      status: { conditions: [{ type: "Dangling", status: "False" }] },
    },
  ], { now: NOW });
  assert.deepEqual(names(fs), [
    "Name",
    "PriorityLevel",
    "MatchingPrecedence",
    "DistinguisherMethod",
    "Age",
    "MissingPL",
  ]);
  // Listed in evaluation order.
  assert.deepEqual(cells(fs), [
    ["exempt", "exempt", 1, "<none>", "5s", "False"],
    ["global-default", "global-default", 9900, "ByUser", "5s", "?"],
  ]);
});
