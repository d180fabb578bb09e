/**
 * Go's reference-time layouts ("Mon Jan 2 15:04:05 MST 2006"): `Time.Format` and `time.ParseInLocation` over
 * JavaScript `Date`s (millisecond precision) and {@link Zone}s, with Go's `ParseError` messages.
 *
 * @module
 */
import { quote } from "../gotemplate/quote.ts";
import { fixedZone, UTC, type Zone } from "./zoneinfo.ts";

/**
 * Go's `time.RFC3339Nano` layout.
 *
 * @example
 * ```ts
 * formatTime(new Date(0), RFC3339_NANO, UTC); // "1970-01-01T00:00:00Z"
 * ```
 */
export const RFC3339_NANO = "2006-01-02T15:04:05.999999999Z07:00";

const LONG_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const LONG_MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** One element of a layout: a literal prefix and the std element after it (Go's `nextStdChunk`). */
interface Chunk {
  prefix: string;
  std: string;
  rest: string;
}

const NUM_TZ = ["-07:00:00", "-070000", "-07:00", "-0700", "-07"];
const ISO_TZ = ["Z07:00:00", "Z070000", "Z07:00", "Z0700", "Z07"];

function nextChunk(layout: string): Chunk {
  const isLowerAt = (i: number) => i < layout.length && layout[i] >= "a" && layout[i] <= "z";
  const at = (i: number, s: string) => layout.startsWith(s, i);
  for (let i = 0; i < layout.length; i++) {
    const cut = (std: string, len = std.length): Chunk => ({
      prefix: layout.slice(0, i),
      std,
      rest: layout.slice(i + len),
    });
    switch (layout[i]) {
      case "J":
        if (at(i, "January")) return cut("January");
        if (at(i, "Jan") && !isLowerAt(i + 3)) return cut("Jan");
        break;
      case "M":
        if (at(i, "Monday")) return cut("Monday");
        if (at(i, "Mon") && !isLowerAt(i + 3)) return cut("Mon");
        if (at(i, "MST")) return cut("MST");
        break;
      case "0":
        if (i + 1 < layout.length && layout[i + 1] >= "1" && layout[i + 1] <= "6") return cut(layout.slice(i, i + 2));
        if (at(i, "002")) return cut("002");
        break;
      case "1":
        return at(i, "15") ? cut("15") : cut("1");
      case "2":
        return at(i, "2006") ? cut("2006") : cut("2");
      case "_":
        if (at(i, "_2")) {
          // "_2006" is a literal underscore and a year.
          if (at(i + 1, "2006")) return { prefix: layout.slice(0, i + 1), std: "2006", rest: layout.slice(i + 5) };
          return cut("_2");
        }
        if (at(i, "__2")) return cut("__2");
        break;
      case "3":
      case "4":
      case "5":
        return cut(layout[i]);
      case "P":
        if (at(i, "PM")) return cut("PM");
        break;
      case "p":
        if (at(i, "pm")) return cut("pm");
        break;
      case "-":
        for (const std of NUM_TZ) if (at(i, std)) return cut(std);
        break;
      case "Z":
        for (const std of ISO_TZ) if (at(i, std)) return cut(std);
        break;
      case ".":
      case ",": {
        const digit = layout[i + 1];
        if (digit === "0" || digit === "9") {
          let j = i + 1;
          while (layout[j] === digit) j++;
          if (!(layout[j] >= "0" && layout[j] <= "9")) return cut(layout.slice(i, j));
        }
        break;
      }
    }
  }
  return { prefix: layout, std: "", rest: "" };
}

const pad = (n: number, width: number) => (n < 0 ? "-" : "") + String(Math.abs(n)).padStart(width, "0");

/** The wall clock of an instant in a zone. */
function wallClock(date: Date, zone: Zone) {
  const ms = date.getTime();
  const sec = Math.floor(ms / 1000);
  const { name, offset } = zone.lookup(sec);
  const wall = new Date(ms + offset * 1000);
  const yearStart = new Date(0);
  yearStart.setUTCFullYear(wall.getUTCFullYear(), 0, 1);
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    weekday: wall.getUTCDay(),
    yday: Math.floor((wall.getTime() - yearStart.getTime()) / 86400000) + 1,
    hour: wall.getUTCHours(),
    min: wall.getUTCMinutes(),
    sec: wall.getUTCSeconds(),
    nsec: (((ms % 1000) + 1000) % 1000) * 1_000_000,
    name,
    offset,
  };
}

