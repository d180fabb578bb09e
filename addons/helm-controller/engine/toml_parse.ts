/**
 * `fromToml`: a TOML 1.0 reader decoding as BurntSushi/toml does into `map[string]interface{}` — integers as int64
 * (bigint), floats as float64, date-times as `time.Time` (`Date`), tables as maps, arrays (of tables) as lists —
 * failing with `toml: line N: …` errors.
 *
 * @module
 */

import { isMap } from "../gotemplate/mod.ts";
import { setEntry } from "../sprig/gomap.ts";

type Table = Record<string, unknown>;

/**
 * Parses a TOML document.
 *
 * @example
 * ```ts
 * fromToml('name = "web"\n[db]\nport = 5432\n'); // { name: "web", db: { port: 5432n } }
 * ```
 */
export function fromToml(text: string): Table {
  return new Parser(text).document();
}

/** Tables that were defined by a header or by dotted keys, which TOML forbids redefining. */
const DEFINED = new WeakSet<Table>();
/** Inline tables and arrays, which TOML forbids extending. */
const FROZEN = new WeakSet<object>();
/** Arrays created by `[[...]]`, the only arrays a header may append to. */
const TABLE_ARRAYS = new WeakSet<unknown[]>();

class Parser {
  pos = 0;
  line = 1;

  constructor(readonly src: string) {}

  fail(message: string): never {
    throw new Error(`toml: line ${this.line}: ${message}`);
  }

  peek(offset = 0): string {
    return this.src[this.pos + offset] ?? "";
  }

  next(): string {
    const c = this.src[this.pos++] ?? "";
    if (c === "\n") this.line++;
    return c;
  }

  expect(s: string): void {
    if (!this.src.startsWith(s, this.pos)) this.fail(`expected ${JSON.stringify(s)}`);
    for (let i = 0; i < s.length; i++) this.next();
  }

  spaces(): void {
    while (this.peek() === " " || this.peek() === "\t") this.pos++;
  }

  /** Skips spaces, newlines and comments (inside arrays). */
  blank(): void {
    for (;;) {
      this.spaces();
      if (this.peek() === "#") { while (this.pos < this.src.length && this.peek() !== "\n") this.pos++; }
      if (this.peek() === "\n" || (this.peek() === "\r" && this.peek(1) === "\n")) {
        if (this.peek() === "\r") this.pos++;
        this.next();
        continue;
      }
      return;
    }
  }

  endOfLine(): void {
    this.spaces();
    if (this.peek() === "#") { while (this.pos < this.src.length && this.peek() !== "\n") this.pos++; }
    if (this.peek() === "\r") this.pos++;
    if (this.pos < this.src.length && this.next() !== "\n") this.fail("expected a newline after a value");
  }

  document(): Table {
    const root: Table = {};
    let current = root;
    for (;;) {
      this.blank();
      if (this.pos >= this.src.length) return root;
      if (this.peek() === "[") {
        const array = this.peek(1) === "[";
        this.expect(array ? "[[" : "[");
        this.spaces();
        const key = this.key();
        this.spaces();
        this.expect(array ? "]]" : "]");
        current = array ? this.appendTable(root, key) : this.defineTable(root, key);
        this.endOfLine();
        continue;
      }
      this.keyValue(current);
      this.endOfLine();
    }
  }

  defineTable(root: Table, key: string[]): Table {
    const parent = this.descend(root, key.slice(0, -1));
    const last = key[key.length - 1];
    const existing = Object.hasOwn(parent, last) ? parent[last] : undefined;
    if (existing === undefined) {
      const table: Table = {};
      setEntry(parent, last, table);
      DEFINED.add(table);
      return table;
    }
    if (!isMap(existing) || DEFINED.has(existing) || FROZEN.has(existing)) {
      this.fail(`table ${key.join(".")} already exists`);
    }
    DEFINED.add(existing);
    return existing;
  }

