// Schema validation of custom objects: kube-openapi's checks with apiextensions-apiserver's field errors.
import assert from "node:assert/strict";
import type { StatusCause } from "../../../core/api/status.ts";
import type { JSONSchemaProps } from "../../../core/apiextensions/types.ts";
import { validateValue } from "../../../core/apiextensions/validation.ts";

const lines = (causes: StatusCause[]) => causes.map((c) => `${c.field}: ${c.message}`);

function spec(properties: Record<string, JSONSchemaProps>, required?: string[]): JSONSchemaProps {
  return { type: "object", properties: { spec: { type: "object", properties, required } } };
}

Deno.test("validation: a value above maximum is Invalid with the go-openapi message", () => {
  const s = spec({ size: { type: "integer", minimum: 1, maximum: 10 } });
  assert.deepEqual(lines(validateValue(s, { spec: { size: 20 } })), [
    "spec.size: Invalid value: 20: spec.size in body should be less than or equal to 10",
  ]);
  assert.deepEqual(lines(validateValue(s, { spec: { size: 0 } })), [
    "spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1",
  ]);
});

Deno.test("validation: exclusive bounds and multipleOf", () => {
  const s = spec({
    n: { type: "number", minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true, multipleOf: 0.25 },
  });
  assert.deepEqual(lines(validateValue(s, { spec: { n: 1 } })), [
    "spec.n: Invalid value: 1: spec.n in body should be less than 1",
  ]);
  assert.deepEqual(lines(validateValue(s, { spec: { n: 0.3 } })), [
    "spec.n: Invalid value: 0.3: spec.n in body should be a multiple of 0.25",
  ]);
});

Deno.test("validation: a value outside enum is Unsupported with the supported values", () => {
  const s = spec({ color: { type: "string", enum: ["blue", "red"] } });
  assert.deepEqual(lines(validateValue(s, { spec: { color: "green" } })), [
    'spec.color: Unsupported value: "green": supported values: "blue", "red"',
  ]);
});

Deno.test("validation: a missing required field is Required value", () => {
  const s = spec({ size: { type: "integer" } }, ["size"]);
  assert.deepEqual(lines(validateValue(s, { spec: {} })), ["spec.size: Required value"]);
});

Deno.test("validation: a value of the wrong type is a type error naming the JSON type", () => {
  const s = spec({ size: { type: "integer" }, on: { type: "boolean" } });
  const causes = validateValue(s, { spec: { size: "string", on: 1.5 } });
  assert.deepEqual(lines(causes), [
    'spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"',
    'spec.on: Invalid value: "number": spec.on in body must be of type boolean: "number"',
  ]);
  assert.equal(causes[0].type, "FieldValueTypeInvalid");
});

Deno.test("validation: null passes only where nullable", () => {
  const s = spec({ a: { type: "string", nullable: true }, b: { type: "string" } });
  assert.deepEqual(lines(validateValue(s, { spec: { a: null, b: null } })), [
    'spec.b: Invalid value: "null": spec.b in body must be of type string: "null"',
  ]);
});

Deno.test("validation: string lengths and patterns", () => {
  const s = spec({ name: { type: "string", minLength: 3, maxLength: 5, pattern: "^[a-z]+$" } });
  assert.deepEqual(lines(validateValue(s, { spec: { name: "ab" } })), [
    'spec.name: Invalid value: "ab": spec.name in body should be at least 3 chars long',
  ]);
  assert.deepEqual(lines(validateValue(s, { spec: { name: "abcdefg" } })), [
    "spec.name: Too long: may not be more than 5 bytes",
  ]);
  assert.deepEqual(lines(validateValue(s, { spec: { name: "ab1" } })), [
    `spec.name: Invalid value: "ab1": spec.name in body should match '^[a-z]+$'`,
  ]);
});

Deno.test("validation: list sizes, with items checked by index", () => {
  const s = spec({ tags: { type: "array", minItems: 2, maxItems: 3, items: { type: "string", maxLength: 2 } } });
  assert.deepEqual(lines(validateValue(s, { spec: { tags: ["a"] } })), [
    "spec.tags: Invalid value: 1: spec.tags in body should have at least 2 items",
  ]);
  assert.deepEqual(lines(validateValue(s, { spec: { tags: ["a", "b", "c", "abc"] } })), [
    "spec.tags[3]: Too long: may not be more than 2 bytes",
    "spec.tags: Too many: 4: must have at most 3 items",
  ]);
});

Deno.test("validation: formats kube checks fail, others are only documentation", () => {
  const s = spec({
    at: { type: "string", format: "date-time" },
    ip: { type: "string", format: "ipv4" },
    x: { type: "string", format: "mine" },
  });
  assert.deepEqual(lines(validateValue(s, { spec: { at: "yesterday", ip: "10.0.0.1", x: "?" } })), [
    'spec.at: Invalid value: "yesterday": spec.at in body must be of type date-time: "yesterday"',
  ]);
  assert.deepEqual(validateValue(s, { spec: { at: "2024-05-01T10:00:00Z", ip: "10.0.0.1" } }), []);
});

Deno.test("validation: int-or-string takes either, nothing else", () => {
  const s = spec({ port: { "x-kubernetes-int-or-string": true } });
  assert.deepEqual(validateValue(s, { spec: { port: 80 } }), []);
  assert.deepEqual(validateValue(s, { spec: { port: "http" } }), []);
  assert.deepEqual(lines(validateValue(s, { spec: { port: true } })), [
    'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
  ]);
});

Deno.test("validation: maps validate their values under additionalProperties", () => {
  const s = spec({ limits: { type: "object", additionalProperties: { type: "integer", minimum: 0 } } });
  assert.deepEqual(lines(validateValue(s, { spec: { limits: { a: 1, b: -1 } } })), [
    "spec.limits.b: Invalid value: -1: spec.limits.b in body should be greater than or equal to 0",
  ]);
});

Deno.test("validation: on update an unchanged invalid value passes (ratcheting), a changed one does not", () => {
  const s = spec({ size: { type: "integer", maximum: 10 }, other: { type: "string" } });
  const old = { spec: { size: 20, other: "a" } };
  assert.deepEqual(validateValue(s, { spec: { size: 20, other: "b" } }, old), []);
  assert.equal(validateValue(s, { spec: { size: 21, other: "a" } }, old).length, 1);
});