function formatZone(std: string, offset: number): string {
  if (std[0] === "Z" && offset === 0) return "Z";
  const digits = std.slice(1).replaceAll(":", "");
  const colon = std.includes(":") ? ":" : "";
  const zone = Math.trunc(offset / 60);
  const abs = Math.abs(zone);
  let out = (zone < 0 ? "-" : "+") + pad(Math.floor(abs / 60), 2);
  if (digits.length >= 4) out += colon + pad(abs % 60, 2);
  if (digits.length === 6) out += colon + pad(Math.abs(offset) % 60, 2);
  return out;
}

/**
 * Go's `Time.Format`: `date` as the wall clock of `zone`, written in `layout`.
 *
 * @example
 * ```ts
 * formatTime(new Date(Date.UTC(2019, 5, 13, 20, 39, 39)), "02 Jan 06 15:04 -0700", UTC); // "13 Jun 19 20:39 +0000"
 * ```
 */
export function formatTime(date: Date, layout: string, zone: Zone): string {
  const t = wallClock(date, zone);
  let out = "";
  while (layout !== "") {
    const { prefix, std, rest } = nextChunk(layout);
    out += prefix;
    layout = rest;
    if (std === "") break;
    const hour12 = t.hour % 12 === 0 ? 12 : t.hour % 12;
    switch (std) {
      case "06":
        out += pad(((t.year % 100) + 100) % 100, 2);
        break;
      case "2006":
        out += pad(t.year, 4);
        break;
      case "Jan":
        out += LONG_MONTHS[t.month - 1].slice(0, 3);
        break;
      case "January":
        out += LONG_MONTHS[t.month - 1];
        break;
      case "1":
        out += t.month;
        break;
      case "01":
        out += pad(t.month, 2);
        break;
      case "Mon":
        out += LONG_DAYS[t.weekday].slice(0, 3);
        break;
      case "Monday":
        out += LONG_DAYS[t.weekday];
        break;
      case "2":
        out += t.day;
        break;
      case "_2":
        out += String(t.day).padStart(2, " ");
        break;
      case "02":
        out += pad(t.day, 2);
        break;
      case "__2":
        out += String(t.yday).padStart(3, " ");
        break;
      case "002":
        out += pad(t.yday, 3);
        break;
      case "15":
        out += pad(t.hour, 2);
        break;
      case "3":
        out += hour12;
        break;
      case "03":
        out += pad(hour12, 2);
        break;
      case "4":
        out += t.min;
        break;
      case "04":
        out += pad(t.min, 2);
        break;
      case "5":
        out += t.sec;
        break;
      case "05":
        out += pad(t.sec, 2);
        break;
      case "PM":
        out += t.hour >= 12 ? "PM" : "AM";
        break;
      case "pm":
        out += t.hour >= 12 ? "pm" : "am";
        break;
      case "MST":
        out += t.name !== "" ? t.name : formatZone("-0700", t.offset);
        break;
      default:
        if (std[0] === "." || std[0] === ",") out += formatFraction(std, t.nsec);
        else out += formatZone(std, t.offset);
    }
  }
  return out;
}

function formatFraction(std: string, nsec: number): string {
  const digits = std.length - 1;
  let frac = String(nsec).padStart(9, "0").slice(0, digits);
  if (std[1] === "9") {
    frac = frac.replace(/0+$/, "");
    if (frac === "") return "";
  }
  return std[0] + frac;
}

/** A failed parse, worded as Go's `*time.ParseError`. */
class ParseError extends Error {
  constructor(layout: string, value: string, layoutElem: string, valueElem: string, message = "") {
    super(
      message === ""
        ? `parsing time ${quote(value)} as ${quote(layout)}: cannot parse ${quote(valueElem)} as ${quote(layoutElem)}`
        : `parsing time ${quote(value)}${message}`,
    );
  }
}

/** Go's `skip`: matches a layout literal, a space matching any run of spaces. */
function skip(value: string, prefix: string): string | undefined {
  while (prefix.length > 0) {
    if (prefix[0] === " ") {
      if (value.length > 0 && value[0] !== " ") return undefined;
      prefix = prefix.replace(/^ +/, "");
      value = value.replace(/^ +/, "");
      continue;
    }
    if (value.length === 0 || value[0] !== prefix[0]) return undefined;
    prefix = prefix.slice(1);
    value = value.slice(1);
  }
  return value;
}

/** Go's `getnum`: one or two digits (exactly two when `fixed`). */
function getnum(s: string, fixed: boolean): [number, string] | undefined {
  const digit = (i: number) => i < s.length && s[i] >= "0" && s[i] <= "9";
  if (!digit(0)) return undefined;
  if (!digit(1)) return fixed ? undefined : [Number(s[0]), s.slice(1)];
  return [Number(s.slice(0, 2)), s.slice(2)];
}

function lookupName(names: string[], value: string): [number, string] | undefined {
  for (let i = 0; i < names.length; i++) {
    if (value.length >= names[i].length && value.slice(0, names[i].length).toLowerCase() === names[i].toLowerCase()) {
      return [i, value.slice(names[i].length)];
    }
  }
  return undefined;
}

