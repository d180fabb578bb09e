/**
 * The standard cron syntax CronJob schedules accept (robfig/cron's `ParseStandard`: five fields or an `@descriptor`),
 * reporting the same error text kube-apiserver puts after `spec.schedule: Invalid value: "…":`, and the parsed form the
 * CronJob controller computes run times from.
 *
 * @module
 */

import { goQuote } from "./field.ts";

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const months: Bounds = {
  min: 1,
  max: 12,
  names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 },
};
const fields: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  months,
  { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } },
];

class CronError extends Error {}

function mustParseInt(expr: string): number {
  if (!/^[+-]?[0-9]+$/.test(expr)) {
    throw new CronError(`failed to parse int from ${expr}: strconv.Atoi: parsing ${goQuote(expr)}: invalid syntax`);
  }
  const n = Number(expr);
  if (n < 0) throw new CronError(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseIntOrName(expr: string, r: Bounds): number {
  const named = r.names?.[expr.toLowerCase()];
  return named ?? mustParseInt(expr);
}

/** robfig's `getRange`: the values one comma-separated part allows, and whether it is a bare `*` (or `?`). */
function getRange(expr: string, r: Bounds): { values: number[]; star: boolean } {
  const rangeAndStep = expr.split("/");
  const lowAndHigh = rangeAndStep[0].split("-");
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === "*" || lowAndHigh[0] === "?") {
    start = r.min;
    end = r.max;
    star = true;
  } else {
    start = parseIntOrName(lowAndHigh[0], r);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1], r);
    else throw new CronError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1]);
    // "N/step" means "N-max/step".
    if (lowAndHigh.length === 1) end = r.max;
    // "*/2" picks values; only a plain "*" leaves the day fields unconstrained.
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) throw new CronError(`too many slashes: ${expr}`);
  if (start < r.min) throw new CronError(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > r.max) throw new CronError(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end) throw new CronError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronError(`step of range should be a positive number: ${expr}`);
  const values: number[] = [];
  for (let v = start; v <= end; v += step) values.push(v);
  return { values, star };
}

function getField(field: string, r: Bounds): { values: Set<number>; star: boolean } {
  const values = new Set<number>();
  let star = false;
  for (const expr of field.split(",").filter((e) => e !== "")) {
    const range = getRange(expr, r);
    for (const v of range.values) values.add(v);
    star ||= range.star;
  }
  return { values, star };
}

const durationShape = /^[-+]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const durationUnitSeconds: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  "µs": 1e-6,
  "μs": 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
};

