// Objects in the store: copies as JSON would carry them, the object a write stored, recent versions.
import assert from "node:assert/strict";
import {
  copyObject,
  decodeObject,
  encodeObject,
  type KubeObject,
  RecentVersions,
  sameObject,
  storedObject,
} from "../../../core/api/storage.ts";
import type { KeyValue } from "../../../datastore/mod.ts";

const kv = (key: string, modRevision: number, object: KubeObject = {}): KeyValue => ({
  key,
  value: encodeObject(object),
  createRevision: 1,
  modRevision,
  lease: 0,
});

Deno.test("storage: copyObject gives what a JSON round trip gives, sharing nothing with the original", () => {
  const original = {
    metadata: { name: "a", labels: { app: "web" }, annotations: undefined },
    spec: { list: [1, undefined, { at: new Date(0), n: NaN }], skip: () => 1, flag: false, none: null },
  };
  const copy = copyObject(original);
  assert.deepEqual(copy, JSON.parse(JSON.stringify(original)));
  assert.notEqual(copy.metadata, original.metadata);
  copy.metadata.labels.app = "changed";
  assert.equal(original.metadata.labels.app, "web");
});

Deno.test("storage: sameObject ignores member order and undefined members, nothing else", () => {
  assert.ok(sameObject({ a: 1, b: { c: [1, { d: 2 }] } }, { b: { c: [1, { d: 2 }] }, a: 1 }));
  assert.ok(sameObject({ a: 1, b: undefined }, { a: 1 }));
  assert.ok(!sameObject({ a: [1, 2] }, { a: [2, 1] }));
  assert.ok(!sameObject({ a: null }, {}));
  assert.ok(!sameObject({ a: "1" }, { a: 1 }));
  assert.ok(!sameObject({ a: [] }, { a: {} }));
});

Deno.test("storage: storedObject is what decoding the stored version gives, member order included", () => {
  const object: KubeObject = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "a", resourceVersion: "7", uid: "u", labels: { x: "y" } },
    data: { k: "v", gone: undefined } as Record<string, unknown>,
  };
  const stored = kv("/registry/configmaps/default/a", 9, object);
  const expected = decodeObject(stored);
  const actual = storedObject(object, stored);
  assert.deepEqual(actual, expected);
  assert.equal(JSON.stringify(actual), JSON.stringify(expected));
  assert.equal(object.metadata!.resourceVersion, "7");
});

Deno.test("storage: RecentVersions keeps the newest version of the keys seen last", () => {
  const versions = new RecentVersions(2);
  versions.remember(kv("/a", 5));
  versions.remember(kv("/a", 3));
  assert.equal(versions.get("/a")?.modRevision, 5);
  versions.remember(kv("/b", 6));
  versions.remember(kv("/a", 7));
  versions.remember(kv("/c", 8));
  assert.equal(versions.get("/b"), undefined);
  assert.equal(versions.get("/a")?.modRevision, 7);
  versions.forget("/a");
  assert.equal(versions.get("/a"), undefined);
  assert.equal(versions.get("/c")?.modRevision, 8);
});
