import assert from "node:assert/strict";
import { validateCreate, validateUpdate } from "../../../core/admission/validate.ts";
import { create, labelMessage, lines, message, ns, stored, subdomainMessage, update } from "./support.ts";

Deno.test("validate: an invalid ConfigMap name gives kube's RFC 1123 message", () => {
  const causes = create("", "ConfigMap", { metadata: { name: "Bad_Name", namespace: ns } });
  assert.deepEqual(causes, [{
    type: "FieldValueInvalid",
    field: "metadata.name",
    message: `Invalid value: "Bad_Name": ${subdomainMessage}`,
  }]);
  assert.equal(
    message("", "ConfigMap", "Bad_Name", causes),
    `ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ${subdomainMessage}`,
  );
});

Deno.test("validate: a missing name says name or generateName is required", () => {
  assert.deepEqual(lines(create("", "ConfigMap", { metadata: { namespace: ns } })), [
    "metadata.name: Required value: name or generateName is required",
  ]);
});

Deno.test("validate: a bad generateName prefix is reported on metadata.generateName", () => {
  const causes = create("", "ConfigMap", { metadata: { generateName: "Web-", name: "web-abcde", namespace: ns } });
  assert.equal(causes[0].field, "metadata.generateName");
  assert.equal(causes[0].message, `Invalid value: "Web-": ${subdomainMessage}`);
});

Deno.test("validate: namespaces must be DNS-1123 labels; cluster-scoped objects may not have one", () => {
  assert.deepEqual(lines(create("", "Namespace", { metadata: { name: "kube.system" } })), [
    'metadata.name: Invalid value: "kube.system": must not contain dots',
  ]);
  assert.deepEqual(lines(create("", "ConfigMap", { metadata: { name: "a", namespace: "Team_A" } })), [
    `metadata.namespace: Invalid value: "Team_A": ${labelMessage}`,
  ]);
  assert.deepEqual(lines(create("", "Node", { metadata: { name: "n1", namespace: "default" } })), [
    "metadata.namespace: Forbidden: not allowed on this type",
  ]);
});

Deno.test("validate: label keys and values are checked on metadata.labels", () => {
  const causes = create("", "ConfigMap", {
    metadata: { name: "a", namespace: ns, labels: { "app/x/y": "ok", tier: "-bad" } },
  });
  assert.deepEqual(causes.map((c) => c.field), ["metadata.labels", "metadata.labels"]);
  assert.match(causes[0].message, /^Invalid value: "app\/x\/y": a qualified name must consist of/);
  assert.match(causes[1].message, /^Invalid value: "-bad": a valid label must be an empty string or consist of/);
  const long = create("", "ConfigMap", { metadata: { name: "a", namespace: ns, labels: { app: "x".repeat(64) } } });
  assert.equal(long[0].message, `Invalid value: "${"x".repeat(64)}": must be no more than 63 characters`);
});

Deno.test("validate: annotations over 256 KiB are Too long", () => {
  const causes = create("", "ConfigMap", {
    metadata: { name: "a", namespace: ns, annotations: { big: "x".repeat(262144) } },
  });
  assert.deepEqual(causes, [{
    type: "FieldValueTooLong",
    field: "metadata.annotations",
    message: "Too long: may not be more than 262144 bytes",
  }]);
});

Deno.test("validate: unqualified finalizers other than kube's are rejected", () => {
  assert.deepEqual(
    lines(create("", "ConfigMap", { metadata: { name: "a", namespace: ns, finalizers: ["example.com/x", "mine"] } })),
    [
      'metadata.finalizers[1]: Invalid value: "mine": name is neither a standard finalizer name nor is it fully qualified',
    ],
  );
});

Deno.test("validate: owner references need apiVersion, kind, name and uid", () => {
  const causes = create("", "ConfigMap", {
    metadata: { name: "a", namespace: ns, ownerReferences: [{ kind: "Deployment", name: "web" }] },
  });
  assert.deepEqual(lines(causes), [
    'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
    'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
  ]);
});

Deno.test("validate: an update may not change name, namespace or uid, and needs a resourceVersion", () => {
  const old = stored("", "ConfigMap", { metadata: { name: "a", namespace: ns } });
  const next = { ...structuredClone(old), metadata: { ...old.metadata, uid: "other", resourceVersion: "" } };
  assert.deepEqual(lines(update("", "ConfigMap", next, old)), [
    'metadata.resourceVersion: Invalid value: "": must be specified for an update',
    'metadata.uid: Invalid value: "other": field is immutable',
  ]);
});

Deno.test("validate: kinds without specific rules get path-segment names (RBAC allows colons)", () => {
  assert.deepEqual(
    validateCreate("rbac.authorization.k8s.io", "ClusterRole", { metadata: { name: "system:aggregate-to-view" } }),
    [],
  );
  assert.deepEqual(lines(validateCreate("example.com", "Widget", { metadata: { name: "a/b" } })), [
    `metadata.name: Invalid value: "a/b": may not contain '/'`,
  ]);
  const old = { metadata: { name: "w", resourceVersion: "1" } };
  assert.deepEqual(validateUpdate("example.com", "Widget", { metadata: { name: "w", resourceVersion: "1" } }, old), []);
});
