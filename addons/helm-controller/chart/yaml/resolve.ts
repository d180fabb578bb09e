/**
 * How go-yaml v2 (the YAML library under sigs.k8s.io/yaml, which Helm 3 reads every YAML file with) resolves an
 * unquoted scalar: YAML 1.1 booleans (`yes`, `on`, `y`…), `~`/`null`, Go's integer syntax (`0755` is octal,
 * `0x1F`, underscores), floats, `.inf`/`.nan`, timestamps and the merge key `<<`.
 *
 * @module
 */

/** What a plain scalar resolves to; ints carry int64/uint64 values as bigint, as go-yaml keeps them exact. */
export type Resolved =
  | { tag: "null"; value: null }
  | { tag: "bool"; value: boolean }
  | { tag: "int"; value: bigint }
  | { tag: "float"; value: number }
  | { tag: "timestamp"; value: string }
  | { tag: "merge"; value: string }
  | { tag: "str"; value: string };

const TABLE: Record<string, Resolved> = {};
for (const s of ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]) {
  TABLE[s] = { tag: "bool", value: true };
}
for (const s of ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]) {
  TABLE[s] = { tag: "bool", value: false };
}
for (const s of ["", "~", "null", "Null", "NULL"]) TABLE[s] = { tag: "null", value: null };
for (const s of [".nan", ".NaN", ".NAN"]) TABLE[s] = { tag: "float", value: NaN };
for (const s of [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"]) TABLE[s] = { tag: "float", value: Infinity };
for (const s of ["-.inf", "-.Inf", "-.INF"]) TABLE[s] = { tag: "float", value: -Infinity };
TABLE["<<"] = { tag: "merge", value: "<<" };

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const DIGITS: Record<number, RegExp> = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ };

/**
 * Resolves a plain (unquoted, untagged) scalar the way go-yaml v2 does.
 *
 * @example
 * ```ts
 * resolvePlain("yes"); // { tag: "bool", value: true }
 * resolvePlain("0755"); // { tag: "int", value: 493n }
 * resolvePlain("2024-01-02"); // { tag: "timestamp", value: "2024-01-02" }
 * ```
 */
export function resolvePlain(text: string): Resolved {
  const known = TABLE[text];
  if (known) return known;
  const hint = text[0];
  if (hint === ".") {
    const f = parseGoFloat(text);
    return f === undefined ? str(text) : { tag: "float", value: f };
  }
  if (hint !== "+" && hint !== "-" && !(hint >= "0" && hint <= "9")) return str(text);
  if (isTimestamp(text)) return { tag: "timestamp", value: text };
  const plain = text.replaceAll("_", "");
  const int = parseGoInt(plain, true) ?? parseGoInt(plain, false);
  if (int !== undefined) return { tag: "int", value: int };
  if (YAML_STYLE_FLOAT.test(plain)) {
    const f = parseGoFloat(plain);
    if (f !== undefined) return { tag: "float", value: f };
  }
  if (plain.startsWith("0b")) {
    const v = parseDigits(plain.slice(2), 2);
    if (v !== undefined && v <= UINT64_MAX) return { tag: "int", value: v };
  } else if (plain.startsWith("-0b")) {
    const v = parseDigits(plain.slice(3), 2);
    if (v !== undefined && -v >= INT64_MIN) return { tag: "int", value: -v };
  }
  return str(text);
}

function str(value: string): Resolved {
  return { tag: "str", value };
}

/** Go's `strconv.ParseInt(s, 0, 64)` (signed) or `ParseUint(s, 0, 64)`: base prefixes, a leading 0 is octal. */
function parseGoInt(s: string, signed: boolean): bigint | undefined {
  let body = s;
  let negative = false;
  if (signed && (body[0] === "+" || body[0] === "-")) {
    negative = body[0] === "-";
    body = body.slice(1);
  }
  let base = 10;
  if (/^0[xX]/.test(body)) [base, body] = [16, body.slice(2)];
  else if (/^0[oO]/.test(body)) [base, body] = [8, body.slice(2)];
  else if (/^0[bB]/.test(body)) [base, body] = [2, body.slice(2)];
  else if (body.length > 1 && body[0] === "0") [base, body] = [8, body.slice(1)];
  const magnitude = parseDigits(body, base);
  if (magnitude === undefined) return undefined;
  const value = negative ? -magnitude : magnitude;
  if (signed) return value >= INT64_MIN && value <= INT64_MAX ? value : undefined;
  return value <= UINT64_MAX ? value : undefined;
}

function parseDigits(digits: string, base: number): bigint | undefined {
  if (!DIGITS[base].test(digits)) return undefined;
  const prefix = base === 16 ? "0x" : base === 8 ? "0o" : base === 2 ? "0b" : "";
  return BigInt(prefix + digits);
}

/** Go's `strconv.ParseFloat(s, 64)` for decimal text; an overflow to ±Inf is an error in Go, so undefined. */
function parseGoFloat(s: string): number | undefined {
  if (!/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(s)) return undefined;
  const f = Number(s);
  return Number.isFinite(f) ? f : undefined;
}

const DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const DATE_TIME = /^(\d{4})-(\d{1,2})-(\d{1,2})([Tt]| )(\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * go-yaml's timestamp check: the layouts `2006-1-2T15:4:5.999999999Z07:00` (also with `t`), `2006-1-2 15:4:5` and
 * `2006-1-2`, with Go's range checks on each field.
 */
function isTimestamp(s: string): boolean {
  const date = DATE.exec(s);
  if (date) return validDate(+date[1], +date[2], +date[3]);
  const dt = DATE_TIME.exec(s);
  if (!dt) return false;
  const zoned = dt[4] !== " ";
  if (zoned !== (dt[9] !== undefined)) return false;
  if (dt[9] && dt[9] !== "Z" && (+dt[9].slice(1, 3) > 23 || +dt[9].slice(4, 6) > 59)) return false;
  return validDate(+dt[1], +dt[2], +dt[3]) && +dt[5] < 24 && +dt[6] < 60 && +dt[7] < 60;
}

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * go-yaml's `isBase60Float`: YAML 1.1 sexagesimal numbers such as `1:20`, which it always quotes when writing.
 *
 * @example
 * ```ts
 * isBase60Float("190:20:30"); // true
 * isBase60Float("a:b"); // false
 * ```
 */
export function isBase60Float(s: string): boolean {
  return /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(s);
}
