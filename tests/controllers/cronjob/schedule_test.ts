// When CronJob schedules fire: robfig/cron's Next on a zone's wall clock, and kube's most-recent-missed-run search.
import assert from "node:assert/strict";
import { parseCronSchedule } from "../../../core/admission/cron.ts";
import {
  mostRecentScheduleTime,
  nextTime,
  type Scheduled,
  untilNextSchedule,
  Zone,
} from "../../../controllers/cronjob/schedule.ts";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => ms === undefined ? undefined : new Date(ms).toISOString();
const next = (schedule: string, after: string, zone?: string) =>
  iso(nextTime(parseCronSchedule(schedule), at(after), new Zone(zone)));

Deno.test("cronjob schedule: fields pick the next matching minute in UTC", () => {
  assert.equal(next("*/15 * * * *", "2024-05-01T10:07:30Z"), "2024-05-01T10:15:00.000Z");
  assert.equal(next("* * * * *", "2024-05-01T10:07:00Z"), "2024-05-01T10:08:00.000Z");
  assert.equal(next("0 9 * * mon-fri", "2024-01-06T00:00:00Z"), "2024-01-08T09:00:00.000Z");
  assert.equal(next("0 0 1 jan *", "2024-06-01T00:00:00Z"), "2025-01-01T00:00:00.000Z");
});

Deno.test("cronjob schedule: two restricted day fields match either, a bare * day field requires both", () => {
  // The 13th or any Friday: Friday 6 September comes first.
  assert.equal(next("0 0 13 * 5", "2024-09-01T00:00:00Z"), "2024-09-06T00:00:00.000Z");
  // "*/2" is a step, not a bare star: still either (Tuesday 3rd); "*/1" counts as a bare star (the 13th).
  assert.equal(next("0 0 13 * */2", "2024-09-01T00:00:00Z"), "2024-09-03T00:00:00.000Z");
  assert.equal(next("0 0 13 * */1", "2024-09-01T00:00:00Z"), "2024-09-13T00:00:00.000Z");
  assert.equal(next("0 0 * * 5", "2024-09-01T00:00:00Z"), "2024-09-06T00:00:00.000Z");
});

Deno.test("cronjob schedule: descriptors and @every", () => {
  assert.equal(next("@monthly", "2024-01-15T00:00:00Z"), "2024-02-01T00:00:00.000Z");
  assert.equal(next("@weekly", "2024-01-03T00:00:00Z"), "2024-01-07T00:00:00.000Z");
  assert.equal(next("@hourly", "2024-01-03T10:00:00Z"), "2024-01-03T11:00:00.000Z");
  assert.equal(next("@every 90s", "2024-01-03T10:00:00.500Z"), "2024-01-03T10:01:30.000Z");
  assert.equal(next("0 0 30 2 *", "2024-01-01T00:00:00Z"), undefined);
});

Deno.test("cronjob schedule: a time zone moves the wall clock, across DST, and a skipped wall time waits a day", () => {
  // 09:00 in Paris is 08:00Z in winter and 07:00Z once summer time starts (31 March 2024).
  assert.equal(next("0 9 * * *", "2024-03-29T12:00:00Z", "Europe/Paris"), "2024-03-30T08:00:00.000Z");
  assert.equal(next("0 9 * * *", "2024-03-30T12:00:00Z", "Europe/Paris"), "2024-03-31T07:00:00.000Z");
  // 02:30 does not exist in Paris on 31 March 2024: robfig moves on to 1 April.
  assert.equal(next("30 2 * * *", "2024-03-30T12:00:00Z", "Europe/Paris"), "2024-04-01T00:30:00.000Z");
  assert.equal(next("TZ=Asia/Tokyo 0 9 * * *", "2023-12-31T12:00:00Z"), "2024-01-01T00:00:00.000Z");
  const tokyo = new Zone("Asia/Tokyo");
  assert.equal(tokyo.offset(at("2024-01-01T00:00:00Z")), 9 * 3600_000);
  assert.equal(tokyo.date(2024, 1, 1, 9, 0, 0), at("2024-01-01T00:00:00Z"));
  assert.throws(() => new Zone("Mars/Olympus"), RangeError);
});

function everyMinute(earliest: string, startingDeadlineSeconds?: number): Scheduled {
  return {
    schedule: parseCronSchedule("* * * * *"),
    zone: new Zone(),
    earliest: at(earliest),
    startingDeadlineSeconds,
  };
}

Deno.test("cronjob schedule: only the most recent missed run is returned, and more than 100 count as many", () => {
  assert.deepEqual(mostRecentScheduleTime(everyMinute("2024-01-01T10:00:30Z"), at("2024-01-01T10:00:50Z"), true), {
    earliest: at("2024-01-01T10:00:30Z"),
    missed: "none",
  });
  const one = mostRecentScheduleTime(everyMinute("2024-01-01T10:00:30Z"), at("2024-01-01T10:01:10Z"), true);
  assert.equal(iso(one.mostRecent), "2024-01-01T10:01:00.000Z");
  assert.equal(one.missed, "none");
  const few = mostRecentScheduleTime(everyMinute("2024-01-01T10:00:30Z"), at("2024-01-01T10:05:10Z"), true);
  assert.equal(iso(few.mostRecent), "2024-01-01T10:05:00.000Z");
  assert.equal(few.missed, "few");
  const many = mostRecentScheduleTime(everyMinute("2024-01-01T00:00:30Z"), at("2024-01-01T03:00:10Z"), true);
  assert.equal(iso(many.mostRecent), "2024-01-01T03:00:00.000Z");
  assert.equal(many.missed, "many");
});

Deno.test("cronjob schedule: startingDeadlineSeconds hides runs older than the deadline", () => {
  const late = everyMinute("2024-01-01T10:00:30Z", 30);
  assert.equal(mostRecentScheduleTime(late, at("2024-01-01T10:05:40Z"), true).mostRecent, undefined);
  assert.equal(
    iso(mostRecentScheduleTime(late, at("2024-01-01T10:05:20Z"), true).mostRecent),
    "2024-01-01T10:05:00.000Z",
  );
});

Deno.test("cronjob schedule: a schedule that never fires is invalid", () => {
  const never: Scheduled = { schedule: parseCronSchedule("59 23 31 2 *"), zone: new Zone(), earliest: 0 };
  assert.throws(() => mostRecentScheduleTime(never, at("2024-01-01T00:00:00Z"), true), /less than 1 second/);
});

Deno.test("cronjob schedule: the next look is 100 ms after the next run", () => {
  assert.equal(untilNextSchedule(everyMinute("2024-01-01T10:00:30Z"), at("2024-01-01T10:00:40Z")), 20_100);
  // After a run at 10:05, the next is 10:06.
  assert.equal(untilNextSchedule(everyMinute("2024-01-01T10:05:00Z"), at("2024-01-01T10:05:01Z")), 59_100);
});
