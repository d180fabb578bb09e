/**
 * Sprig's word-case conversions: `snakecase`/`kebabcase` (huandu/xstrings' word splitter, which keeps
 * abbreviations like "HTTP" together and numbers with their words), `camelcase` (xstrings' upper camel case),
 * `swapcase` (goutils' word-based swap) and `shuffle`.
 *
 * @module
 */
import { withSignature as fn } from "../gotemplate/signature.ts";
import type { GoFunc } from "../gotemplate/value.ts";
import {
  isLetter,
  isLower,
  isNumber,
  isPunct,
  isSpace,
  isTitle,
  isUpper,
  toLower,
  toTitle,
  toUpper,
} from "./unicode.ts";

/** Go decodes invalid UTF-8 and a literal U+FFFD alike as `utf8.RuneError`. */
const RUNE_ERROR = "\ufffd";

const enum Word {
  Invalid,
  Number,
  UpperCase,
  Alphabet,
  Connector,
  Punct,
  Other,
}

function isConnector(r: string): boolean {
  return r === "-" || r === "_" || isSpace(r);
}

/** xstrings' `isAlphabet`: a letter outside the common CJK blocks. */
function isAlphabet(r: string): boolean {
  if (!isLetter(r)) return false;
  const cp = r.codePointAt(0)!;
  if (cp < 0x3400) return true;
  if (cp >= 0x4e00 && cp <= 0x9fcc) return false;
  if (cp >= 0x3400 && cp <= 0x4d85) return false;
  if (cp >= 0x20000 && cp <= 0x2b81d) return false;
  return true;
}

/** xstrings' `nextValidRune`: the next rune that is not RuneError and how many runes that took. */
function nextValidRune(runes: string[], from: number, prev: string): { r: string; size: number } {
  for (let i = from; i < runes.length; i++) {
    if (runes[i] !== RUNE_ERROR) return { r: runes[i], size: i - from + 1 };
  }
  return { r: prev, size: runes.length - from };
}

interface NextWord {
  wt: Word;
  word: string[];
  rest: string[];
}

/** xstrings' `nextWord`: splits the leading word off `runes` and classifies it. */
function nextWord(runes: string[]): NextWord {
  if (runes.length === 0) return { wt: Word.Invalid, word: [], rest: [] };
  let { r, size } = nextValidRune(runes, 0, RUNE_ERROR);
  let offset = size;
  const done = (wt: Word): NextWord => ({ wt, word: runes.slice(0, offset), rest: runes.slice(offset) });
  if (r === RUNE_ERROR) return done(Word.Invalid);
  // Extends the word while `keep` holds for the next valid rune.
  const extend = (keep: (r: string) => boolean) => {
    while (offset < runes.length) {
      ({ r, size } = nextValidRune(runes, offset, r));
      if (!keep(r)) break;
      offset += size;
    }
  };
  if (isConnector(r)) {
    extend(isConnector);
    return done(Word.Connector);
  }
  if (isPunct(r)) {
    extend(isPunct);
    return done(Word.Punct);
  }
  if (isUpper(r)) {
    if (offset === runes.length) return done(Word.UpperCase);
    ({ r, size } = nextValidRune(runes, offset, r));
    if (isUpper(r)) {
      let prevSize = size;
      offset += size;
      while (offset < runes.length) {
        ({ r, size } = nextValidRune(runes, offset, r));
        if (!isUpper(r)) break;
        prevSize = size;
        offset += size;
      }
      // "HTTPStatus" is "HTTP" then "Status": the last capital starts the next word.
      if (offset < runes.length && isAlphabet(r)) offset -= prevSize;
    } else if (isAlphabet(r)) {
      offset += size;
      extend((r) => isAlphabet(r) && !isUpper(r));
    }
    return done(Word.UpperCase);
  }
  if (isAlphabet(r)) {
    extend((r) => isAlphabet(r) && !isUpper(r));
    return done(Word.Alphabet);
  }
  if (isNumber(r)) {
    extend(isNumber);
    return done(Word.Number);
  }
  while (offset < runes.length) {
    ({ r, size } = nextValidRune(runes, offset, r));
    if (size === 0 || isConnector(r) || isAlphabet(r) || isNumber(r) || isPunct(r)) break;
    offset += size;
  }
  return done(Word.Other);
}

/** xstrings' `toLower`: upper-case words and connectors rewritten, other words as they are. */
function lowerWord(wt: Word, word: string[], connector: string): string {
  if (wt !== Word.UpperCase && wt !== Word.Connector) return word.join("");
  return word.map((r) => isConnector(r) ? connector : isUpper(r) ? toLower(r) : r).join("");
}

