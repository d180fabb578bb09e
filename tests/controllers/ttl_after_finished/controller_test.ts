// The TTL-after-finished controller on a real in-process server, with the Job controller and the garbage collector
// (the Job goes in the foreground, so the collector finishes its deletion). The test plays the kubelet.
import assert from "node:assert/strict";
import type { Client } from "../../../core/client/mod.ts";
import type { KubeObject } from "../../../core/operator/mod.ts";
import { until, withCluster } from "../../support/cluster.ts";
import { garbageCollector } from "../../../controllers/garbage_collector/mod.ts";
import { jobController } from "../../../controllers/job/mod.ts";
import { expiresAt, ttlAfterFinishedController } from "../../../controllers/ttl_after_finished/mod.ts";

const CONTROLLERS: Parameters<typeof withCluster>[0] = (deps) => [
  ...jobController(deps),
  ttlAfterFinishedController(deps),
  ...garbageCollector(deps),
];

const JOB = { apiVersion: "batch/v1", kind: "Job" };
const POD = { apiVersion: "v1", kind: "Pod" };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function createJob(client: Client, name: string, ttlSecondsAfterFinished: number): Promise<void> {
  await client.create({
    ...JOB,
    metadata: { name, namespace: "default" },
    spec: {
      ttlSecondsAfterFinished,
      template: { spec: { restartPolicy: "Never", containers: [{ name: "main", image: "busybox" }] } },
    },
  });
}

async function podsOf(client: Client, name: string): Promise<KubeObject[]> {
  return (await client.list<KubeObject>(POD, "default", { labelSelector: `batch.kubernetes.io/job-name=${name}` }))
    .items;
}

async function jobExists(client: Client, name: string): Promise<boolean> {
  return (await client.list(JOB, "default")).items.some((j) => j.metadata?.name === name);
}

async function succeed(client: Client, pod: KubeObject): Promise<void> {
  await client.patch(POD, "default", pod.metadata!.name!, "merge", { status: { phase: "Succeeded" } }, {
    subresource: "status",
  });
}

Deno.test({
  name: "ttl-after-finished: a finished Job is deleted, with its pods, once its TTL has passed",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createJob(client, "short", 1);
      await until(async () => (await podsOf(client, "short")).length === 1, "a pod");
      await succeed(client, (await podsOf(client, "short"))[0]);
      // With a 1 s TTL the Job may already be gone by the time a slow machine looks again.
      const finished = async () => {
        const job = (await client.list<KubeObject>(JOB, "default")).items.find((j) => j.metadata?.name === "short");
        return job === undefined || job.status?.completionTime !== undefined;
      };
      await until(finished, "the Job completes");
      await until(async () => !(await jobExists(client, "short")), "Job deleted");
      await until(async () => (await podsOf(client, "short")).length === 0, "pods deleted");
    }),
});

Deno.test({
  name: "ttl-after-finished: a Job that has not finished is kept whatever its TTL",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createJob(client, "running", 0);
      await until(async () => (await podsOf(client, "running")).length === 1, "a pod");
      await sleep(500);
      assert.ok(await jobExists(client, "running"));
    }),
});

Deno.test("ttl-after-finished: the TTL counts from the Complete or Failed condition", () => {
  const job = {
    metadata: { name: "j", namespace: "default", uid: "u" },
    spec: { ttlSecondsAfterFinished: 30 },
    status: {
      conditions: [
        { type: "FailureTarget", status: "True", lastTransitionTime: "2024-01-01T00:00:00Z" },
        { type: "Failed", status: "True", lastTransitionTime: "2024-01-01T00:00:05Z" },
      ],
    },
  };
  assert.equal(expiresAt(job), Date.parse("2024-01-01T00:00:35Z"));
  assert.equal(expiresAt({ ...job, status: { conditions: [] } }), undefined);
  assert.equal(expiresAt({ ...job, spec: {} }), undefined);
});
