/**
 * Sprig's string functions: trimming, case, quoting, indentation, splitting and joining, truncation and
 * abbreviation — with Go's byte-indexed lengths and Sprig's argument order (the string last, for pipelines).
 *
 * @module
 */
import { sprintf } from "../gotemplate/fmt.ts";
import { quote as goQuote } from "../gotemplate/quote.ts";
import { withSignature as fn } from "../gotemplate/signature.ts";
import { compareStrings, type GoFunc } from "../gotemplate/value.ts";
import { byteLength, byteSlice, sliceBoundsError, text, utf8 } from "./bytes.ts";
import { strval } from "./cast.ts";
import { isDigit, isLetter, isSpace, stringToLower, stringToUpper, toLower, toTitle } from "./unicode.ts";

/**
 * Sprig's `trunc`: the first `c` bytes, or with a negative `c` the last `-c`.
 *
 * @example
 * ```ts
 * trunc(3, "foooooo"); // "foo"
 * trunc(-3, "baaaaaar"); // "aar"
 * ```
 */
export function trunc(c: number, s: string): string {
  const n = byteLength(s);
  if (c < 0 && n + c > 0) return byteSlice(s, n + c);
  if (c >= 0 && n > c) return byteSlice(s, 0, c);
  return s;
}

/**
 * Sprig's `substr`: bytes `start` to `end`; a negative start means from 0, a negative or too large end means to
 * the end. Bounds Go cannot slice are its runtime panic.
 *
 * @example
 * ```ts
 * substr(0, 3, "fooo"); // "foo"
 * substr(1, -1, "hello"); // "ello"
 * ```
 */
export function substr(start: number, end: number, s: string): string {
  const n = byteLength(s);
  if (start < 0) {
    if (end < 0 || end > n) throw sliceBoundsError(0, end, n);
    return byteSlice(s, 0, end);
  }
  if (end < 0 || end > n) {
    if (start > n) throw sliceBoundsError(start, n, n);
    return byteSlice(s, start);
  }
  if (start > end) throw sliceBoundsError(start, end, n);
  return byteSlice(s, start, end);
}

/** goutils' `AbbreviateFull`, on bytes. */
function abbreviateFull(s: string, offset: number, maxWidth: number): string {
  if (s === "") return "";
  const n = byteLength(s);
  if (n <= maxWidth) return s;
  if (offset > n) offset = n;
  if (n - offset < maxWidth - 3) offset = n - (maxWidth - 3);
  if (offset <= 4) return byteSlice(s, 0, maxWidth - 3) + "...";
  // goutils reports this as an error, which Sprig swallows into "".
  if (maxWidth < 7) return "";
  if (offset + maxWidth - 3 < n) return "..." + abbreviateFull(byteSlice(s, offset), 0, maxWidth - 3);
  return "..." + byteSlice(s, n - (maxWidth - 3));
}

/**
 * Sprig's `abbrev`: at most `width` bytes, ending in "..." when cut (widths under 4 leave `s` alone).
 *
 * @example
 * ```ts
 * abbrev(5, "hello world"); // "he..."
 * ```
 */
export function abbrev(width: number, s: string): string {
  if (width < 4) return s;
  return abbreviateFull(s, 0, width);
}

/**
 * Sprig's `abbrevboth`: abbreviates on both sides around the left offset.
 *
 * @example
 * ```ts
 * abbrevboth(5, 10, "1234 5678 9123"); // "...5678..."
 * ```
 */
export function abbrevboth(left: number, right: number, s: string): string {
  if (right < 4 || (left > 0 && right < 7)) return s;
  return abbreviateFull(s, left, right);
}

/**
 * Go's `strings.Title`: the first letter of every word in title case.
 *
 * @example
 * ```ts
 * title("hello world-wide"); // "Hello World-Wide"
 * ```
 */
