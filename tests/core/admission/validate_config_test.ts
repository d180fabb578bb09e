import assert from "node:assert/strict";
import { type Any, create, lines, ns, stored, update } from "./support.ts";

function configMap(extra: Any): Any {
  return { metadata: { name: "conf", namespace: ns }, ...extra };
}

Deno.test("validate: ConfigMap keys must be valid config keys", () => {
  assert.deepEqual(lines(create("", "ConfigMap", configMap({ data: { "app.conf": "x", "a/b": "y", "..x": "z" } }))), [
    `data[a/b]: Invalid value: "a/b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
    `data[..x]: Invalid value: "..x": must not start with '..'`,
  ]);
});

Deno.test("validate: a key may not be in both data and binaryData", () => {
  assert.deepEqual(lines(create("", "ConfigMap", configMap({ data: { k: "x" }, binaryData: { k: "eA==" } }))), [
    'data[k]: Invalid value: "k": duplicate of key present in binaryData',
  ]);
});

Deno.test("validate: a ConfigMap over 1 MiB is Too long, reported on the whole object", () => {
  assert.deepEqual(create("", "ConfigMap", configMap({ data: { a: "x".repeat(1024 * 1024), b: "y" } })), [{
    type: "FieldValueTooLong",
    field: "",
    message: "Too long: may not be more than 1048576 bytes",
  }]);
  assert.deepEqual(create("", "ConfigMap", configMap({ data: { a: "x".repeat(1024 * 1024) } })), []);
});

Deno.test("validate: an immutable ConfigMap's data and flag cannot change", () => {
  const old = stored("", "ConfigMap", configMap({ data: { a: "1" }, immutable: true }));
  const next = structuredClone(old);
  next.data.a = "2";
  delete next.immutable;
  assert.deepEqual(lines(update("", "ConfigMap", next, old)), [
    "immutable: Forbidden: field is immutable when `immutable` is set",
    "data: Forbidden: field is immutable when `immutable` is set",
  ]);
  const relabeled = structuredClone(old);
  relabeled.metadata.labels = { x: "y" };
  assert.deepEqual(update("", "ConfigMap", relabeled, old), []);
});

function secret(extra: Any): Any {
  return { metadata: { name: "s", namespace: ns }, ...extra };
}

Deno.test("validate: a kubernetes.io/tls Secret needs tls.crt and tls.key", () => {
  assert.deepEqual(lines(create("", "Secret", secret({ type: "kubernetes.io/tls", data: {} }))), [
    "data[tls.crt]: Required value",
    "data[tls.key]: Required value",
  ]);
  assert.deepEqual(
    create("", "Secret", secret({ type: "kubernetes.io/tls", stringData: { "tls.crt": "c", "tls.key": "k" } })),
    [],
  );
});

Deno.test("validate: a dockerconfigjson Secret needs a JSON object under .dockerconfigjson", () => {
  assert.deepEqual(lines(create("", "Secret", secret({ type: "kubernetes.io/dockerconfigjson", data: {} }))), [
    "data[.dockerconfigjson]: Required value",
  ]);
  assert.deepEqual(
    lines(
      create(
        "",
        "Secret",
        secret({ type: "kubernetes.io/dockerconfigjson", stringData: { ".dockerconfigjson": "auths" } }),
      ),
    ),
    [
      `data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": invalid character 'a' looking for beginning of value`,
    ],
  );
  assert.deepEqual(
    lines(
      create(
        "",
        "Secret",
        secret({ type: "kubernetes.io/dockerconfigjson", stringData: { ".dockerconfigjson": "[]" } }),
      ),
    ),
    [
      'data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": json: cannot unmarshal array into Go value of type map[string]interface {}',
    ],
  );
  assert.deepEqual(
    create(
      "",
      "Secret",
      secret({ type: "kubernetes.io/dockerconfigjson", stringData: { ".dockerconfigjson": '{"auths":{}}' } }),
    ),
    [],
  );
});

Deno.test("validate: basic-auth, ssh-auth and service-account-token Secrets need their keys", () => {
  assert.deepEqual(lines(create("", "Secret", secret({ type: "kubernetes.io/basic-auth" }))), [
    "data[username]: Required value",
    "data[password]: Required value",
  ]);
  assert.deepEqual(lines(create("", "Secret", secret({ type: "kubernetes.io/ssh-auth" }))), [
    "data[ssh-privatekey]: Required value",
  ]);
  assert.deepEqual(lines(create("", "Secret", secret({ type: "kubernetes.io/service-account-token" }))), [
    "metadata.annotations[kubernetes.io/service-account.name]: Required value",
  ]);
});

Deno.test("validate: Secret data over 1 MiB (decoded) is Too long on data", () => {
  const big = btoa("x".repeat(1024 * 1024 + 1));
  assert.deepEqual(lines(create("", "Secret", secret({ data: { big } }))), [
    "data: Too long: may not be more than 1048576 bytes",
  ]);
});

Deno.test("validate: a Secret's type is immutable", () => {
  const old = stored("", "Secret", secret({ stringData: { a: "b" } }));
  const next = structuredClone(old);
  next.type = "kubernetes.io/basic-auth";
  next.data.username = "dQ==";
  assert.deepEqual(lines(update("", "Secret", next, old)), [
    'type: Invalid value: "kubernetes.io/basic-auth": field is immutable',
  ]);
});

Deno.test("validate: an immutable Secret's data cannot change", () => {
  const old = stored("", "Secret", secret({ stringData: { a: "b" }, immutable: true }));
  const next = structuredClone(old);
  next.stringData = { a: "c" };
  assert.deepEqual(lines(update("", "Secret", next, old)), [
    "data: Forbidden: field is immutable when `immutable` is set",
  ]);
});
