import assert from "node:assert/strict";
import { toTable } from "../../../core/tables/table.ts";
import { ago, cells, names, narrowNames, NOW, row, wideNames } from "./helpers.ts";

type Obj = Record<string, unknown>;

const template = {
  metadata: { labels: { app: "web" } },
  spec: { containers: [{ name: "nginx", image: "nginx:1.27" }, { name: "log", image: "busybox:1.36" }] },
};

function types(table: Obj): string[] {
  return (table.columnDefinitions as Obj[]).map((c) => c.type as string);
}

Deno.test("deployments: READY r/d, integer up-to-date/available, wide containers/images/selector", () => {
  const table = toTable("Deployment", "apps", [{
    metadata: { name: "web", creationTimestamp: ago(3 * 86400) },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "In", values: ["fe"] }] },
      template,
    },
    status: { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
  }, {
    metadata: { name: "idle", creationTimestamp: ago(90) },
    spec: { selector: { matchLabels: { app: "idle" } }, template: { spec: { containers: [] } } },
  }], { now: NOW });
  assert.deepEqual(narrowNames(table), ["Name", "Ready", "Up-to-date", "Available", "Age"]);
  assert.deepEqual(wideNames(table), ["Containers", "Images", "Selector"]);
  assert.deepEqual(cells(table), [
    ["web", "2/3", 3, 2, "3d", "nginx,log", "nginx:1.27,busybox:1.36", "app=web,tier in (fe)"],
    // replicas defaults to 1; an empty container list prints as empty strings.
    ["idle", "0/1", 0, 0, "90s", "", "", "app=idle"],
  ]);
});

Deno.test("replicasets and replicationcontrollers: desired/current/ready integers", () => {
  const rs = toTable("ReplicaSet", "apps", [{
    metadata: { name: "web-5d8f", creationTimestamp: ago(600) },
    spec: { replicas: 2, selector: { matchLabels: { app: "web", "pod-template-hash": "5d8f" } }, template },
    status: { replicas: 2, readyReplicas: 1 },
  }], { now: NOW });
  assert.deepEqual(names(rs), ["Name", "Desired", "Current", "Ready", "Age", "Containers", "Images", "Selector"]);
  assert.deepEqual(types(rs).slice(1, 4), ["integer", "integer", "integer"]);
  assert.deepEqual(cells(rs)[0], [
    "web-5d8f",
    2,
    2,
    1,
    "10m",
    "nginx,log",
    "nginx:1.27,busybox:1.36",
    "app=web,pod-template-hash=5d8f",
  ]);

  const rc = toTable("ReplicationController", "", [{
    metadata: { name: "legacy", creationTimestamp: ago(60) },
    spec: { replicas: 1, selector: { app: "legacy" } },
    status: { replicas: 1 },
  }], { now: NOW });
  assert.deepEqual(cells(rc)[0], ["legacy", 1, 1, 0, "60s", "", "", "app=legacy"]);
});

Deno.test("statefulsets and daemonsets", () => {
  const sts = toTable("StatefulSet", "apps", [{
    metadata: { name: "db", creationTimestamp: ago(7200) },
    spec: { replicas: 3, template },
    status: { readyReplicas: 3 },
  }], { now: NOW });
  assert.deepEqual(names(sts), ["Name", "Ready", "Age", "Containers", "Images"]);
  assert.deepEqual(cells(sts)[0], ["db", "3/3", "120m", "nginx,log", "nginx:1.27,busybox:1.36"]);

  const ds = toTable("DaemonSet", "apps", [{
    metadata: { name: "svclb", creationTimestamp: ago(4 * 3600 + 5 * 60) },
    spec: {
      selector: { matchLabels: { app: "svclb" } },
      template: {
        spec: { nodeSelector: { "kubernetes.io/os": "linux" }, containers: [{ name: "lb", image: "klipper" }] },
      },
    },
    status: {
      desiredNumberScheduled: 2,
      currentNumberScheduled: 2,
      numberReady: 1,
      updatedNumberScheduled: 2,
      numberAvailable: 1,
    },
  }], { now: NOW });
  assert.deepEqual(narrowNames(ds), [
    "Name",
    "Desired",
    "Current",
    "Ready",
    "Up-to-date",
    "Available",
    "Node Selector",
    "Age",
  ]);
  assert.deepEqual(cells(ds)[0], [
    "svclb",
    2,
    2,
    1,
    2,
    1,
    "kubernetes.io/os=linux",
    "4h5m",
    "lb",
    "klipper",
    "app=svclb",
  ]);
});

