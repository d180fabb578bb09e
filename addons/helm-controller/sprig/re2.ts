/**
 * Go's regular expression syntax (RE2, `regexp/syntax` with Perl flags) translated to an equivalent JavaScript
 * `RegExp`. Both engines pick the leftmost-first match, so once the syntax is translated the matches agree. The
 * translation covers what differs: ASCII-only `\s \d \w`, `\A \z \Q…\E`, octal and `\x{…}` escapes, POSIX classes
 * like `[[:alpha:]]`, `\pN`/`\p{Greek}`, scoped flags `(?i)`, `(?s:…)`, `(?m)`, `(?U)`, named groups
 * `(?P<name>…)`, literal braces that are not repeat counts — and it rejects what Go rejects (backreferences,
 * lookaround, nested repetition) with Go's `error parsing regexp: …` messages.
 *
 * @module
 */
import { toLower, toUpper } from "./unicode.ts";

/** A compiled Go regexp: the JavaScript equivalent and each capture group's name ("" when unnamed). */
export interface Translated {
  regexp: RegExp;
  names: string[];
}

/** Go's `*syntax.Error`. */
export class SyntaxError extends Error {
  constructor(code: string, expr: string) {
    super(`error parsing regexp: ${code}: \`${expr}\``);
  }
}

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  U: boolean;
}

/** A translated piece: its JavaScript source and whether it only asserts a position (needs a group to repeat). */
interface Piece {
  src: string;
  assertion?: boolean;
}

const SYNTAX_CHARS = "^$\\.*+?()[]{}|/";
const MAX_REPEAT = 1000;

/** Case variants Go's simple folding adds beyond upper and lower case. */
const EXTRA_FOLDS: Record<string, string> = {
  k: "\u212a",
  K: "\u212a",
  "\u212a": "kK",
  s: "\u017f",
  S: "\u017f",
  "\u017f": "sS",
  "\u00b5": "\u039c\u03bc",
  "\u03bc": "\u00b5",
  "\u039c": "\u00b5",
  "\u00e5": "\u212b",
  "\u00c5": "\u212b",
  "\u212b": "\u00e5\u00c5",
};

/** The case-folding orbit of a character (itself first). */
function foldOrbit(ch: string): string[] {
  const orbit = new Set([ch, toLower(ch), toUpper(ch), ...(EXTRA_FOLDS[ch] ?? "")]);
  return [...orbit];
}

const cp = (c: number) => `\\u{${c.toString(16)}}`;
const charSrc = (ch: string) => cp(ch.codePointAt(0)!);

