/**
 * CEL's runtime values over JSON: ints are bigints (int64, overflow-checked), doubles are numbers, maps and
 * objects are {@linkcode CelMap}s; custom-object JSON is converted with the type its schema gives it, so an
 * `integer` field is an int and a `date-time` string a timestamp. Evaluation errors are {@linkcode CelEvalError}s.
 *
 * @module
 */
import type { CelType } from "./types.ts";
import { escapeProperty } from "./types.ts";

/** A CEL `uint`. */
export class CelUint {
  constructor(readonly v: bigint) {}
}

/** A CEL timestamp, in nanoseconds since the epoch. */
export class CelTimestamp {
  constructor(readonly ns: bigint) {}
}

/** A CEL duration, in nanoseconds. */
export class CelDuration {
  constructor(readonly ns: bigint) {}
}

/** A type as a value (`type(x) == int`). */
export class CelTypeValue {
  constructor(readonly name: string) {}
}

/** A runtime error of an expression (`no such key: x`, `division by zero`). */
export class CelEvalError extends Error {}

/**
 * A map (or a schema object): entries keyed by a canonical form of the key.
 *
 * @example
 * ```ts
 * new CelMap([["min", 1n]], true).get("min"); // 1n
 * ```
 */
export class CelMap {
  readonly entries = new Map<string, [CelValue, CelValue]>();

  constructor(entries: Iterable<[CelValue, CelValue]> = [], readonly isObject = false) {
    for (const [k, v] of entries) this.entries.set(mapKey(k), [k, v]);
  }

  /** The value at `key`, or undefined. */
  get(key: CelValue): CelValue | undefined {
    return this.entries.get(mapKey(key))?.[1];
  }

  has(key: CelValue): boolean {
    return this.entries.has(mapKey(key));
  }

  get size(): number {
    return this.entries.size;
  }

  keys(): CelValue[] {
    return [...this.entries.values()].map(([k]) => k);
  }
}

/** Any CEL value. */
export type CelValue =
  | bigint
  | number
  | string
  | boolean
  | null
  | Uint8Array
  | CelValue[]
  | CelMap
  | CelUint
  | CelTimestamp
  | CelDuration
  | CelTypeValue;

function mapKey(key: CelValue): string {
  if (typeof key === "string") return "s" + key;
  if (typeof key === "bigint") return "i" + key;
  if (typeof key === "boolean") return "b" + key;
  if (key instanceof CelUint) return "i" + key.v;
  if (typeof key === "number" && Number.isInteger(key)) return "i" + key;
  throw new CelEvalError(`unsupported key type`);
}

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/**
 * An int64 result, or the `integer overflow` error CEL raises.
 *
 * @example
 * ```ts
 * checkInt(2n ** 63n); // throws CelEvalError("integer overflow")
 * ```
 */
export function checkInt(v: bigint): bigint {
  if (v > INT64_MAX || v < INT64_MIN) throw new CelEvalError("integer overflow");
  return v;
}

/**
 * The CEL value of a decoded JSON value of static type `type` (dyn when unknown).
 *
 * @example
 * ```ts
 * fromJson(3, T.int); // 3n
 * fromJson({ a: 1 }, T.dyn); // CelMap { a: 1n }
 * ```
 */
export function fromJson(value: unknown, type: CelType | undefined): CelValue {
  if (value === null || value === undefined) return null;
  const t = type ?? { k: "dyn" };
  switch (t.k) {
    case "int":
      return typeof value === "number" && Number.isInteger(value) ? BigInt(value) : dynamic(value);
    case "double":
      return typeof value === "number" ? value : dynamic(value);
    case "timestamp":
      return typeof value === "string" ? parseTimestamp(value) : dynamic(value);
    case "duration":
      return typeof value === "string" ? parseDuration(value) : dynamic(value);
    case "bytes":
      return typeof value === "string" ? Uint8Array.from(atob(value), (c) => c.charCodeAt(0)) : dynamic(value);
    case "list":
      return Array.isArray(value) ? value.map((v) => fromJson(v, t.elem)) : dynamic(value);
    case "map":
      return isJsonObject(value)
        ? new CelMap(Object.entries(value).map(([k, v]) => [k, fromJson(v, t.value)]))
        : dynamic(value);
    case "object": {
      if (!isJsonObject(value)) return dynamic(value);
      const entries: [CelValue, CelValue][] = [];
      for (const [k, v] of Object.entries(value)) {
        const name = escapeProperty(k);
        if (name === undefined) continue;
        const fieldType = t.fields.get(name);
        if (fieldType) entries.push([name, fromJson(v, fieldType)]);
      }
      return new CelMap(entries, true);
    }
    default:
      return dynamic(value);
  }
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function dynamic(value: unknown): CelValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return Number.isInteger(value) ? BigInt(value) : value;
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (Array.isArray(value)) return value.map(dynamic);
  return new CelMap(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, dynamic(v)]));
}

/**
 * CEL equality (numbers compare by value across int, uint and double).
 *
 * @example
 * ```ts
 * celEquals([1n, "a"], [1n, "a"]); // true
 * ```
 */
