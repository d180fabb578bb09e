/**
 * Sprig's date functions: `now`, `date`/`dateInZone`/`htmlDate` (Go layouts such as "2006-01-02"), `toDate`,
 * `dateModify`, `ago`, `duration`, `durationRound` and `unixEpoch`. A `time.Time` is a `Date`; an int (bigint)
 * date is Unix seconds, and any other value means "now", as in Sprig.
 *
 * @module
 */
import { withSignature as fn } from "../gotemplate/signature.ts";
import { type GoFunc, goTypeName } from "../gotemplate/value.ts";
import { formatDuration, parseDuration, roundDuration, SECOND } from "./duration.ts";
import { parseInt } from "./strconv.ts";
import { formatTime, parseTime } from "./timefmt.ts";
import { loadLocation, localZone, UTC } from "./zoneinfo.ts";

/**
 * Go's zero `time.Time`, January 1 of year 1, UTC.
 *
 * @example
 * ```ts
 * zeroTime().toISOString(); // "0001-01-01T00:00:00.000Z"
 * ```
 */
export function zeroTime(): Date {
  const d = new Date(0);
  d.setUTCFullYear(1, 0, 1);
  return d;
}

/** A `time.Time` parameter: Go would refuse anything else before calling the function. */
function asTime(v: unknown): Date {
  if (v instanceof Date) return v;
  if (v === null || v === undefined) throw new Error("invalid value; expected time.Time");
  throw new Error(`wrong type for value; expected time.Time; got ${goTypeName(v)}`);
}

/** The instant Sprig's date functions read from a value: a time, Unix seconds, or now. */
function instant(v: unknown): Date {
  if (v instanceof Date) return v;
  if (typeof v === "bigint") return new Date(Number(v) * 1000);
  return new Date();
}

/**
 * Sprig's `dateInZone`: `date` formatted with Go `layout` in the named zone (UTC when it cannot be loaded).
 *
 * @example
 * ```ts
 * dateInZone("2006-01-02 15:04", 1560458379n, "UTC"); // "2019-06-13 20:39"
 * ```
 */
export function dateInZone(layout: string, date: unknown, zone: string): string {
  return formatTime(instant(date), layout, loadLocation(zone) ?? UTC);
}

/**
 * Sprig's `durationRound`: a duration (Go syntax string, int nanoseconds, or the time since a date) rounded down
 * to its largest unit: "2h", "3mo", "1y".
 *
 * @example
 * ```ts
 * durationRound("2h5s"); // "2h"
 * durationRound("2400h5s"); // "3mo"
 * ```
 */
export function durationRound(v: unknown): string {
  let d = 0n;
  if (typeof v === "string") {
    try {
      d = parseDuration(v);
    } catch {
      d = 0n;
    }
  } else if (typeof v === "bigint") {
    d = v;
  } else if (v instanceof Date) {
    d = BigInt(Date.now() - v.getTime()) * 1_000_000n;
  }
  const u = d < 0n ? -d : d;
  const hour = 3600n * SECOND;
  const units: [bigint, string][] = [
    [hour * 24n * 365n, "y"],
    [hour * 24n * 30n, "mo"],
    [hour * 24n, "d"],
    [hour, "h"],
    [60n * SECOND, "m"],
    [SECOND, "s"],
  ];
  for (const [size, suffix] of units) if (u > size) return (u / size).toString() + suffix;
  return "0s";
}

/**
 * Sprig's `duration`: seconds (a decimal string or an int) as a Go duration string.
 *
 * @example
 * ```ts
 * duration("93784"); // "26h3m4s"
 * ```
 */
export function duration(sec: unknown): string {
  let n = 0n;
  if (typeof sec === "string") {
    const r = parseInt(sec, 10, 64);
    n = r.err ? 0n : r.value;
  } else if (typeof sec === "bigint") {
    n = sec;
  }
  return formatDuration(BigInt.asIntN(64, n * SECOND));
}

function dateModify(change: string, date: Date): Date {
  return new Date(date.getTime() + Number(parseDuration(change) / 1_000_000n));
}

function ago(date: unknown): string {
  const since = BigInt(Date.now() - instant(date).getTime()) * 1_000_000n;
  return formatDuration(roundDuration(since, SECOND));
}

const str = (v: unknown) => v as string;

function toDate(layout: unknown, value: unknown): Date {
  return parseTime(str(layout), str(value), localZone());
}

const inZone = fn((layout, d, z) => dateInZone(str(layout), d, str(z)), ["string", "interface {}", "string"]);
const modify = fn((change, d) => {
  const date = asTime(d);
  try {
    return dateModify(str(change), date);
  } catch {
    return date;
  }
}, ["string", "interface {}"]);
const mustModify = fn((change, d) => dateModify(str(change), asTime(d)), ["string", "interface {}"]);

/** Sprig's date functions by their template names. */
export const dateFunctions: Record<string, GoFunc> = {
  now: fn(() => new Date(), []),
  ago: fn(ago, ["interface {}"]),
  date: fn((layout, d) => dateInZone(str(layout), d, "Local"), ["string", "interface {}"]),
  dateInZone: inZone,
  date_in_zone: inZone,
  htmlDate: fn((d) => dateInZone("2006-01-02", d, "Local"), ["interface {}"]),
  htmlDateInZone: fn((d, z) => dateInZone("2006-01-02", d, str(z)), ["interface {}", "string"]),
  dateModify: modify,
  date_modify: modify,
  mustDateModify: mustModify,
  must_date_modify: mustModify,
  duration: fn(duration, ["interface {}"]),
  durationRound: fn(durationRound, ["interface {}"]),
  toDate: fn((layout, value) => {
    try {
      return toDate(layout, value);
    } catch {
      return zeroTime();
    }
  }, ["string", "string"]),
  mustToDate: fn(toDate, ["string", "string"]),
  unixEpoch: fn((d) => String(Math.floor(asTime(d).getTime() / 1000)), ["interface {}"]),
};
