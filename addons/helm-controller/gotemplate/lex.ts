/**
 * The template lexer, Go's `text/template/parse` scanner: text, delimiters with `{{- `/` -}}` trimming,
 * comments, and the tokens inside actions. Positions are UTF-16 offsets into the text; lines are 1-based.
 *
 * @module
 */
import { quote } from "./quote.ts";

/** Token kinds, named after Go's `item*` constants; `block` to `with` are the keywords of {@link KEYWORDS}. */
export type ItemType =
  | "error"
  | "bool"
  | "char"
  | "charConstant"
  | "comment"
  | "complex"
  | "assign"
  | "declare"
  | "EOF"
  | "field"
  | "identifier"
  | "leftDelim"
  | "leftParen"
  | "number"
  | "pipe"
  | "rawString"
  | "rightDelim"
  | "rightParen"
  | "space"
  | "string"
  | "text"
  | "variable"
  | "block"
  | "break"
  | "continue"
  | "dot"
  | "define"
  | "else"
  | "end"
  | "if"
  | "nil"
  | "range"
  | "template"
  | "with";

/** A scanned token: its kind, UTF-16 offset, text and the line it starts on. */
export interface Item {
  typ: ItemType;
  pos: number;
  val: string;
  line: number;
}

const KEYWORDS: Record<string, ItemType> = {
  ".": "dot",
  block: "block",
  break: "break",
  continue: "continue",
  define: "define",
  else: "else",
  end: "end",
  if: "if",
  range: "range",
  nil: "nil",
  template: "template",
  with: "with",
};

/** Keyword tokens, which Go's errors print as `<word>`. */
const KEYWORD_TYPES = new Set(Object.values(KEYWORDS));

/**
 * A token as Go's parse errors show it: `EOF`, the error text, `<keyword>`, or the quoted text (cut at 10
 * characters).
 *
 * @example
 * ```ts
 * itemString({ typ: "end", pos: 0, val: "end", line: 1 }); // "<end>"
 * ```
 */
export function itemString(item: Item): string {
  if (item.typ === "EOF") return "EOF";
  if (item.typ === "error") return item.val;
  if (KEYWORD_TYPES.has(item.typ)) return `<${item.val}>`;
  const runes = [...item.val];
  if (runes.length > 10) return quote(runes.slice(0, 10).join("")) + "...";
  return quote(item.val);
}

/** Lexer options Go derives from the function map: `break`/`continue` are keywords unless functions. */
export interface LexOptions {
  breakOK: boolean;
  continueOK: boolean;
}

const LEFT_COMMENT = "/*";
const RIGHT_COMMENT = "*/";
const ALPHANUMERIC = /^[\p{L}\p{Nd}_]$/u;

const isSpace = (ch: string) => ch === " " || ch === "\t" || ch === "\r" || ch === "\n";
function isAlphaNumeric(ch: string): boolean {
  if (ch === "") return false;
  const c = ch.charCodeAt(0);
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
  return ALPHANUMERIC.test(ch);
}
/** Whether `s` has "- " (a left trim marker) at `i`. */
const hasLeftTrimMarker = (s: string, i: number) => s[i] === "-" && isSpace(s[i + 1] ?? "");
/** Whether `s` has " -" (the start of a right trim marker) at `i`. */
const hasRightTrimMarker = (s: string, i: number) => isSpace(s[i] ?? "") && s[i + 1] === "-";
const countNewlines = (s: string) => s.split("\n").length - 1;
const rightTrimLength = (s: string) => s.length - s.replace(/[ \t\r\n]+$/, "").length;
/** How many space characters start at `i`. */
function leftTrimLength(s: string, i: number): number {
  let j = i;
  while (j < s.length && isSpace(s[j])) j++;
  return j - i;
}

type StateFn = ((l: Lexer) => StateFn) | null;

class Lexer {
  pos = 0;
  start = 0;
  line = 1;
  startLine = 1;
  parenDepth = 0;
  insideAction = false;
  items: Item[] = [];

  constructor(
    readonly input: string,
    readonly leftDelim: string,
    readonly rightDelim: string,
    readonly options: LexOptions,
  ) {}

