/**
 * Sprig's regex functions over Go regexps ({@link translate}): `regexMatch`, `regexFind`, `regexFindAll`,
 * `regexReplaceAll` (with Go's `$1`/`${name}` expansion), `regexReplaceAllLiteral`, `regexSplit`, `regexQuoteMeta`
 * and their `must*` variants. Successive matches follow Go's rules: an empty match right after a previous match
 * does not count. A bad pattern fails as Go's `regexp.MustCompile` panic in the plain variants and as the
 * compile error in the `must*` ones (`regexMatch` alone swallows it into false).
 *
 * @module
 */
import { canBackquote, quote } from "../gotemplate/quote.ts";
import { withSignature as fn } from "../gotemplate/signature.ts";
import type { GoFunc } from "../gotemplate/value.ts";
import { isDigit, isLetter } from "./unicode.ts";
import { translate, type Translated } from "./re2.ts";

const cache = new Map<string, Translated | Error>();

/**
 * Go's `regexp.Compile`: the translated regexp, throwing Go's syntax error.
 *
 * @example
 * ```ts
 * compile("a+").regexp.test("caat"); // true
 * ```
 */
export function compile(expr: string): Translated {
  let entry = cache.get(expr);
  if (!entry) {
    try {
      entry = translate(expr);
    } catch (err) {
      entry = err as Error;
    }
    if (cache.size > 500) cache.clear();
    cache.set(expr, entry);
  }
  if (entry instanceof Error) throw entry;
  return entry;
}

/** Go's `regexp.MustCompile`, whose panic quotes the expression. */
function mustCompile(expr: string): Translated {
  try {
    return compile(expr);
  } catch (err) {
    const q = canBackquote(expr) ? "`" + expr + "`" : quote(expr);
    throw new Error(`regexp: Compile(${q}): ${(err as Error).message}`);
  }
}

/** The match starting the leftmost-first search at `pos`. */
function matchAt(t: Translated, s: string, pos: number): RegExpExecArray | null {
  t.regexp.lastIndex = pos;
  return t.regexp.exec(s);
}

const width = (s: string, pos: number) => (pos < s.length && s.codePointAt(pos)! > 0xffff ? 2 : 1);

/**
 * Go's `allMatches`: up to `n` successive matches (`n < 0` for all), skipping an empty match that abuts the
 * previous one.
 *
 * @example
 * ```ts
 * allMatches(compile("a*"), "baaac", -1).map((m) => m[0]); // ["", "aaa", ""] — as Go finds them
 * ```
 */
export function allMatches(t: Translated, s: string, n: number): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  if (n < 0) n = s.length + 1;
  let prevEnd = -1;
  for (let pos = 0; out.length < n && pos <= s.length;) {
    const m = matchAt(t, s, pos);
    if (!m) break;
    const end = m.index + m[0].length;
    let accept = true;
    if (end === pos) {
      if (m.index === prevEnd) accept = false;
      pos += width(s, pos);
    } else {
      pos = end;
    }
    prevEnd = end;
    if (accept) out.push(m);
  }
  return out;
}

/** Go's `extract`: a `$name`/`${name}` reference at the start of `template`. */
function extract(template: string): { name: string; num: number; rest: string } | undefined {
  let brace = false;
  let s = template;
  if (s.startsWith("{")) {
    brace = true;
    s = s.slice(1);
  }
  let i = 0;
  for (const ch of s) {
    if (!isLetter(ch) && !isDigit(ch) && ch !== "_") break;
    i += ch.length;
  }
  if (i === 0) return undefined;
  const name = s.slice(0, i);
  if (brace) {
    if (s[i] !== "}") return undefined;
    i++;
  }
  let num = /^[0-9]+$/.test(name) && name.length < 9 ? Number(name) : -1;
  if (name[0] === "0" && name.length > 1) num = -1;
  return { name, num, rest: s.slice(i) };
}

/**
 * Go's `Regexp.Expand`: `$1`, `${1}`, `$name`, `${name}` and `$$` in a replacement template; a reference to a
 * group that does not exist or did not match is empty.
 *
 * @example
 * ```ts
 * expand("${1}x", compile("(a)"), /(a)/.exec("a")!); // "ax"
 * ```
 */
