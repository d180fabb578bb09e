/**
 * Go's `fmt` formatter (its `format.go`): padding to a width, precision, the `+ - # 0 space` flags, and the
 * integer, float, string and quoted forms that the verbs produce.
 *
 * @module
 */
import { formatFloat } from "./ftoa.ts";
import { canBackquote, isPrint, quote, quoteToASCII } from "./quote.ts";

/** Digits for bases up to 16, then the letter of the `0x` prefix. */
export const LOWER_HEX = "0123456789abcdefx";
/** {@link LOWER_HEX} in upper case, for `%X`. */
export const UPPER_HEX = "0123456789ABCDEFX";

/** The flags, width and precision of one verb. */
export interface Flags {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  plusV: boolean;
  sharpV: boolean;
  wid: number;
  widPresent: boolean;
  prec: number;
  precPresent: boolean;
}

/**
 * No flags, width or precision: the state each verb starts from.
 *
 * @example
 * ```ts
 * noFlags().widPresent; // false
 * ```
 */
export function noFlags(): Flags {
  return {
    plus: false,
    minus: false,
    sharp: false,
    space: false,
    zero: false,
    plusV: false,
    sharpV: false,
    wid: 0,
    widPresent: false,
    prec: 0,
    precPresent: false,
  };
}

const runeCount = (s: string) => [...s].length;

/**
 * Formats one operand at a time into `out` under the flags in `f`, as Go's `fmt` type does.
 *
 * @example
 * ```ts
 * const f = new Formatter();
 * f.f.wid = 5;
 * f.f.widPresent = true;
 * f.fmtS("ab"); // f.out === "   ab"
 * ```
 */
export class Formatter {
  out = "";
  f: Flags = noFlags();

  private writePadding(n: number): void {
    if (n <= 0) return;
    this.out += (this.f.zero && !this.f.minus ? "0" : " ").repeat(n);
  }

  pad(s: string): void {
    if (!this.f.widPresent || this.f.wid === 0) {
      this.out += s;
      return;
    }
    const width = this.f.wid - runeCount(s);
    if (this.f.minus) {
      this.out += s;
      this.writePadding(width);
    } else {
      this.writePadding(width);
      this.out += s;
    }
  }

  private truncate(s: string): string {
    if (!this.f.precPresent) return s;
    return [...s].slice(0, this.f.prec).join("");
  }

  fmtS(s: string): void {
    this.pad(this.truncate(s));
  }

  fmtQ(s: string): void {
    s = this.truncate(s);
    if (this.f.sharp && canBackquote(s)) {
      this.pad("`" + s + "`");
      return;
    }
    this.pad(this.f.plus ? quoteToASCII(s) : quote(s));
  }

  /** `%x` of a string or bytes: two hex digits per byte, `% x` spaced, `%#x` prefixed. */
  fmtSbx(bytes: Uint8Array, digits: string): void {
    let length = bytes.length;
    if (this.f.precPresent && this.f.prec < length) length = this.f.prec;
    let width = 2 * length;
    if (width > 0) {
      if (this.f.space) {
        if (this.f.sharp) width *= 2;
        width += length - 1;
      } else if (this.f.sharp) {
        width += 2;
      }
    } else {
      if (this.f.widPresent) this.writePadding(this.f.wid);
      return;
    }
    if (this.f.widPresent && this.f.wid > width && !this.f.minus) this.writePadding(this.f.wid - width);
    let s = this.f.sharp ? "0" + digits[16] : "";
    for (let i = 0; i < length; i++) {
      if (this.f.space && i > 0) {
        s += " ";
        if (this.f.sharp) s += "0" + digits[16];
      }
      s += digits[bytes[i] >> 4] + digits[bytes[i] & 0xf];
    }
    this.out += s;
    if (this.f.widPresent && this.f.wid > width && this.f.minus) this.writePadding(this.f.wid - width);
  }

