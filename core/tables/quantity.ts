/**
 * `resource.Quantity` in its canonical text form. kube-apiserver re-serializes every quantity it
 * stores, so a PVC requested as `1024Mi` prints as `1Gi` and `1.5` as `1500m`; capacity and quota
 * cells must match that.
 *
 * @module
 */

const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_SUFFIXES: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  "": 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const DECIMAL_BY_EXPONENT = Object.fromEntries(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_BY_POWER = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

type Format = "BinarySI" | "DecimalSI" | "DecimalExponent";

/** A parsed quantity: `mantissa × 10^exponent`, plus the notation it was written in. */
interface Parsed {
  mantissa: bigint;
  exponent: number;
  format: Format;
}

function parse(text: string): Parsed | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(.*)$/.exec(text.trim());
  if (!m) return undefined;
  const [, sign, whole, fraction = "", suffix] = m;
  if (whole === "" && fraction === "") return undefined;
  let mantissa = BigInt((whole || "0") + fraction);
  let exponent = -fraction.length;
  let format: Format;
  if (suffix in BINARY_SUFFIXES) {
    format = "BinarySI";
    mantissa *= 1n << BigInt(BINARY_SUFFIXES[suffix]);
  } else if (suffix in DECIMAL_SUFFIXES) {
    format = "DecimalSI";
    exponent += DECIMAL_SUFFIXES[suffix];
  } else if (/^[eE][+-]?\d+$/.test(suffix)) {
    format = "DecimalExponent";
    exponent += Number(suffix.slice(1));
  } else {
    return undefined;
  }
  if (sign === "-") mantissa = -mantissa;
  return { mantissa, exponent, format };
}

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}

/**
 * The canonical string of a quantity (a string or a JSON number); unparsable input is returned as is.
 *
 * @example canonicalQuantity("1024Mi") // "1Gi"
 * @example canonicalQuantity("1.5") // "1500m"
 * @example canonicalQuantity("1000") // "1k"
 */
export function canonicalQuantity(value: unknown): string {
  if (typeof value === "number") value = String(value);
  if (typeof value !== "string") return "0";
  const q = parse(value);
  if (!q) return value;
  let { mantissa, exponent, format } = q;
  if (mantissa === 0n) return "0";

  // Parsing rounds anything finer than a nano-unit up, away from zero.
  if (exponent < -9) {
    const divisor = 10n ** BigInt(-9 - exponent);
    const magnitude = (abs(mantissa) + divisor - 1n) / divisor;
    mantissa = mantissa < 0n ? -magnitude : magnitude;
    exponent = -9;
  }

  if (format === "BinarySI") {
    // Below 1Ki, or with a fraction, binary suffixes would lose precision; Go falls back to decimal.
    const integral = exponent >= 0 || mantissa % (10n ** BigInt(-exponent)) === 0n;
    const whole = exponent >= 0 ? mantissa * 10n ** BigInt(exponent) : mantissa / 10n ** BigInt(-exponent);
    if (!integral || abs(whole) < 1024n) {
      format = "DecimalSI";
    } else {
      let power = 0;
      let amount = whole;
      while (power < BINARY_BY_POWER.length - 1 && amount % 1024n === 0n) {
        amount /= 1024n;
        power++;
      }
      return `${amount}${BINARY_BY_POWER[power]}`;
    }
  }

  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  // Exponents land on multiples of three, scaling the mantissa up rather than writing fractions.
  const remainder = ((exponent % 3) + 3) % 3;
  mantissa *= 10n ** BigInt(remainder);
  exponent -= remainder;
  if (format === "DecimalExponent") return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  while (exponent > 18) {
    mantissa *= 1000n;
    exponent -= 3;
  }
  return `${mantissa}${DECIMAL_BY_EXPONENT[exponent]}`;
}
