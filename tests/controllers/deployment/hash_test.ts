import assert from "node:assert/strict";
import { canonicalJson, podTemplateHash, sameTemplate } from "../../../controllers/deployment/hash.ts";

const template = { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx" }] } };

Deno.test("hash: the pod-template hash is short, label-safe and independent of key order", () => {
  const hash = podTemplateHash(template);
  assert.match(hash, /^[a-z0-9]{1,10}$/);
  assert.equal(podTemplateHash({ spec: template.spec, metadata: template.metadata }), hash);
  assert.equal(canonicalJson({ b: 1, a: { d: [2], c: 3 } }), '{"a":{"c":3,"d":[2]},"b":1}');
});

Deno.test("hash: a different template hashes differently", () => {
  const other = { ...template, spec: { containers: [{ name: "web", image: "nginx:2" }] } };
  assert.notEqual(podTemplateHash(other), podTemplateHash(template));
});

Deno.test("hash: templates compare equal ignoring only the pod-template-hash label", () => {
  const stamped = { ...template, metadata: { labels: { app: "web", "pod-template-hash": "abc" } } };
  assert.ok(sameTemplate(stamped, template));
  assert.ok(!sameTemplate({ ...template, metadata: { labels: { app: "db" } } }, template));
  assert.ok(sameTemplate({ metadata: { labels: { "pod-template-hash": "x" } } }, {}));
});
