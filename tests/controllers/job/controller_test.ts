// The Job controller on a real in-process server. No scheduler or kubelet runs: the tests play the kubelet by
// writing pod status (phase and container exit codes) through the status subresource.
import assert from "node:assert/strict";
import type { Client } from "../../../core/client/mod.ts";
import type { KubeObject } from "../../../core/operator/mod.ts";
import { until, withCluster } from "../../support/cluster.ts";
import { COMPLETION_INDEX, type Job, jobController, TRACKING_FINALIZER } from "../../../controllers/job/mod.ts";

const CONTROLLERS: Parameters<typeof withCluster>[0] = (deps) => jobController(deps, { backoffBaseMs: 50 });

const JOB = { apiVersion: "batch/v1", kind: "Job" };
const POD = { apiVersion: "v1", kind: "Pod" };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Pod = KubeObject & {
  metadata: {
    name: string;
    uid: string;
    finalizers?: string[];
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
  };
  spec: { hostname?: string; containers: { name: string; env?: unknown[] }[] };
  status?: { phase?: string };
};

async function createJob(client: Client, name: string, spec: Record<string, unknown>): Promise<Job> {
  return await client.create({
    ...JOB,
    metadata: { name, namespace: "default" },
    spec: {
      template: { spec: { restartPolicy: "Never", containers: [{ name: "main", image: "busybox" }] } },
      ...spec,
    },
  }) as unknown as Job;
}

async function getJob(client: Client, name: string): Promise<Job> {
  return await client.get<Job>(JOB, "default", name);
}

async function podsOf(client: Client, name: string): Promise<Pod[]> {
  const list = await client.list<Pod>(POD, "default", { labelSelector: `batch.kubernetes.io/job-name=${name}` });
  return list.items;
}

/** Pods a kubelet would be running: not finished, not being deleted. */
async function runningPods(client: Client, name: string): Promise<Pod[]> {
  return (await podsOf(client, name)).filter((p) =>
    !p.metadata.deletionTimestamp && p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed"
  );
}

/** Plays the kubelet: the pod's one container exited with `exitCode`. */
async function exit(client: Client, pod: Pod, exitCode: number): Promise<void> {
  const now = new Date().toISOString();
  await client.patch(POD, "default", pod.metadata.name, "merge", {
    status: {
      phase: exitCode === 0 ? "Succeeded" : "Failed",
      containerStatuses: [{
        name: "main",
        image: "busybox",
        imageID: "",
        ready: false,
        restartCount: 0,
        state: {
          terminated: { exitCode, reason: exitCode === 0 ? "Completed" : "Error", startedAt: now, finishedAt: now },
        },
      }],
    },
  }, { subresource: "status" });
}

function conditionTypes(job: Job): string[] {
  return (job.status?.conditions ?? []).filter((c) => c.status === "True").map((c) => c.type);
}

async function eventsOf(client: Client, name: string): Promise<{ reason: string; message: string; type: string }[]> {
  const list = await client.list<KubeObject>({ apiVersion: "v1", kind: "Event" }, "default");
  return list.items.filter((e) => e.involvedObject?.name === name && e.involvedObject?.kind === "Job")
    .map((e) => ({ reason: e.reason, message: e.message, type: e.type }));
}

Deno.test({
  name: "job: never more than parallelism pods run, and completions successes make it Complete",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      const job = await createJob(client, "work", { completions: 5, parallelism: 2 });
      for (let done = 0; done < 5; done++) {
        const want = Math.min(2, 5 - done);
        await until(async () => (await runningPods(client, "work")).length === want, `${want} running after ${done}`);
        // A controller acting twice on a stale cache would overshoot after this.
        await sleep(150);
        const running = await runningPods(client, "work");
        assert.equal(running.length, want, `still ${want} running after ${done} done`);
        for (const pod of running) {
          assert.ok(pod.metadata.finalizers?.includes(TRACKING_FINALIZER), "running pods carry the tracking finalizer");
          assert.ok(pod.metadata.name.startsWith("work-"));
          assert.deepEqual(pod.metadata.ownerReferences, [{
            apiVersion: "batch/v1",
            kind: "Job",
            name: "work",
            uid: job.metadata.uid,
            controller: true,
            blockOwnerDeletion: true,
          }]);
        }
        await exit(client, running[0], 0);
      }
      await until(async () => conditionTypes(await getJob(client, "work")).includes("Complete"), "Complete");
      const done = await getJob(client, "work");
      assert.deepEqual(conditionTypes(done), ["SuccessCriteriaMet", "Complete"]);
      const complete = done.status!.conditions!.find((c) => c.type === "Complete")!;
      assert.equal(complete.reason, "CompletionsReached");
      assert.equal(complete.message, "Reached expected number of succeeded pods");
      assert.equal(done.status!.succeeded, 5);
      assert.equal(done.status!.active, undefined);
      assert.equal(done.status!.ready, 0);
      assert.equal(done.status!.terminating, 0);
      assert.deepEqual(done.status!.uncountedTerminatedPods, {});
      assert.ok(done.status!.startTime && done.status!.completionTime);
      for (const pod of await podsOf(client, "work")) {
        assert.ok(!pod.metadata.finalizers?.includes(TRACKING_FINALIZER), "counted pods lose the finalizer");
      }
      await until(async () => (await eventsOf(client, "work")).some((e) => e.reason === "Completed"), "event");
      const events = await eventsOf(client, "work");
      assert.ok(events.some((e) => e.reason === "SuccessfulCreate" && /^Created pod: work-/.test(e.message)));
      assert.ok(events.some((e) => e.reason === "Completed" && e.message === "Job completed"));
    }),
});

