// Sprig's string functions, with the examples from Sprig's docs and tests: Go's byte-indexed truncation,
// quoting that skips nil, %v formatting of non-strings, the goutils and xstrings word algorithms.
import { type Case, table } from "./support.ts";

table("trunc", [
  { name: "keeps the first n bytes", fn: "trunc", args: [3n, "foooooo"], want: "foo" },
  { name: "a negative count keeps the last bytes", fn: "trunc", args: [-3n, "baaaaaar"], want: "aar" },
  { name: "a count beyond the length keeps all", fn: "trunc", args: [-999n, "baaaaaar"], want: "baaaaaar" },
  { name: "zero gives the empty string", fn: "trunc", args: [0n, "baaaaaz"], want: "" },
  { name: "counts UTF-8 bytes, not characters", fn: "trunc", args: [3n, "héllo"], want: "hé" },
]);

table("substr", [
  { name: "slices bytes start to end", fn: "substr", args: [0n, 3n, "fooo"], want: "foo" },
  { name: "an end past the length runs to the end", fn: "substr", args: [0n, 10n, "foo"], want: "foo" },
  { name: "a negative end runs to the end", fn: "substr", args: [1n, -1n, "hello"], want: "ello" },
  { name: "a negative start counts from 0", fn: "substr", args: [-1n, 2n, "hello"], want: "he" },
  {
    name: "bounds Go cannot slice are its runtime panic",
    fn: "substr",
    args: [-1n, 10n, "foo"],
    error: "runtime error: slice bounds out of range [:10] with length 3",
  },
  {
    name: "a start after the end panics",
    fn: "substr",
    args: [3n, 1n, "hello"],
    error: "runtime error: slice bounds out of range [3:1]",
  },
]);

table("trimming", [
  { name: "trim removes Unicode white space", fn: "trim", args: ["  5.00 \n\u00a0"], want: "5.00" },
  { name: "trim keeps a byte order mark, as Go does", fn: "trim", args: ["\ufeffx "], want: "\ufeffx" },
  { name: "trimAll cuts a set of characters", fn: "trimAll", args: ["$", "$5.00$"], want: "5.00" },
  { name: "trimall is the deprecated alias", fn: "trimall", args: ["$", "$5.00$"], want: "5.00" },
  { name: "trimPrefix cuts one prefix", fn: "trimPrefix", args: ["$", "$$5.00"], want: "$5.00" },
  { name: "trimSuffix cuts one suffix", fn: "trimSuffix", args: ["-", "release-name--"], want: "release-name-" },
  { name: "nospace removes all white space", fn: "nospace", args: ["h e l l o "], want: "hello" },
]);

table("case", [
  { name: "upper", fn: "upper", args: ["hello"], want: "HELLO" },
  { name: "upper maps rune by rune, so ß stays", fn: "upper", args: ["straße"], want: "STRAßE" },
  { name: "lower", fn: "lower", args: ["HELLO"], want: "hello" },
  { name: "title capitalizes every word", fn: "title", args: ["hello world-wide"], want: "Hello World-Wide" },
  { name: "untitle lowers the first letter of words", fn: "untitle", args: ["First Try"], want: "first try" },
  { name: "swapcase swaps by word", fn: "swapcase", args: ["This Is A.Test"], want: "tHIS iS a.tEST" },
  { name: "snakecase splits camel case", fn: "snakecase", args: ["FirstName"], want: "first_name" },
  { name: "snakecase keeps abbreviations whole", fn: "snakecase", args: ["HTTPServer"], want: "http_server" },
  { name: "snakecase joins numbers to words", fn: "snakecase", args: ["Bld4Floor3rd"], want: "bld4_floor_3rd" },
  { name: "snakecase turns spaces and hyphens", fn: "snakecase", args: ["GO-PATH now"], want: "go_path_now" },
  { name: "kebabcase", fn: "kebabcase", args: ["NoHTTPS"], want: "no-https" },
  { name: "camelcase is upper camel case", fn: "camelcase", args: ["http_server"], want: "HttpServer" },
  { name: "camelcase keeps odd underscores", fn: "camelcase", args: ["_complex__case_"], want: "_Complex_Case_" },
  { name: "initials", fn: "initials", args: ["First Try"], want: "FT" },
]);