const POSIX: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\u{0}-\\u{7f}",
  blank: "\\t ",
  cntrl: "\\u{0}-\\u{1f}\\u{7f}",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-/:-@[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

/** Go's Perl classes as class contents, and their complements spelled out (JavaScript's `\s` is Unicode-wide). */
const PERL: Record<string, string> = {
  d: "0-9",
  D: "\\u{0}-/:-\\u{10ffff}",
  s: "\\t\\n\\f\\r ",
  S: "\\u{0}-\\u{8}\\u{b}\\u{e}-\\u{1f}!-\\u{10ffff}",
  w: "0-9A-Za-z_",
  W: "\\u{0}-/:-@\\[-\\^`\\{-\\u{10ffff}",
};

const CATEGORY = /^(?:C[cfnos]?|L[lmotu]?|M[cen]?|N[dlo]?|P[cdefios]?|S[ckmo]?|Z[lps]?)$/;

class Translator {
  private pos = 0;
  readonly names: string[] = [];
  /** Whether some literal was case-folded, and whether some was not. */
  foldedSome = false;
  plainSome = false;

  constructor(private re: string, private expandFolds: boolean) {}

  translate(): string {
    const src = this.alternation({ i: false, m: false, s: false, U: false }, 0);
    if (this.pos < this.re.length) throw new SyntaxError("unexpected )", this.re);
    return src;
  }

  private peek(n = 0): string {
    return this.re[this.pos + n] ?? "";
  }

  private alternation(flags: Flags, depth: number): string {
    if (depth > 1000) throw new SyntaxError("expression nests too deeply", this.re);
    const branches = [this.sequence(flags, depth)];
    while (this.peek() === "|") {
      this.pos++;
      branches.push(this.sequence(flags, depth));
    }
    return branches.join("|");
  }

  private sequence(flags: Flags, depth: number): string {
    let out = "";
    for (;;) {
      const c = this.peek();
      if (c === "" || c === "|" || c === ")") return out;
      const start = this.pos;
      const quant = this.quantifier();
      if (quant) throw new SyntaxError("missing argument to repetition operator", this.re.slice(start, this.pos));
      const atom = this.atom(flags, depth);
      if (atom === undefined) continue;
      out += this.repeated(atom, flags);
    }
  }

  /** Reads a repetition operator at the current position, if there is one. */
  private quantifier(): { min: number; max: number; lazy: boolean } | undefined {
    const c = this.peek();
    let q: { min: number; max: number } | undefined;
    const start = this.pos;
    if (c === "*") q = { min: 0, max: Infinity };
    else if (c === "+") q = { min: 1, max: Infinity };
    else if (c === "?") q = { min: 0, max: 1 };
    else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.re.slice(this.pos));
      if (!m) return undefined;
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
      this.pos += m[0].length;
      if (min > MAX_REPEAT || (max !== Infinity && (max > MAX_REPEAT || max < min))) {
        throw new SyntaxError("invalid repeat count", this.re.slice(start, this.pos));
      }
      q = { min, max };
    }
    if (!q) return undefined;
    if (c !== "{") this.pos++;
    const lazy = this.peek() === "?";
    if (lazy) this.pos++;
    return { ...q, lazy };
  }

  private repeated(atom: Piece, flags: Flags): string {
    const start = this.pos;
    const q = this.quantifier();
    if (!q) return atom.src;
    const next = this.pos;
    if (this.quantifier()) throw new SyntaxError("invalid nested repetition operator", this.re.slice(start, this.pos));
    this.pos = next;
    const body = atom.assertion ? `(?:${atom.src})` : atom.src;
    const count = q.min === 0 && q.max === Infinity
      ? "*"
      : q.min === 1 && q.max === Infinity
      ? "+"
      : q.min === 0 && q.max === 1
      ? "?"
      : q.max === Infinity
      ? `{${q.min},}`
      : q.min === q.max
      ? `{${q.min}}`
      : `{${q.min},${q.max}}`;
    return body + count + (q.lazy !== flags.U ? "?" : "");
  }

  private literal(ch: string, flags: Flags): string {
    const orbit = foldOrbit(ch);
    if (orbit.length > 1 && flags.i) {
      this.foldedSome = true;
      if (this.expandFolds) return "[" + orbit.map(charSrc).join("") + "]";
    } else if (orbit.length > 1) {
      this.plainSome = true;
    }
    return SYNTAX_CHARS.includes(ch) ? "\\" + ch : /^[\p{L}\p{N} ]$/u.test(ch) ? ch : charSrc(ch);
  }

  private atom(flags: Flags, depth: number): Piece | undefined {
    const c = this.peek();
    const ch = String.fromCodePoint(this.re.codePointAt(this.pos)!);
    switch (c) {
      case "(":
        return this.group(flags, depth);
      case "[":
        return { src: this.charClass(flags) };
      case ".":
        this.pos++;
        return { src: flags.s ? "[^]" : "[^\\n]" };
      case "^":
        this.pos++;
        return { src: flags.m ? "(?<![^\\n])" : "^", assertion: true };
      case "$":
        this.pos++;
        return { src: flags.m ? "(?![^\\n])" : "$", assertion: true };
      case "\\":
        return this.escape(flags);
    }
    this.pos += ch.length;
    return { src: this.literal(ch, flags) };
  }

  private group(flags: Flags, depth: number): Piece | undefined {
    const start = this.pos;
    this.pos++;
    let capture = true;
    let name = "";
    let inner = { ...flags };
    if (this.peek() === "?") {
      const rest = this.re.slice(this.pos);
      const named = /^\?P?<([^>]*)>/.exec(rest);
      if (named && !rest.startsWith("?<=") && !rest.startsWith("?<!")) {
        name = named[1];
        if (!/^[A-Za-z0-9_]+$/.test(name)) {
          throw new SyntaxError("invalid named capture", this.re.slice(start, this.pos + named[0].length));
        }
        if (this.names.includes(name)) {
          throw new SyntaxError("duplicate capture group name", this.re.slice(start, this.pos + named[0].length));
        }
        this.pos += named[0].length;
      } else if (/^\?P?</.test(rest)) {
        const lookbehind = /^\?<[=!]/.exec(rest);
        if (lookbehind) throw new SyntaxError("invalid or unsupported Perl syntax", "(" + lookbehind[0]);
        throw new SyntaxError("invalid named capture", this.re.slice(start));
      } else {
        const m = /^\?([imsU]*)(?:-([imsU]*))?([:)])/.exec(rest);
        if (!m || m[2] === "") {
          const bad = /^\?[imsU-]*./.exec(rest)?.[0] ?? rest.slice(0, 2);
          throw new SyntaxError("invalid or unsupported Perl syntax", "(" + bad);
        }
        for (const f of m[1]) inner[f as keyof Flags] = true;
        for (const f of m[2] ?? "") inner[f as keyof Flags] = false;
        this.pos += m[0].length;
        if (m[3] === ")") {
          // "(?i)" changes the flags of the enclosing group from here on.
          Object.assign(flags, inner);
          return undefined;
        }
        capture = false;
      }
    }
    if (capture) this.names.push(name);
    inner = { ...inner };
    const body = this.alternation(inner, depth + 1);
    if (this.peek() !== ")") throw new SyntaxError("missing closing )", this.re);
    this.pos++;
    return { src: capture ? `(${body})` : `(?:${body})` };
  }

  /** `\pN`, `\p{Name}`, `\PN`, `\p{^Name}` as a JavaScript property escape (or class contents). */
  private unicodeClass(): { src: string; negated: boolean } {
    const start = this.pos;
    let negated = this.peek(1) === "P";
    this.pos += 2;
    let name: string;
    if (this.peek() === "{") {
      const end = this.re.indexOf("}", this.pos);
      if (end < 0) throw new SyntaxError("invalid character class range", this.re.slice(start));
      name = this.re.slice(this.pos + 1, end);
      this.pos = end + 1;
    } else {
      name = String.fromCodePoint(this.re.codePointAt(this.pos) ?? 0);
      this.pos += name.length;
    }
    if (name.startsWith("^")) {
      negated = !negated;
      name = name.slice(1);
    }
    const expr = this.re.slice(start, this.pos);
    if (name === "Any") return { src: "\\u{0}-\\u{10ffff}", negated };
    const src = CATEGORY.test(name) ? `\\p{${name}}` : `\\p{Script=${name}}`;
    try {
      new RegExp(src, "u");
    } catch {
      throw new SyntaxError("invalid character class range", expr);
    }
    return { src, negated };
  }

  /** A single character from an escape, or undefined when the escape is not a character. */
  private escapedChar(inClass: boolean): string | undefined {
    const start = this.pos;
    const e = this.peek(1);
    const invalid = () => new SyntaxError("invalid escape sequence", this.re.slice(start, this.pos));
    if (e === "") throw new SyntaxError("trailing backslash at end of expression", "");
    const simple: Record<string, string> = { a: "\x07", f: "\f", t: "\t", n: "\n", r: "\r", v: "\v" };
    if (e in simple) {
      this.pos += 2;
      return simple[e];
    }
    if (e >= "0" && e <= "7") {
      const m = /^[0-7]{1,3}/.exec(this.re.slice(this.pos + 1))![0];
      this.pos += 1 + m.length;
      if (e !== "0" && m.length === 1) throw invalid();
      return String.fromCodePoint(parseInt(m, 8));
    }
    if (e === "x") {
      const m = /^x(?:\{([0-9A-Fa-f]+)\}|([0-9A-Fa-f]{2}))/.exec(this.re.slice(this.pos + 1));
      this.pos += 2;
      if (!m) {
        this.pos = Math.min(this.re.length, this.pos + 2);
        throw invalid();
      }
      this.pos += m[0].length - 1;
      const code = parseInt(m[1] ?? m[2], 16);
      if (code > 0x10ffff) throw invalid();
      return String.fromCodePoint(code);
    }
    const ch = String.fromCodePoint(this.re.codePointAt(this.pos + 1)!);
    if (ch.length === 1 && ch < "\x80" && !/[0-9A-Za-z]/.test(ch)) {
      this.pos += 2;
      return ch;
    }
    if (inClass || !"bBAzdDsSwWpPQ".includes(ch)) {
      this.pos += 1 + ch.length;
      if (inClass && "dDsSwWpP".includes(ch)) return undefined;
      throw invalid();
    }
    return undefined;
  }

  private escape(flags: Flags): Piece {
    const e = this.peek(1);
    const ch = this.escapedChar(false);
    if (ch !== undefined) return { src: this.literal(ch, flags) };
    switch (e) {
      case "b":
      case "B":
        this.pos += 2;
        return { src: "\\" + e, assertion: true };
      case "A":
        this.pos += 2;
        return { src: "^", assertion: true };
      case "z":
        this.pos += 2;
        return { src: "$", assertion: true };
      case "Q": {
        this.pos += 2;
        const end = this.re.indexOf("\\E", this.pos);
        const text = this.re.slice(this.pos, end < 0 ? undefined : end);
        this.pos = end < 0 ? this.re.length : end + 2;
        const pieces = [...text].map((c) => this.literal(c, flags));
        return { src: pieces.length === 1 ? pieces[0] : `(?:${pieces.join("")})` };
      }
      case "p":
      case "P": {
        const u = this.unicodeClass();
        return { src: u.negated ? `[^${u.src}]` : `[${u.src}]` };
      }
    }
    this.pos += 2;
    const negated = e === "D" || e === "S" || e === "W";
    const positive = PERL[e.toLowerCase()];
    // Go folds \w under (?i): it then also matches U+017F and U+212A.
    const fold = flags.i && e.toLowerCase() === "w" ? (this.expandFolds ? "\\u{17f}\\u{212a}" : "") : "";
    return { src: negated ? `[^${positive}${fold}]` : `[${positive}${fold}]` };
  }

  private charClass(flags: Flags): string {
    const start = this.pos;
    this.pos++;
    let negated = false;
    if (this.peek() === "^") {
      negated = true;
      this.pos++;
    }
    const missing = () => new SyntaxError("missing closing ]", this.re.slice(start));
    let items = "";
    let first = true;
    while (first || this.peek() !== "]") {
      if (this.pos >= this.re.length) throw missing();
      first = false;
      const rest = this.re.slice(this.pos);
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(rest);
      if (posix) {
        const set = POSIX[posix[2]];
        if (!set) throw new SyntaxError("invalid character class range", posix[0]);
        items += posix[1] ? complement(set) : set;
        this.pos += posix[0].length;
        continue;
      }
      if (rest.startsWith("\\p") || rest.startsWith("\\P")) {
        const u = this.unicodeClass();
        items += u.negated ? complementProperty(u.src) : u.src;
        continue;
      }
      if (rest[0] === "\\" && "dDsSwW".includes(rest[1] ?? "")) {
        items += PERL[rest[1]];
        this.pos += 2;
        continue;
      }
      const rangeStart = this.pos;
      const lo = this.classChar(missing);
      let hi = lo;
      if (this.peek() === "-" && this.peek(1) !== "]" && this.peek(1) !== "") {
        this.pos++;
        hi = this.classChar(missing);
        if (hi.codePointAt(0)! < lo.codePointAt(0)!) {
          throw new SyntaxError("invalid character class range", this.re.slice(rangeStart, this.pos));
        }
      }
      items += this.classRange(lo, hi, flags);
    }
    this.pos++;
    if (items === "") return negated ? "[^]" : "[]";
    return (negated ? "[^" : "[") + items + "]";
  }

  private classChar(missing: () => Error): string {
    if (this.pos >= this.re.length) throw missing();
    if (this.peek() === "\\") {
      if (this.pos + 1 >= this.re.length) throw missing();
      const ch = this.escapedChar(true);
      if (ch === undefined) {
        throw new SyntaxError("invalid escape sequence", this.re.slice(this.pos - 2, this.pos));
      }
      return ch;
    }
    const ch = String.fromCodePoint(this.re.codePointAt(this.pos)!);
    this.pos += ch.length;
    return ch;
  }

  private classRange(lo: string, hi: string, flags: Flags): string {
    const a = lo.codePointAt(0)!;
    const b = hi.codePointAt(0)!;
    let src = a === b ? cp(a) : `${cp(a)}-${cp(b)}`;
    if (!flags.i) {
      this.plainSome = true;
      return src;
    }
    this.foldedSome = true;
    if (!this.expandFolds) return src;
    // Small ranges are folded character by character; large ones keep their letters' ASCII counterparts.
    const extra = new Set<string>();
    if (b - a <= 2000) {
      for (let c = a; c <= b; c++) for (const f of foldOrbit(String.fromCodePoint(c))) extra.add(f);
    }
    for (const f of extra) src += charSrc(f);
    return src;
  }
}