export function title(s: string): string {
  const isSeparator = (r: string): boolean => {
    if (r.charCodeAt(0) <= 0x7f) return !/[0-9A-Za-z_]/.test(r);
    if (isLetter(r) || isDigit(r)) return false;
    return isSpace(r);
  };
  let prev = " ";
  let out = "";
  for (const r of s) {
    out += isSeparator(prev) ? toTitle(r) : r;
    prev = r;
  }
  return out;
}

/**
 * goutils' `Uncapitalize`: the first letter of every whitespace-separated word in lower case.
 *
 * @example
 * ```ts
 * untitle("First Try"); // "first try"
 * ```
 */
export function untitle(s: string): string {
  let next = true;
  let out = "";
  for (const r of s) {
    if (isSpace(r)) {
      next = true;
      out += r;
    } else {
      out += next ? toLower(r) : r;
      next = false;
    }
  }
  return out;
}

/**
 * Go's `strings.TrimSpace`: Unicode white space off both ends.
 *
 * @example
 * ```ts
 * trimSpace("  5.00 \n"); // "5.00"
 * ```
 */
export function trimSpace(s: string): string {
  return s.replace(/^\p{White_Space}+|\p{White_Space}+$/gu, "");
}

/**
 * Go's `strings.Trim(s, cutset)`: every leading and trailing rune found in `cutset` removed.
 *
 * @example
 * ```ts
 * trimCutset("$5.00$", "$"); // "5.00"
 * ```
 */
export function trimCutset(s: string, cutset: string): string {
  const cut = new Set(cutset);
  const runes = [...s];
  let start = 0;
  let end = runes.length;
  while (start < end && cut.has(runes[start])) start++;
  while (end > start && cut.has(runes[end - 1])) end--;
  return runes.slice(start, end).join("");
}

/**
 * Go's `strings.Replace(src, old, new, -1)`; an empty `old` matches before every rune and at the end.
 *
 * @example
 * ```ts
 * replaceAll("I Am Henry VIII", " ", "-"); // "I-Am-Henry-VIII"
 * ```
 */
export function replaceAll(src: string, old: string, replacement: string): string {
  if (old !== "") return src.split(old).join(replacement);
  return replacement + [...src].map((r) => r + replacement).join("");
}

/**
 * Go's `strings.SplitN(s, sep, n)`: `n < 0` for all parts, `n == 0` for none; an empty separator splits runes.
 *
 * @example
 * ```ts
 * splitN("foo$bar$baz", "$", 2); // ["foo", "bar$baz"]
 * ```
 */
export function splitN(s: string, sep: string, n: number): string[] {
  if (n === 0) return [];
  if (sep === "") {
    const runes = [...s];
    if (n < 0 || n >= runes.length) return runes;
    return [...runes.slice(0, n - 1), runes.slice(n - 1).join("")];
  }
  const parts = s.split(sep);
  if (n < 0 || parts.length <= n) return parts;
  return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}

/** Go's map of `_0`, `_1`, … that `split` and `splitn` return. */
function indexedParts(parts: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  parts.forEach((part, i) => out[`_${i}`] = part);
  return out;
}

/**
 * Sprig's `strslice` (`toStrings`): a list's non-nil elements as strings; nil is an empty list and any other value
 * a list of one.
 *
 * @example
 * ```ts
 * toStrings([1n, null, "a"]); // ["1", "a"]
 * ```
 */
export function toStrings(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((e) => e !== null && e !== undefined).map(strval);
  if (v instanceof Uint8Array) return Array.from(v, String);
  if (v === null || v === undefined) return [];
  return [strval(v)];
}

/**
 * Sprig's `sortAlpha`: a list's elements as strings in Go's byte order; a non-list is a list of its string form.
 *
 * @example
 * ```ts
 * sortAlpha([2n, 1n, "b", "a"]); // ["1", "2", "a", "b"]
 * ```
 */
