// FieldsV1 documents to field sets and back: maps with ".", list-maps with composite keys, sets, atomic lists.
import assert from "node:assert/strict";
import { decodeFieldsV1, encodeFieldsV1 } from "../../../core/fieldmanager/fieldsv1.ts";
import { FieldSet } from "../../../core/fieldmanager/fieldset.ts";

function roundTrip(document: unknown): unknown {
  return encodeFieldsV1(decodeFieldsV1(document));
}

Deno.test("fieldsV1: a map owned as a whole and key by key keeps its '.' entry", () => {
  const document = { "f:metadata": { "f:labels": { ".": {}, "f:app": {}, "f:tier": {} } }, "f:data": { "f:a": {} } };
  const set = decodeFieldsV1(document);
  assert.ok(set.has(["f:metadata", "f:labels"]));
  assert.ok(set.has(["f:metadata", "f:labels", "f:app"]));
  assert.ok(!set.has(["f:metadata"]));
  assert.deepEqual(roundTrip(document), {
    "f:data": { "f:a": {} },
    "f:metadata": { "f:labels": { ".": {}, "f:app": {}, "f:tier": {} } },
  });
});

Deno.test("fieldsV1: list-map items with composite keys round-trip, keys sorted by name", () => {
  const document = {
    "f:ports": {
      'k:{"protocol":"UDP","containerPort":53}': { ".": {}, "f:containerPort": {}, "f:protocol": {} },
      'k:{"containerPort":53,"protocol":"TCP"}': { ".": {}, "f:name": {} },
    },
  };
  const out = roundTrip(document) as Record<string, Record<string, unknown>>;
  assert.deepEqual(Object.keys(out["f:ports"]), [
    'k:{"containerPort":53,"protocol":"TCP"}',
    'k:{"containerPort":53,"protocol":"UDP"}',
  ]);
  assert.deepEqual(out["f:ports"]['k:{"containerPort":53,"protocol":"UDP"}'], {
    ".": {},
    "f:containerPort": {},
    "f:protocol": {},
  });
});

Deno.test("fieldsV1: set items are values, ordered numbers before strings", () => {
  const document = { "f:finalizers": { 'v:"b.example.com/x"': {}, 'v:"a.example.com/x"': {}, "v:3": {} } };
  assert.deepEqual(Object.keys((roundTrip(document) as Record<string, object>)["f:finalizers"]), [
    "v:3",
    'v:"a.example.com/x"',
    'v:"b.example.com/x"',
  ]);
});

Deno.test("fieldsV1: an atomic list is one member, and positional items sort by index after every other kind", () => {
  const set = new FieldSet();
  set.insert(["f:spec", "f:tolerations"]);
  set.insert(["f:items", "i:10"]);
  set.insert(["f:items", "i:2"]);
  set.insert(["f:items", "f:x"]);
  const document = encodeFieldsV1(set);
  assert.deepEqual(document, { "f:items": { "f:x": {}, "i:2": {}, "i:10": {} }, "f:spec": { "f:tolerations": {} } });
  assert.deepEqual(Object.keys(document["f:items"]), ["f:x", "i:2", "i:10"]);
  assert.deepEqual(decodeFieldsV1(document).paths(), set.paths());
});

Deno.test("fieldsV1: Go's HTML escaping in keys is what the encoder writes", () => {
  const decoded = decodeFieldsV1({ "f:env": { 'k:{"name":"A<B"}': {} } });
  assert.deepEqual(Object.keys(encodeFieldsV1(decoded)["f:env"]), ['k:{"name":"A\\u003cB"}']);
});

Deno.test("fieldsV1: a document that is not an object of objects is refused", () => {
  assert.throws(() => decodeFieldsV1({ "f:a": 1 }));
  assert.throws(() => decodeFieldsV1([]));
});