/** The complement of ASCII class contents (for `[[:^alpha:]]`), spelled as ranges. */
function complement(set: string): string {
  const inSet = new RegExp(`[${set}]`, "u");
  let out = "";
  let runStart = -1;
  for (let c = 0; c <= 0x80; c++) {
    const member = c < 0x80 && inSet.test(String.fromCharCode(c));
    if (!member && runStart < 0) runStart = c;
    if ((member || c === 0x80) && runStart >= 0) {
      out += `${cp(runStart)}-${cp(c === 0x80 ? 0x10ffff : c - 1)}`;
      runStart = -1;
    }
  }
  return out;
}

/** A negated property inside a class: JavaScript spells `\P{…}` for it. */
function complementProperty(src: string): string {
  if (src.startsWith("\\p{")) return "\\P" + src.slice(2);
  return "";
}

/**
 * Translates a Go regexp to JavaScript, throwing Go's syntax error for what Go would not compile.
 *
 * @example
 * ```ts
 * translate("(?i)^a\\d+$").regexp.source; // "^a[0-9]+$" (with the "i" flag)
 * translate("a(?=b)"); // throws "error parsing regexp: invalid or unsupported Perl syntax: `(?=`"
 * ```
 */
export function translate(re: string): Translated {
  let t = new Translator(re, false);
  let src = t.translate();
  let flags = "gu";
  if (t.foldedSome && !t.plainSome) {
    flags += "i";
  } else if (t.foldedSome) {
    t = new Translator(re, true);
    src = t.translate();
  }
  return { regexp: new RegExp(src, flags), names: t.names };
}
