/**
 * CEL source to syntax tree: the grammar of the Common Expression Language (literals, operators with CEL's
 * precedence, member calls, indexing, list and map literals) with the standard macros (`has`, `all`, `exists`,
 * `exists_one`, `map`, `filter`) expanded as cel-go expands them. Errors carry the offset they were found at.
 *
 * @module
 */

/** A parsed expression; `pos` is its offset in the source (an operator's, for calls). */
export type Expr =
  | { k: "lit"; pos: number; value: Literal }
  | { k: "ident"; pos: number; name: string }
  | { k: "select"; pos: number; operand: Expr; field: string; test: boolean }
  | { k: "call"; pos: number; fn: string; target?: Expr; args: Expr[] }
  | { k: "list"; pos: number; elements: Expr[] }
  | { k: "map"; pos: number; entries: { key: Expr; value: Expr }[] }
  | {
    k: "comprehension";
    pos: number;
    macro: "all" | "exists" | "exists_one" | "map" | "filter";
    range: Expr;
    iterVar: string;
    predicate?: Expr;
    transform?: Expr;
  };

/** A literal's value: int (bigint), uint, double (number), string, bytes, bool or null. */
export type Literal =
  | { t: "int"; v: bigint }
  | { t: "uint"; v: bigint }
  | { t: "double"; v: number }
  | { t: "string"; v: string }
  | { t: "bytes"; v: Uint8Array }
  | { t: "bool"; v: boolean }
  | { t: "null" };

/** A syntax or type error at an offset of the source. */
export class CelError extends Error {
  constructor(readonly pos: number, message: string) {
    super(message);
  }
}

type Token =
  | { t: "num"; pos: number; lit: Literal }
  | { t: "str"; pos: number; lit: Literal }
  | { t: "ident"; pos: number; v: string }
  | { t: "op"; pos: number; v: string }
  | { t: "eof"; pos: number };

const OPERATORS = [
  "==",
  "!=",
  "<=",
  ">=",
  "&&",
  "||",
  "<",
  ">",
  "+",
  "-",
  "*",
  "/",
  "%",
  "!",
  "?",
  ":",
  ".",
  ",",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
];
const RESERVED = new Set([
  "as",
  "break",
  "const",
  "continue",
  "else",
  "for",
  "function",
  "if",
  "import",
  "let",
  "loop",
  "package",
  "namespace",
  "return",
  "var",
  "void",
  "while",
]);

