import assert from "node:assert/strict";
import { type Any, container, defaults, podTemplate } from "./support.ts";

Deno.test("defaults: a Deployment gets replicas 1, revisionHistoryLimit 10 and progressDeadlineSeconds 600", () => {
  const d = defaults("apps", "Deployment", {
    spec: { selector: { matchLabels: { app: "web" } }, template: podTemplate() },
  });
  assert.equal(d.spec.replicas, 1);
  assert.equal(d.spec.revisionHistoryLimit, 10);
  assert.equal(d.spec.progressDeadlineSeconds, 600);
});

Deno.test("defaults: a Deployment gets strategy RollingUpdate 25%/25%", () => {
  const d = defaults("apps", "Deployment", { spec: { template: podTemplate() } });
  assert.deepEqual(d.spec.strategy, {
    type: "RollingUpdate",
    rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" },
  });
  const recreate = defaults("apps", "Deployment", {
    spec: { strategy: { type: "Recreate" }, template: podTemplate() },
  });
  assert.deepEqual(recreate.spec.strategy, { type: "Recreate" });
});

Deno.test("defaults: a Deployment's pod template gets the pod spec defaults but keeps replicas 0", () => {
  const d = defaults("apps", "Deployment", { spec: { replicas: 0, template: podTemplate() } });
  assert.equal(d.spec.replicas, 0);
  assert.equal(d.spec.template.spec.restartPolicy, "Always");
  assert.equal(d.spec.template.spec.containers[0].imagePullPolicy, "IfNotPresent");
});

Deno.test("defaults: a ReplicaSet gets replicas 1", () => {
  assert.equal(defaults("apps", "ReplicaSet", { spec: { template: podTemplate() } }).spec.replicas, 1);
});

Deno.test("defaults: a StatefulSet gets OrderedReady, RollingUpdate partition 0, Retain/Retain, replicas 1, history 10", () => {
  const s = defaults("apps", "StatefulSet", {
    spec: {
      template: podTemplate(),
      volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { resources: { requests: { storage: "1024Mi" } } } }],
    },
  });
  assert.equal(s.spec.podManagementPolicy, "OrderedReady");
  assert.deepEqual(s.spec.updateStrategy, { type: "RollingUpdate", rollingUpdate: { partition: 0 } });
  assert.deepEqual(s.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: "Retain", whenScaled: "Retain" });
  assert.equal(s.spec.replicas, 1);
  assert.equal(s.spec.revisionHistoryLimit, 10);
  const claim = s.spec.volumeClaimTemplates[0];
  assert.equal(claim.spec.volumeMode, "Filesystem");
  assert.equal(claim.spec.resources.requests.storage, "1Gi");
  assert.deepEqual(claim.status, { phase: "Pending" });
});

Deno.test("defaults: a DaemonSet gets RollingUpdate with maxUnavailable 1 and maxSurge 0, history 10", () => {
  const ds = defaults("apps", "DaemonSet", { spec: { template: podTemplate() } });
  assert.deepEqual(ds.spec.updateStrategy, {
    type: "RollingUpdate",
    rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
  });
  assert.equal(ds.spec.revisionHistoryLimit, 10);
});

Deno.test("defaults: a ReplicationController takes selector and labels from its template, replicas 1", () => {
  const rc = defaults("", "ReplicationController", { metadata: { name: "rc" }, spec: { template: podTemplate("db") } });
  assert.deepEqual(rc.spec.selector, { app: "db" });
  assert.deepEqual(rc.metadata.labels, { app: "db" });
  assert.equal(rc.spec.replicas, 1);
});

function job(extra: Any = {}): Any {
  return {
    metadata: { name: "pi", namespace: "default", uid: "0b3c0d6e-1111-2222-3333-444444444444" },
    spec: { template: { spec: { restartPolicy: "Never", containers: [container("pi", "perl:5.34")] } }, ...extra },
  };
}

Deno.test("defaults: a Job gets completions/parallelism 1, backoffLimit 6, NonIndexed, suspend false", () => {
  const { spec } = defaults("batch", "Job", job());
  assert.equal(spec.completions, 1);
  assert.equal(spec.parallelism, 1);
  assert.equal(spec.backoffLimit, 6);
  assert.equal(spec.completionMode, "NonIndexed");
  assert.equal(spec.suspend, false);
  assert.equal(spec.manualSelector, false);
});

Deno.test("defaults: a Job's podReplacementPolicy is TerminatingOrFailed, or Failed with a podFailurePolicy", () => {
  assert.equal(defaults("batch", "Job", job()).spec.podReplacementPolicy, "TerminatingOrFailed");
  const withPolicy = defaults(
    "batch",
    "Job",
    job({ podFailurePolicy: { rules: [{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget" }] }] } }),
  );
  assert.equal(withPolicy.spec.podReplacementPolicy, "Failed");
  assert.equal(withPolicy.spec.podFailurePolicy.rules[0].onPodConditions[0].status, "True");
});

Deno.test("defaults: parallelism alone leaves completions unset", () => {
  const { spec } = defaults("batch", "Job", job({ parallelism: 3 }));
  assert.equal(spec.completions, undefined);
  assert.equal(spec.parallelism, 3);
});

Deno.test("defaults: a Job's template keeps restartPolicy Always when unset (validation rejects it, as kube does)", () => {
  const j = job();
  delete j.spec.template.spec.restartPolicy;
  assert.equal(defaults("batch", "Job", j).spec.template.spec.restartPolicy, "Always");
});

Deno.test("defaults: a new Job gets the selector and pod labels generated from its uid", () => {
  const j = defaults("batch", "Job", job());
  const uid = j.metadata.uid;
  assert.deepEqual(j.spec.selector, { matchLabels: { "batch.kubernetes.io/controller-uid": uid } });
  assert.deepEqual(j.spec.template.metadata.labels, {
    "job-name": "pi",
    "batch.kubernetes.io/job-name": "pi",
    "controller-uid": uid,
    "batch.kubernetes.io/controller-uid": uid,
  });
  assert.deepEqual(j.metadata.labels, j.spec.template.metadata.labels);
  const manual = defaults("batch", "Job", job({ manualSelector: true }));
  assert.equal(manual.spec.selector, undefined);
  const updated = defaults("batch", "Job", job(), "update");
  assert.equal(updated.spec.selector, undefined);
});

Deno.test("defaults: a CronJob gets concurrencyPolicy Allow, suspend false, history limits 3 and 1", () => {
  const cj = defaults("batch", "CronJob", {
    spec: { schedule: "* * * * *", jobTemplate: { spec: { template: { spec: { containers: [container()] } } } } },
  });
  assert.equal(cj.spec.concurrencyPolicy, "Allow");
  assert.equal(cj.spec.suspend, false);
  assert.equal(cj.spec.successfulJobsHistoryLimit, 3);
  assert.equal(cj.spec.failedJobsHistoryLimit, 1);
  assert.equal(cj.spec.jobTemplate.spec.template.spec.dnsPolicy, "ClusterFirst");
  assert.equal(cj.spec.jobTemplate.spec.backoffLimit, undefined);
});
