/**
 * `resource.Quantity` parsing and canonical printing (`0.5` → `500m`, `1024Mi` → `1Gi`), exact with BigInt, so
 * stored objects and messages such as "must be less than or equal to cpu limit of 500m" read as kube prints them.
 *
 * @module
 */

/** The parse error kube reports for a malformed quantity. */
export const quantityFormatError =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

type Format = "DecimalSI" | "BinarySI" | "DecimalExponent";

/** An exact quantity: `sign · digits · 10^exp`, with the format its suffix asked for. */
export interface Quantity {
  negative: boolean;
  digits: bigint;
  exp: number;
  format: Format;
}

const decimalSuffixes: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const binarySuffixes: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const shape = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;

const pow10 = (n: number) => 10n ** BigInt(n);

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

// Quantities carry at most nano precision; anything finer rounds up, as kube's parser does.
function roundUp(q: Quantity, scale: number): Quantity {
  if (q.exp >= scale) return q;
  return { ...q, digits: ceilDiv(q.digits, pow10(scale - q.exp)), exp: scale };
}

/**
 * Parses a quantity string (or a JSON number), or returns undefined when kube would reject it.
 *
 * @example
 * ```ts
 * parseQuantity("1Gi"); // { negative: false, digits: 1073741824n, exp: 0, format: "BinarySI" }
 * ```
 */
export function parseQuantity(input: unknown): Quantity | undefined {
  const text = typeof input === "number" ? String(input) : typeof input === "string" ? input.trim() : undefined;
  if (text === undefined || text === "") return undefined;
  const m = shape.exec(text);
  if (!m) return undefined;
  let number = m[1];
  const suffix = m[2];
  const negative = number.startsWith("-");
  if (number.startsWith("-") || number.startsWith("+")) number = number.slice(1);
  const [whole, frac = "", ...extra] = number.split(".");
  if (extra.length || (whole === "" && frac === "")) return undefined;
  if (!/^[0-9]*$/.test(whole) || !/^[0-9]*$/.test(frac)) return undefined;
  let digits = BigInt((whole || "0") + frac);
  let exp = -frac.length;
  let format: Format;
  if (suffix in binarySuffixes) {
    digits *= 2n ** BigInt(binarySuffixes[suffix]);
    format = "BinarySI";
  } else if (suffix in decimalSuffixes) {
    exp += decimalSuffixes[suffix];
    format = "DecimalSI";
  } else if (/^[eE][-+]?[0-9]+$/.test(suffix)) {
    exp += Number(suffix.slice(1));
    format = "DecimalExponent";
  } else return undefined;
  return roundUp({ negative: negative && digits !== 0n, digits, exp, format }, -9);
}

function integerValue(q: Quantity): bigint | undefined {
  if (q.exp >= 0) return q.digits * pow10(q.exp);
  const d = pow10(-q.exp);
  return q.digits % d === 0n ? q.digits / d : undefined;
}

/**
 * The canonical text of a quantity; `scale` rounds up first (-3 is what kube applies to resource lists).
 *
 * @example
 * ```ts
 * formatQuantity(parseQuantity("0.5")!); // "500m"
 * ```
 */
export function formatQuantity(q: Quantity, scale = -9): string {
  q = roundUp(q, scale);
  if (q.digits === 0n) return "0";
  const sign = q.negative ? "-" : "";
  let format = q.format;
  if (format === "BinarySI") {
    const value = integerValue(q);
    if (value === undefined || value < 1024n) format = "DecimalSI";
    else {
      let shift = 0;
      let mantissa = value;
      while (shift < 60 && mantissa % 1024n === 0n) {
        mantissa /= 1024n;
        shift += 10;
      }
      const suffix = Object.keys(binarySuffixes).find((k) => binarySuffixes[k] === shift) ?? "";
      return `${sign}${mantissa}${suffix}`;
    }
  }
  let digits = q.digits;
  let exp = q.exp;
  while (digits % 10n === 0n) {
    digits /= 10n;
    exp++;
  }
  const r = ((exp % 3) + 3) % 3;
  digits *= pow10(r);
  exp -= r;
  if (format === "DecimalExponent") return `${sign}${digits}${exp === 0 ? "" : `e${exp}`}`;
  if (exp > 18) {
    digits *= pow10(exp - 18);
    exp = 18;
  }
  const suffix = Object.keys(decimalSuffixes).find((k) => decimalSuffixes[k] === exp) ?? "";
  return `${sign}${digits}${suffix}`;
}

/**
 * The canonical form of a quantity value, or the value unchanged when it does not parse (validation reports it).
 *
 * @example
 * ```ts
 * canonicalQuantity("1024Mi"); // "1Gi"
 * ```
 */
export function canonicalQuantity(v: unknown, scale = -9): unknown {
  const q = parseQuantity(v);
  return q ? formatQuantity(q, scale) : v;
}

/**
 * Compares two quantities: negative, zero or positive like `Quantity.Cmp`.
 *
 * @example
 * ```ts
 * compareQuantities(parseQuantity("500m")!, parseQuantity("1")!); // -1
 * ```
 */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const exp = Math.min(a.exp, b.exp);
  const av = (a.negative ? -1n : 1n) * a.digits * pow10(a.exp - exp);
  const bv = (b.negative ? -1n : 1n) * b.digits * pow10(b.exp - exp);
  return av < bv ? -1 : av > bv ? 1 : 0;
}

/**
 * Whether the quantity is below zero.
 *
 * @example
 * ```ts
 * isNegative(parseQuantity("-1")!); // true
 * ```
 */
export function isNegative(q: Quantity): boolean {
  return q.negative && q.digits !== 0n;
}

/**
 * Canonicalises a `ResourceList` in place, rounded up to milli units as `SetDefaults_ResourceList` does.
 *
 * @example
 * ```ts
 * defaultResourceList({ cpu: "0.5", memory: "1024Mi" }); // { cpu: "500m", memory: "1Gi" }
 * ```
 */
export function defaultResourceList(resources: unknown): unknown {
  if (typeof resources !== "object" || resources === null || Array.isArray(resources)) return resources;
  const map = resources as Record<string, unknown>;
  for (const [k, v] of Object.entries(map)) map[k] = canonicalQuantity(v, -3);
  return resources;
}
