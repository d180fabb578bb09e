/**
 * Go's `unicode` package over JavaScript strings: the character classes (`IsSpace`, `IsUpper`, …) and the simple
 * one-to-one case mappings (`ToUpper`, `ToLower`, `ToTitle`) that Go's string functions apply rune by rune —
 * unlike JavaScript's full mappings, "ß" stays "ß" when upper-cased.
 *
 * @module
 */

const UPPER = /^\p{Lu}$/u;
const LOWER = /^\p{Ll}$/u;
const TITLE = /^\p{Lt}$/u;
const LETTER = /^\p{L}$/u;
const DIGIT = /^\p{Nd}$/u;
const NUMBER = /^\p{N}$/u;
const PUNCT = /^\p{P}$/u;
const WHITE_SPACE = /^\p{White_Space}$/u;

/**
 * `unicode.IsSpace`: Go's Latin-1 spaces (incl. U+0085, U+00A0) and the White_Space property beyond.
 *
 * @example
 * ```ts
 * isSpace("\u00a0"); // true
 * ```
 */
export function isSpace(r: string): boolean {
  return WHITE_SPACE.test(r);
}

/**
 * `unicode.IsUpper`.
 *
 * @example
 * ```ts
 * isUpper("É"); // true
 * ```
 */
export function isUpper(r: string): boolean {
  return UPPER.test(r);
}

/**
 * `unicode.IsLower`.
 *
 * @example
 * ```ts
 * isLower("é"); // true
 * ```
 */
export function isLower(r: string): boolean {
  return LOWER.test(r);
}

/**
 * `unicode.IsTitle`: the title-case digraphs such as "ǅ".
 *
 * @example
 * ```ts
 * isTitle("ǅ"); // true
 * ```
 */
export function isTitle(r: string): boolean {
  return TITLE.test(r);
}

/**
 * `unicode.IsLetter`.
 *
 * @example
 * ```ts
 * isLetter("字"); // true
 * ```
 */
export function isLetter(r: string): boolean {
  return LETTER.test(r);
}

/**
 * `unicode.IsDigit`: decimal digits of any script.
 *
 * @example
 * ```ts
 * isDigit("٣"); // true
 * ```
 */
export function isDigit(r: string): boolean {
  return DIGIT.test(r);
}

/**
 * `unicode.IsNumber`: digits, letter numbers and other numbers.
 *
 * @example
 * ```ts
 * isNumber("Ⅻ"); // true
 * ```
 */
export function isNumber(r: string): boolean {
  return NUMBER.test(r);
}

/**
 * `unicode.IsPunct`.
 *
 * @example
 * ```ts
 * isPunct("¿"); // true
 * ```
 */
export function isPunct(r: string): boolean {
  return PUNCT.test(r);
}

/** Simple mappings where JavaScript's full mapping has several characters. */
const SIMPLE_LOWER: Record<string, string> = { "\u0130": "i" };

/** Title case differs from upper case only for the Latin digraphs and Georgian. */
const TITLE_CASE: Record<string, string> = {
  "\u01c4": "\u01c5",
  "\u01c5": "\u01c5",
  "\u01c6": "\u01c5",
  "\u01c7": "\u01c8",
  "\u01c8": "\u01c8",
  "\u01c9": "\u01c8",
  "\u01ca": "\u01cb",
  "\u01cb": "\u01cb",
  "\u01cc": "\u01cb",
  "\u01f1": "\u01f2",
  "\u01f2": "\u01f2",
  "\u01f3": "\u01f2",
};

function single(mapped: string, r: string): string {
  return mapped.length === r.length || [...mapped].length === 1 ? mapped : r;
}

/**
 * `unicode.ToUpper` of one rune (a one-character string).
 *
 * @example
 * ```ts
 * toUpper("ß"); // "ß"
 * ```
 */
export function toUpper(r: string): string {
  return single(r.toUpperCase(), r);
}

/**
 * `unicode.ToLower` of one rune.
 *
 * @example
 * ```ts
 * toLower("İ"); // "i"
 * ```
 */
export function toLower(r: string): string {
  return SIMPLE_LOWER[r] ?? single(r.toLowerCase(), r);
}

/**
 * `unicode.ToTitle` of one rune.
 *
 * @example
 * ```ts
 * toTitle("ǆ"); // "ǅ"
 * ```
 */
export function toTitle(r: string): string {
  const cp = r.codePointAt(0)!;
  // Georgian Mkhedruli letters have an upper case (Mtavruli) but are their own title case.
  if ((cp >= 0x10d0 && cp <= 0x10fa) || (cp >= 0x10fd && cp <= 0x10ff)) return r;
  return TITLE_CASE[r] ?? toUpper(r);
}

/**
 * `strings.ToUpper`: {@link toUpper} rune by rune.
 *
 * @example
 * ```ts
 * stringToUpper("straße"); // "STRAßE"
 * ```
 */
export function stringToUpper(s: string): string {
  // deno-lint-ignore no-control-regex
  if (/^[\x00-\x7f]*$/.test(s)) return s.toUpperCase();
  let out = "";
  for (const r of s) out += toUpper(r);
  return out;
}

/**
 * `strings.ToLower`: {@link toLower} rune by rune.
 *
 * @example
 * ```ts
 * stringToLower("HELLO"); // "hello"
 * ```
 */
export function stringToLower(s: string): string {
  // deno-lint-ignore no-control-regex
  if (/^[\x00-\x7f]*$/.test(s)) return s.toLowerCase();
  let out = "";
  for (const r of s) out += toLower(r);
  return out;
}
