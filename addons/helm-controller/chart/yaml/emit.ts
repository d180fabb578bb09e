/**
 * go-yaml's emitter (a port of libyaml's), limited to what marshalling JSON-like values produces: block mappings
 * with keys in go-yaml's natural order, block sequences, `[]`/`{}` for empty collections, and scalars in the style
 * go-yaml picks — plain when it would read back as the same string, single-quoted when plain is not allowed,
 * double-quoted with escapes, literal `|` blocks for multi-line text — folding long lines at 80 columns as
 * go-yaml v2 does. Helm's `toYaml` output is this text.
 *
 * @module
 */

import { formatFloat } from "../../gotemplate/mod.ts";
import type { YamlValue } from "./decode.ts";
import { isBase60Float, resolvePlain } from "./resolve.ts";

/** Options of {@link emitYaml}: the defaults are go-yaml v2's; go-yaml v3 (`toYamlPretty`) differs. */
export interface EmitOptions {
  /** Indent block sequences under their mapping key (v3) instead of writing them at the key's column (v2). */
  indentSequences?: boolean;
  /** The column after which long scalars are folded; go-yaml v2 uses 80, v3 never folds. */
  width?: number;
}

type Style = "plain" | "single" | "double" | "literal";

interface Analysis {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

/**
 * Writes one YAML document for `value` as go-yaml's `Marshal` does (the text ends with a newline).
 *
 * @example
 * ```ts
 * emitYaml({ b: "two", a: [1n, "yes"] }); // "a:\n- 1\n- \"yes\"\nb: two\n"
 * ```
 */
export function emitYaml(value: YamlValue, options: EmitOptions = {}): string {
  const emitter = new Emitter(options.width ?? 80, options.indentSequences ?? false);
  emitter.node(value, { root: true });
  emitter.writeIndent();
  return emitter.out.join("");
}

interface Context {
  root?: boolean;
  mapping?: boolean;
  simpleKey?: boolean;
}

const BEST_INDENT = 2;

class Emitter {
  out: string[] = [];
  column = 0;
  whitespace = true;
  indention = true;
  indent = -1;
  indents: number[] = [];
  flowLevel = 0;
  context: Context = {};

  constructor(readonly width: number, readonly indentSequences: boolean) {}

  node(value: YamlValue, context: Context): void {
    this.context = context;
    if (Array.isArray(value)) {
      if (value.length === 0 || this.flowLevel > 0) this.flowCollection("[", "]");
      else this.blockSequence(value);
    } else if (value !== null && typeof value === "object") {
      const keys = Object.keys(value).sort(naturalCompare);
      if (keys.length === 0 || this.flowLevel > 0) this.flowCollection("{", "}");
      else this.blockMapping(value, keys);
    } else {
      this.scalar(value);
    }
  }

  flowCollection(open: string, close: string): void {
    this.writeIndicator(open, true, true, false);
    this.increaseIndent(true, false);
    this.flowLevel++;
    this.flowLevel--;
    this.popIndent();
    this.writeIndicator(close, false, false, false);
  }

  blockSequence(items: YamlValue[]): void {
    const indentless = !this.indentSequences && (this.context.mapping ?? false) && !this.indention;
    this.increaseIndent(false, indentless);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator("-", true, false, true);
      this.node(item, {});
    }
    this.popIndent();
  }

  blockMapping(map: { [key: string]: YamlValue }, keys: string[]): void {
    this.increaseIndent(false, false);
    for (const key of keys) {
      this.writeIndent();
      if (codeUnitsUtf8(key) <= 128 && !analyze(key).multiline) {
        this.node(key, { mapping: true, simpleKey: true });
        this.writeIndicator(":", false, false, false);
      } else {
        this.writeIndicator("?", true, false, true);
        this.node(key, { mapping: true });
        this.writeIndent();
        this.writeIndicator(":", true, false, true);
      }
      this.node(map[key], { mapping: true });
    }
    this.popIndent();
  }

  scalar(value: Exclude<YamlValue, object>): void {
    const [text, requested] = scalarText(value);
    const analysis = analyze(text);
    const style = this.selectStyle(requested, text, analysis);
    this.increaseIndent(true, false);
    const allowBreaks = !this.context.simpleKey;
    const chars = Array.from(text);
    if (style === "plain") this.writePlain(chars, allowBreaks);
    else if (style === "single") this.writeSingleQuoted(chars, allowBreaks);
    else if (style === "double") this.writeDoubleQuoted(chars, allowBreaks);
    else this.writeLiteral(chars);
    this.popIndent();
  }