export function sortAlpha(list: unknown): string[] {
  if (Array.isArray(list) || list instanceof Uint8Array) return toStrings(list).sort(compareStrings);
  return [strval(list)];
}

/** `unicode.IsSpace` of a single byte taken as a rune, as goutils' byte loops test it. */
function isSpaceByte(b: number): boolean {
  return isSpace(String.fromCharCode(b));
}

/**
 * goutils' `DeleteWhiteSpace`. It walks bytes, not runes: when it removes anything, each remaining byte of a
 * multi-byte character is written back as its own Latin-1 character, as Go does.
 *
 * @example
 * ```ts
 * nospace("h e l l o "); // "hello"
 * ```
 */
export function nospace(s: string): string {
  const bytes = utf8(s);
  const kept = bytes.filter((b) => !isSpaceByte(b));
  if (kept.length === bytes.length) return s;
  let out = "";
  for (const b of kept) out += String.fromCharCode(b);
  return out;
}

/**
 * goutils' `Initials`: the first byte of every whitespace-separated word (bytes as runes, like {@link nospace}).
 *
 * @example
 * ```ts
 * initials("First Try"); // "FT"
 * ```
 */
export function initials(s: string): string {
  let gap = true;
  let out = "";
  for (const b of utf8(s)) {
    if (isSpaceByte(b)) {
      gap = true;
    } else if (gap) {
      out += String.fromCharCode(b);
      gap = false;
    }
  }
  return out;
}

/**
 * goutils' `WrapCustom`: breaks `s` at spaces so lines stay within `width` bytes; long words are split only when
 * `wrapLongWords` is set.
 *
 * @example
 * ```ts
 * wrapText("Hello World", 5, "", false); // "Hello\nWorld"
 * ```
 */
export function wrapText(s: string, width: number, newLine: string, wrapLongWords: boolean): string {
  if (s === "") return "";
  const nl = utf8(newLine === "" ? "\n" : newLine);
  if (width < 1) width = 1;
  const str = utf8(s);
  const out: number[] = [];
  const emit = (from: number, to: number, withNewLine: boolean) => {
    out.push(...str.subarray(from, to));
    if (withNewLine) out.push(...nl);
  };
  const space = 0x20;
  let offset = 0;
  while (str.length - offset > width) {
    if (str[offset] === space) {
      offset++;
      continue;
    }
    const spaceAt = str.subarray(offset, width + offset + 1).lastIndexOf(space) + offset;
    if (spaceAt >= offset) {
      emit(offset, spaceAt, true);
      offset = spaceAt + 1;
    } else if (wrapLongWords) {
      emit(offset, offset + width, true);
      offset += width;
    } else {
      const index = str.subarray(width + offset).indexOf(space);
      if (index === -1) {
        emit(offset, str.length, false);
        offset = str.length;
      } else {
        emit(offset, index + width + offset, true);
        offset = index + width + offset + 1;
      }
    }
  }
  emit(offset, str.length, false);
  return text(new Uint8Array(out));
}

/**
 * Sprig's `indent`: `spaces` spaces before every line.
 *
 * @example
 * ```ts
 * indent(2, "a\nb"); // "  a\n  b"
 * ```
 */
export function indent(spaces: number, v: string): string {
  if (spaces < 0) throw new Error("strings: negative Repeat count");
  const pad = " ".repeat(spaces);
  return pad + v.replaceAll("\n", "\n" + pad);
}

/** Sprig's `quote`: each non-nil argument as a Go double-quoted string, space-separated. */
function quote(...args: unknown[]): string {
  return args.filter((a) => a !== null && a !== undefined).map((a) => goQuote(strval(a))).join(" ");
}

/** Sprig's `squote`: each non-nil argument's `%v` in single quotes, space-separated. */
function squote(...args: unknown[]): string {
  return args.filter((a) => a !== null && a !== undefined).map((a) => sprintf("'%v'", a)).join(" ");
}

