/**
 * The escapers behind the `html`, `js` and `urlquery` builtins: Go's `HTMLEscapeString`, `JSEscapeString` and
 * `url.QueryEscape`.
 *
 * @module
 */
import { isPrint } from "./quote.ts";

const HTML: Record<string, string> = {
  "\0": "\uFFFD",
  '"': "&#34;",
  "'": "&#39;",
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
};

/**
 * Go's `template.HTMLEscapeString`.
 *
 * @example
 * ```ts
 * htmlEscape(`<a href="x">`); // "&lt;a href=&#34;x&#34;&gt;"
 * ```
 */
export function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => HTML[c]);
}

const JS: Record<string, string> = {
  "\\": "\\\\",
  "'": "\\'",
  '"': '\\"',
  "<": "\\u003C",
  ">": "\\u003E",
  "&": "\\u0026",
  "=": "\\u003D",
};

/**
 * Go's `template.JSEscapeString`: quotes, backslash, `<>&=` and control characters escaped; other non-ASCII
 * characters kept when printable.
 *
 * @example
 * ```ts
 * jsEscape("a'b<"); // "a\\'b\\u003C"
 * ```
 */
export function jsEscape(s: string): string {
  let out = "";
  for (const ch of s) {
    const r = ch.codePointAt(0)!;
    if (ch in JS) out += JS[ch];
    else if (r < 0x20) out += "\\u00" + r.toString(16).toUpperCase().padStart(2, "0");
    else if (r < 0x80 || isPrint(r)) out += ch;
    else out += "\\u" + r.toString(16).toUpperCase().padStart(4, "0");
  }
  return out;
}

/**
 * Go's `url.QueryEscape`: unreserved characters kept, spaces as `+`, everything else `%XX` over UTF-8.
 *
 * @example
 * ```ts
 * queryEscape("a b&c"); // "a+b%26c"
 * ```
 */
export function queryEscape(s: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === " ") out += "+";
    else out += "%" + byte.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}
