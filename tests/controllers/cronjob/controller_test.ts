// The CronJob controller on a real in-process server, with an injected clock: a test moves the clock past a
// scheduled time and touches the CronJob so the controller looks at it now rather than at the real next minute.
// No Job controller runs: the tests finish Jobs by writing their status.
import assert from "node:assert/strict";
import type { Client } from "../../../core/client/mod.ts";
import type { KubeObject } from "../../../core/operator/mod.ts";
import { until, withCluster } from "../../support/cluster.ts";
import {
  type CronJob,
  cronJobController,
  jobName,
  SCHEDULED_TIMESTAMP_ANNOTATION,
} from "../../../controllers/cronjob/mod.ts";

const CRONJOB = { apiVersion: "batch/v1", kind: "CronJob" };
const JOB = { apiVersion: "batch/v1", kind: "Job" };
const MINUTE = 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A clock the test moves; it starts at the wall clock. */
class Clock {
  ms = Date.now();
  now = () => new Date(this.ms);
}

type Job = KubeObject & {
  metadata: { name: string; uid: string; annotations?: Record<string, string>; labels?: Record<string, string> };
};

function cluster(clock: Clock): Parameters<typeof withCluster>[0] {
  return (deps) => [cronJobController(deps, { now: clock.now })];
}

async function createCronJob(client: Client, name: string, spec: Record<string, unknown> = {}): Promise<CronJob> {
  return await client.create({
    ...CRONJOB,
    metadata: { name, namespace: "default" },
    spec: {
      schedule: "* * * * *",
      jobTemplate: {
        metadata: { labels: { app: name } },
        spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "main", image: "busybox" }] } } },
      },
      ...spec,
    },
  }) as unknown as CronJob;
}

/** The first scheduled minute after the CronJob was created, plus `n` minutes. */
function runTime(cj: CronJob, n = 0): number {
  return (Math.floor(Date.parse(cj.metadata.creationTimestamp) / MINUTE) + 1 + n) * MINUTE;
}

let touches = 0;
/** Moves the clock to `ms` and makes the controller look at the CronJob. */
async function tick(client: Client, clock: Clock, cj: CronJob, ms: number): Promise<void> {
  clock.ms = ms;
  await client.patch(CRONJOB, "default", cj.metadata.name, "merge", {
    metadata: { annotations: { "test/tick": String(++touches) } },
  });
}

async function jobsOf(client: Client, cj: CronJob): Promise<string[]> {
  const list = await client.list<Job>(JOB, "default");
  return list.items.filter((j) => j.metadata.ownerReferences?.some((r) => r.uid === cj.metadata.uid))
    .map((j) => j.metadata.name).sort();
}

async function getCronJob(client: Client, name: string): Promise<CronJob> {
  return await client.get<CronJob>(CRONJOB, "default", name);
}