  /** The next character (a whole code point), or "" at the end. */
  next(): string {
    if (this.pos >= this.input.length) return "";
    const unit = this.input.charCodeAt(this.pos);
    const ch = unit >= 0xd800 && unit <= 0xdbff
      ? String.fromCodePoint(this.input.codePointAt(this.pos)!)
      : this.input[this.pos];
    this.pos += ch.length;
    if (ch === "\n") this.line++;
    return ch;
  }

  peek(): string {
    const ch = this.next();
    this.backup(ch);
    return ch;
  }

  /** Steps back over `ch`, the character `next` just returned. */
  backup(ch: string): void {
    this.pos -= ch.length;
    if (ch === "\n") this.line--;
  }

  accept(valid: string): boolean {
    const ch = this.next();
    if (ch !== "" && valid.includes(ch)) return true;
    this.backup(ch);
    return false;
  }

  acceptRun(valid: string): void {
    for (;;) {
      const ch = this.next();
      if (ch === "" || !valid.includes(ch)) {
        this.backup(ch);
        return;
      }
    }
  }

  thisItem(typ: ItemType): Item {
    const item = { typ, pos: this.start, val: this.input.slice(this.start, this.pos), line: this.startLine };
    this.start = this.pos;
    this.startLine = this.line;
    return item;
  }

  emit(typ: ItemType): StateFn {
    this.items.push(this.thisItem(typ));
    return null;
  }

  /** Skips the pending input, counting the newlines in it. */
  ignore(): void {
    this.line += countNewlines(this.input.slice(this.start, this.pos));
    this.start = this.pos;
    this.startLine = this.line;
  }

  errorf(message: string): StateFn {
    this.items.push({ typ: "error", pos: this.start, val: message, line: this.startLine });
    this.pos = this.input.length;
    this.start = this.pos;
    return null;
  }

  atRightDelim(): { delim: boolean; trimSpaces: boolean } {
    if (hasRightTrimMarker(this.input, this.pos) && this.input.startsWith(this.rightDelim, this.pos + 2)) {
      return { delim: true, trimSpaces: true };
    }
    return { delim: this.input.startsWith(this.rightDelim, this.pos), trimSpaces: false };
  }

  /** Whether the next character may end an identifier, field or variable. */
  atTerminator(): boolean {
    const ch = this.peek();
    if (isSpace(ch)) return true;
    if (ch === "" || ".,|:)(".includes(ch)) return true;
    return this.input.startsWith(this.rightDelim, this.pos);
  }
}

function lexText(l: Lexer): StateFn {
  const x = l.input.indexOf(l.leftDelim, l.pos);
  if (x >= 0) {
    if (x > l.pos) {
      l.pos = x;
      let trimLength = 0;
      if (hasLeftTrimMarker(l.input, l.pos + l.leftDelim.length)) {
        trimLength = rightTrimLength(l.input.slice(l.start, l.pos));
      }
      l.pos -= trimLength;
      l.line += countNewlines(l.input.slice(l.start, l.pos));
      const item = l.thisItem("text");
      l.pos += trimLength;
      l.ignore();
      if (item.val.length > 0) {
        l.items.push(item);
        return null;
      }
    }
    return lexLeftDelim;
  }
  l.pos = l.input.length;
  if (l.pos > l.start) {
    l.line += countNewlines(l.input.slice(l.start, l.pos));
    return l.emit("text");
  }
  return l.emit("EOF");
}

function lexLeftDelim(l: Lexer): StateFn {
  l.pos += l.leftDelim.length;
  const trimSpace = hasLeftTrimMarker(l.input, l.pos);
  const afterMarker = trimSpace ? 2 : 0;
  if (l.input.startsWith(LEFT_COMMENT, l.pos + afterMarker)) {
    l.pos += afterMarker;
    l.ignore();
    return lexComment;
  }
  const item = l.thisItem("leftDelim");
  l.insideAction = true;
  l.pos += afterMarker;
  l.ignore();
  l.parenDepth = 0;
  l.items.push(item);
  return null;
}

