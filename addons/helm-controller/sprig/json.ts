/**
 * Go's `encoding/json` for the shared value model: `Marshal`/`MarshalIndent` (sorted map keys, `<>&` escaped
 * unless asked not to, structs by their exported fields, `MarshalJSON` methods, times as RFC 3339) and
 * `Unmarshal` into `interface {}` (objects as maps, every number a float64) with Go's error messages.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { quote } from "../gotemplate/quote.ts";
import { compareStrings, type GoMap, goTypeName, isMap } from "../gotemplate/value.ts";
import { setEntry } from "./gomap.ts";
import { formatTime, RFC3339_NANO } from "./timefmt.ts";
import { localZone } from "./zoneinfo.ts";
import { formatFloat } from "../gotemplate/ftoa.ts";

/** How to marshal: Go's `SetEscapeHTML` and `MarshalIndent`'s indent string ("" for compact output). */
export interface MarshalOptions {
  escapeHTML?: boolean;
  indent?: string;
}

const HEX = "0123456789abcdef";

function encodeString(s: string, escapeHTML: boolean): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) {
      if (ch === '"' || ch === "\\") out += "\\" + ch;
      else if (ch === "\n") out += "\\n";
      else if (ch === "\r") out += "\\r";
      else if (ch === "\t") out += "\\t";
      else if (ch === "\b") out += "\\b";
      else if (ch === "\f") out += "\\f";
      else if (c < 0x20 || (escapeHTML && (ch === "<" || ch === ">" || ch === "&"))) {
        out += "\\u00" + HEX[c >> 4] + HEX[c & 0xf];
      } else out += ch;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      out += "\\ufffd";
    } else if (c === 0x2028 || c === 0x2029) {
      out += "\\u202" + HEX[c & 0xf];
    } else {
      out += ch;
    }
  }
  return out + '"';
}

/** Go's float encoding: ES number formatting, with 'e' notation cleaned of a leading exponent zero. */
function encodeFloat(f: number): string {
  if (!Number.isFinite(f)) throw new Error(`json: unsupported value: ${formatFloat(f, "g", -1)}`);
  const abs = Math.abs(f);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    return formatFloat(f, "e", -1).replace(/e([+-])0(\d)$/, "e$1$2");
  }
  return formatFloat(f, "f", -1);
}

class Encoder {
  private seen = new Set<object>();

  constructor(private escapeHTML: boolean) {}

  encode(v: unknown): string {
    if (v === null || v === undefined) return "null";
    switch (typeof v) {
      case "boolean":
        return v ? "true" : "false";
      case "number":
        return encodeFloat(v);
      case "bigint":
        return v.toString();
      case "string":
        return encodeString(v, this.escapeHTML);
      case "function":
        throw new Error(`json: unsupported type: ${goTypeName(v)}`);
    }
    const obj = v as object;
    if (obj instanceof Uint8Array) return '"' + Buffer.from(obj).toString("base64") + '"';
    if (obj instanceof Date) {
      const year = obj.getUTCFullYear();
      if (year < 0 || year > 9999) {
        throw new Error(
          "json: error calling MarshalJSON for type time.Time: " +
            "Time.MarshalJSON: year outside of range [0,9999]",
        );
      }
      return encodeString(formatTime(obj, RFC3339_NANO, localZone()), false);
    }
    const marshaler = (obj as { MarshalJSON?: unknown }).MarshalJSON;
    if (typeof marshaler === "function") return String(marshaler.call(obj));
    if (this.seen.has(obj)) throw new Error(`json: unsupported value: encountered a cycle via ${goTypeName(obj)}`);
    this.seen.add(obj);
    try {
      if (Array.isArray(obj)) return "[" + obj.map((e) => this.encode(e)).join(",") + "]";
      const keys = isMap(obj)
        ? Object.keys(obj).sort(compareStrings)
        : Object.keys(obj).filter((k) => /^\p{Lu}/u.test(k));
      const record = obj as Record<string, unknown>;
      return "{" + keys.map((k) => encodeString(k, this.escapeHTML) + ":" + this.encode(record[k])).join(",") + "}";
    } finally {
      this.seen.delete(obj);
    }
  }
}

