// Helm's --wait readiness rules, one kind at a time.
import assert from "node:assert/strict";
import { readiness } from "../../../../addons/helm-controller/release/mod.ts";

const meta = { name: "x", namespace: "ns", generation: 2 };

Deno.test("a Deployment is ready once observed and its updated replicas are ready, less maxUnavailable", () => {
  const deployment = (status: Record<string, number>) => ({
    kind: "Deployment",
    metadata: meta,
    spec: { replicas: 4 },
    status: { observedGeneration: 2, ...status },
  });
  assert.equal(readiness(deployment({ updatedReplicas: 4, readyReplicas: 3 })).ready, true);
  assert.deepEqual(readiness(deployment({ updatedReplicas: 4, readyReplicas: 2 })), {
    ready: false,
    reason: "Deployment is not ready: ns/x. 2 out of 3 expected pods are ready",
  });
  assert.equal(
    readiness({ ...deployment({ updatedReplicas: 4, readyReplicas: 4 }), status: { observedGeneration: 1 } }).ready,
    false,
  );
});

Deno.test("a Pod is ready with a true Ready condition; a Job only counts when Jobs are waited for", () => {
  assert.equal(
    readiness({ kind: "Pod", metadata: meta, status: { conditions: [{ type: "Ready", status: "True" }] } }).ready,
    true,
  );
  assert.equal(readiness({ kind: "Pod", metadata: meta, status: {} }).ready, false);
  const job = { kind: "Job", metadata: meta, spec: { completions: 1 }, status: { succeeded: 0 } };
  assert.equal(readiness(job).ready, true);
  assert.equal(readiness(job, { checkJobs: true }).ready, false);
});

Deno.test("Services need a cluster IP, and a LoadBalancer an ingress; PVCs must be bound", () => {
  assert.equal(readiness({ kind: "Service", metadata: meta, spec: { clusterIP: "10.43.0.5" } }).ready, true);
  assert.equal(
    readiness({ kind: "Service", metadata: meta, spec: { clusterIP: "10.43.0.5", type: "LoadBalancer" } }).ready,
    false,
  );
  assert.equal(readiness({ kind: "PersistentVolumeClaim", metadata: meta, status: { phase: "Pending" } }).ready, false);
});

Deno.test("a StatefulSet is ready when every replica is updated and ready at the update revision", () => {
  const sts = (status: Record<string, unknown>) => ({
    kind: "StatefulSet",
    metadata: meta,
    spec: { replicas: 2 },
    status: {
      observedGeneration: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
      currentRevision: "a",
      updateRevision: "a",
      ...status,
    },
  });
  assert.equal(readiness(sts({})).ready, true);
  assert.equal(readiness(sts({ updateRevision: "b" })).ready, false);
});

Deno.test("ConfigMaps and other kinds are ready as soon as they exist", () => {
  assert.equal(readiness({ kind: "ConfigMap", metadata: meta }).ready, true);
});