/** Go's `time.ParseDuration`, in seconds, for a string `durationShape` accepts. */
function durationSeconds(d: string): number {
  let total = 0;
  for (const [, amount, unit] of d.matchAll(/([0-9.]+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(amount) * durationUnitSeconds[unit];
  }
  return d.startsWith("-") ? -total : total;
}

function every(value: number[] | undefined, r: Bounds): { values: Set<number>; star: boolean } {
  if (value) return { values: new Set(value), star: false };
  const values = new Set<number>();
  for (let v = r.min; v <= r.max; v++) values.add(v);
  return { values, star: true };
}

/** robfig's descriptors as the field sets they stand for (`undefined`: the whole range, as a `*`). */
const descriptors: Record<string, (number[] | undefined)[]> = {
  "@yearly": [[0], [0], [1], [1], undefined],
  "@annually": [[0], [0], [1], [1], undefined],
  "@monthly": [[0], [0], [1], undefined, undefined],
  "@weekly": [[0], [0], undefined, undefined, [0]],
  "@daily": [[0], [0], undefined, undefined, undefined],
  "@midnight": [[0], [0], undefined, undefined, undefined],
  "@hourly": [[0], undefined, undefined, undefined, undefined],
};

function parseDescriptor(spec: string, timeZone: string | undefined): CronSchedule {
  const fieldSets = descriptors[spec];
  if (fieldSets) return fromFields(fieldSets.map((value, i) => every(value, fields[i])), timeZone);
  if (spec.startsWith("@every ")) {
    const d = spec.slice("@every ".length);
    if (d === "0" || durationShape.test(d)) {
      // robfig rounds the delay down to whole seconds, and to at least one.
      return { every: Math.max(1, Math.floor(durationSeconds(d) + 1e-9)), ...(timeZone ? { timeZone } : {}) };
    }
    const detail = /^[-+]?[0-9.]+$/.test(d) ? "missing unit in duration" : "invalid duration";
    throw new CronError(`failed to parse duration ${spec}: time: ${detail} ${goQuote(d)}`);
  }
  throw new CronError(`unrecognized descriptor: ${spec}`);
}

function fromFields(parsed: { values: Set<number>; star: boolean }[], timeZone: string | undefined): CronSchedule {
  const [minute, hour, dayOfMonth, month, dayOfWeek] = parsed;
  return {
    minutes: minute.values,
    hours: hour.values,
    daysOfMonth: dayOfMonth.values,
    months: month.values,
    daysOfWeek: dayOfWeek.values,
    daysOfMonthStar: dayOfMonth.star,
    daysOfWeekStar: dayOfWeek.star,
    ...(timeZone ? { timeZone } : {}),
  };
}

/**
 * A parsed schedule: the values each field allows (robfig's `SpecSchedule`), or a fixed delay in seconds for
 * `@every` (its `ConstantDelaySchedule`); `timeZone` is the `TZ=`/`CRON_TZ=` prefix's zone, when given.
 */
export type CronSchedule =
  | {
    minutes: ReadonlySet<number>;
    hours: ReadonlySet<number>;
    /** 1–31. */
    daysOfMonth: ReadonlySet<number>;
    /** 1–12. */
    months: ReadonlySet<number>;
    /** 0 (Sunday) – 6. */
    daysOfWeek: ReadonlySet<number>;
    /** A bare `*` day field: then a day must match both day fields, otherwise either (cron's rule). */
    daysOfMonthStar: boolean;
    daysOfWeekStar: boolean;
    timeZone?: string;
  }
  | { every: number; timeZone?: string };

/**
 * Parses a CronJob schedule as robfig/cron's `ParseStandard` does; throws an Error with robfig's message when it
 * does not parse.
 *
 * @example
 * ```ts
 * parseCronSchedule("30 2 * * mon-fri").hours; // Set { 2 }
 * parseCronSchedule("@every 1h30m"); // { every: 5400 }
 * ```
 */
export function parseCronSchedule(schedule: string): CronSchedule {
  let spec = schedule;
  let timeZone: string | undefined;
  if (spec.length === 0) throw new CronError("empty spec string");
  if (spec.startsWith("TZ=") || spec.startsWith("CRON_TZ=")) {
    const space = spec.indexOf(" ");
    const zone = spec.slice(spec.indexOf("=") + 1, space < 0 ? undefined : space);
    if (!isTimeZone(zone)) throw new CronError(`provided bad location ${zone}: unknown time zone ${zone}`);
    timeZone = zone || undefined;
    spec = space < 0 ? "" : spec.slice(space).trim();
  }
  if (spec.startsWith("@")) return parseDescriptor(spec, timeZone);
  const parts = spec.split(/\s+/).filter((p) => p !== "");
  if (parts.length !== 5) {
    throw new CronError(`expected exactly 5 fields, found ${parts.length}: [${parts.join(" ")}]`);
  }
  return fromFields(parts.map((part, i) => getField(part, fields[i])), timeZone);
}

/**
 * Checks a CronJob schedule; returns robfig/cron's error message, or undefined when it parses.
 *
 * @example
 * ```ts
 * cronScheduleError("*\/5 * * * *"); // undefined
 * cronScheduleError("61 * * * *"); // "end of range (61) above maximum (59): 61"
 * ```
 */
export function cronScheduleError(schedule: string): string | undefined {
  try {
    parseCronSchedule(schedule);
    return undefined;
  } catch (e) {
    if (e instanceof CronError) return e.message;
    throw e;
  }
}

/**
 * Whether `zone` names an IANA time zone (what Go's `time.LoadLocation` would find).
 *
 * @example
 * ```ts
 * isTimeZone("Europe/Paris"); // true
 * ```
 */
export function isTimeZone(zone: string): boolean {
  if (zone === "UTC" || zone === "") return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
