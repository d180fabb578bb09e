/**
 * Go's `strconv.FormatFloat(f, fmt, prec, 64)`: the 'e', 'E', 'f', 'g', 'G', 'b', 'x' and 'X' formats, shortest
 * (`prec < 0`) or rounded half-to-even on the exact binary value, exactly as Go prints float64s.
 *
 * @module
 */

/** Decimal digits `d` (no leading or trailing zeros) with the decimal point `dp` places from their start. */
interface Decimal {
  d: string;
  dp: number;
}

/** The float's mantissa and binary exponent: |v| = mant × 2^exp, mant < 2^53. */
function decompose(v: number): { mant: bigint; exp: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  if (biased === 0) return { mant: fraction, exp: -1074 };
  return { mant: fraction | (1n << 52n), exp: biased - 1075 };
}

/** The exact decimal expansion of |v| (every float64 has a finite one). */
function exactDecimal(v: number): Decimal {
  const { mant, exp } = decompose(v);
  if (mant === 0n) return { d: "", dp: 0 };
  let digits: string;
  let dp: number;
  if (exp >= 0) {
    digits = (mant << BigInt(exp)).toString();
    dp = digits.length;
  } else {
    digits = (mant * 5n ** BigInt(-exp)).toString();
    dp = digits.length + exp;
  }
  return { d: digits.replace(/0+$/, ""), dp };
}

/** The shortest digits that read back as `v`, which JavaScript's number printing also produces. */
function shortestDecimal(v: number): Decimal {
  if (v === 0) return { d: "", dp: 0 };
  const [mantissa, exponent] = Math.abs(v).toExponential().split("e");
  return { d: mantissa.replace(".", "").replace(/0+$/, ""), dp: Number(exponent) + 1 };
}

/** Rounds to `nd` digits, half to even on an exact tie (Go's `decimal.Round`). */
function round(dec: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= dec.d.length) return dec;
  const next = dec.d[nd];
  const tie = next === "5" && nd + 1 === dec.d.length;
  const up = tie ? nd > 0 && Number(dec.d[nd - 1]) % 2 === 1 : next >= "5";
  if (!up) {
    const d = dec.d.slice(0, nd).replace(/0+$/, "");
    return { d, dp: d.length === 0 ? 0 : dec.dp };
  }
  for (let i = nd - 1; i >= 0; i--) {
    if (dec.d[i] < "9") {
      return { d: dec.d.slice(0, i) + String(Number(dec.d[i]) + 1), dp: dec.dp };
    }
  }
  return { d: "1", dp: dec.dp + 1 };
}

function formatE(dec: Decimal, prec: number, letter: string): string {
  let out = dec.d.length === 0 ? "0" : dec.d[0];
  if (prec > 0) out += "." + dec.d.slice(1, prec + 1).padEnd(prec, "0");
  let exp = dec.d.length === 0 ? 0 : dec.dp - 1;
  const sign = exp < 0 ? "-" : "+";
  exp = Math.abs(exp);
  return out + letter + sign + String(exp).padStart(2, "0");
}

function formatF(dec: Decimal, prec: number): string {
  let out = dec.dp > 0 ? dec.d.slice(0, dec.dp).padEnd(dec.dp, "0") : "0";
  if (prec > 0) {
    out += ".";
    for (let i = 1; i <= prec; i++) {
      const j = dec.dp + i - 1;
      out += j >= 0 && j < dec.d.length ? dec.d[j] : "0";
    }
  }
  return out;
}

/** 'b': decimal mantissa "p" binary exponent, as Go's `%b`. */
function formatB(v: number): string {
  const { mant, exp } = decompose(v);
  return `${mant}p${exp >= 0 ? "+" : "-"}${Math.abs(exp)}`;
}

/** 'x'/'X': hexadecimal mantissa and binary exponent, as Go's `%x` of a float. */
function formatX(v: number, prec: number, letter: "x" | "X"): string {
  let { mant, exp } = decompose(v);
  // Normalise so the leading 1 sits at bit 60 and the exponent is the power of two of that digit.
  exp += 52;
  if (mant === 0n) exp = 0;
  mant <<= 8n;
  while (mant !== 0n && (mant & (1n << 60n)) === 0n) {
    mant <<= 1n;
    exp--;
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & ((1n << 60n) - 1n);
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant <<= 60n - shift;
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n;
      exp++;
    }
  }
  const hex = letter === "X" ? "0123456789ABCDEF" : "0123456789abcdef";
  let out = "0" + letter + String((mant >> 60n) & 1n);
  mant = (mant << 4n) & ((1n << 64n) - 1n);
  if (prec < 0 && mant !== 0n) {
    out += ".";
    while (mant !== 0n) {
      out += hex[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & ((1n << 64n) - 1n);
    }
  } else if (prec > 0) {
    out += ".";
    for (let i = 0; i < prec; i++) {
      out += hex[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & ((1n << 64n) - 1n);
    }
  }
  out += letter === "X" ? "P" : "p";
  out += exp < 0 ? "-" : "+";
  return out + String(Math.abs(exp)).padStart(2, "0");
}

/**
 * Go's `strconv.FormatFloat(v, fmt, prec, 64)`. `prec < 0` asks for the fewest digits that read back as `v`.
 *
 * @example
 * ```ts
 * formatFloat(1e6, "g", -1); // "1e+06"
 * formatFloat(2.5, "f", 0); // "2"
 * formatFloat(0.1, "e", 3); // "1.000e-01"
 * ```
 */
export function formatFloat(v: number, fmt: string, prec: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  const sign = v < 0 || Object.is(v, -0) ? "-" : "";
  if (fmt === "b") return sign + formatB(Math.abs(v));
  if (fmt === "x" || fmt === "X") return sign + formatX(Math.abs(v), prec, fmt);
  const shortest = prec < 0;
  let dec: Decimal;
  if (shortest) {
    dec = shortestDecimal(v);
    prec = fmt === "e" || fmt === "E"
      ? Math.max(dec.d.length - 1, 0)
      : fmt === "f"
      ? Math.max(dec.d.length - dec.dp, 0)
      : dec.d.length;
  } else {
    dec = exactDecimal(v);
    if (fmt === "e" || fmt === "E") dec = round(dec, prec + 1);
    else if (fmt === "f") dec = round(dec, dec.dp + prec);
    else {
      if (prec === 0) prec = 1;
      dec = round(dec, prec);
    }
  }
  switch (fmt) {
    case "e":
    case "E":
      return sign + formatE(dec, prec, fmt);
    case "f":
      return sign + formatF(dec, prec);
    case "g":
    case "G": {
      let eprec = prec;
      if (eprec > dec.d.length && dec.d.length >= dec.dp) eprec = dec.d.length;
      if (shortest) eprec = 6;
      const exp = dec.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > dec.d.length) prec = dec.d.length;
        return sign + formatE(dec, prec - 1, fmt === "g" ? "e" : "E");
      }
      if (prec > dec.dp) prec = dec.d.length;
      return sign + formatF(dec, Math.max(prec - dec.dp, 0));
    }
  }
  return "%" + fmt;
}
