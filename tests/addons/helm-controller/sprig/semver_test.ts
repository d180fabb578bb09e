// Sprig's semver functions over Masterminds/semver v3: lenient parsing, the version's methods as templates
// call them, and constraint checking — operators, wildcards, tilde and caret ranges, hyphen ranges, AND/OR,
// and the rule that prereleases only satisfy constraints that name one.
import assert from "node:assert/strict";
import { call, callError, render } from "./support.ts";
import { Version } from "../../../../addons/helm-controller/sprig/mod.ts";

const compare: [string, string, boolean][] = [
  ["1.2.3", "1.2.3", true],
  ["^1.2.0", "1.2.3", true],
  ["^1.2.0", "2.2.3", false],
  ["=2.0", "2.0.1", true],
  ["!=4.1", "4.1.1", false],
  ["!=4.1", "5.1.0", true],
  ["<11", "11.1.0", false],
  ["<=1.1", "1.1.1", true],
  [">1.1", "1.1.0", false],
  [">11.1", "11.2.1", true],
  [">=1.1", "0.0.9", false],
  [">0", "0.0.1-alpha", false],
  [">=0-0", "0.0.1-alpha", true],
  [">1.2.3-alpha.1", "1.2.3-alpha.2", true],
  ["*", "4.5.6", true],
  ["*", "1.2.3-alpha.1", false],
  ["2.*", "2.1.1", true],
  ["2.1.x", "2.2.1", false],
  ["~1.2.3", "1.2.4", true],
  ["~1.2.3", "1.3.4", false],
  ["~1", "1.9.0", true],
  ["~1.2.3-beta.2", "1.2.4-beta.2", true],
  ["^1.2.0", "1.2.1-alpha.1", false],
  ["^1.2.0-alpha.0", "1.2.1-alpha.1", true],
  ["^0.2.3", "0.5.6", false],
  ["^0.0.3", "0.0.4", false],
  [">= 1.2, < 3.0.0 || >= 4.2.3", "2.5.0", true],
  [">= 1.2, < 3.0.0 || >= 4.2.3", "3.5.0", false],
  [">= 1.2, < 3.0.0 || >= 4.2.3", "4.5.0", true],
  [">=1.2.3 <2.0", "1.9.9", true],
  ["1.1 - 2", "2.0.0", true],
  ["1.1 - 2", "2.9.9", true],
  ["1.1 - 2", "3.0.0", false],
  ["1.2.3 - 2.3.4 || >5", "6.0.0", true],
  ["v1.2", "1.2.0", true],
  [">=1.20.0-0", "v1.32.0+k3s1", true],
];

for (const [constraint, version, want] of compare) {
  Deno.test(`semverCompare "${constraint}" "${version}" is ${want}`, () => {
    assert.equal(call("semverCompare", constraint, version), want);
  });
}

Deno.test("semverCompare rejects an improper constraint", () => {
  assert.equal(callError("semverCompare", "bad", "1.0.0"), "improper constraint: bad");
});

Deno.test("semverCompare rejects an invalid version", () => {
  assert.equal(callError("semverCompare", ">1", "1.x"), "Invalid Semantic Version");
});

Deno.test("semver parses leniently and prints canonically", () => {
  const v = call("semver", "v1.2-beta.1+c0ff33") as Version;
  assert.equal(v.String(), "1.2.0-beta.1+c0ff33");
  assert.equal(v.Original(), "v1.2-beta.1+c0ff33");
  assert.deepStrictEqual([v.Major(), v.Minor(), v.Patch()], [1n, 2n, 0n]);
  assert.equal(v.Prerelease(), "beta.1");
  assert.equal(v.Metadata(), "c0ff33");
});

Deno.test("semver rejects a leading zero in a prerelease", () => {
  assert.equal(callError("semver", "1.2.3-01"), "Version segment starts with 0");
});

Deno.test("version methods are callable from templates", () => {
  assert.equal(render('{{ $s := semver "1.2.3-beta.1+c0ff33" }}{{ $s.Prerelease }} {{ $s.Major }}'), "beta.1 1");
  assert.equal(render('{{ semver "1.2.3" | (semver "1.3.3").Compare }}'), "1");
  assert.equal(render('{{ semver "1.4.3" | (semver "1.2.3").Compare }}'), "-1");
  assert.equal(render('{{ semver "1.2.3" }}'), "1.2.3");
});

Deno.test("prereleases sort before their release and numerically among themselves", () => {
  const v = (s: string) => Version.parse(s);
  assert.equal(v("1.0.0-alpha").Compare(v("1.0.0")), -1n);
  assert.equal(v("1.0.0-alpha.10").Compare(v("1.0.0-alpha.9")), 1n);
  assert.equal(v("1.0.0-alpha.1").Compare(v("1.0.0-alpha.beta")), -1n);
  assert.equal(v("1.0.0+a").Compare(v("1.0.0+b")), 0n);
});