export function expand(template: string, t: Translated, m: RegExpExecArray): string {
  let out = "";
  for (;;) {
    const at = template.indexOf("$");
    if (at < 0) break;
    out += template.slice(0, at);
    template = template.slice(at + 1);
    if (template.startsWith("$")) {
      out += "$";
      template = template.slice(1);
      continue;
    }
    const ref = extract(template);
    if (!ref) {
      out += "$";
      continue;
    }
    template = ref.rest;
    if (ref.num >= 0) {
      out += m[ref.num] ?? "";
    } else {
      const index = t.names.indexOf(ref.name);
      if (index >= 0) out += m[index + 1] ?? "";
    }
  }
  return out + template;
}

/**
 * Go's `ReplaceAllString` (or `ReplaceAllLiteralString` with `literal`).
 *
 * @example
 * ```ts
 * replaceAll(compile("a(x*)b"), "-ab-axxb-", "${1}W", false); // "-W-xxW-"
 * ```
 */
export function replaceAll(t: Translated, s: string, repl: string, literal: boolean): string {
  let out = "";
  let lastEnd = 0;
  let search = 0;
  while (search <= s.length) {
    const m = matchAt(t, s, search);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    out += s.slice(lastEnd, start);
    // An empty match right after the previous match is not replaced again.
    if (end > lastEnd || start === 0) out += literal ? repl : expand(repl, t, m);
    lastEnd = end;
    // Always advance by at least one character.
    const w = search < s.length ? width(s, search) : 0;
    if (search + w > end) search += w;
    else if (search + 1 > end) search++;
    else search = end;
  }
  return out + s.slice(lastEnd);
}

/**
 * Go's `Regexp.Split(s, n)`: the text between matches, at most `n` pieces (`n < 0` for all, 0 for none).
 *
 * @example
 * ```ts
 * split(compile("z+"), "pizza", -1); // ["pi", "a"]
 * ```
 */
export function split(t: Translated, s: string, n: number): string[] {
  if (n === 0) return [];
  if (t.regexp.source !== "(?:)" && s === "") return [""];
  const out: string[] = [];
  let begin = 0;
  let end = 0;
  for (const m of allMatches(t, s, n)) {
    if (n > 0 && out.length === n - 1) break;
    end = m.index;
    if (m.index + m[0].length !== 0) out.push(s.slice(begin, end));
    begin = m.index + m[0].length;
  }
  if (end !== s.length) out.push(s.slice(begin));
  return out;
}

/**
 * Go's `regexp.QuoteMeta`: every metacharacter escaped.
 *
 * @example
 * ```ts
 * quoteMeta("1.2.3"); // "1\\.2\\.3"
 * ```
 */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
}

const str = (v: unknown) => v as string;
const S = "string";

/** One regex function in its plain (panicking) and `must*` (error-returning) forms. */
function pair(name: string, params: readonly ("string" | "int")[], f: (t: Translated, ...a: unknown[]) => unknown) {
  const must = "must" + name[0].toUpperCase() + name.slice(1);
  return {
    [name]: fn((re, ...a) => f(mustCompile(str(re)), ...a), params),
    [must]: fn((re, ...a) => f(compile(str(re)), ...a), params),
  };
}

/** Sprig's regex functions by their template names. */
export const regexFunctions: Record<string, GoFunc> = {
  regexMatch: fn((re, s) => {
    try {
      return matchAt(compile(str(re)), str(s), 0) !== null;
    } catch {
      return false;
    }
  }, [S, S]),
  mustRegexMatch: fn((re, s) => matchAt(compile(str(re)), str(s), 0) !== null, [S, S]),
  ...pair("regexFindAll", [S, S, "int"], (t, s, n) => allMatches(t, str(s), Number(n)).map((m) => m[0])),
  ...pair("regexFind", [S, S], (t, s) => matchAt(t, str(s), 0)?.[0] ?? ""),
  ...pair("regexReplaceAll", [S, S, S], (t, s, r) => replaceAll(t, str(s), str(r), false)),
  ...pair("regexReplaceAllLiteral", [S, S, S], (t, s, r) => replaceAll(t, str(s), str(r), true)),
  ...pair("regexSplit", [S, S, "int"], (t, s, n) => split(t, str(s), Number(n))),
  regexQuoteMeta: fn((s) => quoteMeta(str(s)), [S]),
};