table("quoting and joining", [
  { name: "quote quotes every argument", fn: "quote", args: ["a", "b", "c"], want: '"a" "b" "c"' },
  { name: "quote escapes as Go's %q", fn: "quote", args: ['"a"\n'], want: '"\\"a\\"\\n"' },
  { name: "quote prints numbers with %v", fn: "quote", args: [1n, 1e6, 2.5], want: '"1" "1e+06" "2.5"' },
  { name: "quote skips nil", fn: "quote", args: [null], want: "" },
  { name: "squote single-quotes", fn: "squote", args: ["a", 1n], want: "'a' '1'" },
  { name: "squote skips nil", fn: "squote", args: [null, "x"], want: "'x'" },
  { name: "cat joins with spaces, skipping nil", fn: "cat", args: ["a", "b", null, "c"], want: "a b c" },
  { name: "join stringifies elements", fn: "join", args: ["-", [1n, 2n, 3n]], want: "1-2-3" },
  { name: "join skips nil elements", fn: "join", args: ["-", ["1", null, "2"]], want: "1-2" },
  { name: "join of a non-list is its string", fn: "join", args: ["-", "abc"], want: "abc" },
  { name: "toStrings", fn: "toStrings", args: [[1n, null, 2.5]], want: ["1", "2.5"] },
  { name: "toString formats float64 with %v", fn: "toString", args: [1000000], want: "1e+06" },
  { name: "toString of an int", fn: "toString", args: [3n], want: "3" },
  { name: "sortAlpha sorts string forms", fn: "sortAlpha", args: [[2n, "b", 1n, "a"]], want: ["1", "2", "a", "b"] },
  { name: "sortAlpha of a non-list", fn: "sortAlpha", args: ["x"], want: ["x"] },
]);

table("splitting", [
  {
    name: "split returns _0, _1, …",
    fn: "split",
    args: ["$", "foo$bar$baz"],
    want: { _0: "foo", _1: "bar", _2: "baz" },
  },
  { name: "splitn stops at n parts", fn: "splitn", args: ["$", 2n, "foo$bar$baz"], want: { _0: "foo", _1: "bar$baz" } },
  { name: "splitList returns a list", fn: "splitList", args: [",", "a,b,,c"], want: ["a", "b", "", "c"] },
  { name: "splitList of nothing is one empty part", fn: "splitList", args: [",", ""], want: [""] },
  { name: "an empty separator splits runes", fn: "splitList", args: ["", "añb"], want: ["a", "ñ", "b"] },
]);

table(
  "layout",
  [
    { name: "indent pads every line", fn: "indent", args: [4n, "a\nb\nc"], want: "    a\n    b\n    c" },
    { name: "nindent starts with a newline", fn: "nindent", args: [4n, "a\nb"], want: "\n    a\n    b" },
    { name: "wrap breaks at spaces", fn: "wrap", args: [5n, "Hello World"], want: "Hello\nWorld" },
    { name: "wrap leaves long words", fn: "wrap", args: [3n, "abcdef gh"], want: "abcdef\ngh" },
    { name: "wrapWith uses the separator", fn: "wrapWith", args: [5n, "\t", "Hello World"], want: "Hello\tWorld" },
    { name: "wrapWith splits long words", fn: "wrapWith", args: [3n, "\n", "abcdef"], want: "abc\ndef" },
    { name: "abbrev cuts with an ellipsis", fn: "abbrev", args: [5n, "hello world"], want: "he..." },
    { name: "abbrev under 4 leaves the text", fn: "abbrev", args: [3n, "hello world"], want: "hello world" },
    { name: "abbrevboth cuts both sides", fn: "abbrevboth", args: [5n, 10n, "1234 5678 9123"], want: "...5678..." },
    { name: "repeat", fn: "repeat", args: [3n, "ab"], want: "ababab" },
    {
      name: "repeat refuses a negative count",
      fn: "repeat",
      args: [-1n, "a"],
      error: "strings: negative Repeat count",
    },
    { name: "replace replaces all", fn: "replace", args: [" ", "-", "I Am Henry VIII"], want: "I-Am-Henry-VIII" },
    { name: "plural picks one for 1", fn: "plural", args: ["one anchovy", "many anchovies", 1n], want: "one anchovy" },
    { name: "plural picks many otherwise", fn: "plural", args: ["one", "many", 2n], want: "many" },
    { name: "contains takes the needle first", fn: "contains", args: ["cat", "fair catch"], want: true },
    { name: "hasPrefix", fn: "hasPrefix", args: ["cat", "catch"], want: true },
    { name: "hasSuffix", fn: "hasSuffix", args: ["cat", "ducat"], want: true },
  ] satisfies Case[],
);