/** Sprig's `cat`: the non-nil arguments' `%v` forms, space-separated. */
function cat(...args: unknown[]): string {
  const kept = args.filter((a) => a !== null && a !== undefined);
  return sprintf(kept.map(() => "%v").join(" "), ...kept);
}

const str = (v: unknown) => v as string;
const int = (v: unknown) => Number(v);
const cutSuffix = (s: string, suffix: string) => (s.endsWith(suffix) ? s.slice(0, s.length - suffix.length) : s);
const cutPrefix = (s: string, prefix: string) => (s.startsWith(prefix) ? s.slice(prefix.length) : s);

/** Sprig's string functions by their template names. */
export const stringFunctions: Record<string, GoFunc> = {
  abbrev: fn((w, s) => abbrev(int(w), str(s)), ["int", "string"]),
  abbrevboth: fn((l, r, s) => abbrevboth(int(l), int(r), str(s)), ["int", "int", "string"]),
  trunc: fn((c, s) => trunc(int(c), str(s)), ["int", "string"]),
  trim: fn((s) => trimSpace(str(s)), ["string"]),
  upper: fn((s) => stringToUpper(str(s)), ["string"]),
  lower: fn((s) => stringToLower(str(s)), ["string"]),
  title: fn((s) => title(str(s)), ["string"]),
  untitle: fn((s) => untitle(str(s)), ["string"]),
  substr: fn((a, b, s) => substr(int(a), int(b), str(s)), ["int", "int", "string"]),
  repeat: fn((n, s) => {
    if (int(n) < 0) throw new Error("strings: negative Repeat count");
    return str(s).repeat(int(n));
  }, ["int", "string"]),
  trimall: fn((a, b) => trimCutset(str(b), str(a)), ["string", "string"]),
  trimAll: fn((a, b) => trimCutset(str(b), str(a)), ["string", "string"]),
  trimSuffix: fn((a, b) => cutSuffix(str(b), str(a)), ["string", "string"]),
  trimPrefix: fn((a, b) => cutPrefix(str(b), str(a)), ["string", "string"]),
  nospace: fn((s) => nospace(str(s)), ["string"]),
  initials: fn((s) => initials(str(s)), ["string"]),
  wrap: fn((l, s) => wrapText(str(s), int(l), "", false), ["int", "string"]),
  wrapWith: fn((l, sep, s) => wrapText(str(s), int(l), str(sep), true), ["int", "string", "string"]),
  contains: fn((sub, s) => str(s).includes(str(sub)), ["string", "string"]),
  hasPrefix: fn((p, s) => str(s).startsWith(str(p)), ["string", "string"]),
  hasSuffix: fn((p, s) => str(s).endsWith(str(p)), ["string", "string"]),
  quote: fn(quote, [], "interface {}"),
  squote: fn(squote, [], "interface {}"),
  cat: fn(cat, [], "interface {}"),
  indent: fn((n, s) => indent(int(n), str(s)), ["int", "string"]),
  nindent: fn((n, s) => "\n" + indent(int(n), str(s)), ["int", "string"]),
  replace: fn((o, n, s) => replaceAll(str(s), str(o), str(n)), ["string", "string", "string"]),
  plural: fn((one, many, n) => int(n) === 1 ? one : many, ["string", "string", "int"]),
  toString: fn((v) => strval(v), ["interface {}"]),
  split: fn((sep, s) => indexedParts(splitN(str(s), str(sep), -1)), ["string", "string"]),
  splitList: fn((sep, s) => splitN(str(s), str(sep), -1), ["string", "string"]),
  splitn: fn((sep, n, s) => indexedParts(splitN(str(s), str(sep), int(n))), ["string", "int", "string"]),
  toStrings: fn((v) => toStrings(v), ["interface {}"]),
  join: fn((sep, v) => toStrings(v).join(str(sep)), ["string", "interface {}"]),
  sortAlpha: fn((v) => sortAlpha(v), ["interface {}"]),
};
