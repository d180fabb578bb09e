import assert from "node:assert/strict";
import {
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isRelaxedEnvVarName,
  isValidLabelValue,
  isValidPercent,
  isValidPortName,
  isValidPortNum,
  isWildcardDNS1123Subdomain,
  nameIsDNSSubdomain,
  nameIsPathSegment,
} from "../../../core/admission/names.ts";
import { labelMessage, subdomainMessage } from "./support.ts";

Deno.test("names: a DNS-1123 subdomain error is kube's RFC 1123 subdomain text", () => {
  assert.deepEqual(isDNS1123Subdomain("Bad_Name"), [subdomainMessage]);
  assert.deepEqual(isDNS1123Subdomain("a.b-c.d"), []);
  assert.deepEqual(isDNS1123Subdomain("a".repeat(254)), ["must be no more than 253 characters"]);
});

Deno.test("names: a DNS-1123 label with dots says only 'must not contain dots'", () => {
  assert.deepEqual(isDNS1123Label("kube.system"), ["must not contain dots"]);
  assert.deepEqual(isDNS1123Label("Web"), [labelMessage]);
  assert.deepEqual(isDNS1123Label("a".repeat(64)), ["must be no more than 63 characters"]);
});

Deno.test("names: kube's two-example regex errors keep their double space before 'or'", () => {
  assert.match(labelMessage, /'my-name', {2}or '123-abc'/);
  assert.equal(
    isDNS1035Label("1web")[0],
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
  );
});

Deno.test("names: qualified names check the prefix and the name part separately", () => {
  assert.deepEqual(isQualifiedName("example.com/MyName"), []);
  assert.deepEqual(isQualifiedName("/x"), ["prefix part must be non-empty"]);
  assert.deepEqual(isQualifiedName("Bad_Prefix/x"), ["prefix part " + subdomainMessage]);
  assert.deepEqual(isQualifiedName("a/b/c"), [
    "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
  ]);
  assert.deepEqual(isQualifiedName("-x"), [
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
  ]);
});

Deno.test("names: label values may be empty but not end with a dash", () => {
  assert.deepEqual(isValidLabelValue(""), []);
  assert.deepEqual(isValidLabelValue("v-"), [
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
  ]);
});

Deno.test("names: config keys reject '..' prefixes and slashes", () => {
  assert.deepEqual(isConfigMapKey("app.conf"), []);
  assert.deepEqual(isConfigMapKey(".."), ["must not be '..'"]);
  assert.deepEqual(isConfigMapKey("a/b"), [
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
  ]);
});

Deno.test("names: port numbers and IANA port names", () => {
  assert.deepEqual(isValidPortNum(65536), ["must be between 1 and 65535, inclusive"]);
  assert.deepEqual(isValidPortName("http"), []);
  assert.deepEqual(isValidPortName("123"), ["must contain at least one letter (a-z)"]);
  assert.deepEqual(isValidPortName("a--b"), ["must not contain consecutive hyphens"]);
  assert.deepEqual(isValidPortName("very-long-port-name"), ["must be no more than 15 characters"]);
});

Deno.test("names: percents, env names and wildcard hosts", () => {
  assert.deepEqual(isValidPercent("25%"), []);
  assert.equal(isValidPercent("25").length, 1);
  assert.deepEqual(isRelaxedEnvVarName("1_WEIRD.name"), []);
  assert.deepEqual(isRelaxedEnvVarName("A=B"), [
    "a valid environment variable name must consist only of printable ASCII characters other than '='",
  ]);
  assert.deepEqual(isWildcardDNS1123Subdomain("*.example.com"), []);
});

Deno.test("names: a generateName prefix may end with a dash", () => {
  assert.deepEqual(nameIsDNSSubdomain("web-", true), []);
  assert.equal(nameIsDNSSubdomain("web-", false).length, 1);
  assert.deepEqual(nameIsPathSegment("system:node", false), []);
  assert.deepEqual(nameIsPathSegment("a/b", false), ["may not contain '/'"]);
  assert.deepEqual(nameIsPathSegment("..", false), ["may not be '..'"]);
});
