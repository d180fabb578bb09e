/**
 * Go's `strconv.FormatFloat(f, 'g', -1, 32)`: the shortest text that reads back as the same float32. sigs.k8s.io/yaml
 * uses it for float map keys and when a YAML number lands in a Go string field (`version: 1.10` in Chart.yaml
 * becomes "1.1").
 *
 * @module
 */

/**
 * Formats `f` as float32 the way Go's `%v` would print a float32.
 *
 * @example
 * ```ts
 * formatFloat32(1.10); // "1.1"
 * formatFloat32(3.14159265); // "3.1415927"
 * formatFloat32(1e7); // "1e+07"
 * ```
 */
export function formatFloat32(f: number): string {
  if (Number.isNaN(f)) return "NaN";
  const single = Math.fround(f);
  if (!Number.isFinite(single)) return single > 0 ? "+Inf" : "-Inf";
  if (single === 0) return Object.is(single, -0) ? "-0" : "0";
  let text = single.toPrecision(9);
  for (let p = 1; p <= 9; p++) {
    const candidate = single.toPrecision(p);
    if (Math.fround(Number(candidate)) === single) {
      text = candidate;
      break;
    }
  }
  const [mantissa, exponent] = Number(text).toExponential().split("e");
  const digits = mantissa.replace("-", "").replace(".", "");
  const exp = Number(exponent);
  const sign = single < 0 ? "-" : "";
  if (exp < -4 || exp >= 6) {
    const fraction = digits.length > 1 ? "." + digits.slice(1) : "";
    const e = Math.abs(exp) < 10 ? "0" + Math.abs(exp) : String(Math.abs(exp));
    return `${sign}${digits[0]}${fraction}e${exp < 0 ? "-" : "+"}${e}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return sign + digits + "0".repeat(exp + 1 - digits.length);
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}