/**
 * xstrings' `camelCaseToLowerCase`, behind `snakecase` ("_") and `kebabcase` ("-").
 *
 * @example
 * ```ts
 * toLowerCaseWords("HTTPServer", "_"); // "http_server"
 * toLowerCaseWords("FirstName", "-"); // "first-name"
 * ```
 */
export function toLowerCaseWords(s: string, connector: string): string {
  if (s === "") return "";
  let out = "";
  let { wt, word, rest } = nextWord([...s]);
  const isBoundary = (t: Word) => t !== Word.Connector && t !== Word.Punct;
  while (rest.length > 0) {
    if (wt !== Word.Connector) out += lowerWord(wt, word, connector);
    const prev = wt;
    const last = word;
    ({ wt, word, rest } = nextWord(rest));
    if (prev === Word.Number) {
      while (wt === Word.Alphabet || wt === Word.Number) {
        out += lowerWord(wt, word, connector);
        ({ wt, word, rest } = nextWord(rest));
      }
      if (wt !== Word.Invalid && isBoundary(wt)) out += connector;
    } else if (prev === Word.Connector) {
      out += lowerWord(prev, last, connector);
    } else if (prev !== Word.Punct) {
      if (wt !== Word.Number) {
        if (isBoundary(wt)) out += connector;
        continue;
      }
      if (rest.length === 0) continue;
      const number = word;
      ({ wt, word, rest } = nextWord(rest));
      // A number directly after a word belongs to it ("Bld4Floor" is "bld4_floor") unless letters follow it.
      if (wt !== Word.Alphabet) {
        out += lowerWord(Word.Number, number, connector);
        if (isBoundary(wt)) out += connector;
        continue;
      }
      out += connector + lowerWord(Word.Number, number, connector);
      while (wt === Word.Alphabet || wt === Word.Number) {
        out += lowerWord(wt, word, connector);
        ({ wt, word, rest } = nextWord(rest));
      }
      if (wt !== Word.Invalid && isBoundary(wt)) out += connector;
    }
  }
  return out + lowerWord(wt, word, connector);
}

/**
 * xstrings' upper camel case (`ToPascalCase`, Sprig's `camelcase`): connectors ("_", "-", spaces) dropped and the
 * rune after each one upper-cased; doubled, leading and trailing connectors stay.
 *
 * @example
 * ```ts
 * toPascalCase("http_server"); // "HttpServer"
 * toPascalCase("_complex__case_"); // "_Complex_Case_"
 * ```
 */
export function toPascalCase(s: string): string {
  const runes = [...s];
  let out = "";
  let i = 0;
  let r0 = "";
  while (i < runes.length) {
    r0 = runes[i++];
    if (!isConnector(r0)) {
      r0 = toUpper(r0);
      break;
    }
    out += r0;
  }
  if (i === runes.length) return runes.length === 0 ? "" : out + r0;
  while (i < runes.length) {
    const r1 = r0;
    r0 = runes[i++];
    if (isConnector(r0) && isConnector(r1)) {
      out += r1;
      continue;
    }
    if (isConnector(r1)) r0 = toUpper(r0);
    else out += r1;
  }
  return out + r0;
}

/**
 * goutils' `SwapCase`: upper and title case become lower; lower case becomes title case at the start of a word and
 * upper case elsewhere.
 *
 * @example
 * ```ts
 * swapCase("This Is A.Test"); // "tHIS iS a.tEST"
 * ```
 */
export function swapCase(s: string): string {
  let whitespace = true;
  let out = "";
  for (const r of s) {
    if (isUpper(r) || isTitle(r)) {
      out += toLower(r);
      whitespace = false;
    } else if (isLower(r)) {
      out += whitespace ? toTitle(r) : toUpper(r);
      whitespace = false;
    } else {
      out += r;
      whitespace = isSpace(r);
    }
  }
  return out;
}

/**
 * xstrings' `Shuffle`: the runes of `s` in random order.
 *
 * @example
 * ```ts
 * shuffle("abc").length; // 3
 * ```
 */
export function shuffle(s: string): string {
  const runes = [...s];
  for (let i = runes.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [runes[i], runes[j]] = [runes[j], runes[i]];
  }
  return runes.join("");
}

/** Sprig's word-case functions by their template names. */
export const wordCaseFunctions: Record<string, GoFunc> = {
  snakecase: fn((s) => toLowerCaseWords(s as string, "_"), ["string"]),
  kebabcase: fn((s) => toLowerCaseWords(s as string, "-"), ["string"]),
  camelcase: fn((s) => toPascalCase(s as string), ["string"]),
  swapcase: fn((s) => swapCase(s as string), ["string"]),
  shuffle: fn((s) => shuffle(s as string), ["string"]),
};
