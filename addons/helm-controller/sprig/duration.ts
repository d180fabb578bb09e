/**
 * Go's `time.Duration` as int64 nanoseconds (`bigint`): `time.ParseDuration`, `Duration.String` ("1h2m3.5s",
 * "1.5µs") and `Duration.Round`.
 *
 * @module
 */
import { quote } from "../gotemplate/quote.ts";

/** Nanoseconds per unit, as `time.ParseDuration` reads them. */
const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  "\u00b5s": 1_000n,
  "\u03bcs": 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** One second in nanoseconds. */
export const SECOND = 1_000_000_000n;

const MAX_INT64 = (1n << 63n) - 1n;
const MIN_INT64 = -(1n << 63n);

/**
 * Go's `time.ParseDuration`: signed decimal numbers with units ("300ms", "-1.5h", "2h45m"); throws Go's error.
 *
 * @example
 * ```ts
 * parseDuration("1m30s"); // 90000000000n
 * parseDuration("5"); // throws 'time: missing unit in duration "5"'
 * ```
 */
export function parseDuration(s: string): bigint {
  const orig = s;
  const invalid = () => new Error(`time: invalid duration ${quote(orig)}`);
  let negative = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    negative = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0n;
  if (s === "") throw invalid();
  let total = 0n;
  while (s !== "") {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    if (m[0] === "" || m[0] === "." || (m[1] === "" && (m[2] ?? "") === "")) throw invalid();
    s = s.slice(m[0].length);
    const unitMatch = /^[^0-9.]*/.exec(s)![0];
    if (unitMatch === "") throw new Error(`time: missing unit in duration ${quote(orig)}`);
    const unit = UNITS[unitMatch];
    if (unit === undefined) throw new Error(`time: unknown unit ${quote(unitMatch)} in duration ${quote(orig)}`);
    s = s.slice(unitMatch.length);
    const whole = BigInt(m[1] === "" ? "0" : m[1]);
    const fraction = m[2] ?? "";
    let v = whole * unit;
    if (fraction !== "") {
      // Go scales the fraction in float64 and truncates, so odd fractions round as it does.
      v += BigInt(Math.trunc(Number(fraction) * (Number(unit) / 10 ** fraction.length)));
    }
    total += v;
    if (total > MAX_INT64 + (negative ? 1n : 0n)) throw invalid();
  }
  return negative ? -total : total;
}

/** Go's `fmtFrac`: the fraction of `v / 10^prec` without trailing zeros, and the integer part. */
function fraction(v: bigint, prec: number): [string, bigint] {
  let digits = "";
  let print = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    print ||= digit !== 0n;
    if (print) digits = digit.toString() + digits;
    v /= 10n;
  }
  return [print ? "." + digits : "", v];
}

/**
 * Go's `Duration.String`.
 *
 * @example
 * ```ts
 * formatDuration(3_600_000_000_000n); // "1h0m0s"
 * formatDuration(1_500n); // "1.5µs"
 * ```
 */
export function formatDuration(d: bigint): string {
  const negative = d < 0n;
  let u = negative ? -d : d;
  let out: string;
  if (u < SECOND) {
    if (u === 0n) return "0s";
    const [unit, prec] = u < 1_000n ? ["ns", 0] : u < 1_000_000n ? ["\u00b5s", 3] : ["ms", 6];
    const [frac, whole] = fraction(u, prec as number);
    out = whole.toString() + frac + unit;
  } else {
    const [frac, seconds] = fraction(u, 9);
    u = seconds;
    out = (u % 60n).toString() + frac + "s";
    u /= 60n;
    if (u > 0n) {
      out = (u % 60n).toString() + "m" + out;
      u /= 60n;
      if (u > 0n) out = u.toString() + "h" + out;
    }
  }
  return negative ? "-" + out : out;
}

/**
 * Go's `Duration.Round(m)`: to the nearest multiple of `m`, halves away from zero, saturating on overflow.
 *
 * @example
 * ```ts
 * roundDuration(1_500_000_000n, SECOND); // 2000000000n
 * ```
 */
export function roundDuration(d: bigint, m: bigint): bigint {
  if (m <= 0n) return d;
  let r = d % m;
  if (d < 0n) {
    r = -r;
    if (r + r < m) return d + r;
    const d1 = d - m + r;
    return d1 < MIN_INT64 ? MIN_INT64 : d1;
  }
  if (r + r < m) return d - r;
  const d1 = d + m - r;
  return d1 > MAX_INT64 ? MAX_INT64 : d1;
}
