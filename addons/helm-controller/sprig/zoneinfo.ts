/**
 * Go's `time.Location`: time zones read from the system's zoneinfo (TZif) files the way Go's `LoadLocation` reads
 * them, including the POSIX TZ rule that extends a zone past its last transition, and `time.Local` from `$TZ` or
 * `/etc/localtime`. Sprig falls back to UTC for a zone that cannot be loaded, and so does Go without tzdata.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import process from "node:process";

/** The zone in effect at an instant: its abbreviation, offset east of UTC and the span it holds for. */
export interface ZoneAt {
  name: string;
  offset: number;
  start: number;
  end: number;
}

/** A Go `*time.Location`. */
export interface Zone {
  /** The location's name: "UTC", "Local", "Europe/Berlin", … */
  readonly name: string;
  /** The zone in effect at `sec` seconds after the Unix epoch. */
  lookup(sec: number): ZoneAt;
}

const ALPHA = -(2 ** 63);
const OMEGA = 2 ** 63;

/**
 * Go's `time.UTC`.
 *
 * @example
 * ```ts
 * UTC.lookup(0).name; // "UTC"
 * ```
 */
export const UTC: Zone = { name: "UTC", lookup: () => ({ name: "UTC", offset: 0, start: ALPHA, end: OMEGA }) };

/**
 * A zone with a fixed offset (Go's `time.FixedZone`).
 *
 * @example
 * ```ts
 * fixedZone("", 3600).lookup(0).offset; // 3600
 * ```
 */
export function fixedZone(name: string, offset: number): Zone {
  return { name, lookup: () => ({ name, offset, start: ALPHA, end: OMEGA }) };
}

interface ZoneType {
  name: string;
  offset: number;
  isDST: boolean;
}

type Rule =
  | { kind: "julian"; day: number; time: number }
  | { kind: "doy"; day: number; time: number }
  | { kind: "mwd"; mon: number; week: number; day: number; time: number };

/** Reads a POSIX TZ abbreviation ("CET" or "<+03>"). */
function tzName(s: string): [string, string] | undefined {
  if (s.startsWith("<")) {
    const end = s.indexOf(">");
    return end < 0 ? undefined : [s.slice(1, end), s.slice(end + 1)];
  }
  const m = /^[^0-9,+-]{3,}/.exec(s);
  return m ? [m[0], s.slice(m[0].length)] : undefined;
}

/** Reads a POSIX TZ offset or time, `[+-]hh[:mm[:ss]]`, in seconds. */
function tzOffset(s: string): [number, string] | undefined {
  const m = /^([+-]?)(\d{1,3})(?::(\d{1,2})(?::(\d{1,2}))?)?/.exec(s);
  if (!m || Number(m[2]) > 24 * 7) return undefined;
  const secs = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
  return [m[1] === "-" ? -secs : secs, s.slice(m[0].length)];
}

/** Reads a POSIX TZ transition rule: `Jn`, `n` or `Mm.w.d`, then an optional `/time` (default 02:00). */
function tzRule(s: string): [Rule, string] | undefined {
  let rule: Rule;
  let m: RegExpExecArray | null;
  if ((m = /^J(\d{1,3})/.exec(s))) rule = { kind: "julian", day: Number(m[1]), time: 7200 };
  else if ((m = /^M(\d{1,2})\.(\d)\.(\d)/.exec(s))) {
    rule = { kind: "mwd", mon: Number(m[1]), week: Number(m[2]), day: Number(m[3]), time: 7200 };
  } else if ((m = /^(\d{1,3})/.exec(s))) rule = { kind: "doy", day: Number(m[1]), time: 7200 };
  else return undefined;
  s = s.slice(m[0].length);
  if (s.startsWith("/")) {
    const t = tzOffset(s.slice(1));
    if (!t) return undefined;
    [rule.time, s] = t;
  }
  return [rule, s];
}

const isLeap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
const DAYS_BEFORE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

/** Seconds after the start of `year` (UTC) at which `rule` fires, for a zone at offset `off` before it. */
function ruleTime(year: number, r: Rule, off: number): number {
  let s: number;
  if (r.kind === "julian") {
    s = (r.day - 1) * 86400 + (isLeap(year) && r.day >= 60 ? 86400 : 0);
  } else if (r.kind === "doy") {
    s = r.day * 86400;
  } else {
    const firstDow = new Date(Date.UTC(year, r.mon - 1, 1)).getUTCDay();
    let d = r.day - firstDow;
    if (d < 0) d += 7;
    const daysIn = new Date(Date.UTC(year, r.mon, 0)).getUTCDate();
    for (let i = 1; i < r.week; i++) {
      if (d + 7 >= daysIn) break;
      d += 7;
    }
    d += DAYS_BEFORE[r.mon - 1] + (isLeap(year) && r.mon > 2 ? 1 : 0);
    s = d * 86400;
  }
  return s + r.time - off;
}