function lexComment(l: Lexer): StateFn {
  l.pos += LEFT_COMMENT.length;
  const x = l.input.indexOf(RIGHT_COMMENT, l.pos);
  if (x < 0) return l.errorf("unclosed comment");
  l.pos = x + RIGHT_COMMENT.length;
  const { delim, trimSpaces } = l.atRightDelim();
  if (!delim) return l.errorf("comment ends before closing delimiter");
  l.line += countNewlines(l.input.slice(l.start, l.pos));
  l.thisItem("comment");
  if (trimSpaces) l.pos += 2;
  l.pos += l.rightDelim.length;
  if (trimSpaces) l.pos += leftTrimLength(l.input, l.pos);
  l.ignore();
  return lexText;
}

function lexRightDelim(l: Lexer): StateFn {
  const { trimSpaces } = l.atRightDelim();
  if (trimSpaces) {
    l.pos += 2;
    l.ignore();
  }
  l.pos += l.rightDelim.length;
  const item = l.thisItem("rightDelim");
  if (trimSpaces) {
    l.pos += leftTrimLength(l.input, l.pos);
    l.ignore();
  }
  l.insideAction = false;
  l.items.push(item);
  return null;
}

function lexInsideAction(l: Lexer): StateFn {
  if (l.atRightDelim().delim) {
    if (l.parenDepth === 0) return lexRightDelim;
    return l.errorf("unclosed left paren");
  }
  const r = l.next();
  if (r === "") return l.errorf("unclosed action");
  if (isSpace(r)) {
    l.backup(r);
    return lexSpace;
  }
  switch (r) {
    case "=":
      return l.emit("assign");
    case ":":
      if (l.next() !== "=") return l.errorf("expected :=");
      return l.emit("declare");
    case "|":
      return l.emit("pipe");
    case '"':
      return lexQuote;
    case "`":
      return lexRawQuote;
    case "$":
      return lexVariable;
    case "'":
      return lexChar;
    case "(":
      l.parenDepth++;
      return l.emit("leftParen");
    case ")":
      l.parenDepth--;
      if (l.parenDepth < 0) return l.errorf("unexpected right paren");
      return l.emit("rightParen");
  }
  if (r === ".") {
    const following = l.input[l.pos];
    if (following !== undefined && (following < "0" || following > "9")) return lexField;
  }
  if (r === "." || r === "+" || r === "-" || (r >= "0" && r <= "9")) {
    l.backup(r);
    return lexNumber;
  }
  if (isAlphaNumeric(r)) {
    l.backup(r);
    return lexIdentifier;
  }
  const cp = r.codePointAt(0)!;
  if (cp <= 0x7f && cp >= 0x20 && cp !== 0x7f) return l.emit("char");
  return l.errorf(`unrecognized character in action: ${unicodeName(cp)}`);
}

/** Go's `%#U`: "U+0041 'A'". */
function unicodeName(cp: number): string {
  const hex = "U+" + cp.toString(16).toUpperCase().padStart(4, "0");
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(String.fromCodePoint(cp))
    ? `${hex} '${String.fromCodePoint(cp)}'`
    : hex;
}

function lexSpace(l: Lexer): StateFn {
  let numSpaces = 0;
  let last = "";
  while (isSpace(l.peek())) {
    last = l.next();
    numSpaces++;
  }
  // A trim-marked closing delimiter starts with a space: leave that space to it.
  const beforeLast = l.pos - 1;
  if (hasRightTrimMarker(l.input, beforeLast) && l.input.startsWith(l.rightDelim, beforeLast + 2)) {
    l.backup(last);
    if (numSpaces === 1) return lexRightDelim;
  }
  return l.emit("space");
}

function lexIdentifier(l: Lexer): StateFn {
  for (;;) {
    const r = l.next();
    if (isAlphaNumeric(r)) continue;
    l.backup(r);
    const word = l.input.slice(l.start, l.pos);
    if (!l.atTerminator()) return l.errorf(`bad character ${unicodeName(r.codePointAt(0) ?? 0)}`);
    const keyword = KEYWORDS[word];
    if (keyword !== undefined && Object.hasOwn(KEYWORDS, word)) {
      if ((keyword === "break" && !l.options.breakOK) || (keyword === "continue" && !l.options.continueOK)) {
        return l.emit("identifier");
      }
      return l.emit(keyword);
    }
    if (word === "true" || word === "false") return l.emit("bool");
    return l.emit("identifier");
  }
}

