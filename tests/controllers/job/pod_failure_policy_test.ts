// Which pod failure policy rule a failed pod matches, and what that does to the Job.
import assert from "node:assert/strict";
import { type Job, matchPodFailurePolicy } from "../../../controllers/job/mod.ts";

const job = {
  metadata: { name: "j", namespace: "default", uid: "u" },
  spec: {
    template: {},
    podFailurePolicy: {
      rules: [
        { action: "Ignore", onPodConditions: [{ type: "DisruptionTarget" }] },
        { action: "FailJob", onExitCodes: { containerName: "main", operator: "In", values: [42] } },
        { action: "Count", onExitCodes: { operator: "NotIn", values: [1] } },
      ],
    },
  },
} as unknown as Job;

function failedPod(exitCode: number, conditions: { type: string; status: string }[] = []) {
  return {
    metadata: { name: "p", namespace: "default" },
    status: {
      phase: "Failed",
      conditions,
      containerStatuses: [{ name: "main", state: { terminated: { exitCode } } }],
    },
  };
}

Deno.test("job pod failure policy: a disruption is ignored and does not count", () => {
  assert.deepEqual(matchPodFailurePolicy(job, failedPod(137, [{ type: "DisruptionTarget", status: "True" }])), {
    countFailed: false,
    action: "Ignore",
  });
});

Deno.test("job pod failure policy: a FailJob exit code fails the Job with kube's message", () => {
  assert.deepEqual(matchPodFailurePolicy(job, failedPod(42)), {
    failJobMessage: "Container main for pod default/p failed with exit code 42 matching FailJob rule at index 1",
    countFailed: true,
    action: "FailJob",
  });
});

Deno.test("job pod failure policy: NotIn matches other codes; no rule matching still counts", () => {
  assert.deepEqual(matchPodFailurePolicy(job, failedPod(3)), { countFailed: true, action: "Count" });
  assert.deepEqual(matchPodFailurePolicy(job, failedPod(1)), { countFailed: true });
  // A condition that is not True does not match an onPodConditions pattern (its status defaults to True).
  assert.deepEqual(matchPodFailurePolicy(job, failedPod(1, [{ type: "DisruptionTarget", status: "False" }])), {
    countFailed: true,
  });
});
