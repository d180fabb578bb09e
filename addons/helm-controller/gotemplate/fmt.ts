/**
 * Go's `fmt` printing over the shared value model: `Sprintf` with its verbs, flags, width, precision, argument
 * indexes and `%!verb(type=value)` complaints, `Sprint`'s spacing, `Sprintln`, and `%v` of nested maps and
 * slices (`map[a:1 b:[1 2]]`, `<nil>`, floats in their shortest `%g` form such as `1e+06`).
 *
 * @module
 */
import { Formatter, LOWER_HEX, noFlags, UPPER_HEX } from "./format.ts";
import { quoteRune } from "./quote.ts";
import { goTypeName, isMap, sortedKeys, stringerText } from "./value.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Go's `time.Time.String()` for a Date, in UTC: "2006-01-02 15:04:05.999999999 +0000 UTC". */
function timeString(date: Date): string {
  const iso = date.toISOString();
  const fraction = iso.slice(19, 23).replace(/\.?0+$/, "");
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction} +0000 UTC`;
}

/** One formatting run: Go's `pp`, the printer state behind every `Sprint*` call. */
class Printer extends Formatter {
  /** Set while printing a bad verb's operand, so Stringers are not consulted again (Go's `erroring`). */
  erroring = false;

  badVerb(verb: string, arg: unknown): void {
    this.erroring = true;
    this.out += "%!" + verb + "(";
    if (arg === null || arg === undefined) {
      this.out += "<nil>";
    } else {
      this.out += goTypeName(arg) + "=";
      this.printArg(arg, "v");
    }
    this.out += ")";
    this.erroring = false;
  }

  private fmtBool(v: boolean, verb: string): void {
    if (verb === "t" || verb === "v") this.pad(v ? "true" : "false");
    else this.badVerb(verb, v);
  }

  private fmtInt(v: bigint, verb: string): void {
    switch (verb) {
      case "v":
      case "d":
        return this.fmtInteger(v, 10, verb, LOWER_HEX);
      case "b":
        return this.fmtInteger(v, 2, verb, LOWER_HEX);
      case "o":
      case "O":
        return this.fmtInteger(v, 8, verb, LOWER_HEX);
      case "x":
        return this.fmtInteger(v, 16, verb, LOWER_HEX);
      case "X":
        return this.fmtInteger(v, 16, verb, UPPER_HEX);
      case "c":
        return this.pad(String.fromCodePoint(validRune(v)));
      case "q":
        return this.pad(quoteRune(validRune(v), this.f.plus));
      case "U":
        return this.fmtUnicode(v);
    }
    this.badVerb(verb, v);
  }

  private fmtNumber(v: number, verb: string): void {
    switch (verb) {
      case "v":
        return this.fmtFloat(v, "g", -1);
      case "b":
      case "g":
      case "G":
      case "x":
      case "X":
        return this.fmtFloat(v, verb, -1);
      case "f":
      case "e":
      case "E":
        return this.fmtFloat(v, verb, 6);
      case "F":
        return this.fmtFloat(v, "f", 6);
    }
    this.badVerb(verb, v);
  }

  private fmtString(v: string, verb: string): void {
    switch (verb) {
      case "v":
        return this.f.sharpV ? this.fmtQ(v) : this.fmtS(v);
      case "s":
        return this.fmtS(v);
      case "x":
        return this.fmtSbx(encoder.encode(v), LOWER_HEX);
      case "X":
        return this.fmtSbx(encoder.encode(v), UPPER_HEX);
      case "q":
        return this.fmtQ(v);
    }
    this.badVerb(verb, v);
  }

  private fmtBytes(v: Uint8Array, verb: string, depth: number): void {
    switch (verb) {
      case "v":
      case "d":
        if (this.f.sharpV) {
          this.out += "[]byte{" + [...v].map((b) => "0x" + b.toString(16)).join(", ") + "}";
          return;
        }
        this.out += "[";
        v.forEach((b, i) => {
          if (i > 0) this.out += " ";
          this.fmtInteger(BigInt(b), 10, verb, LOWER_HEX);
        });
        this.out += "]";
        return;
      case "s":
        return this.fmtS(decoder.decode(v));
      case "x":
        return this.fmtSbx(v, LOWER_HEX);
      case "X":
        return this.fmtSbx(v, UPPER_HEX);
      case "q":
        return this.fmtQ(decoder.decode(v));
    }
    this.printList([...v].map((b) => BigInt(b)), verb, depth, "[]uint8");
  }

  /** Go's `handleMethods`: errors and Stringers print as their text for the string-like verbs. */
  private handleMethods(arg: unknown, verb: string): boolean {
    if (this.erroring || this.f.sharpV) return false;
    if (verb !== "v" && verb !== "s" && verb !== "x" && verb !== "X" && verb !== "q") return false;
    let text: string | undefined;
    if (arg instanceof Error) text = arg.message;
    else if (arg instanceof Date) text = timeString(arg);
    else text = stringerText(arg);
    if (text === undefined) return false;
    this.fmtString(text, verb);
    return true;
  }

  printArg(arg: unknown, verb: string): void {
    if (arg === null || arg === undefined) {
      if (verb === "T" || verb === "v") this.pad("<nil>");
      else this.badVerb(verb, null);
      return;
    }
    if (verb === "T") {
      this.fmtS(goTypeName(arg));
      return;
    }
    if (verb === "p") {
      this.badVerb(verb, arg);
      return;
    }
    this.printValue(arg, verb, 0);
  }

  printValue(value: unknown, verb: string, depth: number): void {
    if (value === null || value === undefined) {
      // An element of a slice or map: an interface holding nil.
      this.out += this.f.sharpV ? "interface {}(nil)" : "<nil>";
      return;
    }
    if (typeof value === "boolean") return this.fmtBool(value, verb);
    if (typeof value === "number") return this.fmtNumber(value, verb);
    if (typeof value === "bigint") return this.fmtInt(value, verb);
    if (typeof value === "string") return this.fmtString(value, verb);
    if (typeof value === "function") {
      if (verb === "v") this.pad(this.f.sharpV ? `(${goTypeName(value)})(nil)` : "<func>");
      else this.badVerb(verb, value);
      return;
    }
    if (this.handleMethods(value, verb)) return;
    if (value instanceof Uint8Array) return this.fmtBytes(value, verb, depth);
    if (Array.isArray(value)) return this.printList(value, verb, depth, "[]interface {}");
    if (isMap(value)) return this.printMap(value, verb, depth);
    this.printStruct(value as object, verb, depth);
  }

  private printList(items: unknown[], verb: string, depth: number, typeName: string): void {
    if (this.f.sharpV) {
      this.out += typeName + "{";
      items.forEach((item, i) => {
        if (i > 0) this.out += ", ";
        this.printValue(item, verb, depth + 1);
      });
      this.out += "}";
      return;
    }
    this.out += "[";
    items.forEach((item, i) => {
      if (i > 0) this.out += " ";
      this.printValue(item, verb, depth + 1);
    });
    this.out += "]";
  }

  private printMap(map: Record<string, unknown>, verb: string, depth: number): void {
    this.out += this.f.sharpV ? "map[string]interface {}{" : "map[";
    sortedKeys(map).forEach((key, i) => {
      if (i > 0) this.out += this.f.sharpV ? ", " : " ";
      this.printValue(key, verb, depth + 1);
      this.out += ":";
      this.printValue(map[key], verb, depth + 1);
    });
    this.out += this.f.sharpV ? "}" : "]";
  }

  private printStruct(value: object, verb: string, depth: number): void {
    if (this.f.sharpV) this.out += goTypeName(value).replace(/^\*/, "");
    this.out += "{";
    Object.entries(value).forEach(([name, field], i) => {
      if (i > 0) this.out += this.f.sharpV ? ", " : " ";
      if (this.f.plusV || this.f.sharpV) this.out += name + ":";
      this.printValue(field, verb, depth + 1);
    });
    this.out += "}";
  }
}

/** A rune value for `%c`/`%q`: out-of-range values print as the replacement character, as in Go. */
function validRune(v: bigint): number {
  return v < 0n || v > 0x10ffffn || (v >= 0xd800n && v <= 0xdfffn) ? 0xfffd : Number(v);
}

/** An integer argument for `*` width or precision, as Go's `intFromArg` accepts it. */
function intFromArg(arg: unknown): number | undefined {
  if (typeof arg !== "bigint" || arg > 1_000_000n || arg < -1_000_000n) return undefined;
  return Number(arg);
}

/** Parses a run of decimal digits at `i`; `undefined` when there is none or it is absurdly large. */
function parseNum(format: string, i: number): { num?: number; next: number } {
  let num = 0;
  let found = false;
  let j = i;
  for (; j < format.length && format[j] >= "0" && format[j] <= "9"; j++) {
    if (num > 1_000_000) return { next: format.length };
    num = num * 10 + (format.charCodeAt(j) - 48);
    found = true;
  }
  return { num: found ? num : undefined, next: j };
}

/**
 * Go's `fmt.Sprintf` over the shared value model.
 *
 * @example
 * ```ts
 * sprintf("%s-%03d", "web", 7n); // "web-007"
 * sprintf("%v", { b: [1, 2], a: null }); // "map[a:<nil> b:[1 2]]"
 * sprintf("%d", 1.5); // "%!d(float64=1.5)"
 * ```
 */
export function sprintf(format: string, ...args: unknown[]): string {
  const p = new Printer();
  let argNum = 0;
  let afterIndex = false;
  let reordered = false;
  let goodArgNum = true;

  // An explicit argument index like [2] at format[i].
  const argNumber = (i: number): { i: number; found: boolean } => {
    if (i >= format.length || format[i] !== "[") return { i, found: false };
    reordered = true;
    const close = format.indexOf("]", i);
    if (close < 0) {
      goodArgNum = false;
      return { i: i + 1, found: false };
    }
    const { num, next } = parseNum(format, i + 1);
    if (num === undefined || next !== close || num - 1 < 0 || num - 1 >= args.length) {
      goodArgNum = false;
      return { i: close + 1, found: num !== undefined && next === close };
    }
    argNum = num - 1;
    return { i: close + 1, found: true };
  };

  let i = 0;
  while (i < format.length) {
    goodArgNum = true;
    const percent = format.indexOf("%", i);
    if (percent < 0) {
      p.out += format.slice(i);
      break;
    }
    p.out += format.slice(i, percent);
    i = percent + 1;
    p.f = noFlags();
    flags: for (; i < format.length; i++) {
      switch (format[i]) {
        case "#":
          p.f.sharp = true;
          break;
        case "0":
          p.f.zero = true;
          break;
        case "+":
          p.f.plus = true;
          break;
        case "-":
          p.f.minus = true;
          break;
        case " ":
          p.f.space = true;
          break;
        default:
          break flags;
      }
    }
    ({ i, found: afterIndex } = argNumber(i));
    if (i < format.length && format[i] === "*") {
      i++;
      const wid = argNum < args.length ? intFromArg(args[argNum]) : undefined;
      if (argNum < args.length) argNum++;
      if (wid === undefined) {
        p.out += "%!(BADWIDTH)";
      } else {
        p.f.wid = Math.abs(wid);
        p.f.widPresent = true;
        if (wid < 0) {
          p.f.minus = true;
          p.f.zero = false;
        }
      }
      afterIndex = false;
    } else {
      const { num, next } = parseNum(format, i);
      i = next;
      if (num !== undefined) {
        p.f.wid = num;
        p.f.widPresent = true;
        if (afterIndex) goodArgNum = false;
      }
    }
    if (i + 1 < format.length && format[i] === ".") {
      i++;
      if (afterIndex) goodArgNum = false;
      ({ i, found: afterIndex } = argNumber(i));
      if (i < format.length && format[i] === "*") {
        i++;
        const prec = argNum < args.length ? intFromArg(args[argNum]) : undefined;
        if (argNum < args.length) argNum++;
        if (prec === undefined || prec < 0) {
          p.out += "%!(BADPREC)";
        } else {
          p.f.prec = prec;
          p.f.precPresent = true;
        }
        afterIndex = false;
      } else {
        const { num, next } = parseNum(format, i);
        i = next;
        p.f.prec = num ?? 0;
        p.f.precPresent = true;
      }
    }
    if (!afterIndex) ({ i, found: afterIndex } = argNumber(i));
    if (i >= format.length) {
      p.out += "%!(NOVERB)";
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === "%") {
      p.out += "%";
    } else if (!goodArgNum) {
      p.out += "%!" + verb + "(BADINDEX)";
    } else if (argNum >= args.length) {
      p.out += "%!" + verb + "(MISSING)";
    } else {
      if (verb === "v") {
        p.f.sharpV = p.f.sharp;
        p.f.sharp = false;
        p.f.plusV = p.f.plus;
        p.f.plus = false;
      }
      p.printArg(args[argNum], verb);
      argNum++;
    }
  }
  if (!reordered && argNum < args.length) {
    p.f = noFlags();
    p.out += "%!(EXTRA ";
    args.slice(argNum).forEach((arg, n) => {
      if (n > 0) p.out += ", ";
      if (arg === null || arg === undefined) {
        p.out += "<nil>";
      } else {
        p.out += goTypeName(arg) + "=";
        p.printArg(arg, "v");
      }
    });
    p.out += ")";
  }
  return p.out;
}

/**
 * Go's `fmt.Sprint`: operands in their `%v` form, a space between two operands when neither is a string.
 *
 * @example
 * ```ts
 * sprint(1n, 2n, "a", 3.5); // "1 2a3.5"
 * ```
 */
export function sprint(...args: unknown[]): string {
  const p = new Printer();
  args.forEach((arg, n) => {
    const isString = typeof arg === "string";
    if (n > 0 && !isString && typeof args[n - 1] !== "string") p.out += " ";
    p.printArg(arg, "v");
  });
  return p.out;
}

/**
 * Go's `fmt.Sprintln`: operands in their `%v` form, always space-separated, with a trailing newline.
 *
 * @example
 * ```ts
 * sprintln("a", 1n); // "a 1\n"
 * ```
 */
export function sprintln(...args: unknown[]): string {
  const p = new Printer();
  args.forEach((arg, n) => {
    if (n > 0) p.out += " ";
    p.printArg(arg, "v");
  });
  return p.out + "\n";
}

/**
 * A value's `%v` text, as `{{ . }}` and `toString` print it.
 *
 * @example
 * ```ts
 * formatValue(1e6); // "1e+06"
 * formatValue([1n, "a", null]); // "[1 a <nil>]"
 * ```
 */
export function formatValue(value: unknown): string {
  const p = new Printer();
  p.printArg(value, "v");
  return p.out;
}