function lexFieldOrVariable(l: Lexer, typ: "field" | "variable"): StateFn {
  if (l.atTerminator()) return l.emit(typ === "variable" ? "variable" : "dot");
  let r: string;
  for (;;) {
    r = l.next();
    if (!isAlphaNumeric(r)) {
      l.backup(r);
      break;
    }
  }
  if (!l.atTerminator()) return l.errorf(`bad character ${unicodeName(r.codePointAt(0) ?? 0)}`);
  return l.emit(typ);
}

const lexField = (l: Lexer) => lexFieldOrVariable(l, "field");
const lexVariable = (l: Lexer) => lexFieldOrVariable(l, "variable");

function lexChar(l: Lexer): StateFn {
  for (;;) {
    const r = l.next();
    if (r === "\\") {
      const escaped = l.next();
      if (escaped !== "" && escaped !== "\n") continue;
      return l.errorf("unterminated character constant");
    }
    if (r === "" || r === "\n") return l.errorf("unterminated character constant");
    if (r === "'") break;
  }
  return l.emit("charConstant");
}

function scanNumber(l: Lexer): boolean {
  l.accept("+-");
  let digits = "0123456789_";
  if (l.accept("0")) {
    if (l.accept("xX")) digits = "0123456789abcdefABCDEF_";
    else if (l.accept("oO")) digits = "01234567_";
    else if (l.accept("bB")) digits = "01_";
  }
  l.acceptRun(digits);
  if (l.accept(".")) l.acceptRun(digits);
  if (digits.length === 11 && l.accept("eE")) {
    l.accept("+-");
    l.acceptRun("0123456789_");
  }
  if (digits.length === 23 && l.accept("pP")) {
    l.accept("+-");
    l.acceptRun("0123456789_");
  }
  l.accept("i");
  if (isAlphaNumeric(l.peek())) {
    l.next();
    return false;
  }
  return true;
}

function lexNumber(l: Lexer): StateFn {
  if (!scanNumber(l)) return l.errorf(`bad number syntax: ${quote(l.input.slice(l.start, l.pos))}`);
  const sign = l.peek();
  if (sign === "+" || sign === "-") {
    if (!scanNumber(l) || l.input[l.pos - 1] !== "i") {
      return l.errorf(`bad number syntax: ${quote(l.input.slice(l.start, l.pos))}`);
    }
    return l.emit("complex");
  }
  return l.emit("number");
}

function lexQuote(l: Lexer): StateFn {
  for (;;) {
    const r = l.next();
    if (r === "\\") {
      const escaped = l.next();
      if (escaped !== "" && escaped !== "\n") continue;
      return l.errorf("unterminated quoted string");
    }
    if (r === "" || r === "\n") return l.errorf("unterminated quoted string");
    if (r === '"') break;
  }
  return l.emit("string");
}

function lexRawQuote(l: Lexer): StateFn {
  for (;;) {
    const r = l.next();
    if (r === "") return l.errorf("unterminated raw quoted string");
    if (r === "`") break;
  }
  return l.emit("rawString");
}

/**
 * Scans a whole template into tokens; the list ends with an `EOF` or an `error` token, as Go's lexer stops.
 *
 * @example
 * ```ts
 * lex("a{{.x}}", "{{", "}}", { breakOK: true, continueOK: true }).map((i) => i.typ);
 * // ["text", "leftDelim", "field", "rightDelim", "EOF"]
 * ```
 */
export function lex(input: string, leftDelim: string, rightDelim: string, options: LexOptions): Item[] {
  const l = new Lexer(input, leftDelim || "{{", rightDelim || "}}", options);
  for (;;) {
    let state: StateFn = l.insideAction ? lexInsideAction : lexText;
    const before = l.items.length;
    while (state !== null) state = state(l);
    const last = l.items[l.items.length - 1];
    if (l.items.length > before && (last.typ === "EOF" || last.typ === "error")) return l.items;
  }
}
