/**
 * The standard cron syntax CronJob schedules accept (robfig/cron's `ParseStandard`: five fields or an `@descriptor`),
 * reporting the same error text kube-apiserver puts after `spec.schedule: Invalid value: "…":`.
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

function checkRange(expr: string, r: Bounds): void {
  const rangeAndStep = expr.split("/");
  const lowAndHigh = rangeAndStep[0].split("-");
  let start: number;
  let end: number;
  if (lowAndHigh[0] === "*" || lowAndHigh[0] === "?") {
    start = r.min;
    end = r.max;
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
  } else if (rangeAndStep.length > 2) throw new CronError(`too many slashes: ${expr}`);
  if (start < r.min) throw new CronError(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > r.max) throw new CronError(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end) throw new CronError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronError(`step of range should be a positive number: ${expr}`);
}

const durationShape = /^[-+]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+$/;

function checkDescriptor(spec: string): void {
  if (["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"].includes(spec)) return;
  if (spec.startsWith("@every ")) {
    const d = spec.slice("@every ".length);
    if (d === "0" || durationShape.test(d)) return;
    const detail = /^[-+]?[0-9.]+$/.test(d) ? "missing unit in duration" : "invalid duration";
    throw new CronError(`failed to parse duration ${spec}: time: ${detail} ${goQuote(d)}`);
  }
  throw new CronError(`unrecognized descriptor: ${spec}`);
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
    let spec = schedule;
    if (spec.length === 0) throw new CronError("empty spec string");
    if (spec.startsWith("TZ=") || spec.startsWith("CRON_TZ=")) {
      const space = spec.indexOf(" ");
      const zone = spec.slice(spec.indexOf("=") + 1, space < 0 ? undefined : space);
      if (!isTimeZone(zone)) throw new CronError(`provided bad location ${zone}: unknown time zone ${zone}`);
      spec = space < 0 ? "" : spec.slice(space).trim();
    }
    if (spec.startsWith("@")) {
      checkDescriptor(spec);
      return undefined;
    }
    const parts = spec.split(/\s+/).filter((p) => p !== "");
    if (parts.length !== 5) {
      throw new CronError(`expected exactly 5 fields, found ${parts.length}: [${parts.join(" ")}]`);
    }
    parts.forEach((part, i) => {
      for (const expr of part.split(",").filter((e) => e !== "")) checkRange(expr, fields[i]);
    });
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
