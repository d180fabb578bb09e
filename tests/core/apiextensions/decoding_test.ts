// Decoding custom objects: pruning of undeclared fields and defaulting from the schema.
import assert from "node:assert/strict";
import { applySchemaDefaults } from "../../../core/apiextensions/defaulting.ts";
import { prune } from "../../../core/apiextensions/pruning.ts";
import type { JSONSchemaProps } from "../../../core/apiextensions/types.ts";

const schema: JSONSchemaProps = {
  type: "object",
  properties: {
    spec: {
      type: "object",
      properties: {
        size: { type: "integer" },
        color: { type: "string", default: "blue" },
        limits: { type: "object", default: {}, properties: { cpu: { type: "string", default: "1" } } },
        ports: {
          type: "array",
          items: {
            type: "object",
            properties: { port: { type: "integer" }, protocol: { type: "string", default: "TCP" } },
          },
        },
        extra: {
          type: "object",
          "x-kubernetes-preserve-unknown-fields": true,
          properties: { known: { type: "object", properties: { a: { type: "string" } } } },
        },
        template: { type: "object", "x-kubernetes-embedded-resource": true, properties: { spec: { type: "object" } } },
      },
    },
  },
};

Deno.test("pruning: undeclared fields go and are reported by path, apiVersion/kind/metadata stay", () => {
  const object = {
    apiVersion: "example.com/v1",
    kind: "Widget",
    metadata: { name: "w", labels: { a: "b" }, bogus: 1 },
    spec: { size: 1, colour: "x", ports: [{ port: 80, name: "http" }] },
    top: true,
  };
  assert.deepEqual(prune(object, schema), ["metadata.bogus", "spec.colour", "spec.ports[0].name", "top"]);
  assert.deepEqual(object, {
    apiVersion: "example.com/v1",
    kind: "Widget",
    metadata: { name: "w", labels: { a: "b" } },
    spec: { size: 1, ports: [{ port: 80 }] },
  });
});

Deno.test("pruning: preserve-unknown-fields keeps unknown fields but still prunes declared children", () => {
  const object = { spec: { extra: { anything: [1, 2], known: { a: "x", b: "y" } } } };
  assert.deepEqual(prune(object, schema), ["spec.extra.known.b"]);
  assert.deepEqual(object.spec.extra, { anything: [1, 2], known: { a: "x" } });
});

Deno.test("pruning: an embedded resource keeps its apiVersion, kind and metadata", () => {
  const object = {
    spec: { template: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: {}, status: {} } },
  };
  assert.deepEqual(prune(object, schema), ["spec.template.status"]);
  assert.deepEqual(object.spec.template, { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: {} });
});

Deno.test("defaulting: missing fields get defaults, nested defaults apply inside a defaulted object", () => {
  const object = applySchemaDefaults({ spec: { size: 1 } }, schema);
  assert.deepEqual(object, { spec: { size: 1, color: "blue", limits: { cpu: "1" } } });
});

Deno.test("defaulting: list items are defaulted, given values are kept", () => {
  const object = applySchemaDefaults(
    { spec: { color: "red", ports: [{ port: 80 }, { port: 53, protocol: "UDP" }] } },
    schema,
  );
  assert.deepEqual(object.spec.ports, [{ port: 80, protocol: "TCP" }, { port: 53, protocol: "UDP" }]);
  assert.equal(object.spec.color, "red");
});

Deno.test("defaulting: a null where none is allowed is defaulted, or dropped when there is no default", () => {
  const object = applySchemaDefaults({ spec: { color: null, size: null } }, schema);
  assert.deepEqual(object.spec, { color: "blue", limits: { cpu: "1" } });
});