/** Go's `json.Indent` of compact JSON: one element per line, `": "` after keys, empty containers kept closed. */
function indentJSON(compact: string, indent: string): string {
  let out = "";
  let depth = 0;
  let inString = false;
  for (let i = 0; i < compact.length; i++) {
    const c = compact[i];
    if (inString) {
      out += c;
      if (c === "\\") out += compact[++i];
      else if (c === '"') inString = false;
      continue;
    }
    const newline = (d: number) => "\n" + indent.repeat(d);
    switch (c) {
      case '"':
        inString = true;
        out += c;
        break;
      case "{":
      case "[":
        if (compact[i + 1] === (c === "{" ? "}" : "]")) {
          out += c + compact[++i];
        } else {
          depth++;
          out += c + newline(depth);
        }
        break;
      case "}":
      case "]":
        depth--;
        out += newline(depth) + c;
        break;
      case ",":
        out += c + newline(depth);
        break;
      case ":":
        out += ": ";
        break;
      default:
        out += c;
    }
  }
  return out;
}

/**
 * Go's `json.Marshal` (or `MarshalIndent(v, "", indent)`), throwing Go's error for values JSON cannot hold.
 *
 * @example
 * ```ts
 * marshal({ b: 1, a: "<x>" }); // '{"a":"\\u003cx\\u003e","b":1}'
 * marshal([1n], { indent: "  " }); // "[\n  1\n]"
 * ```
 */
export function marshal(v: unknown, options: MarshalOptions = {}): string {
  const compact = new Encoder(options.escapeHTML ?? true).encode(v);
  return options.indent ? indentJSON(compact, options.indent) : compact;
}

/** Go's `quoteChar`: how the JSON scanner names an unexpected byte. */
function quoteChar(ch: string): string {
  if (ch === "'") return "'\\''";
  if (ch === '"') return "'\"'";
  const byte = new TextEncoder().encode(ch)[0];
  const s = quote(String.fromCharCode(byte));
  return "'" + s.slice(1, -1) + "'";
}

const WHITESPACE = " \t\n\r";

class Decoder {
  private i = 0;
  private rangeError?: string;

  constructor(private s: string) {}

  private fail(context: string): never {
    if (this.i >= this.s.length) throw new Error("unexpected end of JSON input");
    throw new Error(`invalid character ${quoteChar(String.fromCodePoint(this.s.codePointAt(this.i)!))} ${context}`);
  }

  private skip(): void {
    while (this.i < this.s.length && WHITESPACE.includes(this.s[this.i])) this.i++;
  }

  decodeTop(): unknown {
    const v = this.value();
    this.skip();
    if (this.i < this.s.length) this.fail("after top-level value");
    if (this.rangeError) throw new Error(this.rangeError);
    return v;
  }

