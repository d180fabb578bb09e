// x-kubernetes-list-type uniqueness, and embedded resources' type and metadata.
import assert from "node:assert/strict";
import type { StatusCause } from "../../../core/api/status.ts";
import { validateEmbeddedResources } from "../../../core/apiextensions/embedded.ts";
import { validateListTypes } from "../../../core/apiextensions/list_type.ts";
import type { JSONSchemaProps } from "../../../core/apiextensions/types.ts";

const lines = (causes: StatusCause[]) => causes.map((c) => `${c.field}: ${c.message}`);

const schema: JSONSchemaProps = {
  type: "object",
  properties: {
    tags: { type: "array", "x-kubernetes-list-type": "set", items: { type: "string" } },
    ports: {
      type: "array",
      "x-kubernetes-list-type": "map",
      "x-kubernetes-list-map-keys": ["port", "protocol"],
      items: { type: "object", properties: { port: { type: "integer" }, protocol: { type: "string" } } },
    },
    template: { type: "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true },
  },
};

Deno.test("list types: a set reports the second occurrence of a value as Duplicate", () => {
  assert.deepEqual(lines(validateListTypes(schema, { tags: ["a", "b", "a", "a"] })), ['tags[2]: Duplicate value: "a"']);
});

Deno.test("list types: a map list reports a repeated key", () => {
  const ports = [{ port: 80, protocol: "TCP" }, { port: 80, protocol: "UDP" }, { port: 80, protocol: "TCP" }];
  assert.deepEqual(lines(validateListTypes(schema, { ports })), [
    'ports[2]: Duplicate value: map[string]interface {}{"port":80, "protocol":"TCP"}',
  ]);
});

Deno.test("embedded resources: apiVersion and kind are required, metadata is validated", () => {
  assert.deepEqual(lines(validateEmbeddedResources(schema, { template: { metadata: { name: "a/b" } } })), [
    "template.apiVersion: Required value: must not be empty",
    "template.kind: Required value: must not be empty",
    `template.metadata.name: Invalid value: "a/b": may not contain '/'`,
  ]);
  assert.deepEqual(validateEmbeddedResources(schema, { template: { apiVersion: "v1", kind: "Pod" } }), []);
});