  selectStyle(requested: Style, text: string, a: Analysis): Style {
    let style = requested;
    if (this.context.simpleKey && a.multiline) style = "double";
    if (style === "plain") {
      if (!a.blockPlainAllowed) style = "single";
      if (text.length === 0 && this.context.simpleKey) style = "single";
    }
    if (style === "single" && !a.singleQuotedAllowed) style = "double";
    if (style === "literal" && (!a.blockAllowed || this.flowLevel > 0 || this.context.simpleKey)) style = "double";
    return style;
  }

  increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  popIndent(): void {
    this.indent = this.indents.pop()!;
  }

  put(s: string): void {
    this.out.push(s);
    this.column++;
  }

  putBreak(): void {
    this.out.push("\n");
    this.column = 0;
  }

  writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(" ");
    this.whitespace = true;
    this.indention = true;
  }

  writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(" ");
    for (const c of indicator) this.put(c);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  writeBreak(c: string): void {
    if (c === "\n") this.putBreak();
    else {
      this.out.push(c);
      this.column = 0;
    }
  }

  writePlain(chars: string[], allowBreaks: boolean): void {
    if (!this.whitespace) this.put(" ");
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      if (c === " ") {
        if (allowBreaks && !spaces && this.column > this.width && chars[i + 1] !== " ") this.writeIndent();
        else this.put(c);
        spaces = true;
      } else {
        this.put(c);
        this.indention = false;
        spaces = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  writeSingleQuoted(chars: string[], allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      if (c === " ") {
        const fold = allowBreaks && !spaces && this.column > this.width && i > 0 && i < chars.length - 1 &&
          chars[i + 1] !== " ";
        if (fold) this.writeIndent();
        else this.put(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === "\n") this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (c === "'") this.put("'");
        this.put(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  writeDoubleQuoted(chars: string[], allowBreaks: boolean): void {
    this.writeIndicator('"', true, false, false);
    const bom = chars[0] === "\ufeff";
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      const code = c.codePointAt(0)!;
      if (!isPrintable(code) || bom || isBreak(c) || c === '"' || c === "\\") {
        for (const e of escape(code)) this.put(e);
        spaces = false;
      } else if (c === " ") {
        if (allowBreaks && !spaces && this.column > this.width && i > 0 && i < chars.length - 1) {
          this.writeIndent();
          if (chars[i + 1] === " ") this.put("\\");
        } else {
          this.put(c);
        }
        spaces = true;
      } else {
        this.put(c);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  writeLiteral(chars: string[]): void {
    this.writeIndicator("|", true, false, false);
    if (chars[0] === " " || isBreak(chars[0] ?? "")) this.writeIndicator(String(BEST_INDENT), false, false, false);
    const last = chars.length - 1;
    let chomp = "";
    if (chars.length === 0 || !isBreak(chars[last])) chomp = "-";
    else if (last === 0 || isBreak(chars[last - 1])) chomp = "+";
    if (chomp) this.writeIndicator(chomp, false, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const c of chars) {
      if (isBreak(c)) {
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(c);
        this.indention = false;
        breaks = false;
      }
    }
  }
}

/** A scalar's text and the style go-yaml's encoder asks for (`stringv`, `intv`, `floatv`, `boolv`, `nilv`). */
function scalarText(value: Exclude<YamlValue, object>): [string, Style] {
  if (value === null) return ["null", "plain"];
  if (typeof value === "boolean") return [value ? "true" : "false", "plain"];
  if (typeof value === "bigint") return [value.toString(), "plain"];
  if (typeof value === "number") {
    const s = formatFloat(value, "g", -1);
    return [s === "+Inf" ? ".inf" : s === "-Inf" ? "-.inf" : s === "NaN" ? ".nan" : s, "plain"];
  }
  if (value.includes("\n")) return [value, "literal"];
  const plain = resolvePlain(value).tag === "str" && !isBase60Float(value);
  return [value, plain ? "plain" : "double"];
}

function isBreak(c: string): boolean {
  return c === "\n" || c === "\r" || c === "\u0085" || c === "\u2028" || c === "\u2029";
}

/** libyaml's printable set: the characters it writes unescaped. */
function isPrintable(code: number): boolean {
  return code === 0x0a || (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd && code !== 0xfeff);
}

function codeUnitsUtf8(s: string): number {
  return new TextEncoder().encode(s).length;
}

const ESCAPES: Record<number, string> = {
  0x00: "0",
  0x07: "a",
  0x08: "b",
  0x09: "t",
  0x0a: "n",
  0x0b: "v",
  0x0c: "f",
  0x0d: "r",
  0x1b: "e",
  0x22: '"',
  0x5c: "\\",
  0x85: "N",
  0xa0: "_",
  0x2028: "L",
  0x2029: "P",
};

/** A double-quoted escape: `\n`-style where YAML has one, else `\xXX`, `\uXXXX` or `\UXXXXXXXX` in upper case. */
function escape(code: number): string {
  const named = ESCAPES[code];
  if (named) return "\\" + named;
  const [prefix, width] = code <= 0xff ? ["x", 2] : code <= 0xffff ? ["u", 4] : ["U", 8];
  return "\\" + prefix + code.toString(16).toUpperCase().padStart(width, "0");
}

/** libyaml's `yaml_emitter_analyze_scalar`: which styles can carry this text unchanged. */
function analyze(text: string): Analysis {
  const chars = Array.from(text);
  if (chars.length === 0) {
    return { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  }
  let blockIndicators = text.startsWith("---") || text.startsWith("...");
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
  let breakSpace = false, spaceBreak = false;
  let previousSpace = false, previousBreak = false;
  let precededByWhitespace = true;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const next = chars[i + 1];
    const followedByWhitespace = next === undefined || next === " " || next === "\t" || isBreak(next);
    if (i === 0) {
      if ("#,[]{}&*!|>'\"%@`".includes(c)) blockIndicators = true;
      else if ((c === "?" || c === ":" || c === "-") && followedByWhitespace) blockIndicators = true;
    } else if ((c === ":" && followedByWhitespace) || (c === "#" && precededByWhitespace)) {
      blockIndicators = true;
    }
    if (!isPrintable(c.codePointAt(0)!)) special = true;
    const last = i === chars.length - 1;
    if (c === " ") {
      if (i === 0) leadingSpace = true;
      if (last) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (last) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = c === " " || c === "\t" || isBreak(c) || c === "\0";
  }
  const a: Analysis = { multiline: lineBreaks, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) a.blockPlainAllowed = false;
  if (trailingSpace) a.blockAllowed = false;
  if (breakSpace) a.blockPlainAllowed = a.singleQuotedAllowed = false;
  if (spaceBreak || special) a.blockPlainAllowed = a.singleQuotedAllowed = a.blockAllowed = false;
  if (lineBreaks || blockIndicators) a.blockPlainAllowed = false;
  return a;
}

/**
 * go-yaml's map key order: letters sort after other characters, and runs of digits compare as numbers, so
 * `a2` < `a10`.
 *
 * @example
 * ```ts
 * ["a10", "a2", "B"].sort(naturalCompare); // ["B", "a2", "a10"]
 * ```
 */
export function naturalCompare(a: string, b: string): number {
  return naturalLess(a, b) ? -1 : naturalLess(b, a) ? 1 : 0;
}

const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;

function naturalLess(a: string, b: string): boolean {
  const ar = Array.from(a);
  const br = Array.from(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = LETTER.test(ar[i]);
    const bl = LETTER.test(br[i]);
    if (al && bl) return ar[i].codePointAt(0)! < br[i].codePointAt(0)!;
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (ar[i] === "0" || br[i] === "0") {
      for (let j = i - 1; j >= 0 && DIGIT.test(ar[j]); j--) {
        if (ar[j] !== "0") {
          an = bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && DIGIT.test(ar[ai]); ai++) an = BigInt.asIntN(64, an * 10n + BigInt(digitValue(ar[ai])));
    let bi = i;
    for (; bi < br.length && DIGIT.test(br[bi]); bi++) bn = BigInt.asIntN(64, bn * 10n + BigInt(digitValue(br[bi])));
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i].codePointAt(0)! < br[i].codePointAt(0)!;
  }
  return ar.length < br.length;
}

/** Go's `rune - '0'`, which is what go-yaml adds up even for non-ASCII digits. */
function digitValue(c: string): number {
  return c.codePointAt(0)! - 0x30;
}