/** Go's `parseTimeZone`: the length of a zone abbreviation at the start of `value`, or 0. */
function timeZoneLength(value: string): number {
  if (value.length < 3) return 0;
  if (value.startsWith("ChST") || value.startsWith("MeST")) return 4;
  if (value.startsWith("GMT")) {
    const m = /^GMT([+-]\d{1,2})?/.exec(value)!;
    return m[1] && Math.abs(Number(m[1])) > 14 ? 3 : m[0].length;
  }
  if (value[0] === "+" || value[0] === "-") {
    const m = /^[+-]\d\d(\d\d)?/.exec(value);
    return m ? m[0].length : 0;
  }
  let n = 0;
  while (n < value.length && value[n] >= "A" && value[n] <= "Z") n++;
  if (n === 3 || n === 5) return n;
  if (n === 4 && (value[3] === "T" || value.startsWith("WITA"))) return 4;
  return 0;
}

/** Go's `Date(…, loc)`: the instant a wall clock names in a zone, resolving overlaps and gaps as Go does. */
function fromWallClock(
  year: number,
  month: number,
  day: number,
  hour: number,
  min: number,
  sec: number,
  nsec: number,
  zone: Zone,
): Date {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, min, sec, Math.floor(nsec / 1_000_000));
  const local = Math.floor(d.getTime() / 1000);
  let { offset, start, end } = zone.lookup(local);
  if (offset !== 0) {
    const utc = local - offset;
    if (utc < start || utc >= end) offset = zone.lookup(utc).offset;
  }
  return new Date(d.getTime() - offset * 1000);
}

/**
 * Go's `time.ParseInLocation(layout, value, zone)`: the instant `value` names; a zone in the value wins over
 * `zone`. Throws Go's `ParseError`.
 *
 * @example
 * ```ts
 * parseTime("2006-01-02", "2017-12-31", UTC).toISOString(); // "2017-12-31T00:00:00.000Z"
 * parseTime("2006-01-02", "2017-13-01", UTC); // throws 'parsing time "2017-13-01": month out of range'
 * ```
 */
