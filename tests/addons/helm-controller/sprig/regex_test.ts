// Sprig's regex functions on Go's regexp syntax: matches, successive matches with Go's empty-match rule,
// $1/${name} expansion, literal replacement, split, and Go's compile errors (plain variants panic with
// regexp.MustCompile's wording, must* variants return the error).
import { table } from "./support.ts";

const email = "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}";

table("regexMatch", [
  { name: "matches anywhere", fn: "regexMatch", args: [email, "test@acme.com"], want: true },
  { name: "does not match", fn: "regexMatch", args: [email, "test@acme"], want: false },
  { name: "a bad pattern is false", fn: "regexMatch", args: ["(", "x"], want: false },
  {
    name: "mustRegexMatch reports a bad pattern",
    fn: "mustRegexMatch",
    args: ["(", "x"],
    error: "error parsing regexp: missing closing ): `(`",
  },
]);

table("regexFind", [
  { name: "finds the leftmost match", fn: "regexFind", args: ["fo.?", "foo foe fome"], want: "foo" },
  { name: "no match is empty", fn: "regexFind", args: ["fo.?", "none"], want: "" },
  { name: "regexFindAll finds all", fn: "regexFindAll", args: ["a{2}", "aaaa", -1n], want: ["aa", "aa"] },
  { name: "regexFindAll stops at n", fn: "regexFindAll", args: ["a{2}", "aaaaaaaa", 1n], want: ["aa"] },
  { name: "regexFindAll of 0 finds none", fn: "regexFindAll", args: ["a", "aaa", 0n], want: [] },
  {
    name: "an empty match next to a match does not count",
    fn: "regexFindAll",
    args: ["a*", "baaac", -1n],
    want: ["", "aaa", ""],
  },
  { name: "(?i) makes it case-insensitive", fn: "regexFind", args: ["(?i)HELLO", "say Hello"], want: "Hello" },
  { name: "a scoped (?i:…) flag", fn: "regexFind", args: ["(?i:a)b", "xAb AB"], want: "Ab" },
  { name: "\\s is ASCII white space only", fn: "regexFind", args: ["\\s+", "a\u00a0 \tb"], want: " \t" },
  { name: "POSIX classes", fn: "regexFind", args: ["[[:alpha:]]+", "12abc34"], want: "abc" },
  { name: "Unicode classes", fn: "regexFind", args: ["\\p{Greek}+", "abαβγ"], want: "αβγ" },
  { name: "(?m) anchors at lines", fn: "regexFind", args: ["(?m)^b$", "a\nb\nc"], want: "b" },
  { name: "(?s) lets . match newlines", fn: "regexFind", args: ["(?s)a.b", "a\nb"], want: "a\nb" },
  { name: "a brace that is no repeat is literal", fn: "regexFind", args: ["a{,2}", "a{,2}"], want: "a{,2}" },
  { name: "\\Q…\\E quotes", fn: "regexFind", args: ["\\Qa.b\\E", "axb a.b"], want: "a.b" },
  { name: "(?U) swaps greediness", fn: "regexFind", args: ["(?U)a+", "aaa"], want: "a" },
  {
    name: "lookahead is not Go syntax",
    fn: "regexFind",
    args: ["a(?=b)", "ab"],
    error: "regexp: Compile(`a(?=b)`): error parsing regexp: invalid or unsupported Perl syntax: `(?=`",
  },
  {
    name: "backreferences are not Go syntax",
    fn: "mustRegexFind",
    args: ["(a)\\1", "aa"],
    error: "error parsing regexp: invalid escape sequence: `\\1`",
  },
  {
    name: "nested repetition is refused",
    fn: "mustRegexFindAll",
    args: ["a**", "aa", -1n],
    error: "error parsing regexp: invalid nested repetition operator: `**`",
  },
]);

table("regexReplaceAll", [
  { name: "replaces every match", fn: "regexReplaceAll", args: ["a(x*)b", "-ab-axxb-", "T"], want: "-T-T-" },
  { name: "$1 expands a group", fn: "regexReplaceAll", args: ["a(x*)b", "-ab-axxb-", "$1"], want: "--xx-" },
  {
    name: "$1W names group 1W, which is empty",
    fn: "regexReplaceAll",
    args: ["a(x*)b", "-ab-axxb-", "$1W"],
    want: "---",
  },
  { name: "${1}W expands group 1", fn: "regexReplaceAll", args: ["a(x*)b", "-ab-axxb-", "${1}W"], want: "-W-xxW-" },
  {
    name: "named groups expand by name",
    fn: "regexReplaceAll",
    args: ["(?P<first>\\w+) (?P<last>\\w+)", "John Smith", "${last}, $first"],
    want: "Smith, John",
  },
  { name: "$$ is a dollar", fn: "regexReplaceAll", args: ["x", "axb", "$$"], want: "a$b" },
  { name: "empty matches are replaced once", fn: "regexReplaceAll", args: ["a*", "baaac", "X"], want: "XbXcX" },
  {
    name: "regexReplaceAllLiteral does not expand",
    fn: "regexReplaceAllLiteral",
    args: ["a(x*)b", "-ab-axxb-", "${1}"],
    want: "-${1}-${1}-",
  },
]);

table("regexSplit", [
  { name: "splits at matches", fn: "regexSplit", args: ["z+", "pizza", -1n], want: ["pi", "a"] },
  { name: "stops at n parts", fn: "regexSplit", args: ["z+", "pizza", 1n], want: ["pizza"] },
  { name: "an empty pattern splits characters", fn: "regexSplit", args: ["", "abc", -1n], want: ["a", "b", "c"] },
  { name: "the empty string is one empty part", fn: "regexSplit", args: ["a", "", -1n], want: [""] },
  { name: "regexQuoteMeta escapes metacharacters", fn: "regexQuoteMeta", args: ["1.2.3"], want: "1\\.2\\.3" },
]);