/** Go's `tzset`: the zone a POSIX TZ string gives at `sec`, or undefined when the string is malformed. */
function tzset(s: string, sec: number): ZoneAt | undefined {
  const std = tzName(s);
  if (!std) return undefined;
  const stdOff = tzOffset(std[1]);
  if (!stdOff) return undefined;
  let stdName = std[0];
  let stdOffset = -stdOff[0];
  s = stdOff[1];
  if (s === "" || s[0] === ",") return { name: stdName, offset: stdOffset, start: ALPHA, end: OMEGA };
  const dst = tzName(s);
  if (!dst) return undefined;
  let dstName = dst[0];
  s = dst[1];
  let dstOffset = stdOffset + 3600;
  if (s !== "" && s[0] !== ",") {
    const o = tzOffset(s);
    if (!o) return undefined;
    dstOffset = -o[0];
    s = o[1];
  }
  if (s === "") s = ",M3.2.0,M11.1.0";
  if (s[0] !== "," && s[0] !== ";") return undefined;
  const start = tzRule(s.slice(1));
  if (!start || !start[1].startsWith(",")) return undefined;
  const end = tzRule(start[1].slice(1));
  if (!end || end[1] !== "") return undefined;
  const year = new Date(sec * 1000).getUTCFullYear();
  const yearStart = Date.UTC(year, 0, 1) / 1000;
  const ysec = sec - yearStart;
  let startSec = ruleTime(year, start[0], stdOffset);
  let endSec = ruleTime(year, end[0], dstOffset);
  // Southern hemisphere: daylight time spans the turn of the year.
  if (endSec < startSec) {
    [startSec, endSec] = [endSec, startSec];
    [stdName, dstName] = [dstName, stdName];
    [stdOffset, dstOffset] = [dstOffset, stdOffset];
  }
  if (ysec < startSec) return { name: stdName, offset: stdOffset, start: yearStart, end: startSec + yearStart };
  if (ysec >= endSec) {
    return { name: stdName, offset: stdOffset, start: endSec + yearStart, end: yearStart + 365 * 86400 };
  }
  return { name: dstName, offset: dstOffset, start: startSec + yearStart, end: endSec + yearStart };
}

/** Go's `LoadLocationFromTZData`: a TZif file (versions 1 to 4) as a zone, or undefined when malformed. */
function parseTZif(name: string, data: Uint8Array): Zone | undefined {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const magic = (at: number) => String.fromCharCode(...data.subarray(at, at + 4)) === "TZif";
  if (data.length < 44 || !magic(0)) return undefined;
  const counts = (at: number) => [0, 1, 2, 3, 4, 5].map((k) => view.getUint32(at + 20 + 4 * k));
  let at = 0;
  let [isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt] = counts(at);
  let is64 = false;
  if (data[4] !== 0) {
    at += 44 + timecnt * 5 + typecnt * 6 + charcnt + leapcnt * 8 + isstdcnt + isutcnt;
    if (data.length < at + 44 || !magic(at)) return undefined;
    [isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt] = counts(at);
    is64 = true;
  }
  at += 44;
  const size = is64 ? 8 : 4;
  const need = timecnt * (size + 1) + typecnt * 6 + charcnt + leapcnt * (size + 4) + isstdcnt + isutcnt;
  if (data.length < at + need || typecnt === 0) return undefined;
  const tx: { when: number; index: number }[] = [];
  for (let i = 0; i < timecnt; i++) {
    const when = is64 ? Number(view.getBigInt64(at + i * 8)) : view.getInt32(at + i * 4);
    tx.push({ when, index: data[at + timecnt * size + i] });
  }
  at += timecnt * (size + 1);
  const abbrevs = at + typecnt * 6;
  const types: ZoneType[] = [];
  for (let i = 0; i < typecnt; i++) {
    const p = at + i * 6;
    const start = abbrevs + data[p + 5];
    let end = start;
    while (end < abbrevs + charcnt && data[end] !== 0) end++;
    types.push({
      offset: view.getInt32(p),
      isDST: data[p + 4] !== 0,
      name: String.fromCharCode(...data.subarray(start, end)),
    });
  }
  at += need - timecnt * (size + 1);
  let extend = "";
  if (is64 && data[at] === 0x0a) {
    const end = data.indexOf(0x0a, at + 1);
    if (end > at) extend = String.fromCharCode(...data.subarray(at + 1, end));
  }
  if (tx.some((t) => t.index >= typecnt)) return undefined;
  if (tx.length === 0) tx.push({ when: ALPHA, index: 0 });
  return { name, lookup: (sec) => lookupZone(types, tx, extend, sec) };
}