Deno.test("jobs: status, completions, duration", () => {
  const job = (spec: Obj, status: Obj, metadata: Obj = {}) => ({
    metadata: { name: "j", creationTimestamp: ago(600), ...metadata },
    spec: { template: { spec: { containers: [{ name: "pi", image: "perl" }] } }, ...spec },
    status,
  });
  const complete = toTable("Job", "batch", [job(
    { completions: 1, selector: { matchLabels: { "batch.kubernetes.io/controller-uid": "abc" } } },
    {
      succeeded: 1,
      startTime: ago(600),
      completionTime: ago(600 - 42),
      conditions: [{ type: "SuccessCriteriaMet", status: "True" }, { type: "Complete", status: "True" }],
    },
  )], { now: NOW });
  assert.deepEqual(names(complete), [
    "Name",
    "Status",
    "Completions",
    "Duration",
    "Age",
    "Containers",
    "Images",
    "Selector",
  ]);
  assert.deepEqual(cells(complete)[0], [
    "j",
    "Complete",
    "1/1",
    "42s",
    "10m",
    "pi",
    "perl",
    "batch.kubernetes.io/controller-uid=abc",
  ]);

  const r = (spec: Obj, status: Obj, metadata?: Obj) =>
    row(toTable("Job", "batch", [job(spec, status, metadata)], { now: NOW }));
  assert.deepEqual(r({ parallelism: 3 }, { startTime: ago(130) }).Completions, "0/1 of 3");
  assert.equal(r({ parallelism: 3 }, { startTime: ago(130) }).Duration, "2m10s");
  assert.equal(r({ completions: 5 }, { succeeded: 2, startTime: ago(5) }).Completions, "2/5");
  assert.equal(r({}, {}).Duration, "");
  assert.equal(r({}, {}).Status, "Running");
  assert.equal(r({}, { conditions: [{ type: "Failed", status: "True" }] }).Status, "Failed");
  assert.equal(r({}, { conditions: [{ type: "Suspended", status: "True" }] }).Status, "Suspended");
  assert.equal(r({}, { conditions: [{ type: "FailureTarget", status: "True" }] }).Status, "FailureTarget");
  assert.equal(r({}, {}, { deletionTimestamp: ago(1) }).Status, "Terminating");
  assert.equal(r({}, {}).Selector, "<none>");
});

Deno.test("cronjobs: schedule, timezone, suspend, active, last schedule", () => {
  const table = toTable("CronJob", "batch", [{
    metadata: { name: "backup", creationTimestamp: ago(2 * 86400) },
    spec: {
      schedule: "*/5 * * * *",
      jobTemplate: { spec: { template: { spec: { containers: [{ name: "b", image: "restic" }] } } } },
    },
    status: { active: [{ name: "backup-1" }], lastScheduleTime: ago(65) },
  }, {
    metadata: { name: "tz", creationTimestamp: ago(60) },
    spec: {
      schedule: "0 3 * * *",
      timeZone: "Etc/UTC",
      suspend: true,
      jobTemplate: { spec: { template: { spec: {} } } },
    },
  }], { now: NOW });
  assert.deepEqual(narrowNames(table), ["Name", "Schedule", "Timezone", "Suspend", "Active", "Last Schedule", "Age"]);
  assert.deepEqual(wideNames(table), ["Containers", "Images", "Selector"]);
  assert.deepEqual(cells(table), [
    ["backup", "*/5 * * * *", "<none>", "False", 1, "65s", "2d", "b", "restic", "<none>"],
    ["tz", "0 3 * * *", "Etc/UTC", "True", 0, "<none>", "60s", "", "", "<none>"],
  ]);
});