async function finishJob(client: Client, name: string, outcome: "Complete" | "Failed", startedMs: number) {
  const start = new Date(startedMs).toISOString().replace(/\.\d{3}Z$/, "Z");
  const end = new Date(startedMs + 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  const terminal = outcome === "Complete" ? "SuccessCriteriaMet" : "FailureTarget";
  await client.patch(JOB, "default", name, "merge", {
    status: {
      startTime: start,
      ...(outcome === "Complete" ? { completionTime: end } : {}),
      conditions: [
        { type: terminal, status: "True", lastTransitionTime: end },
        { type: outcome, status: "True", lastTransitionTime: end },
      ],
    },
  }, { subresource: "status" });
}

async function events(client: Client, cj: CronJob): Promise<{ reason: string; message: string; type: string }[]> {
  const list = await client.list<KubeObject>({ apiVersion: "v1", kind: "Event" }, "default");
  return list.items.filter((e) => e.involvedObject?.uid === cj.metadata.uid)
    .map((e) => ({ reason: e.reason, message: e.message, type: e.type }));
}

async function hasEvent(client: Client, cj: CronJob, reason: string, message?: string): Promise<boolean> {
  return (await events(client, cj)).some((e) =>
    e.reason === reason && (message === undefined || e.message === message)
  );
}

Deno.test({
  name: "cronjob: at its scheduled minute it creates one Job named after it, owned, annotated, and recorded in status",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const clock = new Clock();
    await withCluster(cluster(clock), async (client) => {
      const cj = await createCronJob(client, "tick");
      await sleep(200);
      assert.deepEqual(await jobsOf(client, cj), [], "nothing runs before the first scheduled minute");
      const t1 = runTime(cj);
      await tick(client, clock, cj, t1 + 5_000);
      const name = jobName("tick", t1);
      await until(async () => (await jobsOf(client, cj)).length === 1, "a Job");
      assert.deepEqual(await jobsOf(client, cj), [name]);
      const job = await client.get<Job>(JOB, "default", name);
      assert.equal(
        job.metadata.annotations?.[SCHEDULED_TIMESTAMP_ANNOTATION],
        new Date(t1).toISOString().replace(".000Z", "Z"),
      );
      assert.equal(job.metadata.labels?.app, "tick");
      assert.deepEqual(job.metadata.ownerReferences, [{
        apiVersion: "batch/v1",
        kind: "CronJob",
        name: "tick",
        uid: cj.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      }]);
      await until(
        async () => (await getCronJob(client, "tick")).status?.active?.[0]?.uid === job.metadata.uid,
        "active",
      );
      const status = (await getCronJob(client, "tick")).status!;
      assert.equal(status.lastScheduleTime, new Date(t1).toISOString().replace(".000Z", "Z"));
      assert.deepEqual(status.active, [{
        kind: "Job",
        namespace: "default",
        name,
        uid: job.metadata.uid,
        apiVersion: "batch/v1",
        resourceVersion: job.metadata.resourceVersion,
      }]);
      await until(() => hasEvent(client, cj, "SuccessfulCreate", `Created job ${name}`), "SuccessfulCreate");
      // Looking again at the same minute starts nothing more.
      await tick(client, clock, cj, t1 + 20_000);
      await sleep(300);
      assert.deepEqual(await jobsOf(client, cj), [name]);

      await finishJob(client, name, "Complete", t1);
      await until(async () => (await getCronJob(client, "tick")).status?.active === undefined, "no longer active");
      await until(async () => (await getCronJob(client, "tick")).status?.lastSuccessfulTime !== undefined, "success");
      assert.ok(await hasEvent(client, cj, "SawCompletedJob", `Saw completed job: ${name}, status: Complete`));
      assert.deepEqual((await events(client, cj)).filter((e) => e.type === "Warning"), []);
    });
  },
});

Deno.test({
  name: "cronjob: Forbid skips a run while one is active, and only the most recent missed run starts later",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const clock = new Clock();
    await withCluster(cluster(clock), async (client) => {
      const cj = await createCronJob(client, "solo", { concurrencyPolicy: "Forbid" });
      await tick(client, clock, cj, runTime(cj) + 5_000);
      await until(async () => (await getCronJob(client, "solo")).status?.active?.length === 1, "first run");
      await tick(client, clock, cj, runTime(cj, 1) + 5_000);
      await until(() => hasEvent(client, cj, "JobAlreadyActive"), "JobAlreadyActive");
      assert.deepEqual(await jobsOf(client, cj), [jobName("solo", runTime(cj))]);

      // The first run ends two minutes later: of the runs missed meanwhile, only the latest starts.
      clock.ms = runTime(cj, 3) + 5_000;
      await finishJob(client, jobName("solo", runTime(cj)), "Complete", runTime(cj));
      await until(async () => (await jobsOf(client, cj)).length === 2, "next run");
      await sleep(300);
      assert.deepEqual(
        await jobsOf(client, cj),
        [jobName("solo", runTime(cj)), jobName("solo", runTime(cj, 3))].sort(),
      );
    });
  },
});