Deno.test({
  name: "job: Indexed pods carry their completion index, and completedIndexes lists the succeeded ones",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createJob(client, "idx", { completions: 5, parallelism: 5, completionMode: "Indexed" });
      await until(async () => (await runningPods(client, "idx")).length === 5, "5 pods");
      const byIndex = new Map<number, Pod>();
      for (const pod of await runningPods(client, "idx")) {
        const ix = Number(pod.metadata.annotations?.[COMPLETION_INDEX]);
        byIndex.set(ix, pod);
        assert.equal(pod.metadata.labels?.[COMPLETION_INDEX], String(ix));
        assert.equal(pod.spec.hostname, `idx-${ix}`);
        assert.ok(pod.metadata.name.startsWith(`idx-${ix}-`));
        assert.deepEqual(pod.spec.containers[0].env, [{
          name: "JOB_COMPLETION_INDEX",
          valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: `metadata.labels['${COMPLETION_INDEX}']` } },
        }]);
      }
      assert.deepEqual([...byIndex.keys()].sort(), [0, 1, 2, 3, 4]);
      for (const ix of [0, 1, 2, 4]) await exit(client, byIndex.get(ix)!, 0);
      await until(async () => (await getJob(client, "idx")).status?.completedIndexes === "0-2,4", "0-2,4");
      assert.equal((await getJob(client, "idx")).status?.succeeded, 4);
      await exit(client, byIndex.get(3)!, 0);
      await until(async () => conditionTypes(await getJob(client, "idx")).includes("Complete"), "Complete");
      assert.equal((await getJob(client, "idx")).status?.completedIndexes, "0-4");
    }),
});

Deno.test({
  name: "job: failures beyond backoffLimit fail the Job with BackoffLimitExceeded",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createJob(client, "flaky", { backoffLimit: 1 });
      for (let failures = 0; failures < 2; failures++) {
        await until(async () => (await runningPods(client, "flaky")).length === 1, `pod after ${failures} failures`);
        await exit(client, (await runningPods(client, "flaky"))[0], 1);
        await until(async () => (await getJob(client, "flaky")).status?.failed === failures + 1, "failure counted");
      }
      await until(async () => conditionTypes(await getJob(client, "flaky")).includes("Failed"), "Failed");
      const failed = await getJob(client, "flaky");
      assert.deepEqual(conditionTypes(failed), ["FailureTarget", "Failed"]);
      const condition = failed.status!.conditions!.find((c) => c.type === "Failed")!;
      assert.equal(condition.reason, "BackoffLimitExceeded");
      assert.equal(condition.message, "Job has reached the specified backoff limit");
      assert.equal(failed.status!.failed, 2);
      assert.equal(failed.status!.completionTime, undefined);
      assert.equal((await runningPods(client, "flaky")).length, 0, "no replacement after the limit");
      await until(
        async () => (await eventsOf(client, "flaky")).some((e) => e.reason === "BackoffLimitExceeded"),
        "event",
      );
    }),
});

Deno.test({
  name: "job: activeDeadlineSeconds fails the Job with DeadlineExceeded and deletes its active pods",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createJob(client, "slow", { completions: 2, parallelism: 2, activeDeadlineSeconds: 1 });
      // On a slow machine the deadline may already have stopped them by the time the test looks.
      await until(
        async () =>
          (await runningPods(client, "slow")).length === 2 ||
          conditionTypes(await getJob(client, "slow")).includes("Failed"),
        "2 pods",
      );
      await until(async () => conditionTypes(await getJob(client, "slow")).includes("Failed"), "Failed");
      const failed = await getJob(client, "slow");
      assert.equal(failed.status!.conditions!.find((c) => c.type === "Failed")!.reason, "DeadlineExceeded");
      assert.equal(failed.status!.failed, 2, "the pods stopped by the deadline count as failed");
      assert.equal(failed.status!.active, undefined);
      await until(async () => (await podsOf(client, "slow")).length === 0, "pods deleted");
    }),
});

Deno.test({
  name: "job: suspending deletes the active pods and sets Suspended; resuming starts them again",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createJob(client, "pausable", { completions: 4, parallelism: 2 });
      await until(async () => (await runningPods(client, "pausable")).length === 2, "2 pods");
      await client.patch(JOB, "default", "pausable", "merge", { spec: { suspend: true } });
      await until(async () => (await podsOf(client, "pausable")).length === 0, "pods deleted");
      await until(async () => conditionTypes(await getJob(client, "pausable")).includes("Suspended"), "Suspended");
      const suspended = await getJob(client, "pausable");
      const condition = suspended.status!.conditions!.find((c) => c.type === "Suspended")!;
      assert.equal(condition.reason, "JobSuspended");
      assert.equal(suspended.status!.failed, undefined, "pods deleted for a suspension are not failures");

      await client.patch(JOB, "default", "pausable", "merge", { spec: { suspend: false } });
      await until(async () => (await runningPods(client, "pausable")).length === 2, "2 pods again");
      await until(async () => {
        const c = (await getJob(client, "pausable")).status?.conditions?.find((c) => c.type === "Suspended");
        return c?.status === "False" && c.reason === "JobResumed";
      }, "Resumed");
    }),
});

