// The fields an object sets, under the built-in schemas: struct fields, map entries, list-map keys (composite and
// defaulted), sets, atomic lists and maps; and the schema errors an apply configuration gets.
import assert from "node:assert/strict";
import { compare } from "../../../core/fieldmanager/compare.ts";
import { encodeFieldsV1 } from "../../../core/fieldmanager/fieldsv1.ts";
import { FieldSet } from "../../../core/fieldmanager/fieldset.ts";
import { pathString } from "../../../core/fieldmanager/path.ts";
import { fieldSetOf, schemaErrorsMessage } from "../../../core/fieldmanager/tofieldset.ts";
import { builtinObjectType, customResourceType } from "../../../core/fieldmanager/types.ts";

const configMap = builtinObjectType("", "v1", "ConfigMap")!;
const deployment = builtinObjectType("apps", "v1", "Deployment")!;
const service = builtinObjectType("", "v1", "Service")!;

function paths(object: unknown, type = configMap): string[] {
  return fieldSetOf(object, type).set.paths().map(pathString);
}

Deno.test("field set: map entries are members, a struct field holding them is only a prefix", () => {
  assert.deepEqual(paths({ metadata: { name: "a", labels: { app: "x" } }, data: { k: "v" }, binaryData: {} }), [
    ".binaryData",
    ".data.k",
    ".metadata.labels.app",
    ".metadata.name",
  ]);
});

Deno.test("field set: list-map items are keyed by all their keys, a missing protocol defaulting to TCP", () => {
  const spec = {
    spec: {
      template: {
        spec: {
          containers: [{ name: "web", ports: [{ containerPort: 80 }, { containerPort: 53, protocol: "UDP" }] }],
        },
      },
    },
  };
  assert.deepEqual(paths(spec, deployment), [
    '.spec.template.spec.containers[name="web"]',
    '.spec.template.spec.containers[name="web"].name',
    '.spec.template.spec.containers[name="web"].ports[containerPort=53,protocol="UDP"]',
    '.spec.template.spec.containers[name="web"].ports[containerPort=53,protocol="UDP"].containerPort',
    '.spec.template.spec.containers[name="web"].ports[containerPort=53,protocol="UDP"].protocol',
    '.spec.template.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"]',
    '.spec.template.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"].containerPort',
  ]);
});

Deno.test("field set: set items are values, atomic lists and maps are single leaves", () => {
  const object = {
    metadata: { finalizers: ["a.example.com/x", "b.example.com/y"] },
    spec: {
      selector: { matchLabels: { app: "x" } },
      template: { spec: { containers: [{ name: "c", args: ["--a", "--b"] }], tolerations: [{ key: "k" }] } },
    },
  };
  assert.deepEqual(encodeFieldsV1(fieldSetOf(object, deployment).set), {
    "f:metadata": { "f:finalizers": { 'v:"a.example.com/x"': {}, 'v:"b.example.com/y"': {} } },
    "f:spec": {
      "f:selector": {},
      "f:template": {
        "f:spec": {
          "f:containers": { 'k:{"name":"c"}': { ".": {}, "f:args": {}, "f:name": {} } },
          "f:tolerations": {},
        },
      },
    },
  });
});

Deno.test("field set: an apply configuration with undeclared fields or keyless items is reported as kube does", () => {
  const { errors } = fieldSetOf(
    { spec: { replicass: 2, ports: [{ name: "http" }] } },
    service,
    { strict: true },
  );
  assert.equal(
    schemaErrorsMessage(errors),
    "errors:\n  .spec.replicass: field not declared in schema\n" +
      '  .spec.ports: element 0: associative list with keys has an element that omits key field "port" (and doesn\'t have default value)',
  );
});

Deno.test("field set: duplicate list-map items in an apply configuration are refused", () => {
  const { errors } = fieldSetOf({ spec: { ports: [{ port: 80 }, { port: 80 }] } }, service, { strict: true });
  assert.equal(schemaErrorsMessage(errors), '.spec.ports: duplicate entries for key [port=80,protocol="TCP"]');
});

Deno.test("field set: a custom resource follows its CRD schema, and anything without one is deduced", () => {
  const widget = customResourceType({
    type: "object",
    properties: {
      spec: {
        type: "object",
        properties: {
          rules: {
            type: "array",
            "x-kubernetes-list-type": "map",
            "x-kubernetes-list-map-keys": ["host"],
            items: { type: "object" },
          },
          tags: { type: "array", items: { type: "string" } },
        },
      },
    },
  });
  const object = {
    metadata: { labels: { a: "b" } },
    spec: { rules: [{ host: "x", port: 1 }], tags: ["t"], extra: { y: 1 } },
  };
  assert.deepEqual(paths(object, widget), [
    ".metadata.labels.a",
    ".spec.extra",
    ".spec.extra.y",
    '.spec.rules[host="x"]',
    '.spec.rules[host="x"].host',
    '.spec.rules[host="x"].port',
    ".spec.tags",
  ]);
  assert.deepEqual(fieldSetOf(object, widget, { strict: true }).errors.map((e) => pathString(e.path)), [".spec.extra"]);
  // Without a schema every map key is a member of its own and lists are atomic.
  assert.deepEqual(paths(object, customResourceType(undefined)), [
    ".metadata.labels.a",
    ".spec",
    ".spec.extra",
    ".spec.extra.y",
    ".spec.rules",
    ".spec.tags",
  ]);
});

Deno.test("compare: added containers count themselves, changed leaves are modified, dropped ones removed", () => {
  const before = { metadata: { name: "a" }, data: { a: "1", b: "2" } };
  const after = { metadata: { name: "a", labels: { x: "y" } }, data: { a: "9" } };
  const { added, modified, removed } = compare(before, after, configMap);
  assert.deepEqual(added.paths().map(pathString), [".metadata.labels", ".metadata.labels.x"]);
  assert.deepEqual(modified.paths().map(pathString), [".data.a"]);
  assert.deepEqual(removed.paths().map(pathString), [".data.b"]);
});

function set(...members: string[][]): FieldSet {
  const out = new FieldSet();
  for (const path of members) out.insert(path);
  return out;
}

Deno.test("field set: a union adding nothing, or a difference taking nothing, is the set itself", () => {
  const owned = set(["f:data", "f:a"], ["f:data", "f:b"], ["f:metadata", "f:labels", "f:app"]);
  const part = set(["f:data", "f:a"]);
  const other = set(["f:spec", "f:replicas"]);
  assert.equal(owned.union(part), owned);
  assert.equal(part.union(owned), owned);
  assert.equal(owned.difference(other), owned);
  assert.notEqual(owned.difference(part), owned);
  assert.deepEqual(owned.difference(part).paths(), [["f:data", "f:b"], ["f:metadata", "f:labels", "f:app"]]);
  assert.equal(owned.union(other).paths().length, 4);
});