  appendTable(root: Table, key: string[]): Table {
    const parent = this.descend(root, key.slice(0, -1));
    const last = key[key.length - 1];
    let array = Object.hasOwn(parent, last) ? parent[last] : undefined;
    if (array === undefined) {
      array = [];
      TABLE_ARRAYS.add(array as unknown[]);
      setEntry(parent, last, array);
    }
    if (!Array.isArray(array) || !TABLE_ARRAYS.has(array)) this.fail(`key ${key.join(".")} is not an array of tables`);
    const table: Table = {};
    array.push(table);
    return table;
  }

  /** Walks to (creating) the table at `path`, entering the last element of arrays of tables. */
  descend(table: Table, path: string[]): Table {
    let current = table;
    for (const part of path) {
      let next = Object.hasOwn(current, part) ? current[part] : undefined;
      if (next === undefined) {
        next = {};
        setEntry(current, part, next);
      }
      if (Array.isArray(next) && TABLE_ARRAYS.has(next)) next = next[next.length - 1];
      if (!isMap(next) || FROZEN.has(next)) this.fail(`key ${part} is not a table`);
      current = next;
    }
    return current;
  }

  keyValue(table: Table): void {
    const key = this.key();
    this.spaces();
    this.expect("=");
    this.spaces();
    const value = this.value();
    const parent = this.descend(table, key.slice(0, -1));
    for (let i = 1; i < key.length; i++) DEFINED.add(this.descend(table, key.slice(0, i)));
    const last = key[key.length - 1];
    if (Object.hasOwn(parent, last)) this.fail(`key ${JSON.stringify(key.join("."))} is already defined`);
    setEntry(parent, last, value);
  }

  key(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.spaces();
      const c = this.peek();
      if (c === '"') parts.push(this.basicString());
      else if (c === "'") parts.push(this.literalString());
      else {
        const start = this.pos;
        while (/[A-Za-z0-9_-]/.test(this.peek())) this.pos++;
        if (start === this.pos) this.fail(`expected a key, found ${JSON.stringify(c)}`);
        parts.push(this.src.slice(start, this.pos));
      }
      this.spaces();
      if (this.peek() !== ".") return parts;
      this.pos++;
    }
  }

  value(): unknown {
    const c = this.peek();
    if (c === '"') return this.src.startsWith('"""', this.pos) ? this.multilineBasic() : this.basicString();
    if (c === "'") return this.src.startsWith("'''", this.pos) ? this.multilineLiteral() : this.literalString();
    if (c === "[") return this.array();
    if (c === "{") return this.inlineTable();
    for (const [word, v] of [["true", true], ["false", false]] as const) {
      if (this.src.startsWith(word, this.pos) && !/[A-Za-z0-9_-]/.test(this.peek(word.length))) {
        this.pos += word.length;
        return v;
      }
    }
    const m = /^[0-9A-Za-z_:.+\-]+(?: [0-9][0-9:.+\-Z]*)?/.exec(this.src.slice(this.pos));
    if (!m) this.fail(`expected a value, found ${JSON.stringify(c)}`);
    const token = m[0];
    const value = scalar(token.includes(" ") && !/^\d{4}-\d{2}-\d{2} \d/.test(token) ? token.split(" ")[0] : token);
    if (value === undefined) this.fail(`invalid value ${JSON.stringify(token)}`);
    this.pos += value.length;
    return value.value;
  }

  array(): unknown[] {
    this.expect("[");
    const out: unknown[] = [];
    for (;;) {
      this.blank();
      if (this.peek() === "]") break;
      out.push(this.value());
      this.blank();
      if (this.peek() === ",") this.pos++;
      else if (this.peek() !== "]") this.fail("expected a comma or array terminator");
    }
    this.pos++;
    FROZEN.add(out);
    return out;
  }

  inlineTable(): Table {
    this.expect("{");
    const out: Table = {};
    this.spaces();
    if (this.peek() === "}") {
      this.pos++;
      FROZEN.add(out);
      return out;
    }
    for (;;) {
      this.spaces();
      this.keyValue(out);
      this.spaces();
      if (this.peek() === "}") break;
      this.expect(",");
    }
    this.pos++;
    FROZEN.add(out);
    return out;
  }

  basicString(): string {
    this.expect('"');
    let out = "";
    for (;;) {
      const c = this.next();
      if (c === "" || c === "\n") this.fail("unterminated string");
      if (c === '"') return out;
      out += c === "\\" ? this.escape() : c;
    }
  }

  multilineBasic(): string {
    this.expect('"""');
    if (this.peek() === "\n") this.next();
    else if (this.peek() === "\r" && this.peek(1) === "\n") this.pos++, this.next();
    let out = "";
    for (;;) {
      if (this.pos >= this.src.length) this.fail("unterminated string");
      if (this.src.startsWith('"""', this.pos) && !this.src.startsWith('""""', this.pos + 1)) {
        this.pos += 3;
        return out;
      }
      const c = this.next();
      if (c !== "\\") {
        out += c;
        continue;
      }
      if (/^[ \t]*\r?\n/.test(this.src.slice(this.pos))) {
        while (/[ \t\r\n]/.test(this.peek())) this.next();
        continue;
      }
      out += this.escape();
    }
  }

  literalString(): string {
    this.expect("'");
    const end = this.src.indexOf("'", this.pos);
    const newline = this.src.indexOf("\n", this.pos);
    if (end < 0 || (newline >= 0 && newline < end)) this.fail("unterminated string");
    const out = this.src.slice(this.pos, end);
    this.pos = end + 1;
    return out;
  }

  multilineLiteral(): string {
    this.expect("'''");
    if (this.peek() === "\n") this.next();
    let end = this.src.indexOf("'''", this.pos);
    if (end < 0) this.fail("unterminated string");
    while (this.src[end + 3] === "'") end++;
    const out = this.src.slice(this.pos, end);
    for (let i = this.pos; i < end + 3; i++) this.next();
    return out;
  }

  escape(): string {
    const c = this.next();
    const simple: Record<string, string> = { b: "\b", t: "\t", n: "\n", f: "\f", r: "\r", '"': '"', "\\": "\\" };
    if (c in simple) return simple[c];
    if (c === "u" || c === "U") {
      const length = c === "u" ? 4 : 8;
      const hex = this.src.slice(this.pos, this.pos + length);
      if (!new RegExp(`^[0-9A-Fa-f]{${length}}$`).test(hex)) this.fail(`invalid escape: '\\${c}${hex}'`);
      this.pos += length;
      return String.fromCodePoint(parseInt(hex, 16));
    }
    this.fail(`invalid escape in string '\\${c}'`);
  }
}

