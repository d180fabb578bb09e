// The function map as a whole: every function of Sprig v3's TxtFuncMap that Helm keeps, and nothing else.
import assert from "node:assert/strict";
import { sprigFunctions } from "../../../../addons/helm-controller/sprig/mod.ts";
import { signatureOf } from "../../../../addons/helm-controller/gotemplate/mod.ts";

const SPRIG = `
ago date date_in_zone date_modify dateInZone dateModify duration durationRound htmlDate htmlDateInZone
must_date_modify mustDateModify mustToDate now toDate unixEpoch abbrev abbrevboth trunc trim upper lower title
untitle substr repeat trimall trimAll trimSuffix trimPrefix nospace initials randAlphaNum randAlpha randAscii
randNumeric swapcase shuffle snakecase camelcase kebabcase wrap wrapWith contains hasPrefix hasSuffix quote squote
cat indent nindent replace plural sha1sum sha256sum sha512sum adler32sum toString atoi int64 int float64 seq
toDecimal split splitList splitn toStrings until untilStep add1 add sub div mod mul randInt add1f addf subf divf
mulf biggest max min maxf minf ceil floor round join sortAlpha default empty coalesce all any compact mustCompact
fromJson toJson toPrettyJson toRawJson mustFromJson mustToJson mustToPrettyJson mustToRawJson ternary deepCopy
mustDeepCopy typeOf typeIs typeIsLike kindOf kindIs deepEqual getHostByName base dir clean ext isAbs osBase
osClean osDir osExt osIsAbs b64enc b64dec b32enc b32dec tuple list dict get set unset hasKey pluck keys pick omit
merge mergeOverwrite mustMerge mustMergeOverwrite values append push mustAppend mustPush prepend mustPrepend first
mustFirst rest mustRest last mustLast initial mustInitial reverse mustReverse uniq mustUniq without mustWithout has
mustHas slice mustSlice concat dig chunk mustChunk bcrypt htpasswd genPrivateKey derivePassword buildCustomCert
genCA genCAWithKey genSelfSignedCert genSelfSignedCertWithKey genSignedCert genSignedCertWithKey encryptAES
decryptAES randBytes uuidv4 semver semverCompare fail regexMatch mustRegexMatch regexFindAll mustRegexFindAll
regexFind mustRegexFind regexReplaceAll mustRegexReplaceAll regexReplaceAllLiteral mustRegexReplaceAllLiteral
regexSplit mustRegexSplit regexQuoteMeta urlParse urlJoin hello
`.trim().split(/\s+/);

Deno.test("the map holds every Sprig function Helm keeps, and no others", () => {
  assert.deepStrictEqual(Object.keys(sprigFunctions()).sort(), [...SPRIG].sort());
});

Deno.test("env and expandenv are left out, as Helm removes them", () => {
  const funcs = sprigFunctions();
  assert.ok(!("env" in funcs) && !("expandenv" in funcs));
});

Deno.test("every function declares its Go signature", () => {
  for (const [name, fn] of Object.entries(sprigFunctions())) assert.ok(signatureOf(fn), name);
});

Deno.test("each call returns a fresh map that callers may change", () => {
  const a = sprigFunctions();
  delete a.upper;
  assert.ok("upper" in sprigFunctions());
});
