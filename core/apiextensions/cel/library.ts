/**
 * The functions and operators a CRD rule may call — CEL's standard library plus the Kubernetes extensions most
 * rules use (extended strings, `lists`, `regex`) — each as a type signature the checker resolves and an
 * implementation the interpreter runs. Anything not here is an undeclared reference when the CRD is written.
 *
 * @module
 */
import { type CelType, listOf, T, unify } from "./types.ts";
import {
  CelDuration,
  celEquals,
  CelEvalError,
  CelMap,
  CelTimestamp,
  celTypeOf,
  CelTypeValue,
  CelUint,
  type CelValue,
  checkInt,
  compareValues,
  formatDuration,
  formatTimestamp,
  parseDuration,
  parseTimestamp,
} from "./values.ts";

/** One callable form: its result type for given argument types (undefined: does not apply), and its code. */
export interface Overload {
  /** `target` is the receiver's type for member calls (`s.size()`), absent for global calls. */
  check(args: CelType[], target?: CelType): CelType | undefined;
  run(args: CelValue[], target?: CelValue): CelValue;
}

const is = (t: CelType, ...kinds: CelType["k"][]) => t.k === "dyn" || kinds.includes(t.k);
const NUMERIC: CelType["k"][] = ["int", "uint", "double"];

function noOverload(): never {
  throw new CelEvalError("no such overload");
}

function str(v: CelValue): string {
  return typeof v === "string" ? v : noOverload();
}

function int(v: CelValue): bigint {
  return typeof v === "bigint" ? v : noOverload();
}

function list(v: CelValue): CelValue[] {
  return Array.isArray(v) ? v : noOverload();
}

/** Code points, since CEL indexes strings by them. */
function chars(s: string): string[] {
  return [...s];
}

/** The arithmetic result type of two operands, if CEL defines one. */
function arithmetic(a: CelType, b: CelType, kinds: CelType["k"][]): CelType | undefined {
  if (a.k === "dyn" && is(b, ...kinds)) return b.k === "dyn" ? T.dyn : b;
  if (b.k === "dyn" && is(a, ...kinds)) return a;
  return a.k === b.k && kinds.includes(a.k) ? a : undefined;
}

function add(a: CelValue, b: CelValue): CelValue {
  if (typeof a === "bigint" && typeof b === "bigint") return checkInt(a + b);
  if (typeof a === "number" && typeof b === "number") return a + b;
  if (a instanceof CelUint && b instanceof CelUint) return new CelUint(a.v + b.v);
  if (typeof a === "string" && typeof b === "string") return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (a instanceof Uint8Array && b instanceof Uint8Array) return new Uint8Array([...a, ...b]);
  if (a instanceof CelTimestamp && b instanceof CelDuration) return new CelTimestamp(a.ns + b.ns);
  if (a instanceof CelDuration && b instanceof CelTimestamp) return new CelTimestamp(a.ns + b.ns);
  if (a instanceof CelDuration && b instanceof CelDuration) return new CelDuration(a.ns + b.ns);
  return noOverload();
}

function subtract(a: CelValue, b: CelValue): CelValue {
  if (typeof a === "bigint" && typeof b === "bigint") return checkInt(a - b);
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (a instanceof CelUint && b instanceof CelUint) {
    if (b.v > a.v) throw new CelEvalError("unsigned integer overflow");
    return new CelUint(a.v - b.v);
  }
  if (a instanceof CelTimestamp && b instanceof CelTimestamp) return new CelDuration(a.ns - b.ns);
  if (a instanceof CelTimestamp && b instanceof CelDuration) return new CelTimestamp(a.ns - b.ns);
  if (a instanceof CelDuration && b instanceof CelDuration) return new CelDuration(a.ns - b.ns);
  return noOverload();
}

function numericOp(
  ints: (a: bigint, b: bigint) => bigint,
  doubles: ((a: number, b: number) => number) | undefined,
): (a: CelValue, b: CelValue) => CelValue {
  return (a, b) => {
    if (typeof a === "bigint" && typeof b === "bigint") return checkInt(ints(a, b));
    if (a instanceof CelUint && b instanceof CelUint) return new CelUint(ints(a.v, b.v));
    if (doubles && typeof a === "number" && typeof b === "number") return doubles(a, b);
    return noOverload();
  };
}