  fmtInteger(value: bigint, base: number, verb: string, digits: string): void {
    const negative = value < 0n;
    let u = negative ? -value : value;
    let prec = 0;
    if (this.f.precPresent) {
      prec = this.f.prec;
      if (prec === 0 && u === 0n) {
        const zero = this.f.zero;
        this.f.zero = false;
        this.writePadding(this.f.wid);
        this.f.zero = zero;
        return;
      }
    } else if (this.f.zero && !this.f.minus && this.f.widPresent) {
      prec = this.f.wid;
      if (negative || this.f.plus || this.f.space) prec--;
    }
    let s = "";
    const b = BigInt(base);
    do {
      s = digits[Number(u % b)] + s;
      u /= b;
    } while (u > 0n);
    s = s.padStart(prec, "0");
    if (this.f.sharp) {
      if (base === 2) s = "0b" + s;
      else if (base === 8 && s[0] !== "0") s = "0" + s;
      else if (base === 16) s = "0" + digits[16] + s;
    }
    if (verb === "O") s = "0o" + s;
    if (negative) s = "-" + s;
    else if (this.f.plus) s = "+" + s;
    else if (this.f.space) s = " " + s;
    const zero = this.f.zero;
    this.f.zero = false;
    this.pad(s);
    this.f.zero = zero;
  }

  fmtUnicode(value: bigint): void {
    const u = BigInt.asUintN(64, value);
    let s = "U+" + u.toString(16).toUpperCase().padStart(this.f.precPresent && this.f.prec > 4 ? this.f.prec : 4, "0");
    if (this.f.sharp && u <= 0x10ffffn && isPrint(Number(u))) s += " '" + String.fromCodePoint(Number(u)) + "'";
    const zero = this.f.zero;
    this.f.zero = false;
    this.pad(s);
    this.f.zero = zero;
  }

  fmtFloat(v: number, verb: string, defaultPrec: number): void {
    const prec = this.f.precPresent ? this.f.prec : defaultPrec;
    let num = formatFloat(v, verb, prec);
    num = num[0] === "-" || num[0] === "+" ? num : "+" + num;
    if (this.f.space && num[0] === "+" && !this.f.plus) num = " " + num.slice(1);
    if (num[1] === "I" || num[1] === "N") {
      const zero = this.f.zero;
      this.f.zero = false;
      if (num[1] === "N" && !this.f.space && !this.f.plus) num = num.slice(1);
      this.pad(num);
      this.f.zero = zero;
      return;
    }
    if (this.f.sharp && verb !== "b") num = sharpFloat(num, verb, prec);
    if (this.f.plus || num[0] !== "+") {
      if (this.f.zero && !this.f.minus && this.f.widPresent && this.f.wid > num.length) {
        this.out += num[0];
        this.writePadding(this.f.wid - num.length);
        this.out += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }
}

/** The `#` flag on floats: always a decimal point, and `%g`'s trailing zeros kept up to the precision. */
function sharpFloat(num: string, verb: string, prec: number): string {
  let digits = 0;
  if (verb === "v" || verb === "g" || verb === "G" || verb === "x") digits = prec === -1 ? 6 : prec;
  let tail = "";
  let hasDecimalPoint = false;
  let sawNonzeroDigit = false;
  let body = num[0];
  for (let i = 1; i < num.length; i++) {
    const c = num[i];
    if (c === ".") {
      hasDecimalPoint = true;
      body += c;
      continue;
    }
    if (c === "p" || c === "P" || ((c === "e" || c === "E") && verb !== "x" && verb !== "X")) {
      tail = num.slice(i);
      break;
    }
    if (c !== "0") sawNonzeroDigit = true;
    if (sawNonzeroDigit) digits--;
    body += c;
  }
  if (!hasDecimalPoint) {
    if (body.length === 2 && body[1] === "0") digits--;
    body += ".";
  }
  while (digits > 0) {
    body += "0";
    digits--;
  }
  return body + tail;
}