function lex(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (source.startsWith("//", i)) {
      while (i < source.length && source[i] !== "\n") i++;
      continue;
    }
    const start = i;
    const prefixed = /^[rRbB]{1,2}["']/.exec(source.slice(i, i + 3));
    if (c === '"' || c === "'" || (prefixed && /^(?:[rR][bB]?|[bB][rR]?)["']$/.test(prefixed[0]))) {
      const prefix = prefixed && c !== '"' && c !== "'" ? prefixed[0].slice(0, -1) : "";
      const [lit, end] = lexString(source, i + prefix.length, /r/i.test(prefix), /b/i.test(prefix), start);
      tokens.push({ t: "str", pos: start, lit });
      i = end;
      continue;
    }
    if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(source[i + 1] ?? ""))) {
      const [lit, end] = lexNumber(source, i);
      tokens.push({ t: "num", pos: start, lit });
      i = end;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      while (i < source.length && /[A-Za-z0-9_]/.test(source[i])) i++;
      tokens.push({ t: "ident", pos: start, v: source.slice(start, i) });
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (!op) throw new CelError(i, `Syntax error: token recognition error at: '${c}'`);
    tokens.push({ t: "op", pos: start, v: op });
    i += op.length;
  }
  tokens.push({ t: "eof", pos: source.length });
  return tokens;
}

function lexNumber(source: string, i: number): [Literal, number] {
  const start = i;
  const hex = /^0[xX][0-9a-fA-F]+/.exec(source.slice(i));
  if (hex) {
    i += hex[0].length;
    const unsigned = /[uU]/.test(source[i] ?? "");
    if (unsigned) i++;
    return [{ t: unsigned ? "uint" : "int", v: BigInt(hex[0]) }, i];
  }
  const m = /^(?:[0-9]*\.[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+|[0-9]+)/.exec(source.slice(i))!;
  i += m[0].length;
  const text = m[0];
  if (/[.eE]/.test(text)) return [{ t: "double", v: Number(text) }, i];
  if (/[uU]/.test(source[i] ?? "")) return [{ t: "uint", v: BigInt(text) }, i + 1];
  const v = BigInt(text);
  if (v > 9223372036854775808n) throw new CelError(start, `invalid int literal`);
  return [{ t: "int", v }, i];
}

function lexString(source: string, i: number, raw: boolean, bytes: boolean, start: number): [Literal, number] {
  const quote = source.startsWith(source[i].repeat(3), i) ? source[i].repeat(3) : source[i];
  i += quote.length;
  let out = "";
  const byteValues: number[] = [];
  const push = (s: string) => {
    out += s;
    if (bytes) byteValues.push(...new TextEncoder().encode(s));
  };
  while (true) {
    if (i >= source.length || (quote.length === 1 && source[i] === "\n")) {
      throw new CelError(start, "Syntax error: token recognition error at: " + JSON.stringify(source.slice(start)));
    }
    if (source.startsWith(quote, i)) {
      i += quote.length;
      break;
    }
    const c = source[i];
    if (c === "\\" && !raw) {
      const [text, byte, end] = escape(source, i, start);
      if (byte !== undefined && bytes) {
        out += String.fromCharCode(byte);
        byteValues.push(byte);
      } else push(text);
      i = end;
      continue;
    }
    const cp = source.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    push(ch);
    i += ch.length;
  }
  return [bytes ? { t: "bytes", v: new Uint8Array(byteValues) } : { t: "string", v: out }, i];
}

/** One escape sequence: its text, the byte it stands for (octal/hex escapes), and where it ends. */
function escape(source: string, i: number, start: number): [string, number | undefined, number] {
  const next = source[i + 1];
  const simple: Record<string, string> = {
    "a": "\x07",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
    "?": "?",
    '"': '"',
    "'": "'",
    "`": "`",
  };
  if (next in simple) return [simple[next], undefined, i + 2];
  const hex = (len: number, from: number) => {
    const digits = source.slice(from, from + len);
    if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(digits)) throw new CelError(start, "Syntax error: invalid escape");
    return parseInt(digits, 16);
  };
  if (next === "x" || next === "X") {
    const v = hex(2, i + 2);
    return [String.fromCharCode(v), v, i + 4];
  }
  if (next === "u") return [String.fromCodePoint(hex(4, i + 2)), undefined, i + 6];
  if (next === "U") return [String.fromCodePoint(hex(8, i + 2)), undefined, i + 10];
  if (/[0-3]/.test(next ?? "") && /^[0-7]{2}$/.test(source.slice(i + 2, i + 4))) {
    const v = parseInt(source.slice(i + 1, i + 4), 8);
    return [String.fromCharCode(v), v, i + 4];
  }
  throw new CelError(i, "Syntax error: invalid escape sequence");
}

const MACROS = new Set(["all", "exists", "exists_one", "map", "filter"]);

class Parser {
  #i = 0;
  constructor(readonly tokens: Token[]) {}

  get #peek(): Token {
    return this.tokens[this.#i];
  }

  #isOp(v: string): boolean {
    const t = this.#peek;
    return t.t === "op" && t.v === v;
  }

  #expectOp(v: string): Token {
    const t = this.#peek;
    if (t.t !== "op" || t.v !== v) throw this.#unexpected(`expecting '${v}'`);
    this.#i++;
    return t;
  }

  #unexpected(expecting?: string): CelError {
    const t = this.#peek;
    const text = t.t === "eof" ? "<EOF>" : t.t === "op" ? t.v : t.t === "ident" ? t.v : "literal";
    return new CelError(t.pos, `Syntax error: mismatched input '${text}'${expecting ? ` ${expecting}` : ""}`);
  }

  parse(): Expr {
    const e = this.expr();
    if (this.#peek.t !== "eof") throw this.#unexpected("expecting <EOF>");
    return e;
  }

  expr(): Expr {
    const cond = this.or();
    if (!this.#isOp("?")) return cond;
    const q = this.#expectOp("?");
    const then = this.or();
    this.#expectOp(":");
    const otherwise = this.expr();
    return { k: "call", pos: q.pos, fn: "_?_:_", args: [cond, then, otherwise] };
  }

  or(): Expr {
    let left = this.and();
    while (this.#isOp("||")) {
      const op = this.#expectOp("||");
      left = { k: "call", pos: op.pos, fn: "_||_", args: [left, this.and()] };
    }
    return left;
  }

  and(): Expr {
    let left = this.relation();
    while (this.#isOp("&&")) {
      const op = this.#expectOp("&&");
      left = { k: "call", pos: op.pos, fn: "_&&_", args: [left, this.relation()] };
    }
    return left;
  }

  relation(): Expr {
    let left = this.addition();
    while (true) {
      const t = this.#peek;
      if (t.t === "op" && ["<", "<=", ">", ">=", "==", "!="].includes(t.v)) {
        this.#i++;
        left = { k: "call", pos: t.pos, fn: `_${t.v}_`, args: [left, this.addition()] };
      } else if (t.t === "ident" && t.v === "in") {
        this.#i++;
        left = { k: "call", pos: t.pos, fn: "@in", args: [left, this.addition()] };
      } else return left;
    }
  }

  addition(): Expr {
    let left = this.multiplication();
    while (this.#isOp("+") || this.#isOp("-")) {
      const op = this.tokens[this.#i++] as { pos: number; v: string };
      left = { k: "call", pos: op.pos, fn: `_${op.v}_`, args: [left, this.multiplication()] };
    }
    return left;
  }

  multiplication(): Expr {
    let left = this.unary();
    while (this.#isOp("*") || this.#isOp("/") || this.#isOp("%")) {
      const op = this.tokens[this.#i++] as { pos: number; v: string };
      left = { k: "call", pos: op.pos, fn: `_${op.v}_`, args: [left, this.unary()] };
    }
    return left;
  }

  unary(): Expr {
    if (this.#isOp("!")) {
      const op = this.#expectOp("!");
      return { k: "call", pos: op.pos, fn: "!_", args: [this.unary()] };
    }
    if (this.#isOp("-")) {
      const op = this.#expectOp("-");
      const next = this.#peek;
      // A negated number literal is one literal, so the smallest int64 is writable.
      if (next.t === "num" && (next.lit.t === "int" || next.lit.t === "double")) {
        const operand = this.member();
        if (operand.k === "lit" && operand.value.t === "int") {
          return { k: "lit", pos: op.pos, value: { t: "int", v: checkedInt(-operand.value.v, op.pos) } };
        }
        if (operand.k === "lit" && operand.value.t === "double") {
          return { k: "lit", pos: op.pos, value: { t: "double", v: -operand.value.v } };
        }
        return { k: "call", pos: op.pos, fn: "-_", args: [operand] };
      }
      return { k: "call", pos: op.pos, fn: "-_", args: [this.unary()] };
    }
    return this.member();
  }

  member(): Expr {
    let e = this.primary();
    while (true) {
      if (this.#isOp(".")) {
        const dot = this.#expectOp(".");
        const name = this.#peek;
        if (name.t !== "ident") throw this.#unexpected("expecting IDENTIFIER");
        this.#i++;
        if (this.#isOp("(")) {
          const open = this.#expectOp("(");
          const args = this.#exprList(")");
          e = this.#memberCall(e, name.v, args, open.pos);
        } else {
          e = { k: "select", pos: dot.pos, operand: e, field: name.v, test: false };
        }
      } else if (this.#isOp("[")) {
        const open = this.#expectOp("[");
        const index = this.expr();
        this.#expectOp("]");
        e = { k: "call", pos: open.pos, fn: "_[_]", args: [e, index] };
      } else return e;
    }
  }

  #memberCall(target: Expr, fn: string, args: Expr[], pos: number): Expr {
    if (!MACROS.has(fn)) return { k: "call", pos, fn, target, args };
    const arity = fn === "map" ? [2, 3] : [2];
    if (!arity.includes(args.length)) return { k: "call", pos, fn, target, args };
    const iter = args[0];
    if (iter.k !== "ident") throw new CelError(iter.pos, "argument must be a simple name");
    const macro = fn as "all" | "exists" | "exists_one" | "map" | "filter";
    if (macro === "map") {
      return args.length === 3
        ? { k: "comprehension", pos, macro, range: target, iterVar: iter.name, predicate: args[1], transform: args[2] }
        : { k: "comprehension", pos, macro, range: target, iterVar: iter.name, transform: args[1] };
    }
    return { k: "comprehension", pos, macro, range: target, iterVar: iter.name, predicate: args[1] };
  }

  #exprList(close: string): Expr[] {
    const list: Expr[] = [];
    while (!this.#isOp(close)) {
      list.push(this.expr());
      if (this.#isOp(",")) this.#expectOp(",");
      else break;
    }
    this.#expectOp(close);
    return list;
  }

  primary(): Expr {
    const t = this.#peek;
    if (t.t === "num" || t.t === "str") {
      this.#i++;
      return { k: "lit", pos: t.pos, value: t.lit.t === "int" ? { t: "int", v: checkedInt(t.lit.v, t.pos) } : t.lit };
    }
    if (t.t === "ident") {
      this.#i++;
      if (t.v === "true" || t.v === "false") return { k: "lit", pos: t.pos, value: { t: "bool", v: t.v === "true" } };
      if (t.v === "null") return { k: "lit", pos: t.pos, value: { t: "null" } };
      if (RESERVED.has(t.v) || t.v === "in") {
        throw new CelError(t.pos, `Syntax error: reserved identifier: ${t.v}`);
      }
      if (this.#isOp("(")) {
        const open = this.#expectOp("(");
        const args = this.#exprList(")");
        if (t.v === "has") {
          const arg = args[0];
          if (args.length !== 1 || arg.k !== "select") {
            throw new CelError(open.pos, "invalid argument to has() macro");
          }
          return { ...arg, test: true };
        }
        return { k: "call", pos: open.pos, fn: t.v, args };
      }
      return { k: "ident", pos: t.pos, name: t.v };
    }
    if (this.#isOp("(")) {
      this.#expectOp("(");
      const e = this.expr();
      this.#expectOp(")");
      return e;
    }
    if (this.#isOp("[")) {
      const open = this.#expectOp("[");
      return { k: "list", pos: open.pos, elements: this.#exprList("]") };
    }
    if (this.#isOp("{")) {
      const open = this.#expectOp("{");
      const entries: { key: Expr; value: Expr }[] = [];
      while (!this.#isOp("}")) {
        const key = this.expr();
        this.#expectOp(":");
        entries.push({ key, value: this.expr() });
        if (this.#isOp(",")) this.#expectOp(",");
        else break;
      }
      this.#expectOp("}");
      return { k: "map", pos: open.pos, entries };
    }
    throw this.#unexpected();
  }
}

function checkedInt(v: bigint, pos: number): bigint {
  if (v > 9223372036854775807n || v < -9223372036854775808n) throw new CelError(pos, "invalid int literal");
  return v;
}

/**
 * Parse a CEL expression (macros expanded).
 *
 * @example
 * ```ts
 * parse("self.min <= self.max"); // { k: "call", fn: "_<=_", args: [select min, select max] }
 * ```
 */
export function parse(source: string): Expr {
  return new Parser(lex(source)).parse();
}
