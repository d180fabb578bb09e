/**
 * When a CronJob's schedule fires: robfig/cron's `Next` over the fields `core/admission/cron.ts` parses, walked on the
 * wall clock of the schedule's time zone (an IANA name through `Intl`; UTC when none is given, as kube-controller-manager
 * runs), and kube's `mostRecentScheduleTime` that finds the latest missed run without listing every missed one.
 *
 * @module
 */
import type { CronSchedule } from "../../core/admission/cron.ts";

/** Wall-clock fields of an instant in a zone; `month` 1–12, `weekday` 0 (Sunday) – 6. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/**
 * One time zone's clock: instants to wall fields and back, as Go's `time.Time.In` and `time.Date` do.
 *
 * @example
 * ```ts
 * const paris = new Zone("Europe/Paris");
 * paris.wall(Date.UTC(2024, 0, 1, 12)).hour; // 13
 * paris.date(2024, 1, 1, 13, 0, 0) === Date.UTC(2024, 0, 1, 12); // true
 * ```
 */
export class Zone {
  readonly #format?: Intl.DateTimeFormat;

  /** `name` is an IANA zone; undefined, "" or "UTC" mean UTC. Throws a RangeError for an unknown zone. */
  constructor(readonly name?: string) {
    if (name && name !== "UTC") {
      this.#format = new Intl.DateTimeFormat("en-US", {
        timeZone: name,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
        weekday: "short",
      });
    }
  }

  /** The wall clock at instant `ms`. */
  wall(ms: number): WallClock {
    if (!this.#format) {
      const d = new Date(ms);
      return {
        year: d.getUTCFullYear(),
        month: d.getUTCMonth() + 1,
        day: d.getUTCDate(),
        hour: d.getUTCHours(),
        minute: d.getUTCMinutes(),
        second: d.getUTCSeconds(),
        weekday: d.getUTCDay(),
      };
    }
    const parts: Record<string, string> = {};
    for (const p of this.#format.formatToParts(ms)) parts[p.type] = p.value;
    return {
      year: Number(parts.year),
      month: Number(parts.month),
      day: Number(parts.day),
      hour: Number(parts.hour),
      minute: Number(parts.minute),
      second: Number(parts.second),
      weekday: WEEKDAYS[parts.weekday],
    };
  }

  /** How far the wall clock is ahead of UTC at instant `ms`, in milliseconds. */
  offset(ms: number): number {
    if (!this.#format) return 0;
    const w = this.wall(ms);
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000;
  }

  /**
   * Go's `time.Date`: the instant these wall fields (normalised, so day 32 is next month's 1st) name; a wall time a
   * DST change skips or repeats resolves as Go resolves it.
   */
  date(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
    const local = Date.UTC(year, month - 1, day, hour, minute, second);
    const guess = this.offset(local);
    const utc = local - guess;
    const actual = this.offset(utc);
    return actual === guess ? utc : local - actual;
  }
}

function dayMatches(s: Exclude<CronSchedule, { every: number }>, w: WallClock): boolean {
  const dom = s.daysOfMonth.has(w.day);
  const dow = s.daysOfWeek.has(w.weekday);
  return s.daysOfMonthStar || s.daysOfWeekStar ? dom && dow : dom || dow;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * The first time after `afterMs` the schedule fires (robfig/cron's `Next`), or undefined if it never does within five
 * years (e.g. "0 0 30 2 *"). `zone` is where the fields are read, unless the schedule names its own `TZ=`.
 *
 * @example
 * ```ts
 * nextTime(parseCronSchedule("0 9 * * mon-fri"), Date.parse("2024-01-06T00:00:00Z"), new Zone()); // Mon 8 Jan 09:00Z
 * ```
 */
export function nextTime(s: CronSchedule, afterMs: number, zone: Zone): number | undefined {
  // The earliest candidate is the next whole second.
  if ("every" in s) return Math.floor(afterMs / SECOND) * SECOND + s.every * SECOND;
  const z = s.timeZone ? new Zone(s.timeZone) : zone;
  let t = Math.floor(afterMs / SECOND) * SECOND + SECOND;
  let added = false;
  const yearLimit = z.wall(t).year + 5;
  wrap: while (true) {
    let w = z.wall(t);
    if (w.year > yearLimit) return undefined;
    while (!s.months.has(w.month)) {
      if (!added) {
        added = true;
        t = z.date(w.year, w.month, 1, 0, 0, 0);
        w = z.wall(t);
      }
      t = z.date(w.year, w.month + 1, w.day, w.hour, w.minute, w.second);
      w = z.wall(t);
      if (w.month === 1) continue wrap;
    }
    while (!dayMatches(s, w)) {
      if (!added) {
        added = true;
        t = z.date(w.year, w.month, w.day, 0, 0, 0);
        w = z.wall(t);
      }
      t = z.date(w.year, w.month, w.day + 1, w.hour, w.minute, w.second);
      w = z.wall(t);
      // A DST change can move the day's start off midnight; step back onto it.
      if (w.hour !== 0) {
        t += w.hour > 12 ? (24 - w.hour) * HOUR : -w.hour * HOUR;
        w = z.wall(t);
      }
      if (w.day === 1) continue wrap;
    }
    while (!s.hours.has(w.hour)) {
      if (!added) {
        added = true;
        t = z.date(w.year, w.month, w.day, w.hour, 0, 0);
      }
      t += HOUR;
      w = z.wall(t);
      if (w.hour === 0) continue wrap;
    }
    while (!s.minutes.has(w.minute)) {
      if (!added) {
        added = true;
        t = Math.floor(t / MINUTE) * MINUTE;
      }
      t += MINUTE;
      w = z.wall(t);
      if (w.minute === 0) continue wrap;
    }
    // Standard schedules fire at second 0.
    while (w.second !== 0) {
      if (!added) {
        added = true;
        t = Math.floor(t / SECOND) * SECOND;
      }
      t += SECOND;
      w = z.wall(t);
      if (w.second === 0) continue wrap;
    }
    return t;
  }
}

/** A CronJob's schedule as its controller reads it. */
export interface Scheduled {
  /** The schedule fields (a `TZ=` prefix in the schedule wins over `zone`). */
  schedule: CronSchedule;
  /** `spec.timeZone`, or UTC. */
  zone: Zone;
  /** `status.lastScheduleTime`, else `metadata.creationTimestamp`, in ms. */
  earliest: number;
  /** `spec.startingDeadlineSeconds`. */
  startingDeadlineSeconds?: number;
}

/** How many runs were missed: none, a few, or more than kube's 100. */
export type MissedSchedules = "none" | "few" | "many";

/**
 * Kube's `mostRecentScheduleTime`: the latest time the schedule fired in (`earliest`, `now`] (undefined if none),
 * where `earliest` is moved up to `now - startingDeadlineSeconds` when `withDeadline`. The number missed is estimated
 * from the interval between two runs, so thousands of missed runs cost no more than one. Throws when the schedule
 * fires less than a second apart or never (kube's "time difference between two schedules is less than 1 second").
 *
 * @example
 * ```ts
 * mostRecentScheduleTime(cj, Date.now(), true); // { earliest, mostRecent: 1704067260000, missed: "few" }
 * ```
 */
export function mostRecentScheduleTime(
  cj: Scheduled,
  now: number,
  withDeadline: boolean,
): { earliest: number; mostRecent?: number; missed: MissedSchedules } {
  let earliest = cj.earliest;
  if (withDeadline && cj.startingDeadlineSeconds !== undefined) {
    earliest = Math.max(earliest, now - cj.startingDeadlineSeconds * SECOND);
  }
  const t1 = nextTime(cj.schedule, earliest, cj.zone);
  if (t1 !== undefined && now < t1) return { earliest, missed: "none" };
  const t2 = t1 === undefined ? undefined : nextTime(cj.schedule, t1, cj.zone);
  if (t2 !== undefined && now < t2) return { earliest, mostRecent: t1, missed: "none" };
  const between = t1 === undefined || t2 === undefined ? 0 : Math.round((t2 - t1) / SECOND);
  // A schedule that never fires ("0 0 31 2 *") is as invalid to kube as one firing twice a second.
  if (t1 === undefined || between < 1) throw new Error("time difference between two schedules is less than 1 second");
  const missedCount = Math.floor(Math.trunc((now - t1) / SECOND) / between) + 1;
  // Start one interval early and let the schedule find the exact time: intervals vary ("30 6-16/4 * * 1-5").
  let mostRecent: number | undefined;
  let t = nextTime(cj.schedule, t1 + (missedCount - 2) * between * SECOND, cj.zone);
  while (t !== undefined && t <= now) {
    mostRecent = t;
    t = nextTime(cj.schedule, t, cj.zone);
  }
  return { earliest, mostRecent, missed: missedCount > 100 ? "many" : "few" };
}

/** Kube's `nextScheduleDelta`: a margin after the scheduled time against clock skew. */
const NEXT_SCHEDULE_DELTA_MS = 100;

/**
 * Kube's `nextScheduleTimeDuration`: how long until the run after the most recent one (plus 100 ms), which is when to
 * look at the CronJob again.
 *
 * @example
 * ```ts
 * untilNextSchedule(cj, Date.now()); // e.g. 41_100 for "* * * * *" at hh:mm:19
 * ```
 */
export function untilNextSchedule(cj: Scheduled, now: number): number | undefined {
  let from: number;
  try {
    const { earliest, mostRecent, missed } = mostRecentScheduleTime(cj, now, false);
    from = mostRecent ?? (missed === "none" ? earliest : now);
  } catch {
    // Still come back at some point: aim for the next slot from now.
    from = now;
  }
  const next = nextTime(cj.schedule, from, cj.zone);
  return next === undefined ? undefined : next + NEXT_SCHEDULE_DELTA_MS - now;
}