export function parseTime(layout: string, value: string, zone: Zone): Date {
  const fullLayout = layout;
  const fullValue = value;
  let year = 0;
  let month = -1;
  let day = -1;
  let yday = -1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let pm = false;
  let am = false;
  let fixed: Zone | undefined;
  let zoneOffset = -1;
  let zoneName = "";
  for (;;) {
    const { prefix, std, rest } = nextChunk(layout);
    const skipped = skip(value, prefix);
    if (skipped === undefined) throw new ParseError(fullLayout, fullValue, prefix, value);
    value = skipped;
    if (std === "") {
      if (value.length > 0) throw new ParseError(fullLayout, fullValue, "", "", `: extra text: ${quote(value)}`);
      break;
    }
    layout = rest;
    const hold = value;
    let range = "";
    const bad = () => new ParseError(fullLayout, fullValue, std, hold);
    const num = (fixedWidth: boolean, lo: number, hi: number, what: string): number => {
      const r = getnum(value, fixedWidth);
      if (!r) throw bad();
      value = r[1];
      if (r[0] < lo || r[0] > hi) range = what;
      return r[0];
    };
    switch (std) {
      case "06": {
        if (!/^\d\d/.test(value)) throw bad();
        const n = Number(value.slice(0, 2));
        year = n + (n >= 69 ? 1900 : 2000);
        value = value.slice(2);
        break;
      }
      case "2006":
        if (!/^\d{4}/.test(value)) throw bad();
        year = Number(value.slice(0, 4));
        value = value.slice(4);
        break;
      case "Jan":
      case "January": {
        const r = lookupName(std === "Jan" ? LONG_MONTHS.map((m) => m.slice(0, 3)) : LONG_MONTHS, value);
        if (!r) throw bad();
        month = r[0] + 1;
        value = r[1];
        break;
      }
      case "1":
      case "01":
        month = num(std === "01", 1, 12, "month");
        break;
      case "Mon":
      case "Monday": {
        const r = lookupName(std === "Mon" ? LONG_DAYS.map((d) => d.slice(0, 3)) : LONG_DAYS, value);
        if (!r) throw bad();
        value = r[1];
        break;
      }
      case "2":
      case "_2":
      case "02":
        if (std === "_2" && value[0] === " ") value = value.slice(1);
        day = num(std === "02", 0, 31, "day");
        break;
      case "__2":
      case "002": {
        let v = value;
        if (std === "__2") v = v.replace(/^ {1,2}/, "");
        const m = /^\d{1,3}/.exec(v);
        if (!m || (std === "002" && m[0].length !== 3)) throw bad();
        yday = Number(m[0]);
        value = v.slice(m[0].length);
        if (yday < 1 || yday > 366) range = "day-of-year";
        break;
      }
      case "15":
        hour = num(false, 0, 23, "hour");
        break;
      case "3":
      case "03":
        hour = num(std === "03", 0, 12, "hour");
        break;
      case "4":
      case "04":
        min = num(std === "04", 0, 59, "minute");
        break;
      case "5":
      case "05":
        sec = num(std === "05", 0, 59, "second");
        // A fractional second the layout does not mention is still read.
        if (/^[.,]\d/.test(value) && !/^[.,][09]/.test(nextChunk(layout).std)) {
          const m = /^[.,](\d+)/.exec(value)!;
          nsec = Number(m[1].slice(0, 9).padEnd(9, "0"));
          value = value.slice(m[0].length);
        }
        break;
      case "PM":
      case "pm": {
        const p = value.slice(0, 2);
        if (p === (std === "PM" ? "PM" : "pm")) pm = true;
        else if (p === (std === "PM" ? "AM" : "am")) am = true;
        else throw bad();
        value = value.slice(2);
        break;
      }
      case "MST": {
        if (value.startsWith("UTC")) {
          fixed = UTC;
          value = value.slice(3);
          break;
        }
        const n = timeZoneLength(value);
        if (n === 0) throw bad();
        zoneName = value.slice(0, n);
        value = value.slice(n);
        break;
      }
      default:
        if (std[0] === "." || std[0] === ",") {
          const digits = std.length - 1;
          if (std[1] === "9") {
            const m = /^[.,](\d+)/.exec(value);
            if (!m) break;
            nsec = Number(m[1].slice(0, 9).padEnd(9, "0"));
            value = value.slice(m[0].length);
          } else {
            const m = new RegExp(`^[.,](\\d{${digits}})`).exec(value);
            if (!m) throw bad();
            nsec = Number(m[1].slice(0, 9).padEnd(9, "0"));
            value = value.slice(m[0].length);
          }
          break;
        }
        if (std[0] === "Z" && value[0] === "Z") {
          fixed = UTC;
          value = value.slice(1);
          break;
        }
        {
          const digits = std.slice(1).replaceAll(":", "").length;
          const colon = std.includes(":") ? ":" : "";
          const re = new RegExp(
            `^([+-])(\\d\\d)${digits >= 4 ? `${colon}(\\d\\d)` : ""}${digits === 6 ? `${colon}(\\d\\d)` : ""}`,
          );
          const m = re.exec(value);
          if (!m) throw bad();
          zoneOffset = (Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60 + Number(m[4] ?? 0);
          if (m[1] === "-") zoneOffset = -zoneOffset;
          value = value.slice(m[0].length);
        }
    }
    if (range !== "") throw new ParseError(fullLayout, fullValue, std, value, `: ${range} out of range`);
  }
  if (pm && hour < 12) hour += 12;
  else if (am && hour === 12) hour = 0;
  if (yday >= 0) {
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    if (yday > (leap ? 366 : 365)) throw new ParseError(fullLayout, fullValue, "", value, ": day-of-year out of range");
    const d = new Date(0);
    d.setUTCFullYear(year, 0, yday);
    if ((month >= 0 && month !== d.getUTCMonth() + 1) || (day >= 0 && day !== d.getUTCDate())) {
      throw new ParseError(
        fullLayout,
        fullValue,
        "",
        value,
        ": day-of-year does not match " +
          (month >= 0 && month !== d.getUTCMonth() + 1 ? "month" : "day"),
      );
    }
    month = d.getUTCMonth() + 1;
    day = d.getUTCDate();
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  const daysIn = new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeapYear(year) ? 1 : 0);
  if (day < 1 || day > daysIn) throw new ParseError(fullLayout, fullValue, "", value, ": day out of range");
  if (fixed) return fromWallClock(year, month, day, hour, min, sec, nsec, fixed);
  if (zoneOffset !== -1) return fromWallClock(year, month, day, hour, min, sec, nsec, fixedZone(zoneName, zoneOffset));
  if (zoneName !== "") {
    const utc = fromWallClock(year, month, day, hour, min, sec, nsec, UTC);
    const at = zone.lookup(Math.floor(utc.getTime() / 1000) - zone.lookup(Math.floor(utc.getTime() / 1000)).offset);
    let offset = at.name === zoneName ? at.offset : 0;
    if (at.name !== zoneName && zoneName.length > 3 && zoneName.startsWith("GMT")) {
      offset = Number(zoneName.slice(3)) * 3600;
    }
    return new Date(utc.getTime() - offset * 1000);
  }
  return fromWallClock(year, month, day, hour, min, sec, nsec, zone);
}

function isLeapYear(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}