export function celEquals(a: CelValue, b: CelValue): boolean {
  const na = numeric(a), nb = numeric(b);
  if (na !== undefined && nb !== undefined) return compareNumbers(na, nb) === 0;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => celEquals(x, b[i]));
  }
  if (a instanceof CelMap && b instanceof CelMap) {
    if (a.size !== b.size) return false;
    for (const [, [k, v]] of a.entries) {
      const other = b.get(k);
      if (other === undefined || !celEquals(v, other)) return false;
    }
    return true;
  }
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }
  if (a instanceof CelTimestamp && b instanceof CelTimestamp) return a.ns === b.ns;
  if (a instanceof CelDuration && b instanceof CelDuration) return a.ns === b.ns;
  if (a instanceof CelTypeValue && b instanceof CelTypeValue) return a.name === b.name;
  return false;
}

/** A number of any CEL numeric kind, for cross-type comparison. */
function numeric(v: CelValue): bigint | number | undefined {
  if (typeof v === "bigint" || typeof v === "number") return v;
  if (v instanceof CelUint) return v.v;
  return undefined;
}

/**
 * Order two numbers of any CEL numeric kind; NaN compares as unordered (NaN result).
 *
 * @example
 * ```ts
 * compareNumbers(1n, 1.5); // -1
 * ```
 */
export function compareNumbers(a: bigint | number, b: bigint | number): number {
  if (typeof a === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0;
  const x = Number(a), y = Number(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Order two values of the same comparable kind (numbers, strings, bools, bytes, timestamps, durations).
 *
 * @example
 * ```ts
 * compareValues("a", "b"); // -1
 * ```
 */
export function compareValues(a: CelValue, b: CelValue): number {
  const na = numeric(a), nb = numeric(b);
  if (na !== undefined && nb !== undefined) return compareNumbers(na, nb);
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  if (a instanceof CelTimestamp && b instanceof CelTimestamp) return a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0;
  if (a instanceof CelDuration && b instanceof CelDuration) return a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
  }
  throw new CelEvalError("no such overload");
}

/**
 * The name of a value's type, as `type()` reports it.
 *
 * @example
 * ```ts
 * celTypeOf(1n); // "int"
 * ```
 */
export function celTypeOf(v: CelValue): string {
  if (v === null) return "null_type";
  if (typeof v === "bigint") return "int";
  if (typeof v === "number") return "double";
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "bool";
  if (v instanceof Uint8Array) return "bytes";
  if (Array.isArray(v)) return "list";
  if (v instanceof CelMap) return "map";
  if (v instanceof CelUint) return "uint";
  if (v instanceof CelTimestamp) return "google.protobuf.Timestamp";
  if (v instanceof CelDuration) return "google.protobuf.Duration";
  return "type";
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2}))?$/;

/**
 * An RFC 3339 timestamp (a bare date is midnight UTC).
 *
 * @example
 * ```ts
 * parseTimestamp("2024-01-01T00:00:00Z").ns; // 1704067200000000000n
 * ```
 */
export function parseTimestamp(text: string): CelTimestamp {
  const m = RFC3339.exec(text);
  if (!m) throw new CelEvalError(`timestamp parse error: ${text}`);
  const [, y, mo, d, h = "00", mi = "00", s = "00", frac = "", zone = "Z"] = m;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${zone.toUpperCase() === "Z" ? "Z" : zone}`);
  if (Number.isNaN(ms)) throw new CelEvalError(`timestamp parse error: ${text}`);
  return new CelTimestamp(BigInt(ms) * 1_000_000n + BigInt(frac.padEnd(9, "0")));
}

/**
 * A timestamp in RFC 3339 form, as `string(timestamp)` writes it.
 *
 * @example
 * ```ts
 * formatTimestamp(parseTimestamp("2024-01-01T00:00:00Z")); // "2024-01-01T00:00:00Z"
 * ```
 */
export function formatTimestamp(t: CelTimestamp): string {
  const ms = t.ns / 1_000_000n;
  const base = new Date(Number(ms)).toISOString().slice(0, 19);
  const nanos = ((t.ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n;
  const frac = nanos === 0n ? "" : "." + String(nanos).padStart(9, "0").replace(/0+$/, "");
  return `${base}${frac}Z`;
}

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  "µs": 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/**
 * A Go duration string (`1h30m`, `1.5s`, `-300ms`).
 *
 * @example
 * ```ts
 * parseDuration("1m30s").ns; // 90000000000n
 * ```
 */
export function parseDuration(text: string): CelDuration {
  const m = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(text);
  if (!m && text !== "0") throw new CelEvalError(`duration parse error: ${text}`);
  if (text === "0") return new CelDuration(0n);
  let total = 0n;
  for (const part of text.replace(/^[+-]/, "").matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) {
    const [whole, frac = ""] = part[1].split(".");
    const unit = UNITS[part[2]];
    total += BigInt(whole || "0") * unit + (BigInt(frac.padEnd(18, "0").slice(0, 18) || "0") * unit) / 10n ** 18n;
  }
  return new CelDuration(m![1] === "-" ? -total : total);
}

/**
 * A duration as `string(duration)` writes it: seconds with up to nine decimals (`90s`, `1.5s`).
 *
 * @example
 * ```ts
 * formatDuration(parseDuration("1m30s")); // "90s"
 * ```
 */
export function formatDuration(d: CelDuration): string {
  const sign = d.ns < 0n ? "-" : "";
  const abs = d.ns < 0n ? -d.ns : d.ns;
  const frac = abs % 1_000_000_000n;
  const fraction = frac === 0n ? "" : "." + String(frac).padStart(9, "0").replace(/0+$/, "");
  return `${sign}${abs / 1_000_000_000n}${fraction}s`;
}
