/**
 * Sprig's math: integer arithmetic on int64 (`add`, `sub`, `mul`, `div`, `mod`, `max`, `min`, …; arguments
 * converted with cast's `ToInt64`), float math through exact decimals (`addf`, `divf`, …), rounding, integer
 * sequences (`until`, `untilStep`, `seq`) and the numeric conversions (`int`, `int64`, `float64`, `atoi`,
 * `toDecimal`).
 *
 * @module
 */
import { sprint } from "../gotemplate/fmt.ts";
import { withSignature as fn } from "../gotemplate/signature.ts";
import type { GoFunc } from "../gotemplate/value.ts";
import { toFloat64, toInt64 } from "./cast.ts";
import { Decimal } from "./decimal.ts";
import { atoi, parseInt } from "./strconv.ts";

const wrap = (n: bigint) => BigInt.asIntN(64, n);

function checkDivisor(b: bigint): bigint {
  if (b === 0n) throw new Error("runtime error: integer divide by zero");
  return b;
}

/**
 * Sprig's `untilStep`: the ints from `start` towards `stop` (exclusive) by `step`; empty when the step points the
 * other way.
 *
 * @example
 * ```ts
 * untilStep(0n, 10n, 3n); // [0n, 3n, 6n, 9n]
 * untilStep(5n, 0n, -2n); // [5n, 3n, 1n]
 * ```
 */
export function untilStep(start: bigint, stop: bigint, step: bigint): bigint[] {
  const out: bigint[] = [];
  if (stop < start) {
    if (step >= 0n) return out;
    for (let i = start; i > stop; i += step) out.push(i);
    return out;
  }
  if (step <= 0n) return out;
  for (let i = start; i < stop; i += step) out.push(i);
  return out;
}

/**
 * Sprig's `seq`, like the Unix command: `seq END`, `seq START END` or `seq START STEP END`, as a space-separated
 * string.
 *
 * @example
 * ```ts
 * seq(5n); // "1 2 3 4 5"
 * seq(10n, -3n, 0n); // "10 7 4 1"
 * ```
 */
export function seq(...params: bigint[]): string {
  const join = (l: bigint[]) => l.join(" ");
  switch (params.length) {
    case 1: {
      const end = params[0];
      const inc = end < 1n ? -1n : 1n;
      return join(untilStep(1n, end + inc, inc));
    }
    case 2: {
      const [start, end] = params;
      const step = end < start ? -1n : 1n;
      return join(untilStep(start, end + step, step));
    }
    case 3: {
      const [start, step, end] = params;
      let inc = 1n;
      if (end < start) {
        inc = -1n;
        if (step > 0n) return "";
      }
      return join(untilStep(start, end + inc, step));
    }
  }
  return "";
}

/**
 * Sprig's `round`: `a` to `places` decimals, rounding up when the dropped fraction is at least `roundOn`
 * (default .5).
 *
 * @example
 * ```ts
 * round(123.5555, 3); // 123.556
 * round(123.5555, 3, 0.6); // 123.555
 * ```
 */
export function round(a: unknown, places: number, roundOn = 0.5): number {
  const pow = 10 ** places;
  const digit = pow * toFloat64(a);
  const frac = digit - Math.trunc(digit);
  return (frac >= roundOn ? Math.ceil(digit) : Math.floor(digit)) / pow;
}

/** Sprig's `execDecimalOp`: folds `op` over the arguments as exact decimals, back to a float64. */
function decimalOp(first: unknown, rest: unknown[], op: (a: Decimal, b: Decimal) => Decimal): number {
  let acc = Decimal.fromFloat(toFloat64(first));
  for (const x of rest) acc = op(acc, Decimal.fromFloat(toFloat64(x)));
  return acc.toFloat();
}

/**
 * Sprig's `toDecimal`: a value's text read as an octal number (Unix file modes), 0 when it is not one.
 *
 * @example
 * ```ts
 * toDecimal("0777"); // 511n
 * ```
 */
export function toDecimal(v: unknown): bigint {
  const r = parseInt(sprint(v), 8, 64);
  return r.err ? 0n : r.value;
}

const any = "interface {}";

/** Sprig's math functions by their template names. */
export const mathFunctions: Record<string, GoFunc> = {
  add1: fn((i) => wrap(toInt64(i) + 1n), [any]),
  add: fn((...i) => wrap(i.reduce<bigint>((a, b) => a + toInt64(b), 0n)), [], any),
  sub: fn((a, b) => wrap(toInt64(a) - toInt64(b)), [any, any]),
  div: fn((a, b) => wrap(toInt64(a) / checkDivisor(toInt64(b))), [any, any]),
  mod: fn((a, b) => toInt64(a) % checkDivisor(toInt64(b)), [any, any]),
  mul: fn((a, ...v) => v.reduce<bigint>((acc, b) => wrap(acc * toInt64(b)), toInt64(a)), [any], any),
  randInt: fn((min, max) => {
    const n = BigInt(max as bigint) - BigInt(min as bigint);
    if (n <= 0n) throw new Error("invalid argument to Intn");
    return BigInt(Math.floor(Math.random() * Number(n))) + BigInt(min as bigint);
  }, ["int", "int"]),
  add1f: fn((i) => decimalOp(i, [1], (a, b) => a.add(b)), [any]),
  addf: fn((...i) => decimalOp(0, i, (a, b) => a.add(b)), [], any),
  subf: fn((a, ...v) => decimalOp(a, v, (x, y) => x.sub(y)), [any], any),
  divf: fn((a, ...v) => decimalOp(a, v, (x, y) => x.div(y)), [any], any),
  mulf: fn((a, ...v) => decimalOp(a, v, (x, y) => x.mul(y)), [any], any),
  biggest: fn((a, ...i) => i.map(toInt64).reduce((m, b) => b > m ? b : m, toInt64(a)), [any], any),
  max: fn((a, ...i) => i.map(toInt64).reduce((m, b) => b > m ? b : m, toInt64(a)), [any], any),
  min: fn((a, ...i) => i.map(toInt64).reduce((m, b) => b < m ? b : m, toInt64(a)), [any], any),
  maxf: fn((a, ...i) => i.map(toFloat64).reduce((m, b) => Math.max(m, b), toFloat64(a)), [any], any),
  minf: fn((a, ...i) => i.map(toFloat64).reduce((m, b) => Math.min(m, b), toFloat64(a)), [any], any),
  ceil: fn((a) => Math.ceil(toFloat64(a)), [any]),
  floor: fn((a) => Math.floor(toFloat64(a)), [any]),
  round: fn((a, p, ...r) => round(a, Number(p), r.length > 0 ? Number(r[0]) : 0.5), [any, "int"], "float64"),
  until: fn((n) => untilStep(0n, BigInt(n as bigint), (n as bigint) < 0n ? -1n : 1n), ["int"]),
  untilStep: fn((a, b, s) => untilStep(BigInt(a as bigint), BigInt(b as bigint), BigInt(s as bigint)), [
    "int",
    "int",
    "int",
  ]),
  seq: fn((...p) => seq(...p.map((x) => BigInt(x as bigint))), [], "int"),
  atoi: fn((s) => atoi(s as string).value, ["string"]),
  int64: fn((v) => toInt64(v), [any]),
  int: fn((v) => toInt64(v), [any]),
  float64: fn((v) => toFloat64(v), [any]),
  toDecimal: fn((v) => toDecimal(v), [any]),
};
