// x-kubernetes-validations at run time: kube's messages, transition rules, fieldPath, reason, messageExpression.
import assert from "node:assert/strict";
import type { StatusCause } from "../../../core/api/status.ts";
import { RuleValidator } from "../../../core/apiextensions/rules.ts";
import type { JSONSchemaProps } from "../../../core/apiextensions/types.ts";

const lines = (causes: StatusCause[]) => causes.map((c) => `${c.field}: ${c.message}`);

function widget(spec: JSONSchemaProps): JSONSchemaProps {
  return { type: "object", properties: { spec } };
}

const range = widget({
  type: "object",
  properties: { min: { type: "integer" }, max: { type: "integer" } },
  "x-kubernetes-validations": [{ rule: "self.min <= self.max", message: "min must not exceed max" }],
});

Deno.test("rules: a failing rule reports its message against the node, with the node's type", () => {
  const rules = RuleValidator.build(range)!;
  assert.deepEqual(lines(rules.validate({ spec: { min: 9, max: 3 } })), [
    'spec: Invalid value: "object": min must not exceed max',
  ]);
  assert.deepEqual(rules.validate({ spec: { min: 1, max: 3 } }), []);
});

Deno.test("rules: without a message the rule itself is quoted", () => {
  const rules = RuleValidator.build(widget({
    type: "object",
    properties: { size: { type: "integer", "x-kubernetes-validations": [{ rule: "self % 2 == 0" }] } },
  }))!;
  assert.deepEqual(lines(rules.validate({ spec: { size: 3 } })), [
    'spec.size: Invalid value: "integer": failed rule: self % 2 == 0',
  ]);
});

Deno.test("rules: an evaluation error is reported with the rule", () => {
  const rules = RuleValidator.build(range)!;
  assert.deepEqual(lines(rules.validate({ spec: { max: 3 } })), [
    'spec: Invalid value: "object": no such key: min evaluating rule: min must not exceed max',
  ]);
});

Deno.test("rules: transition rules see oldSelf on update and are skipped on create", () => {
  const rules = RuleValidator.build(widget({
    type: "object",
    properties: { size: { type: "integer" } },
    "x-kubernetes-validations": [{ rule: "self.size >= oldSelf.size", message: "size may not shrink" }],
  }))!;
  assert.deepEqual(rules.validate({ spec: { size: 1 } }), []);
  assert.deepEqual(rules.validate({ spec: { size: 3 } }, { spec: { size: 2 } }), []);
  assert.deepEqual(lines(rules.validate({ spec: { size: 1 } }, { spec: { size: 2 } })), [
    'spec: Invalid value: "object": size may not shrink',
  ]);
});

Deno.test("rules: fieldPath moves the error, reason picks its type", () => {
  const rules = RuleValidator.build(widget({
    type: "object",
    properties: { replicas: { type: "integer" } },
    "x-kubernetes-validations": [{
      rule: "self.replicas > 0",
      message: "must run something",
      fieldPath: ".replicas",
      reason: "FieldValueForbidden",
    }],
  }))!;
  const causes = rules.validate({ spec: { replicas: 0 } });
  assert.deepEqual(lines(causes), ["spec.replicas: Forbidden: must run something"]);
  assert.equal(causes[0].type, "FieldValueForbidden");
});

Deno.test("rules: messageExpression builds the message from the object", () => {
  const rules = RuleValidator.build(widget({
    type: "object",
    properties: { size: { type: "integer" } },
    "x-kubernetes-validations": [{
      rule: "self.size < 5",
      messageExpression: "'size ' + string(self.size) + ' is too big'",
    }],
  }))!;
  assert.deepEqual(lines(rules.validate({ spec: { size: 7 } })), ['spec: Invalid value: "object": size 7 is too big']);
});

Deno.test("rules: rules on list items and map values run per element", () => {
  const rules = RuleValidator.build(widget({
    type: "object",
    properties: {
      hosts: {
        type: "array",
        items: { type: "string", "x-kubernetes-validations": [{ rule: "self.endsWith('.com')" }] },
      },
      quotas: {
        type: "object",
        additionalProperties: { type: "integer", "x-kubernetes-validations": [{ rule: "self >= 0" }] },
      },
    },
  }))!;
  assert.deepEqual(lines(rules.validate({ spec: { hosts: ["a.com", "b.org"], quotas: { cpu: -1 } } })), [
    `spec.hosts[1]: Invalid value: "string": failed rule: self.endsWith('.com')`,
    'spec.quotas[cpu]: Invalid value: "integer": failed rule: self >= 0',
  ]);
});

Deno.test("rules: the root sees apiVersion, kind and metadata.name", () => {
  const rules = RuleValidator.build({
    type: "object",
    "x-kubernetes-validations": [{ rule: "self.metadata.name.startsWith('w') && self.kind == 'Widget'" }],
  })!;
  assert.deepEqual(rules.validate({ kind: "Widget", apiVersion: "example.com/v1", metadata: { name: "w1" } }), []);
  assert.equal(rules.validate({ kind: "Widget", apiVersion: "example.com/v1", metadata: { name: "x" } }).length, 1);
});