  private value(): unknown {
    this.skip();
    const c = this.s[this.i];
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === '"') return this.string();
    if (c === "-" || (c >= "0" && c <= "9")) return this.number();
    for (const [word, value] of [["true", true], ["false", false], ["null", null]] as const) {
      if (c === word[0]) {
        for (let k = 1; k < word.length; k++) {
          this.i++;
          if (this.s[this.i] !== word[k]) this.fail(`in literal ${word} (expecting ${quoteChar(word[k])})`);
        }
        this.i++;
        return value;
      }
    }
    this.fail("looking for beginning of value");
  }

  private object(): GoMap {
    const out: GoMap = {};
    this.i++;
    this.skip();
    if (this.s[this.i] === "}") {
      this.i++;
      return out;
    }
    for (;;) {
      if (this.s[this.i] !== '"') this.fail("looking for beginning of object key string");
      const key = this.string();
      this.skip();
      if (this.s[this.i] !== ":") this.fail("after object key");
      this.i++;
      setEntry(out, key, this.value());
      this.skip();
      if (this.s[this.i] === "}") {
        this.i++;
        return out;
      }
      if (this.s[this.i] !== ",") this.fail("after object key:value pair");
      this.i++;
      this.skip();
    }
  }

  private array(): unknown[] {
    const out: unknown[] = [];
    this.i++;
    this.skip();
    if (this.s[this.i] === "]") {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.skip();
      if (this.s[this.i] === "]") {
        this.i++;
        return out;
      }
      if (this.s[this.i] !== ",") this.fail("after array element");
      this.i++;
    }
  }

  private hex4(): number {
    const digits = this.s.slice(this.i, this.i + 4);
    for (let k = 0; k < 4; k++) {
      if (!/[0-9a-fA-F]/.test(this.s[this.i] ?? "")) this.fail("in \\u hexadecimal character escape");
      this.i++;
    }
    return parseInt(digits, 16);
  }

  private string(): string {
    this.i++;
    let out = "";
    for (;;) {
      if (this.i >= this.s.length) this.fail("");
      const c = this.s[this.i];
      if (c === '"') {
        this.i++;
        return out;
      }
      if (c < " ") this.fail("in string literal");
      if (c !== "\\") {
        const cp = this.s.codePointAt(this.i)!;
        out += cp >= 0xd800 && cp <= 0xdfff ? "\ufffd" : String.fromCodePoint(cp);
        this.i += cp > 0xffff ? 2 : 1;
        continue;
      }
      this.i++;
      const e = this.s[this.i];
      const simple: Record<string, string> = {
        '"': '"',
        "\\": "\\",
        "/": "/",
        b: "\b",
        f: "\f",
        n: "\n",
        r: "\r",
        t: "\t",
      };
      if (e !== undefined && e in simple) {
        out += simple[e];
        this.i++;
      } else if (e === "u") {
        this.i++;
        let cp = this.hex4();
        if (cp >= 0xd800 && cp < 0xdc00 && this.s.startsWith("\\u", this.i)) {
          const save = this.i;
          this.i += 2;
          const low = this.hex4();
          if (low >= 0xdc00 && low <= 0xdfff) cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
          else this.i = save;
        }
        out += cp >= 0xd800 && cp <= 0xdfff ? "\ufffd" : String.fromCodePoint(cp);
      } else {
        this.fail("in string escape code");
      }
    }
  }

  private digits(): void {
    while (this.s[this.i] >= "0" && this.s[this.i] <= "9") this.i++;
  }

  private number(): number {
    const start = this.i;
    if (this.s[this.i] === "-") this.i++;
    const first = this.s[this.i];
    if (first === "0") this.i++;
    else if (first >= "1" && first <= "9") this.digits();
    else this.fail("in numeric literal");
    if (this.s[this.i] === ".") {
      this.i++;
      if (!(this.s[this.i] >= "0" && this.s[this.i] <= "9")) this.fail("after decimal point in numeric literal");
      this.digits();
    }
    if (this.s[this.i] === "e" || this.s[this.i] === "E") {
      this.i++;
      if (this.s[this.i] === "+" || this.s[this.i] === "-") this.i++;
      if (!(this.s[this.i] >= "0" && this.s[this.i] <= "9")) this.fail("in exponent of numeric literal");
      this.digits();
    }
    const text = this.s.slice(start, this.i);
    const value = Number(text);
    if (!Number.isFinite(value)) {
      this.rangeError ??= `json: cannot unmarshal number ${text} into Go value of type float64`;
    }
    return value;
  }
}

/**
 * Go's `json.Unmarshal` into `interface {}`: objects as maps, arrays as lists, numbers as float64; syntax errors
 * carry Go's scanner messages.
 *
 * @example
 * ```ts
 * unmarshal('{"a":[1,"x",null]}'); // { a: [1, "x", null] }
 * unmarshal("{"); // throws "unexpected end of JSON input"
 * ```
 */
export function unmarshal(text: string): unknown {
  return new Decoder(text).decodeTop();
}
