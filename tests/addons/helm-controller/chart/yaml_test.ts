// YAML as Helm 3 reads and writes it (sigs.k8s.io/yaml over go-yaml v2): YAML 1.1 scalars, every number a float64
// after the JSON step, and go-yaml's emitter for toYaml.
import assert from "node:assert/strict";
import {
  marshalYaml,
  marshalYamlPretty,
  unmarshalYamlArray,
  unmarshalYamlMap,
  yamlToJson,
} from "../../../../addons/helm-controller/chart/mod.ts";
import { decodeYaml } from "../../../../addons/helm-controller/chart/yaml/decode.ts";

Deno.test("YAML 1.1 words are booleans and quoting keeps them strings", () => {
  assert.deepEqual(yamlToJson("a: yes\nb: on\nc: n\nd: 'yes'\ne: Off\n"), {
    a: true,
    b: true,
    c: false,
    d: "yes",
    e: false,
  });
});

Deno.test("a map key 'y' is the boolean true, written back as \"true\"", () => {
  assert.deepEqual(yamlToJson("y: 1\n10: ten\n1.5: x\n"), { true: 1, "10": "ten", "1.5": "x" });
});

Deno.test("integers use Go's syntax: leading zero is octal, hex and underscores work", () => {
  assert.deepEqual(decodeYaml("a: 0755\nb: 0x1F\nc: 1_000\nd: 08\ne: 1e3\n"), {
    a: 493n,
    b: 31n,
    c: 1000n,
    d: 8,
    e: 1000,
  });
});

Deno.test("every number is a float64 once values pass through JSON", () => {
  const v = yamlToJson("count: 3\nbig: 12345678901234567890\nf: 0.5\n") as Record<string, unknown>;
  assert.deepEqual(v, { count: 3, big: 12345678901234567000, f: 0.5 });
});

Deno.test("timestamps stay strings and ~, null and empty values are null", () => {
  assert.deepEqual(yamlToJson("t: 2024-01-02\nu: 2024-01-02T03:04:05Z\na: ~\nb: null\nc:\n"), {
    t: "2024-01-02",
    u: "2024-01-02T03:04:05Z",
    a: null,
    b: null,
    c: null,
  });
});

Deno.test("anchors, aliases and merge keys expand", () => {
  const v = yamlToJson("base: &b {x: 1, z: 2}\nchild:\n  <<: *b\n  z: 3\ncopy: *b\n");
  assert.deepEqual(v, { base: { x: 1, z: 2 }, child: { x: 1, z: 3 }, copy: { x: 1, z: 2 } });
});

Deno.test(".inf cannot become JSON and fails as Helm reports it", () => {
  assert.throws(() => yamlToJson("a: .inf\n"), {
    message: "error converting YAML to JSON: json: unsupported value: +Inf",
  });
});

Deno.test("a syntax error names the line", () => {
  assert.throws(() => yamlToJson("a: b: c\n"), /^Error: error converting YAML to JSON: yaml: line 1: /);
});

Deno.test("decoding a list into a map is encoding/json's type error", () => {
  assert.throws(() => unmarshalYamlMap("- a\n"), {
    message:
      "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}",
  });
  assert.deepEqual(unmarshalYamlArray("- a\n- 2\n"), ["a", 2]);
  assert.deepEqual(unmarshalYamlMap(""), {});
});

Deno.test("toYaml sorts keys naturally and writes sequences at the key's column", () => {
  assert.equal(
    marshalYaml({ b: "two", a10: 1, a9: [1, { k: "v" }], nested: { z: true, y: null } }),
    'a9:\n- 1\n- k: v\na10: 1\nb: two\nnested:\n  "y": null\n  z: true\n',
  );
});

Deno.test("toYaml quotes strings that would read back as something else", () => {
  assert.equal(
    marshalYaml(["yes", "", "1", "1.5", "null", "2024-01-02", "a: b", "*x", "- x", "#c", "plain text", "1:20"]),
    '- "yes"\n- ""\n- "1"\n- "1.5"\n- "null"\n- "2024-01-02"\n- \'a: b\'\n- \'*x\'\n- \'- x\'\n- \'#c\'\n' +
      '- plain text\n- "1:20"\n',
  );
});

Deno.test("toYaml writes integral float64s as integers and others in Go's %g", () => {
  assert.equal(
    marshalYaml({ a: 1e6, b: 0.5, c: 1e-7, d: 3n, e: 1e21 }),
    "a: 1000000\nb: 0.5\nc: 1e-07\nd: 3\ne: 1e+21\n",
  );
});

Deno.test("toYaml uses literal blocks for multi-line text, with the chomping indicator", () => {
  assert.equal(marshalYaml({ a: "x\ny\n", b: "x\ny", c: "x\n\n" }), "a: |\n  x\n  y\nb: |-\n  x\n  y\nc: |+\n  x\n\n");
});

Deno.test("toYaml escapes tabs and characters outside libyaml's printable set", () => {
  assert.equal(marshalYaml({ t: "a\tb", e: "hi 😀" }), 'e: "hi \\U0001F600"\nt: "a\\tb"\n');
});

Deno.test("toYaml folds long plain strings after column 80 as go-yaml v2 does", () => {
  const words = Array(30).fill("word").join(" ");
  const out = marshalYaml({ long: words });
  const [first, second] = out.split("\n");
  assert.equal(first, "long: " + Array(16).fill("word").join(" "));
  assert.equal(second, "  " + Array(14).fill("word").join(" "));
});

Deno.test("empty collections are written in flow style", () => {
  assert.equal(marshalYaml({ a: [], b: {} }), "a: []\nb: {}\n");
});

Deno.test("toYamlPretty indents sequences and keeps float64s as floats", () => {
  assert.equal(marshalYamlPretty({ list: ["a"], num: 1e6, n: "x" }), 'list:\n  - a\n"n": x\nnum: 1e+06\n');
});
