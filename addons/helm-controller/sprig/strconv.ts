/**
 * Go's `strconv` number parsing — `ParseInt`, `ParseUint`, `ParseFloat` and `Atoi` — with `*NumError` messages
 * (`strconv.ParseInt: parsing "x": invalid syntax`), which Sprig's conversions and the semver parser build on.
 *
 * @module
 */
import { underscoreOK } from "../gotemplate/number.ts";
import { quote } from "../gotemplate/quote.ts";

/** A Go `*strconv.NumError`: which function failed on which input, and why. */
export class NumError extends Error {
  constructor(fn: string, input: string, readonly reason: "invalid syntax" | "value out of range" | string) {
    super(`strconv.${fn}: parsing ${quote(input)}: ${reason}`);
  }
}

/** The result of a parse: Go returns the clamped value alongside a range error, so both are kept. */
export interface Parsed<T> {
  value: T;
  err?: NumError;
}

const DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";

/**
 * Go's `strconv.ParseUint(s, base, bitSize)`; base 0 reads `0x`, `0o`, `0b` and a leading `0` (octal) prefixes
 * and allows `_` separators.
 *
 * @example
 * ```ts
 * parseUint("0x1f", 0, 64).value; // 31n
 * parseUint("-1", 10, 64).err?.message; // 'strconv.ParseUint: parsing "-1": invalid syntax'
 * ```
 */
export function parseUint(s: string, base: number, bitSize: number, fn = "ParseUint"): Parsed<bigint> {
  if (s === "") return { value: 0n, err: new NumError(fn, s, "invalid syntax") };
  const base0 = base === 0;
  let body = s;
  if (base0) {
    base = 10;
    if (body[0] === "0") {
      if (body.length >= 3 && "bB".includes(body[1])) [base, body] = [2, body.slice(2)];
      else if (body.length >= 3 && "oO".includes(body[1])) [base, body] = [8, body.slice(2)];
      else if (body.length >= 3 && "xX".includes(body[1])) [base, body] = [16, body.slice(2)];
      else [base, body] = [8, body.slice(1)];
    }
  } else if (base < 2 || base > 36) {
    return { value: 0n, err: new NumError(fn, s, `invalid base ${base}`) };
  }
  const max = (1n << BigInt(bitSize === 0 ? 64 : bitSize)) - 1n;
  let n = 0n;
  let underscores = false;
  const b = BigInt(base);
  for (const c of body.toLowerCase()) {
    if (c === "_" && base0) {
      underscores = true;
      continue;
    }
    const d = DIGITS.indexOf(c);
    if (d < 0 || d >= base) return { value: 0n, err: new NumError(fn, s, "invalid syntax") };
    n = n * b + BigInt(d);
    if (n > max) {
      return { value: max, err: new NumError(fn, s, "value out of range") };
    }
  }
  if (underscores && !underscoreOK(s)) return { value: 0n, err: new NumError(fn, s, "invalid syntax") };
  return { value: n };
}

/**
 * Go's `strconv.ParseInt(s, base, bitSize)`: an optional sign, then {@link parseUint}; out-of-range values are
 * clamped and reported.
 *
 * @example
 * ```ts
 * parseInt("-0o17", 0, 64).value; // -15n
 * parseInt("99999999999999999999", 10, 64).value; // 9223372036854775807n (with a range error)
 * ```
 */
export function parseInt(s: string, base: number, bitSize: number, fn = "ParseInt"): Parsed<bigint> {
  if (s === "") return { value: 0n, err: new NumError(fn, s, "invalid syntax") };
  let body = s;
  let negative = false;
  if (s[0] === "+" || s[0] === "-") {
    negative = s[0] === "-";
    body = s.slice(1);
  }
  const u = parseUint(body, base, bitSize, fn);
  if (u.err && u.err.reason !== "value out of range") return { value: 0n, err: new NumError(fn, s, u.err.reason) };
  const cutoff = 1n << BigInt((bitSize === 0 ? 64 : bitSize) - 1);
  if (u.err || (!negative && u.value >= cutoff)) {
    return { value: negative ? -cutoff : cutoff - 1n, err: new NumError(fn, s, "value out of range") };
  }
  if (negative && u.value > cutoff) return { value: -cutoff, err: new NumError(fn, s, "value out of range") };
  return { value: negative ? -u.value : u.value };
}

/**
 * Go's `strconv.Atoi`: base 10 only, an optional sign, no prefixes or separators.
 *
 * @example
 * ```ts
 * atoi("42").value; // 42n
 * atoi("4x").err?.message; // 'strconv.Atoi: parsing "4x": invalid syntax'
 * ```
 */
export function atoi(s: string): Parsed<bigint> {
  return parseInt(s, 10, 64, "Atoi");
}

const DECIMAL_FLOAT = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const HEX_FLOAT = /^([+-]?)0[xX]((?:_?[0-9a-fA-F])*)(?:\.((?:[0-9a-fA-F](?:_?[0-9a-fA-F])*)?))?[pP]([+-]?\d(?:_?\d)*)$/;
const SPECIAL_FLOAT = /^([+-]?)(inf|infinity|nan)$/i;

/**
 * Go's `strconv.ParseFloat(s, 64)`: decimal and hexadecimal (`0x1p-2`) forms, `inf`/`infinity`/`nan` in any case,
 * `_` only in base-prefixed forms; an overflow is ±Inf with a range error.
 *
 * @example
 * ```ts
 * parseFloat("1e3").value; // 1000
 * parseFloat("0x1p-2").value; // 0.25
 * parseFloat("1_0").err?.message; // 'strconv.ParseFloat: parsing "1_0": invalid syntax'
 * ```
 */
export function parseFloat(s: string): Parsed<number> {
  const special = SPECIAL_FLOAT.exec(s);
  if (special) {
    if (special[2].toLowerCase() === "nan") return { value: NaN };
    return { value: special[1] === "-" ? -Infinity : Infinity };
  }
  const hex = HEX_FLOAT.exec(s);
  if (hex && underscoreOK(s) && (hex[2].replaceAll("_", "") !== "" || (hex[3] ?? "") !== "")) {
    const intDigits = hex[2].replaceAll("_", "");
    const fracDigits = (hex[3] ?? "").replaceAll("_", "");
    const mantissa = BigInt("0x0" + intDigits + fracDigits);
    const exp = Number(hex[4].replaceAll("_", "")) - 4 * fracDigits.length;
    let value = Number(mantissa) * 2 ** exp;
    if (!Number.isFinite(value) && mantissa !== 0n) value = exp > 0 ? Infinity : 0;
    if (hex[1] === "-") value = -value;
    if (!Number.isFinite(value)) return { value, err: new NumError("ParseFloat", s, "value out of range") };
    return { value };
  }
  if (!DECIMAL_FLOAT.test(s) || s.includes("_")) {
    return { value: 0, err: new NumError("ParseFloat", s, "invalid syntax") };
  }
  const value = Number(s);
  if (!Number.isFinite(value)) return { value, err: new NumError("ParseFloat", s, "value out of range") };
  return { value };
}