/** Go's `Location.lookupFirstZone`: the zone before the first transition. */
function firstZone(types: ZoneType[], tx: { index: number }[]): number {
  if (!tx.some((t) => t.index === 0)) return 0;
  if (tx.length > 0 && types[tx[0].index].isDST) {
    for (let zi = tx[0].index - 1; zi >= 0; zi--) if (!types[zi].isDST) return zi;
  }
  const std = types.findIndex((t) => !t.isDST);
  return std < 0 ? 0 : std;
}

function lookupZone(types: ZoneType[], tx: { when: number; index: number }[], extend: string, sec: number): ZoneAt {
  if (tx.length === 0 || sec < tx[0].when) {
    const z = types[firstZone(types, tx)];
    return { name: z.name, offset: z.offset, start: ALPHA, end: tx.length > 0 ? tx[0].when : OMEGA };
  }
  let lo = 0;
  let hi = tx.length;
  let end = OMEGA;
  while (hi - lo > 1) {
    const m = (lo + hi) >>> 1;
    if (sec < tx[m].when) {
      end = tx[m].when;
      hi = m;
    } else {
      lo = m;
    }
  }
  const z = types[tx[lo].index];
  if (lo === tx.length - 1 && extend !== "") {
    const ext = tzset(extend, sec);
    if (ext) return ext;
  }
  return { name: z.name, offset: z.offset, start: tx[lo].when, end };
}

/** Go's `platformZoneSources`, after `$ZONEINFO`. */
const ZONE_SOURCES = ["/usr/share/zoneinfo/", "/usr/share/lib/zoneinfo/", "/usr/lib/locale/TZ/", "/etc/zoneinfo/"];

function readZone(name: string, file: string): Zone | undefined {
  try {
    return parseTZif(name, readFileSync(file));
  } catch {
    return undefined;
  }
}

const cache = new Map<string, Zone | undefined>();

/**
 * Go's `time.LoadLocation`: "" and "UTC" are UTC, "Local" is {@link localZone}, other names are zoneinfo files;
 * undefined when there is no such zone.
 *
 * @example
 * ```ts
 * loadLocation("America/New_York")?.lookup(0).name; // "EST"
 * loadLocation("Nowhere/Else"); // undefined
 * ```
 */
export function loadLocation(name: string): Zone | undefined {
  if (name === "" || name === "UTC") return UTC;
  if (name === "Local") return localZone();
  if (name.includes("..") || name.startsWith("/") || name.startsWith("\\")) return undefined;
  if (!cache.has(name)) {
    const dirs = [process.env.ZONEINFO, ...ZONE_SOURCES].filter((d): d is string => !!d);
    let zone: Zone | undefined;
    for (const dir of dirs) {
      zone = readZone(name, dir.endsWith("/") ? dir + name : `${dir}/${name}`);
      if (zone) break;
    }
    cache.set(name, zone);
  }
  return cache.get(name);
}

let local: Zone | undefined;

/**
 * Go's `time.Local`: `$TZ` when set (empty means UTC, a leading ":" is dropped, an absolute path is read), else
 * `/etc/localtime`; UTC when neither loads.
 *
 * @example
 * ```ts
 * localZone().name; // "Local" (or "UTC")
 * ```
 */
export function localZone(): Zone {
  if (local) return local;
  const tz = process.env.TZ;
  let zone: Zone | undefined;
  if (tz === undefined) {
    zone = readZone("Local", "/etc/localtime");
  } else if (tz !== "") {
    const name = tz.startsWith(":") ? tz.slice(1) : tz;
    if (name.startsWith("/")) zone = readZone("Local", name);
    else if (name !== "" && name !== "UTC") {
      const loaded = loadLocation(name);
      if (loaded) zone = { name: "Local", lookup: loaded.lookup };
    }
  }
  local = zone ?? UTC;
  return local;
}