Deno.test({
  name: "cronjob: Replace deletes the active Job and starts the new run",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const clock = new Clock();
    await withCluster(cluster(clock), async (client) => {
      const cj = await createCronJob(client, "fresh", { concurrencyPolicy: "Replace" });
      await tick(client, clock, cj, runTime(cj) + 5_000);
      await until(async () => (await getCronJob(client, "fresh")).status?.active?.length === 1, "first run");
      await tick(client, clock, cj, runTime(cj, 1) + 5_000);
      const second = jobName("fresh", runTime(cj, 1));
      await until(async () => (await jobsOf(client, cj)).join() === second, "only the second run");
      await until(async () => (await getCronJob(client, "fresh")).status?.active?.[0]?.name === second, "active");
      assert.equal((await getCronJob(client, "fresh")).status?.active?.length, 1);
      assert.ok(await hasEvent(client, cj, "SuccessfulDelete", `Deleted job ${jobName("fresh", runTime(cj))}`));
    });
  },
});

Deno.test({
  name: "cronjob: finished Jobs beyond the history limits are deleted oldest first",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const clock = new Clock();
    await withCluster(cluster(clock), async (client) => {
      const cj = await createCronJob(client, "kept", { successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1 });
      const outcomes = ["Complete", "Complete", "Failed", "Failed"] as const;
      for (const [n, outcome] of outcomes.entries()) {
        await tick(client, clock, cj, runTime(cj, n) + 5_000);
        const name = jobName("kept", runTime(cj, n));
        await until(async () => (await jobsOf(client, cj)).includes(name), `run ${n}`);
        await finishJob(client, name, outcome, runTime(cj, n));
      }
      const expected = [jobName("kept", runTime(cj, 1)), jobName("kept", runTime(cj, 3))].sort();
      await until(async () => (await jobsOf(client, cj)).join() === expected.join(), "one of each kept");
      assert.ok(await hasEvent(client, cj, "SuccessfulDelete", `Deleted job ${jobName("kept", runTime(cj, 0))}`));
    });
  },
});

Deno.test({
  name: "cronjob: a suspended CronJob starts nothing until resumed",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const clock = new Clock();
    await withCluster(cluster(clock), async (client) => {
      const cj = await createCronJob(client, "paused", { suspend: true });
      await tick(client, clock, cj, runTime(cj) + 5_000);
      await sleep(300);
      assert.deepEqual(await jobsOf(client, cj), []);
      await client.patch(CRONJOB, "default", "paused", "merge", { spec: { suspend: false } });
      await until(async () => (await jobsOf(client, cj)).join() === jobName("paused", runTime(cj)), "run");
    });
  },
});

Deno.test({
  name: "cronjob: more than 100 missed runs warn TooManyMissedTimes and start only the most recent",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const clock = new Clock();
    await withCluster(cluster(clock), async (client) => {
      const cj = await createCronJob(client, "late");
      await tick(client, clock, cj, runTime(cj, 200) + 5_000);
      await until(async () => (await jobsOf(client, cj)).length === 1, "one run");
      assert.deepEqual(await jobsOf(client, cj), [jobName("late", runTime(cj, 200))]);
      await until(
        () =>
          hasEvent(
            client,
            cj,
            "TooManyMissedTimes",
            "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew",
          ),
        "TooManyMissedTimes",
      );
    });
  },
});

Deno.test({
  name: "cronjob: spec.timeZone reads the schedule on that zone's clock and stamps the run in it",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const clock = new Clock();
    await withCluster(cluster(clock), async (client) => {
      // Once a day, at a minute shortly ahead on Tokyo's clock (read on UTC's, it would be nine hours off).
      const t1 = (Math.floor(Date.now() / MINUTE) + 2) * MINUTE;
      const tokyoWall = new Date(t1 + 9 * 3600_000);
      const schedule = `${tokyoWall.getUTCMinutes()} ${tokyoWall.getUTCHours()} * * *`;
      const cj = await createCronJob(client, "tokyo", { schedule, timeZone: "Asia/Tokyo" });
      await tick(client, clock, cj, t1 + 5_000);
      const name = jobName("tokyo", t1);
      await until(async () => (await jobsOf(client, cj)).join() === name, "a run");
      const job = await client.get<Job>(JOB, "default", name);
      const wall = tokyoWall.toISOString().slice(0, 19);
      assert.equal(job.metadata.annotations?.[SCHEDULED_TIMESTAMP_ANNOTATION], `${wall}+09:00`);
    });
  },
});