const divide = numericOp((a, b) => {
  if (b === 0n) throw new CelEvalError("division by zero");
  return a / b;
}, (a, b) => a / b);

const modulo = numericOp((a, b) => {
  if (b === 0n) throw new CelEvalError("modulus by zero");
  return a % b;
}, undefined);

function comparable(a: CelType, b: CelType): boolean {
  if (a.k === "dyn" || b.k === "dyn") return true;
  if (NUMERIC.includes(a.k) && NUMERIC.includes(b.k)) return true;
  return a.k === b.k && ["string", "bool", "bytes", "timestamp", "duration"].includes(a.k);
}

function comparison(test: (order: number) => boolean): Overload {
  return {
    check: ([a, b]) => comparable(a, b) ? T.bool : undefined,
    run: ([a, b]) => test(compareValues(a, b)),
  };
}

function equality(negate: boolean): Overload {
  return {
    check: ([a, b]) => unify(a, b) !== undefined || a.k === "null_type" || b.k === "null_type" ? T.bool : undefined,
    run: ([a, b]) => celEquals(a, b) !== negate,
  };
}

function sizeOf(v: CelValue): CelValue {
  if (typeof v === "string") return BigInt(chars(v).length);
  if (v instanceof Uint8Array || Array.isArray(v)) return BigInt(v.length);
  if (v instanceof CelMap) return BigInt(v.size);
  return noOverload();
}

const sizeable = (t: CelType) => is(t, "string", "bytes", "list", "map");

/** A string method `s.fn(args…)` with the given argument kinds. */
function stringMethod(
  params: CelType["k"][],
  result: CelType,
  run: (s: string, ...args: CelValue[]) => CelValue,
): Overload {
  return {
    check: (args, target) =>
      target && is(target, "string") && args.length === params.length && args.every((a, i) => is(a, params[i]))
        ? result
        : undefined,
    run: (args, target) => run(str(target!), ...args),
  };
}

/** RE2 as JavaScript: the leading `(?i)`/`(?s)` flags become RegExp flags. */
function regex(pattern: string): RegExp {
  let flags = "u";
  const m = /^\(\?([ims]+)\)/.exec(pattern);
  if (m) {
    flags += m[1];
    pattern = pattern.slice(m[0].length);
  }
  try {
    return new RegExp(pattern.replaceAll("\\z", "$").replaceAll("\\A", "^"), flags);
  } catch (error) {
    throw new CelEvalError(`invalid regular expression: ${error instanceof Error ? error.message : error}`);
  }
}

function indexOf(s: string, sub: string, from = 0n): bigint {
  const cs = chars(s);
  if (from < 0n || from > BigInt(cs.length)) throw new CelEvalError(`index out of range: ${from}`);
  const subChars = chars(sub);
  for (let i = Number(from); i + subChars.length <= cs.length; i++) {
    if (cs.slice(i, i + subChars.length).join("") === sub) return BigInt(i);
  }
  return -1n;
}

function lastIndexOf(s: string, sub: string, from?: bigint): bigint {
  const cs = chars(s);
  const subChars = chars(sub);
  const start = from === undefined ? cs.length - subChars.length : Number(from);
  if (from !== undefined && (from < 0n || from >= BigInt(cs.length))) {
    throw new CelEvalError(`index out of range: ${from}`);
  }
  for (let i = Math.min(start, cs.length - subChars.length); i >= 0; i--) {
    if (cs.slice(i, i + subChars.length).join("") === sub) return BigInt(i);
  }
  return -1n;
}

function substring(s: string, start: bigint, end?: bigint): string {
  const cs = chars(s);
  const e = end ?? BigInt(cs.length);
  if (start < 0n || start > BigInt(cs.length)) throw new CelEvalError(`index out of range: ${start}`);
  if (e < start || e > BigInt(cs.length)) throw new CelEvalError(`index out of range: ${e}`);
  return cs.slice(Number(start), Number(e)).join("");
}

