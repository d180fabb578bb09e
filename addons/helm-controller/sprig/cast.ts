/**
 * The conversions Sprig leans on: spf13/cast's `ToInt64`/`ToInt`/`ToFloat64` (errors swallowed to 0, floats
 * truncated, strings parsed with Go's base prefixes) and Sprig's own `strval` (a value's string form).
 *
 * @module
 */
import { formatValue } from "../gotemplate/fmt.ts";
import { stringerText } from "../gotemplate/value.ts";
import { parseFloat, parseInt } from "./strconv.ts";

const MIN_INT64 = -(1n << 63n);

/**
 * Go's `int64(f)` conversion of a float64: truncation toward zero; NaN and out-of-range values give the most
 * negative int64, as amd64 does.
 *
 * @example
 * ```ts
 * floatToInt64(-2.7); // -2n
 * ```
 */
export function floatToInt64(f: number): bigint {
  if (Number.isNaN(f) || f >= 2 ** 63 || f < -(2 ** 63)) return MIN_INT64;
  return BigInt(Math.trunc(f));
}

/** cast's `trimZeroDecimal`: "12.000" reads as "12", "12.5" stays. */
function trimZeroDecimal(s: string): string {
  let foundZero = false;
  for (let i = s.length; i > 0; i--) {
    switch (s[i - 1]) {
      case ".":
        if (foundZero) return s.slice(0, i - 1);
        break;
      case "0":
        foundZero = true;
        break;
      default:
        return s;
    }
  }
  return s;
}

/**
 * spf13/cast's `ToInt64` (and `ToInt`, the same on 64-bit Go): ints as they are, floats truncated, strings parsed
 * with base prefixes ("0x1f", "010" is octal), bools 1/0, anything else 0.
 *
 * @example
 * ```ts
 * toInt64("12"); // 12n
 * toInt64(3.9); // 3n
 * toInt64("abc"); // 0n
 * ```
 */
export function toInt64(v: unknown): bigint {
  switch (typeof v) {
    case "bigint":
      return BigInt.asIntN(64, v);
    case "number":
      return floatToInt64(v);
    case "string": {
      const r = parseInt(trimZeroDecimal(v), 0, 0);
      return r.err ? 0n : r.value;
    }
    case "boolean":
      return v ? 1n : 0n;
  }
  return 0n;
}

/**
 * spf13/cast's `ToFloat64`: numbers as they are, strings through `strconv.ParseFloat`, bools 1/0, anything else 0.
 *
 * @example
 * ```ts
 * toFloat64("1.5"); // 1.5
 * toFloat64(2n); // 2
 * ```
 */
export function toFloat64(v: unknown): number {
  switch (typeof v) {
    case "number":
      return v;
    case "bigint":
      return Number(v);
    case "string": {
      const r = parseFloat(v);
      return r.err ? 0 : r.value;
    }
    case "boolean":
      return v ? 1 : 0;
  }
  return 0;
}

const decoder = new TextDecoder();

/**
 * Sprig's `strval`: strings as they are, `[]byte` as text, errors by message, Stringers by `String()`, anything
 * else in its `%v` form.
 *
 * @example
 * ```ts
 * strval(1e6); // "1e+06"
 * strval(null); // "<nil>"
 * ```
 */
export function strval(v: unknown): string {
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return decoder.decode(v);
  if (v instanceof Error) return v.message;
  return stringerText(v) ?? formatValue(v);
}
