/**
 * Go's `strconv` quoting: `Quote`/`QuoteToASCII` (what `%q` prints), `QuoteRune`, `CanBackquote`, and
 * `Unquote`/`UnquoteChar` for the string and character constants of templates.
 *
 * @module
 */

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const HEX = "0123456789abcdef";

/**
 * Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
 *
 * @example
 * ```ts
 * isPrint(0x41); // true
 * isPrint(0x0a); // false
 * ```
 */
export function isPrint(codePoint: number): boolean {
  return PRINTABLE.test(String.fromCodePoint(codePoint));
}

function escapeRune(r: number, quote: string, asciiOnly: boolean): string {
  const ch = String.fromCodePoint(r);
  if (ch === quote || ch === "\\") return "\\" + ch;
  if (asciiOnly ? r < 0x80 && isPrint(r) : isPrint(r)) return ch;
  switch (ch) {
    case "\x07":
      return "\\a";
    case "\b":
      return "\\b";
    case "\f":
      return "\\f";
    case "\n":
      return "\\n";
    case "\r":
      return "\\r";
    case "\t":
      return "\\t";
    case "\v":
      return "\\v";
  }
  if (r < 0x20 || r === 0x7f) return "\\x" + HEX[r >> 4] + HEX[r & 0xf];
  if (r < 0x10000) return "\\u" + r.toString(16).padStart(4, "0");
  return "\\U" + r.toString(16).padStart(8, "0");
}

function quoteWith(s: string, quote: string, asciiOnly: boolean): string {
  let out = quote;
  for (const ch of s) {
    const r = ch.codePointAt(0)!;
    // A lone surrogate is not valid UTF-8 text; Go would see the replacement character.
    out += escapeRune(r >= 0xd800 && r <= 0xdfff ? 0xfffd : r, quote, asciiOnly);
  }
  return out + quote;
}

/**
 * Go's `strconv.Quote`: a double-quoted Go string literal, non-printable runes escaped.
 *
 * @example
 * ```ts
 * quote('a"b\n'); // "\"a\\\"b\\n\""
 * ```
 */
export function quote(s: string): string {
  return quoteWith(s, '"', false);
}

/**
 * Go's `strconv.QuoteToASCII`: like {@link quote} but every non-ASCII rune escaped (`%+q`).
 *
 * @example
 * ```ts
 * quoteToASCII("é"); // "\"\\u00e9\""
 * ```
 */
export function quoteToASCII(s: string): string {
  return quoteWith(s, '"', true);
}

/**
 * Go's `strconv.QuoteRune` (or `QuoteRuneToASCII`): a single-quoted character literal; invalid code points print
 * as the replacement character.
 *
 * @example
 * ```ts
 * quoteRune(0x61); // "'a'"
 * ```
 */
export function quoteRune(r: number, asciiOnly = false): string {
  const valid = r >= 0 && r <= 0x10ffff && !(r >= 0xd800 && r <= 0xdfff);
  return "'" + escapeRune(valid ? r : 0xfffd, "'", asciiOnly) + "'";
}

/**
 * Go's `strconv.CanBackquote`: whether `s` can be a raw string literal (no control characters but tab, no
 * backquote, no byte order mark).
 *
 * @example
 * ```ts
 * canBackquote("a\tb"); // true
 * canBackquote("a\nb"); // false
 * ```
 */
export function canBackquote(s: string): boolean {
  for (const ch of s) {
    const r = ch.codePointAt(0)!;
    if ((r < 0x20 && r !== 0x09) || r === 0x7f || ch === "`" || r === 0xfeff) return false;
    if (r >= 0xd800 && r <= 0xdfff) return false;
  }
  return true;
}

const SIMPLE_ESCAPES: Record<string, number> = {
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  "\\": 0x5c,
};

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Reads one escape sequence after the backslash at `s[i]`; returns the bytes it stands for and where it ends. */
function readEscape(s: string, i: number, quote: string): { bytes: number[]; end: number } {
  const c = s[i + 1];
  if (c === undefined) throw new SyntaxError("invalid syntax");
  if (c in SIMPLE_ESCAPES) return { bytes: [SIMPLE_ESCAPES[c]], end: i + 2 };
  if (c === quote && (quote === "'" || quote === '"')) return { bytes: [c.charCodeAt(0)], end: i + 2 };
  const hexLength = c === "x" ? 2 : c === "u" ? 4 : c === "U" ? 8 : 0;
  if (hexLength > 0) {
    const digits = s.slice(i + 2, i + 2 + hexLength);
    if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(digits)) throw new SyntaxError("invalid syntax");
    const value = parseInt(digits, 16);
    if (c === "x") {
      if (quote === "'") return { bytes: [...encoder.encode(String.fromCodePoint(value))], end: i + 4 };
      return { bytes: [value], end: i + 4 };
    }
    if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) throw new SyntaxError("invalid syntax");
    return { bytes: [...encoder.encode(String.fromCodePoint(value))], end: i + 2 + hexLength };
  }
  if (c >= "0" && c <= "7") {
    const digits = s.slice(i + 1, i + 4);
    if (!/^[0-7]{3}$/.test(digits)) throw new SyntaxError("invalid syntax");
    const value = parseInt(digits, 8);
    if (value > 255) throw new SyntaxError("invalid syntax");
    return { bytes: quote === "'" ? [...encoder.encode(String.fromCodePoint(value))] : [value], end: i + 4 };
  }
  throw new SyntaxError("invalid syntax");
}

/**
 * Go's `strconv.Unquote` for the literals templates allow: `"…"` with Go's escapes, `` `…` `` raw (carriage
 * returns dropped) and `'…'` (the caller checks it holds one character). Throws `SyntaxError("invalid syntax")`
 * as Go does.
 *
 * @example
 * ```ts
 * unquote('"a\\tb"'); // "a\tb"
 * unquote("`a\\n`"); // "a\\n"
 * ```
 */
export function unquote(literal: string): string {
  const quoteChar = literal[0];
  if (literal.length < 2 || literal[literal.length - 1] !== quoteChar) throw new SyntaxError("invalid syntax");
  const body = literal.slice(1, -1);
  if (quoteChar === "`") {
    if (body.includes("`")) throw new SyntaxError("invalid syntax");
    return body.replaceAll("\r", "");
  }
  if (quoteChar !== '"' && quoteChar !== "'") throw new SyntaxError("invalid syntax");
  if (!/[\\\n"']/.test(body)) return body;
  const bytes: number[] = [];
  for (let i = 0; i < body.length;) {
    const ch = body[i];
    if (ch === quoteChar || ch === "\n") throw new SyntaxError("invalid syntax");
    if (ch === "\\") {
      const escape = readEscape(body, i, quoteChar);
      bytes.push(...escape.bytes);
      i = escape.end;
      continue;
    }
    const cp = body.codePointAt(i)!;
    bytes.push(...encoder.encode(String.fromCodePoint(cp)));
    i += cp > 0xffff ? 2 : 1;
  }
  return decoder.decode(new Uint8Array(bytes));
}