Deno.test({
  name: "job: a FailJob pod failure policy rule on an exit code fails the Job at once",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createJob(client, "strict", {
        completions: 2,
        parallelism: 2,
        podFailurePolicy: {
          rules: [
            { action: "Ignore", onPodConditions: [{ type: "DisruptionTarget" }] },
            { action: "FailJob", onExitCodes: { containerName: "main", operator: "In", values: [42] } },
          ],
        },
      });
      await until(async () => (await runningPods(client, "strict")).length === 2, "2 pods");
      const [victim] = await runningPods(client, "strict");
      await exit(client, victim, 42);
      await until(async () => conditionTypes(await getJob(client, "strict")).includes("Failed"), "Failed");
      const failed = await getJob(client, "strict");
      assert.deepEqual(conditionTypes(failed), ["FailureTarget", "Failed"]);
      const condition = failed.status!.conditions!.find((c) => c.type === "Failed")!;
      assert.equal(condition.reason, "PodFailurePolicy");
      assert.equal(
        condition.message,
        `Container main for pod default/${victim.metadata.name} failed with exit code 42 matching FailJob rule at index 1`,
      );
      assert.equal((await runningPods(client, "strict")).length, 0, "the other pod is stopped");
    }),
});

Deno.test({
  name: "job: a finished pod deleted before it is counted is still counted, exactly once",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createJob(client, "tracked", { completions: 1 });
      await until(async () => (await runningPods(client, "tracked")).length === 1, "a pod");
      const [first] = await runningPods(client, "tracked");
      await exit(client, first, 1);
      await client.delete(POD, "default", first.metadata.name);
      // The finalizer keeps the deleted pod until the controller has counted it.
      await until(async () => (await getJob(client, "tracked")).status?.failed === 1, "failure counted");
      await until(
        async () => (await podsOf(client, "tracked")).every((p) => p.metadata.uid !== first.metadata.uid),
        "gone",
      );

      await until(async () => (await runningPods(client, "tracked")).length === 1, "a replacement");
      const [second] = await runningPods(client, "tracked");
      await exit(client, second, 0);
      await client.delete(POD, "default", second.metadata.name);
      await until(async () => conditionTypes(await getJob(client, "tracked")).includes("Complete"), "Complete");
      await sleep(200);
      const done = await getJob(client, "tracked");
      assert.equal(done.status!.succeeded, 1);
      assert.equal(done.status!.failed, 1);
      assert.deepEqual(await podsOf(client, "tracked"), []);
    }),
});

Deno.test({
  name: "job: the pods of a deleted Job lose their tracking finalizer",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createJob(client, "gone", { completions: 2, parallelism: 2 });
      await until(async () => (await runningPods(client, "gone")).length === 2, "2 pods");
      await client.delete(JOB, "default", "gone", { propagationPolicy: "Background" });
      await until(
        async () => (await podsOf(client, "gone")).every((p) => !p.metadata.finalizers?.includes(TRACKING_FINALIZER)),
        "finalizers removed",
      );
    }),
});

Deno.test({
  name: "job: with backoffLimitPerIndex an index fails on its own, and the Job fails with FailedIndexes at the end",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createJob(client, "perindex", {
        completions: 2,
        parallelism: 2,
        completionMode: "Indexed",
        backoffLimitPerIndex: 1,
      });
      const podOf = async (ix: number) =>
        (await runningPods(client, "perindex")).find((p) => p.metadata.annotations?.[COMPLETION_INDEX] === String(ix));
      await until(async () => (await runningPods(client, "perindex")).length === 2, "2 pods");
      await exit(client, (await podOf(0))!, 1);
      // The replacement of index 0 inherits the failure count.
      await until(
        async () => (await podOf(0))?.metadata.annotations?.["batch.kubernetes.io/job-index-failure-count"] === "1",
        "replacement of index 0",
      );
      await exit(client, (await podOf(0))!, 1);
      await until(async () => (await getJob(client, "perindex")).status?.failedIndexes === "0", "index 0 failed");
      assert.equal(await podOf(0), undefined, "a failed index gets no new pod");
      await exit(client, (await podOf(1))!, 0);
      await until(async () => conditionTypes(await getJob(client, "perindex")).includes("Failed"), "Failed");
      const failed = await getJob(client, "perindex");
      assert.equal(failed.status!.conditions!.find((c) => c.type === "Failed")!.reason, "FailedIndexes");
      assert.equal(failed.status!.completedIndexes, "1");
      assert.equal(failed.status!.failed, 2);
    }),
});