function split(s: string, sep: string, limit = -1n): string[] {
  if (limit === 0n) return [];
  const parts = sep === "" ? chars(s) : s.split(sep);
  if (limit < 0n || BigInt(parts.length) <= limit) return parts;
  const n = Number(limit);
  return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}

function replace(s: string, from: string, to: string, limit = -1n): string {
  if (limit < 0n) return s.split(from).join(to);
  let out = s;
  let index = 0;
  for (let n = 0n; n < limit; n++) {
    const at = out.indexOf(from, index);
    if (at < 0) break;
    out = out.slice(0, at) + to + out.slice(at + from.length);
    index = at + to.length;
  }
  return out;
}

function toInt(v: CelValue): CelValue {
  if (typeof v === "bigint") return v;
  if (v instanceof CelUint) return checkInt(v.v);
  if (typeof v === "number") {
    if (!Number.isFinite(v) || v >= 9223372036854775807 || v <= -9223372036854775808) {
      throw new CelEvalError("integer overflow");
    }
    return BigInt(Math.trunc(v));
  }
  if (typeof v === "string") {
    if (!/^[+-]?\d+$/.test(v)) throw new CelEvalError(`cannot parse '${v}' as int`);
    return checkInt(BigInt(v));
  }
  if (v instanceof CelTimestamp) return v.ns / 1_000_000_000n;
  return noOverload();
}

function toDouble(v: CelValue): CelValue {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof CelUint) return Number(v.v);
  if (typeof v === "string") {
    const n = Number(v);
    if (v.trim() === "" || Number.isNaN(n) && v !== "NaN") throw new CelEvalError(`cannot parse '${v}' as double`);
    return n;
  }
  return noOverload();
}

