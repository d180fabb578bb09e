import assert from "node:assert/strict";
import type { Deployment, OwnedReplicaSet } from "../../../controllers/deployment/mod.ts";
import { statusFor, unchangedStatus } from "../../../controllers/deployment/mod.ts";

function deployment(status?: Deployment["status"]): Deployment {
  return {
    metadata: { name: "web", namespace: "default", uid: "d1", generation: 3 },
    spec: { replicas: 2, strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } },
    status,
  };
}

function rs(name: string, replicas: number, available: number): OwnedReplicaSet {
  return {
    metadata: { name, namespace: "default", uid: name },
    spec: { replicas },
    status: { replicas, readyReplicas: available, availableReplicas: available },
  };
}

Deno.test("status: counts sum over ReplicaSets and updatedReplicas is the new one's", () => {
  const s = statusFor(deployment(), rs("new", 1, 0), [rs("old", 2, 2)], "scaled", "t1");
  assert.equal(s.observedGeneration, 3);
  assert.equal(s.replicas, 3);
  assert.equal(s.updatedReplicas, 1);
  assert.equal(s.readyReplicas, 2);
  assert.equal(s.availableReplicas, 2);
  assert.equal(s.unavailableReplicas, 1);
  assert.equal(s.conditions?.find((c) => c.type === "Available")?.reason, "MinimumReplicasAvailable");
  assert.equal(s.conditions?.find((c) => c.type === "Progressing")?.reason, "ReplicaSetUpdated");
});

Deno.test("status: a finished rollout reports NewReplicaSetAvailable, and an unchanged one is not rewritten", () => {
  const first = statusFor(deployment(), rs("new", 2, 2), [rs("old", 0, 0)], "none", "t1");
  const progressing = first.conditions?.find((c) => c.type === "Progressing");
  assert.equal(progressing?.reason, "NewReplicaSetAvailable");
  const again = statusFor(deployment(first), rs("new", 2, 2), [rs("old", 0, 0)], "none", "t2");
  assert.ok(unchangedStatus(first, again));
  assert.equal(again.conditions?.find((c) => c.type === "Progressing")?.lastUpdateTime, "t1", "timestamps kept");
});

Deno.test("status: too few available pods make Available false", () => {
  const s = statusFor(deployment(), rs("new", 2, 1), [], "created", "t1");
  const available = s.conditions?.find((c) => c.type === "Available");
  assert.equal(available?.status, "False");
  assert.equal(available?.reason, "MinimumReplicasUnavailable");
  assert.equal(s.conditions?.find((c) => c.type === "Progressing")?.reason, "NewReplicaSetCreated");
  assert.ok(!unchangedStatus(undefined, s));
});