const INT = /^[+-]?(0|[1-9](_?[0-9])*)$/;
const PREFIXED = /^0(x[0-9A-Fa-f](_?[0-9A-Fa-f])*|o[0-7](_?[0-7])*|b[01](_?[01])*)$/;
const FLOAT = /^[+-]?(0|[1-9](_?[0-9])*)(\.[0-9](_?[0-9])*)?([eE][+-]?[0-9](_?[0-9])*)?$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})?([Tt ]?)(\d{2}:\d{2}:\d{2}(\.\d+)?)?(Z|z|[+-]\d{2}:\d{2})?$/;

/** A bare scalar token (number, date-time) and how many characters of it form the value. */
function scalar(token: string): { value: unknown; length: number } | undefined {
  const length = token.length;
  if (INT.test(token)) return { value: BigInt(token.replaceAll("_", "")), length };
  if (PREFIXED.test(token)) return { value: BigInt(token.replaceAll("_", "")), length };
  if (/^[+-]?(inf|nan)$/.test(token)) {
    return { value: token.endsWith("nan") ? NaN : token.startsWith("-") ? -Infinity : Infinity, length };
  }
  if (FLOAT.test(token) && /[.eE]/.test(token)) return { value: Number(token.replaceAll("_", "")), length };
  const m = DATE_TIME.exec(token);
  if (m && (m[1] || m[3]) && (!m[2] || (m[1] && m[3]))) {
    const date = m[1] ?? "0000-01-01";
    const time = m[3] ?? "00:00:00";
    const parsed = new Date(`${date}T${time}${(m[5] ?? "Z").toUpperCase()}`);
    if (!Number.isNaN(parsed.getTime())) return { value: parsed, length };
  }
  return undefined;
}