/** Go's `strconv.FormatFloat(f, 'g', -1, 64)`-like rendering CEL uses for `string(double)`. */
function formatDouble(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e21) return String(v);
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "+Inf" : "-Inf";
  const [mantissa, exponent] = v.toExponential().split("e");
  const exp = Number(exponent);
  if (exp < -4 || exp >= 21) return `${mantissa}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  return String(v);
}

function toString(v: CelValue): CelValue {
  if (typeof v === "string") return v;
  if (typeof v === "bigint") return String(v);
  if (v instanceof CelUint) return String(v.v);
  if (typeof v === "number") return formatDouble(v);
  if (typeof v === "boolean") return String(v);
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  if (v instanceof CelTimestamp) return formatTimestamp(v);
  if (v instanceof CelDuration) return formatDuration(v);
  return noOverload();
}

function conversion(from: CelType["k"][], result: CelType, run: (v: CelValue) => CelValue): Overload {
  return {
    check: (args, target) => !target && args.length === 1 && is(args[0], ...from) ? result : undefined,
    run: ([v]) => run(v),
  };
}

/** A list method over its elements. */
function listMethod(
  check: (elem: CelType, args: CelType[]) => CelType | undefined,
  run: (items: CelValue[], ...args: CelValue[]) => CelValue,
): Overload {
  return {
    check: (args, target) => {
      if (!target || !is(target, "list")) return undefined;
      return check(target.k === "list" ? target.elem : T.dyn, args);
    },
    run: (args, target) => run(list(target!), ...args),
  };
}

function sorted(items: CelValue[]): boolean {
  for (let i = 1; i < items.length; i++) if (compareValues(items[i - 1], items[i]) > 0) return false;
  return true;
}

function extreme(items: CelValue[], sign: number): CelValue {
  if (items.length === 0) throw new CelEvalError("min/max called on an empty list");
  return items.reduce((best, v) => compareValues(v, best) * sign > 0 ? v : best);
}

/** A timestamp accessor, in UTC. */
function timestampPart(part: (d: Date, ns: bigint) => number): Overload {
  return {
    check: (args, target) => target && is(target, "timestamp") && args.length === 0 ? T.int : undefined,
    run: (_args, target) => {
      if (!(target instanceof CelTimestamp)) return noOverload();
      return BigInt(part(new Date(Number(target.ns / 1_000_000n)), target.ns));
    },
  };
}

/** A duration accessor: the whole duration in the unit. */
function durationPart(unit: bigint): Overload {
  return {
    check: (args, target) => target && is(target, "duration") && args.length === 0 ? T.int : undefined,
    run: (_args, target) => target instanceof CelDuration ? target.ns / unit : noOverload(),
  };
}

function dayOfYear(d: Date): number {
  return Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000);
}

/**
 * Every function and operator by name. `_&&_`, `_||_`, `_?_:_`, `has` and the comprehension macros are built into
 * the checker and interpreter, since they do not evaluate all their arguments.
 */
export const FUNCTIONS: Record<string, Overload[]> = {
  "_+_": [{
    check: ([a, b]) => {
      if (a.k === "list" && b.k === "list") return unify(a, b);
      if (a.k === "timestamp" && is(b, "duration")) return T.timestamp;
      if (a.k === "duration" && b.k === "timestamp") return T.timestamp;
      return arithmetic(a, b, ["int", "uint", "double", "string", "bytes", "list", "duration"]);
    },
    run: ([a, b]) => add(a, b),
  }],
  "_-_": [{
    check: ([a, b]) => {
      if (a.k === "timestamp" && b.k === "timestamp") return T.duration;
      if (a.k === "timestamp" && is(b, "duration")) return T.timestamp;
      return arithmetic(a, b, ["int", "uint", "double", "duration"]);
    },
    run: ([a, b]) => subtract(a, b),
  }],
  "_*_": [{
    check: ([a, b]) => arithmetic(a, b, NUMERIC),
    run: ([a, b]) => numericOp((x, y) => x * y, (x, y) => x * y)(a, b),
  }],
  "_/_": [{ check: ([a, b]) => arithmetic(a, b, NUMERIC), run: ([a, b]) => divide(a, b) }],
  "_%_": [{ check: ([a, b]) => arithmetic(a, b, ["int", "uint"]), run: ([a, b]) => modulo(a, b) }],
  "-_": [{
    check: ([a]) => is(a, "int", "double") ? a : undefined,
    run: ([a]) => typeof a === "bigint" ? checkInt(-a) : typeof a === "number" ? -a : noOverload(),
  }],
  "!_": [{
    check: ([a]) => is(a, "bool") ? T.bool : undefined,
    run: ([a]) => typeof a === "boolean" ? !a : noOverload(),
  }],
  "_<_": [comparison((o) => o < 0)],
  "_<=_": [comparison((o) => o <= 0)],
  "_>_": [comparison((o) => o > 0)],
  "_>=_": [comparison((o) => o >= 0)],
  "_==_": [equality(false)],
  "_!=_": [equality(true)],
  "@in": [{
    check: ([a, b]) => {
      if (b.k === "list") return unify(a, b.elem) !== undefined ? T.bool : undefined;
      if (b.k === "map") return unify(a, b.key) !== undefined ? T.bool : undefined;
      return b.k === "dyn" ? T.bool : undefined;
    },
    run: ([a, b]) => {
      if (Array.isArray(b)) return b.some((x) => celEquals(a, x));
      if (b instanceof CelMap) return b.has(a);
      return noOverload();
    },
  }],
  "_[_]": [{
    check: ([c, i]) => {
      if (c.k === "list") return is(i, "int", "uint") ? c.elem : undefined;
      if (c.k === "map") return unify(c.key, i) !== undefined ? c.value : undefined;
      return c.k === "dyn" ? T.dyn : undefined;
    },
    run: ([c, i]) => {
      if (Array.isArray(c)) {
        const index = typeof i === "bigint"
          ? i
          : i instanceof CelUint
          ? i.v
          : typeof i === "number" && Number.isInteger(i)
          ? BigInt(i)
          : noOverload();
        if (index < 0n || index >= BigInt(c.length)) throw new CelEvalError(`index out of bounds: ${index}`);
        return c[Number(index)];
      }
      if (c instanceof CelMap) {
        const v = c.get(i);
        if (v === undefined) throw new CelEvalError(`no such key: ${typeof i === "string" ? i : String(i)}`);
        return v;
      }
      return noOverload();
    },
  }],
  size: [{
    check: (args, target) => {
      const subject = target ?? (args.length === 1 ? args[0] : undefined);
      return subject && (target ? args.length === 0 : true) && sizeable(subject) ? T.int : undefined;
    },
    run: (args, target) => sizeOf(target ?? args[0]),
  }],
  contains: [stringMethod(["string"], T.bool, (s, sub) => s.includes(str(sub)))],
  startsWith: [stringMethod(["string"], T.bool, (s, p) => s.startsWith(str(p)))],
  endsWith: [stringMethod(["string"], T.bool, (s, p) => s.endsWith(str(p)))],
  matches: [
    stringMethod(["string"], T.bool, (s, re) => regex(str(re)).test(s)),
    {
      check: (args, target) => !target && args.length === 2 && args.every((a) => is(a, "string")) ? T.bool : undefined,
      run: ([s, re]) => regex(str(re)).test(str(s)),
    },
  ],
  find: [stringMethod(["string"], T.string, (s, re) => regex(str(re)).exec(s)?.[0] ?? "")],
  findAll: [
    stringMethod(
      ["string"],
      listOf(T.string),
      (s, re) => [...s.matchAll(new RegExp(regex(str(re)), "gu"))].map((m) => m[0]),
    ),
    stringMethod(["string", "int"], listOf(T.string), (s, re, n) => {
      const all = [...s.matchAll(new RegExp(regex(str(re)), "gu"))].map((m) => m[0]);
      return int(n) < 0n ? all : all.slice(0, Number(n));
    }),
  ],
  charAt: [stringMethod(["int"], T.string, (s, i) => {
    const cs = chars(s);
    if (int(i) < 0n || int(i) > BigInt(cs.length)) throw new CelEvalError(`index out of range: ${i}`);
    return cs[Number(i)] ?? "";
  })],
  indexOf: [
    stringMethod(["string"], T.int, (s, sub) => indexOf(s, str(sub))),
    stringMethod(["string", "int"], T.int, (s, sub, from) => indexOf(s, str(sub), int(from))),
    listMethod(
      (elem, args) => args.length === 1 && unify(elem, args[0]) ? T.int : undefined,
      (items, v) => BigInt(items.findIndex((x) => celEquals(x, v))),
    ),
  ],
  lastIndexOf: [
    stringMethod(["string"], T.int, (s, sub) => lastIndexOf(s, str(sub))),
    stringMethod(["string", "int"], T.int, (s, sub, from) => lastIndexOf(s, str(sub), int(from))),
    listMethod((elem, args) => args.length === 1 && unify(elem, args[0]) ? T.int : undefined, (items, v) => {
      for (let i = items.length - 1; i >= 0; i--) if (celEquals(items[i], v)) return BigInt(i);
      return -1n;
    }),
  ],
  lowerAscii: [stringMethod([], T.string, (s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase()))],
  upperAscii: [stringMethod([], T.string, (s) => s.replace(/[a-z]/g, (c) => c.toUpperCase()))],
  trim: [stringMethod([], T.string, (s) => s.trim())],
  replace: [
    stringMethod(["string", "string"], T.string, (s, a, b) => replace(s, str(a), str(b))),
    stringMethod(["string", "string", "int"], T.string, (s, a, b, n) => replace(s, str(a), str(b), int(n))),
  ],
  split: [
    stringMethod(["string"], listOf(T.string), (s, sep) => split(s, str(sep))),
    stringMethod(["string", "int"], listOf(T.string), (s, sep, n) => split(s, str(sep), int(n))),
  ],
  substring: [
    stringMethod(["int"], T.string, (s, a) => substring(s, int(a))),
    stringMethod(["int", "int"], T.string, (s, a, b) => substring(s, int(a), int(b))),
  ],
  join: [
    listMethod(
      (elem, args) => is(elem, "string") && args.length === 0 ? T.string : undefined,
      (items) => items.map(str).join(""),
    ),
    listMethod(
      (elem, args) => is(elem, "string") && args.length === 1 && is(args[0], "string") ? T.string : undefined,
      (items, sep) => items.map(str).join(str(sep)),
    ),
  ],
  isSorted: [listMethod((elem, args) => args.length === 0 && comparable(elem, elem) ? T.bool : undefined, sorted)],
  sum: [
    listMethod(
      (elem, args) => args.length === 0 && is(elem, ...NUMERIC, "duration") ? elem : undefined,
      (items) =>
        items.reduce<CelValue>(
          (acc, v) => add(acc, v),
          items.length
            ? (typeof items[0] === "number"
              ? 0
              : items[0] instanceof CelUint
              ? new CelUint(0n)
              : items[0] instanceof CelDuration
              ? new CelDuration(0n)
              : 0n)
            : 0n,
        ),
    ),
  ],
  min: [
    listMethod(
      (elem, args) => args.length === 0 && comparable(elem, elem) ? elem : undefined,
      (items) => extreme(items, -1),
    ),
  ],
  max: [
    listMethod(
      (elem, args) => args.length === 0 && comparable(elem, elem) ? elem : undefined,
      (items) => extreme(items, 1),
    ),
  ],
  int: [conversion(["int", "uint", "double", "string", "timestamp"], T.int, toInt)],
  uint: [conversion(["int", "uint", "double", "string"], T.uint, (v) => {
    const i = toInt(v instanceof CelUint ? v.v : v);
    if (typeof i !== "bigint" || i < 0n) throw new CelEvalError("unsigned integer overflow");
    return new CelUint(i);
  })],
  double: [conversion(["int", "uint", "double", "string"], T.double, toDouble)],
  string: [
    conversion(["int", "uint", "double", "string", "bool", "bytes", "timestamp", "duration"], T.string, toString),
  ],
  bool: [conversion(["bool", "string"], T.bool, (v) => {
    if (typeof v === "boolean") return v;
    if (["true", "True", "TRUE", "t", "1"].includes(str(v))) return true;
    if (["false", "False", "FALSE", "f", "0"].includes(str(v))) return false;
    throw new CelEvalError(`cannot parse '${v}' as bool`);
  })],
  bytes: [conversion(["bytes", "string"], T.bytes, (v) => typeof v === "string" ? new TextEncoder().encode(v) : v)],
  dyn: [{ check: (args, target) => !target && args.length === 1 ? T.dyn : undefined, run: ([v]) => v }],
  type: [{
    check: (args, target) => !target && args.length === 1 ? { k: "type", of: args[0] } : undefined,
    run: ([v]) => new CelTypeValue(celTypeOf(v)),
  }],
  duration: [
    conversion(["string", "duration"], T.duration, (v) => v instanceof CelDuration ? v : parseDuration(str(v))),
  ],
  timestamp: [conversion(["string", "timestamp", "int"], T.timestamp, (v) => {
    if (v instanceof CelTimestamp) return v;
    if (typeof v === "bigint") return new CelTimestamp(v * 1_000_000_000n);
    return parseTimestamp(str(v));
  })],
  getFullYear: [timestampPart((d) => d.getUTCFullYear())],
  getMonth: [timestampPart((d) => d.getUTCMonth())],
  getDayOfMonth: [timestampPart((d) => d.getUTCDate() - 1)],
  getDate: [timestampPart((d) => d.getUTCDate())],
  getDayOfWeek: [timestampPart((d) => d.getUTCDay())],
  getDayOfYear: [timestampPart(dayOfYear)],
  getHours: [timestampPart((d) => d.getUTCHours()), durationPart(3_600_000_000_000n)],
  getMinutes: [timestampPart((d) => d.getUTCMinutes()), durationPart(60_000_000_000n)],
  getSeconds: [timestampPart((d) => d.getUTCSeconds()), durationPart(1_000_000_000n)],
  getMilliseconds: [
    timestampPart((_d, ns) => Number(((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n / 1_000_000n)),
    durationPart(1_000_000n),
  ],
};

/** Identifiers that name types (`type(x) == string`). */
export const TYPE_NAMES: Record<string, CelType> = {
  int: T.int,
  uint: T.uint,
  double: T.double,
  string: T.string,
  bool: T.bool,
  bytes: T.bytes,
  null_type: T.null,
  list: listOf(T.dyn),
  map: { k: "map", key: T.dyn, value: T.dyn },
  type: { k: "type", of: T.dyn },
};
