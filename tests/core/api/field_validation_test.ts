// Typed decoding of built-in kinds: kube-apiserver's 400 for mistyped values, unknown and duplicate fields.
import assert from "node:assert/strict";
import {
  checkFields,
  duplicateFields,
  fieldWarnings,
  strictDecodingError,
} from "../../../core/api/field_validation.ts";

const deployment = (container: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "two" },
  spec: {
    selector: { matchLabels: { app: "two" } },
    template: { metadata: { labels: { app: "two" } }, spec: { containers: [container] } },
    ...extra,
  },
});

Deno.test("field validation: a YAML 1.1 boolean where a string belongs is Go's unmarshal error", () => {
  const body = deployment({ name: "a", image: "busybox", env: [{ name: "X", value: "1" }, { name: true }] });
  assert.equal(
    checkFields("apps", "v1", "Deployment", body).typeError,
    "json: cannot unmarshal bool into Go struct field EnvVar.spec.template.spec.containers.env.name of type string",
  );
});

Deno.test("field validation: integers are range- and fraction-checked; strings are not numbers", () => {
  assert.equal(
    checkFields("apps", "v1", "Deployment", deployment({ name: "a" }, { replicas: "3" })).typeError,
    "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32",
  );
  assert.equal(
    checkFields("apps", "v1", "Deployment", deployment({ name: "a" }, { replicas: 1.5 })).typeError,
    "json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32",
  );
  assert.equal(
    checkFields("apps", "v1", "Deployment", deployment({ name: "a" }, { replicas: 3 })).typeError,
    undefined,
  );
});

Deno.test("field validation: IntOrString and Quantity take strings and numbers; null decodes into anything", () => {
  const body = deployment({
    name: "a",
    ports: [{ containerPort: 80 }],
    resources: { limits: { cpu: 1, memory: "1Gi" } },
    readinessProbe: { httpGet: { port: "http" } },
    livenessProbe: { httpGet: { port: 8080 } },
    args: null,
  });
  assert.deepEqual(checkFields("apps", "v1", "Deployment", body), { unknown: [], duplicates: [] });
});

Deno.test("field validation: unknown fields are reported with list indexes and removed", () => {
  const body = deployment({ name: "a", imagePullPolicyy: "Always" }, { replicass: 2 });
  const found = checkFields("apps", "v1", "Deployment", body);
  assert.deepEqual(found.unknown, ["spec.template.spec.containers[0].imagePullPolicyy", "spec.replicass"]);
  assert.equal("replicass" in body.spec, false);
  assert.equal(
    strictDecodingError(found),
    'strict decoding error: unknown field "spec.template.spec.containers[0].imagePullPolicyy", unknown field "spec.replicass"',
  );
});

Deno.test("field validation: maps take any key; ConfigMap data values must be strings", () => {
  const ok = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", labels: { any: "x" } }, data: { k: "v" } };
  assert.deepEqual(checkFields("", "v1", "ConfigMap", ok), { unknown: [], duplicates: [] });
  const bad = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { on: true } };
  assert.equal(
    checkFields("", "v1", "ConfigMap", bad).typeError,
    "json: cannot unmarshal bool into Go struct field ConfigMap.data of type string",
  );
});

Deno.test("field validation: a strategic merge patch may carry directives and patch maps", () => {
  const patch = {
    spec: {
      template: {
        spec: { "$setElementOrder/containers": [{ name: "a" }], containers: [{ name: "b", $patch: "delete" }] },
      },
    },
  };
  assert.deepEqual(checkFields("apps", "v1", "Deployment", patch, undefined, true), { unknown: [], duplicates: [] });
});

Deno.test("field validation: duplicate keys are found in the JSON text by path", () => {
  assert.deepEqual(duplicateFields('{"metadata":{"name":"a","labels":{"x":"1"},"name":"b"},"items":[{"k":1,"k":2}]}'), [
    "metadata.name",
    "items[0].k",
  ]);
  assert.deepEqual(fieldWarnings({ unknown: ["spec.foo"], duplicates: ["metadata.name"] }), [
    'duplicate field "metadata.name"',
    'unknown field "spec.foo"',
  ]);
});

Deno.test("field validation: kinds without a built-in schema are left to their own validation", () => {
  const widget = { apiVersion: "example.com/v1", kind: "Widget", spec: { anything: true } };
  assert.deepEqual(checkFields("example.com", "v1", "Widget", widget), { unknown: [], duplicates: [] });
});
