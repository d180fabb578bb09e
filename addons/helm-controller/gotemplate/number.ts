/**
 * Number constants in templates as Go reads them: `strconv.ParseInt`/`ParseUint` with base 0 (`0x`, `0o`, `0b`,
 * a leading `0` for octal, `_` separators), `ParseFloat` (decimal and hex floats) and character constants, each
 * value kept under every type that can hold it, like Go's ideal constants.
 *
 * @module
 */
import { quote, unquote } from "./quote.ts";

/** The typed readings of one number constant. */
export interface NumberValue {
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  int64: bigint;
  uint64: bigint;
  float64: number;
}

const MAX_UINT64 = (1n << 64n) - 1n;
const MAX_INT64 = (1n << 63n) - 1n;

/**
 * Go's `underscoreOK`: underscores only between digits (a base prefix counts as a digit); Sprig's
 * strconv uses it too.
 *
 * ```ts
 * underscoreOK("1_000"); // true
 * underscoreOK("1__0"); // false
 * ```
 */
export function underscoreOK(s: string): boolean {
  let saw = "^";
  let i = 0;
  if (s[0] === "-" || s[0] === "+") s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === "0" && "bBoOxX".includes(s[1])) {
    i = 2;
    saw = "0";
    hex = s[1] === "x" || s[1] === "X";
  }
  for (; i < s.length; i++) {
    const c = s[i];
    if ((c >= "0" && c <= "9") || (hex && /[a-fA-F]/.test(c))) {
      saw = "0";
      continue;
    }
    if (c === "_") {
      if (saw !== "0") return false;
      saw = "_";
      continue;
    }
    if (saw === "_") return false;
    saw = "!";
  }
  return saw !== "_";
}

/** `strconv.ParseUint(s, 0, 64)`, or `undefined` on a syntax or range error. */
function parseUint(s0: string): bigint | undefined {
  if (s0 === "") return undefined;
  if (/^[1-9]\d{0,15}$/.test(s0)) return BigInt(s0);
  let s = s0;
  let base = 10n;
  if (s[0] === "0") {
    if (s.length >= 3 && "bB".includes(s[1])) [base, s] = [2n, s.slice(2)];
    else if (s.length >= 3 && "oO".includes(s[1])) [base, s] = [8n, s.slice(2)];
    else if (s.length >= 3 && "xX".includes(s[1])) [base, s] = [16n, s.slice(2)];
    else [base, s] = [8n, s.slice(1)];
  }
  let n = 0n;
  let underscores = false;
  for (const c of s) {
    if (c === "_") {
      underscores = true;
      continue;
    }
    const d = parseInt(c, 36);
    if (Number.isNaN(d) || BigInt(d) >= base) return undefined;
    n = n * base + BigInt(d);
    if (n > MAX_UINT64) return undefined;
  }
  if (underscores && !underscoreOK(s0)) return undefined;
  return n;
}

/** `strconv.ParseInt(s, 0, 64)`, or `undefined` on a syntax or range error. */
function parseInt64(s: string): bigint | undefined {
  if (s === "") return undefined;
  const negative = s[0] === "-";
  const magnitude = parseUint(s[0] === "-" || s[0] === "+" ? s.slice(1) : s);
  if (magnitude === undefined) return undefined;
  if (negative ? magnitude > MAX_INT64 + 1n : magnitude > MAX_INT64) return undefined;
  return negative ? -magnitude : magnitude;
}

/** `strconv.ParseFloat(s, 64)` for Go's literal forms, or `undefined` on a syntax or range error. */
function parseFloat64(s: string): number | undefined {
  if (s.includes("_") && !underscoreOK(s)) return undefined;
  const text = s.replaceAll("_", "");
  let value: number;
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(text);
  if (hex) {
    const [, sign, whole, fraction = "", exponent] = hex;
    if (whole === "" && fraction === "") return undefined;
    const mantissa = BigInt("0x" + (whole + fraction || "0"));
    value = Number(mantissa) * 2 ** (Number(exponent) - 4 * fraction.length);
    if (sign === "-") value = -value;
  } else if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    value = Number(text);
  } else {
    return undefined;
  }
  return Number.isFinite(value) ? value : undefined;
}

/**
 * Reads a number or character constant as Go's parser does; throws an `Error` with Go's message
 * (`illegal number syntax: "1x"`, `integer overflow: "089"`, `malformed character constant: 'ab'`).
 *
 * @example
 * ```ts
 * parseNumber("0x1F", false); // { isInt: true, int64: 31n, isFloat: true, float64: 31, … }
 * parseNumber("'a'", true).int64; // 97n
 * ```
 */
export function parseNumber(text: string, isChar: boolean): NumberValue {
  const n: NumberValue = { isInt: false, isUint: false, isFloat: false, int64: 0n, uint64: 0n, float64: 0 };
  if (isChar) {
    const chars = [...unquote(text)];
    if (chars.length === 0) throw new Error("invalid syntax");
    if (chars.length > 1) throw new Error(`malformed character constant: ${text}`);
    const r = BigInt(chars[0].codePointAt(0)!);
    return { isInt: true, isUint: true, isFloat: true, int64: r, uint64: r, float64: Number(r) };
  }
  if (text.endsWith("i")) throw new Error(`complex constant ${quote(text)} is not supported`);
  const u = parseUint(text);
  if (u !== undefined) {
    n.isUint = true;
    n.uint64 = u;
  }
  const i = parseInt64(text);
  if (i !== undefined) {
    n.isInt = true;
    n.int64 = i;
    if (i === 0n) {
      n.isUint = true;
      n.uint64 = u ?? 0n;
    }
  }
  if (n.isInt) {
    n.isFloat = true;
    n.float64 = Number(n.int64);
  } else if (n.isUint) {
    n.isFloat = true;
    n.float64 = Number(n.uint64);
  } else {
    const f = parseFloat64(text);
    if (f !== undefined) {
      if (!/[.eEpP]/.test(text)) throw new Error(`integer overflow: ${quote(text)}`);
      n.isFloat = true;
      n.float64 = f;
      if (Number.isInteger(f) && f >= -(2 ** 63) && f < 2 ** 63) {
        n.isInt = true;
        n.int64 = BigInt(f);
      }
      if (Number.isInteger(f) && f >= 0 && f < 2 ** 64) {
        n.isUint = true;
        n.uint64 = BigInt(f);
      }
    }
  }
  if (!n.isInt && !n.isUint && !n.isFloat) throw new Error(`illegal number syntax: ${quote(text)}`);
  return n;
}