Deno.test("controllerrevisions: controller as lower-case kind.group/name", () => {
  const table = toTable("ControllerRevision", "apps", [{
    metadata: {
      name: "db-6c9f",
      creationTimestamp: ago(30),
      ownerReferences: [{ apiVersion: "apps/v1", kind: "StatefulSet", name: "db", controller: true }],
    },
    revision: 4,
  }, { metadata: { name: "orphan", creationTimestamp: ago(30) }, revision: 1 }], { now: NOW });
  assert.deepEqual(names(table), ["Name", "Controller", "Revision", "Age"]);
  assert.deepEqual(cells(table), [["db-6c9f", "statefulset.apps/db", 4, "30s"], ["orphan", "<none>", 1, "30s"]]);
});

Deno.test("horizontalpodautoscalers: reference, targets, min/max, replicas (v2 and v1)", () => {
  const v2 = toTable("HorizontalPodAutoscaler", "autoscaling", [{
    metadata: { name: "web", creationTimestamp: ago(300) },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } },
        { type: "Resource", resource: { name: "memory", target: { type: "AverageValue", averageValue: "512Mi" } } },
        { type: "Pods", pods: { metric: { name: "qps" }, target: { type: "AverageValue", averageValue: "1k" } } },
      ],
    },
    status: {
      currentReplicas: 3,
      currentMetrics: [
        { type: "Resource", resource: { name: "cpu", current: { averageUtilization: 12, averageValue: "60m" } } },
        { type: "Resource", resource: { name: "memory", current: { averageValue: "262144Ki" } } },
      ],
    },
  }], { now: NOW });
  assert.deepEqual(names(v2), ["Name", "Reference", "Targets", "MinPods", "MaxPods", "Replicas", "Age"]);
  assert.deepEqual(cells(v2)[0], [
    "web",
    "Deployment/web",
    "cpu: 12%/80%, memory: 256Mi/512Mi + 1 more...",
    "2",
    10,
    3,
    "5m",
  ]);

  const v1 = row(toTable("HorizontalPodAutoscaler", "autoscaling", [{
    metadata: { name: "old", creationTimestamp: ago(300) },
    spec: { scaleTargetRef: { kind: "Deployment", name: "old" }, maxReplicas: 5, targetCPUUtilizationPercentage: 50 },
    status: { currentReplicas: 1 },
  }], { now: NOW }));
  assert.equal(v1.Targets, "cpu: <unknown>/50%");
  assert.equal(v1.MinPods, "1");

  const external = row(toTable("HorizontalPodAutoscaler", "autoscaling", [{
    metadata: { name: "q" },
    spec: {
      scaleTargetRef: { kind: "Deployment", name: "q" },
      maxReplicas: 3,
      metrics: [{
        type: "External",
        external: { metric: { name: "queue" }, target: { type: "AverageValue", averageValue: "30" } },
      }],
    },
    status: { currentMetrics: [{ type: "External", external: { current: { averageValue: "12" } } }] },
  }], { now: NOW }));
  assert.equal(external.Targets, "12/30 (avg)");
});

Deno.test("poddisruptionbudgets: min available / max unavailable / allowed disruptions", () => {
  const table = toTable("PodDisruptionBudget", "policy", [
    {
      metadata: { name: "a", creationTimestamp: ago(10) },
      spec: { minAvailable: 1 },
      status: { disruptionsAllowed: 2 },
    },
    { metadata: { name: "b", creationTimestamp: ago(10) }, spec: { maxUnavailable: "25%" }, status: {} },
  ], { now: NOW });
  assert.deepEqual(names(table), ["Name", "Min Available", "Max Unavailable", "Allowed Disruptions", "Age"]);
  assert.deepEqual(cells(table), [["a", "1", "N/A", 2, "10s"], ["b", "N/A", "25%", 0, "10s"]]);
});
