/**
 * The slice of shopspring/decimal that Sprig's float math (`addf`, `subf`, `mulf`, `divf`) goes through: floats
 * become exact decimals of their shortest digits, so `addf 1.1 2.2` is 3.3 and not 3.3000000000000003, and
 * division rounds half away from zero at 16 decimal places.
 *
 * @module
 */
import { formatValue } from "../gotemplate/fmt.ts";

/** coef × 10^exp, exactly. */
export class Decimal {
  private constructor(readonly coef: bigint, readonly exp: number) {}

  /**
   * shopspring's `NewFromFloat`: the shortest decimal that reads back as `f`; NaN and infinities panic.
   *
   * @example
   * ```ts
   * Decimal.fromFloat(0.1).toFloat(); // 0.1
   * ```
   */
  static fromFloat(f: number): Decimal {
    if (!Number.isFinite(f)) throw new Error(`Cannot create a Decimal from ${formatValue(f)}`);
    const [mantissa, exponent] = f.toExponential().split("e");
    const [whole, frac = ""] = mantissa.split(".");
    return new Decimal(BigInt(whole + frac), Number(exponent) - frac.length);
  }

  private align(other: Decimal): [bigint, bigint, number] {
    const exp = Math.min(this.exp, other.exp);
    return [this.coef * 10n ** BigInt(this.exp - exp), other.coef * 10n ** BigInt(other.exp - exp), exp];
  }

  /** The exact sum. */
  add(other: Decimal): Decimal {
    const [a, b, exp] = this.align(other);
    return new Decimal(a + b, exp);
  }

  /** The exact difference. */
  sub(other: Decimal): Decimal {
    const [a, b, exp] = this.align(other);
    return new Decimal(a - b, exp);
  }

  /** The exact product. */
  mul(other: Decimal): Decimal {
    return new Decimal(this.coef * other.coef, this.exp + other.exp);
  }

  /**
   * shopspring's `Div`: the quotient at 16 decimal places, halves rounded away from zero.
   *
   * @example
   * ```ts
   * Decimal.fromFloat(2).div(Decimal.fromFloat(3)).toFloat(); // 0.6666666666666667
   * ```
   */
  div(other: Decimal, precision = 16): Decimal {
    if (other.coef === 0n) throw new Error("decimal division by zero");
    // this / other × 10^precision as the integer fraction n / d.
    let n = this.coef;
    let d = other.coef;
    const shift = this.exp - other.exp + precision;
    if (shift >= 0) n *= 10n ** BigInt(shift);
    else d *= 10n ** BigInt(-shift);
    let q = n / d;
    const r = n - q * d;
    const abs = (x: bigint) => (x < 0n ? -x : x);
    if (2n * abs(r) >= abs(d)) q += (n < 0n) !== (d < 0n) ? -1n : 1n;
    return new Decimal(q, -precision);
  }

  /** The nearest float64 (shopspring's `Float64`). */
  toFloat(): number {
    return Number(`${this.coef}e${this.exp}`);
  }
}
