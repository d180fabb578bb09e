import assert from "node:assert/strict";
import {
  decodeKubernetesProtobuf,
  KubernetesProtobufError,
  protobufTypeFor,
  readKubernetesEnvelope,
} from "../../../core/protobuf/decode.ts";
import { decodeMicroTime, decodeTime, goDuration } from "../../../core/protobuf/well_known.ts";
import { bytes, entry, envelope, num, str } from "./encode.ts";

const rejects = (body: Uint8Array, message: RegExp) =>
  assert.throws(
    () => decodeKubernetesProtobuf(body),
    (e) => e instanceof KubernetesProtobufError && message.test(e.message),
  );

const configMap = envelope("v1", "ConfigMap", [
  ...bytes(1, str(1, "c"), str(3, "default")),
  ...entry(2, "a", "1"),
  ...entry(2, "b", ""),
  ...bytes(3, str(1, "bin"), bytes(2, [0, 255])),
]);

Deno.test("protobuf: decodes a ConfigMap with maps, bytes and typeMeta from the envelope", () => {
  assert.deepEqual(decodeKubernetesProtobuf(configMap), {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "c", namespace: "default" },
    data: { a: "1", b: "" },
    binaryData: { bin: "AP8=" },
  });
});

Deno.test("protobuf: readKubernetesEnvelope exposes typeMeta, raw and the content fields", () => {
  const env = readKubernetesEnvelope(envelope("apps/v1", "Deployment", [1, 2, 3], { contentType: "x" }));
  assert.equal(env.apiVersion, "apps/v1");
  assert.equal(env.kind, "Deployment");
  assert.deepEqual([...env.raw], [1, 2, 3]);
  assert.equal(env.contentEncoding, "");
  assert.equal(env.contentType, "x");
});

Deno.test("protobuf: a body without the k8s\\0 magic is refused", () => {
  rejects(new Uint8Array(), /k8s\\x00/);
  rejects(new TextEncoder().encode('{"kind":"ConfigMap"}'), /not a Kubernetes protobuf body/);
  rejects(new Uint8Array([0x6b, 0x38, 0x73, 0x01, 0x0a, 0x00]), /not a Kubernetes protobuf body/);
});

Deno.test("protobuf: an unknown kind or apiVersion is refused by name", () => {
  rejects(envelope("v1", "Frobnicator", []), /no protobuf type is known for apiVersion "v1", kind "Frobnicator"/);
  rejects(envelope("example.com/v1", "Widget", []), /"example.com\/v1", kind "Widget"/);
  // CRDs are not in kubectl's descriptors, and kubectl sends them as JSON anyway.
  rejects(envelope("apiextensions.k8s.io/v1", "CustomResourceDefinition", []), /no protobuf type/);
  rejects(envelope("", "", []), /no protobuf type/);
});

Deno.test("protobuf: truncated data is refused at every cut point inside a field", () => {
  // Protobuf has no end marker: a cut right after the envelope's typeMeta is a valid, empty object.
  const rawStart = 4 + 2 + configMap[5];
  assert.deepEqual(decodeKubernetesProtobuf(configMap.subarray(0, rawStart)), { apiVersion: "v1", kind: "ConfigMap" });
  for (let cut = 5; cut < configMap.length; cut++) {
    if (cut === rawStart) continue;
    assert.throws(
      () => decodeKubernetesProtobuf(configMap.subarray(0, cut)),
      (e) => e instanceof KubernetesProtobufError && /truncated/.test(e.message),
      `cut at ${cut}`,
    );
  }
  rejects(
    envelope("v1", "ConfigMap", bytes(1, str(1, "c")).slice(0, -1)),
    /invalid protobuf in v1 ConfigMap: .*truncated/,
  );
  rejects(envelope("v1", "ConfigMap", [0x0a, 0xff]), /truncated/);
});

Deno.test("protobuf: a field with the wrong wire type is refused", () => {
  rejects(envelope("v1", "ConfigMap", num(1, 5)), /ConfigMap.metadata has unexpected wire type 0/);
  rejects(envelope("v1", "ConfigMap", bytes(4, [1])), /ConfigMap.immutable has unexpected wire type 2/);
});

Deno.test("protobuf: content encodings and foreign content types are refused; embedded JSON is accepted", () => {
  rejects(envelope("v1", "ConfigMap", [], { contentEncoding: "gzip" }), /unsupported contentEncoding "gzip"/);
  rejects(envelope("v1", "ConfigMap", [], { contentType: "application/yaml" }), /unsupported contentType/);
  const json = [...new TextEncoder().encode('{"metadata":{"name":"j"}}')];
  assert.deepEqual(decodeKubernetesProtobuf(envelope("v1", "ConfigMap", json, { contentType: "application/json" })), {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "j" },
  });
  rejects(envelope("v1", "ConfigMap", [1, 2], { contentType: "application/json" }), /does not parse/);
});

Deno.test("protobuf: unknown fields are skipped, as Go's decoder does", () => {
  const body = envelope("v1", "ConfigMap", [...num(99, 7), ...bytes(98, [1, 2]), ...bytes(1, str(1, "c"))]);
  assert.deepEqual(decodeKubernetesProtobuf(body), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } });
});

Deno.test("protobuf: type lookup maps API groups to proto packages", () => {
  const name = (v: string, k: string) => protobufTypeFor(v, k)?.fullName;
  assert.equal(name("v1", "Pod"), "k8s.io.api.core.v1.Pod");
  assert.equal(name("apps/v1", "Deployment"), "k8s.io.api.apps.v1.Deployment");
  assert.equal(name("rbac.authorization.k8s.io/v1", "Role"), "k8s.io.api.rbac.v1.Role");
  assert.equal(name("flowcontrol.apiserver.k8s.io/v1", "FlowSchema"), "k8s.io.api.flowcontrol.v1.FlowSchema");
  assert.equal(
    name("internal.apiserver.k8s.io/v1alpha1", "StorageVersion"),
    "k8s.io.api.apiserverinternal.v1alpha1.StorageVersion",
  );
  assert.equal(name("metrics.k8s.io/v1beta1", "PodMetrics"), "k8s.io.metrics.pkg.apis.metrics.v1beta1.PodMetrics");
  assert.equal(name("policy/v1", "Eviction"), "k8s.io.api.policy.v1.Eviction");
  // meta/v1 option kinds are registered in every group version; drain sends "v1 DeleteOptions".
  for (const v of ["v1", "meta.k8s.io/v1", "apps/v1"]) {
    assert.equal(name(v, "DeleteOptions"), "k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions");
  }
  assert.equal(name("v1", "ObjectMeta"), undefined);
  assert.equal(name("apps/v1", "configmap"), undefined);
  assert.equal(name("apps", "Deployment"), undefined);
});

Deno.test("protobuf: zero scalars are dropped unless the Go field is a pointer or lacks omitempty", () => {
  const meta = bytes(1, str(1, "d"), str(2, ""), str(3, ""), num(7, 0), bytes(8));
  const deployment = envelope("apps/v1", "Deployment", [
    ...meta,
    ...bytes(2, num(1, 0), num(5, 0), num(7, 0)), // replicas *int32 = 0, minReadySeconds 0, paused false
  ]);
  assert.deepEqual(decodeKubernetesProtobuf(deployment), {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "d" }, // generateName "", namespace "", generation 0 and a zero creationTimestamp are gone
    spec: { replicas: 0 },
  });
  const port = bytes(1, str(1, ""), num(3, 0), bytes(4, num(1, 0), num(2, 0), str(3, "")), num(5, 0));
  assert.deepEqual(decodeKubernetesProtobuf(envelope("v1", "Service", bytes(2, port))), {
    apiVersion: "v1",
    kind: "Service",
    spec: { ports: [{ port: 0, targetPort: 0 }] }, // port has no omitempty; IntOrString is a struct
  });
  const drain = envelope("v1", "DeleteOptions", num(1, 0));
  assert.deepEqual(decodeKubernetesProtobuf(drain), { apiVersion: "v1", kind: "DeleteOptions", gracePeriodSeconds: 0 });
  assert.deepEqual(decodeKubernetesProtobuf(envelope("v1", "DeleteOptions", [])), {
    apiVersion: "v1",
    kind: "DeleteOptions",
  });
});

Deno.test("protobuf: negative and large integers survive", () => {
  const body = envelope("v1", "Pod", bytes(2, num(4, -1), num(5, 2 ** 40)));
  assert.deepEqual(decodeKubernetesProtobuf(body).spec, {
    terminationGracePeriodSeconds: -1,
    activeDeadlineSeconds: 2 ** 40,
  });
  const port = bytes(1, num(3, -5));
  assert.deepEqual(decodeKubernetesProtobuf(envelope("v1", "Service", bytes(2, port))).spec, {
    ports: [{ port: -5 }],
  });
});

Deno.test("protobuf: inline Go fields merge into the parent object", () => {
  const volume = bytes(1, str(1, "cfg"), bytes(2, bytes(19, bytes(1, str(1, "my-config")), num(3, 0o644))));
  assert.deepEqual(decodeKubernetesProtobuf(envelope("v1", "Pod", bytes(2, volume))).spec, {
    volumes: [{ name: "cfg", configMap: { name: "my-config", defaultMode: 0o644 } }],
  });
});

Deno.test("protobuf: IntOrString, Quantity and []string aliases take their JSON shapes", () => {
  const pdb = bytes(2, bytes(1, num(1, 1), num(2, 0), str(3, "50%")), bytes(3, num(1, 0), num(2, 2), str(3, "")));
  assert.deepEqual(decodeKubernetesProtobuf(envelope("policy/v1", "PodDisruptionBudget", pdb)).spec, {
    minAvailable: "50%",
    maxUnavailable: 2,
  });
  const quota = bytes(2, entry(1, "cpu", bytes(2, str(1, "500m"))), entry(1, "pods", []));
  assert.deepEqual(decodeKubernetesProtobuf(envelope("v1", "ResourceQuota", quota)).spec, {
    hard: { cpu: "500m", pods: "0" },
  });
  const sar = bytes(2, str(3, "alice"), entry(5, "scopes", bytes(2, str(1, "a"), str(1, "b"))), entry(5, "none", []));
  assert.deepEqual(decodeKubernetesProtobuf(envelope("authorization.k8s.io/v1", "SubjectAccessReview", sar)).spec, {
    user: "alice",
    extra: { scopes: ["a", "b"], none: [] },
  });
  const list = bytes(2, str(1, "pods"), bytes(4, str(1, "get"), str(1, "list")));
  assert.deepEqual(decodeKubernetesProtobuf(envelope("meta.k8s.io/v1", "APIResourceList", list)).resources, [
    { name: "pods", verbs: ["get", "list"] },
  ]);
});

Deno.test("protobuf: times, durations, RawExtension and FieldsV1", () => {
  const time = (s: number, n = 0) => [...num(1, s), ...num(2, n)];
  const metrics = [
    ...bytes(
      1,
      str(1, "node1"),
      bytes(8, time(1704067200)),
      bytes(17, str(1, "kubelet"), bytes(7, bytes(1, [0x7b, 0x7d]))),
    ),
    ...bytes(2, time(1704067200, 999_999_999)),
    ...bytes(3, num(1, 90e9)),
    ...entry(4, "cpu", bytes(2, str(1, "100m"))),
  ];
  assert.deepEqual(decodeKubernetesProtobuf(envelope("metrics.k8s.io/v1beta1", "NodeMetrics", metrics)), {
    apiVersion: "metrics.k8s.io/v1beta1",
    kind: "NodeMetrics",
    metadata: {
      name: "node1",
      creationTimestamp: "2024-01-01T00:00:00Z",
      managedFields: [{ manager: "kubelet", fieldsV1: {} }],
    },
    timestamp: "2024-01-01T00:00:00Z",
    window: "1m30s",
    usage: { cpu: "100m" },
  });
  const lease = bytes(2, bytes(3, time(1, 1_500_999)));
  assert.deepEqual(decodeKubernetesProtobuf(envelope("coordination.k8s.io/v1", "Lease", lease)).spec, {
    acquireTime: "1970-01-01T00:00:01.001500Z",
  });
  const json = [...new TextEncoder().encode('{"spec":{"replicas":3}}')];
  const revision = [...bytes(2, bytes(1, json)), ...num(3, 2)];
  assert.deepEqual(decodeKubernetesProtobuf(envelope("apps/v1", "ControllerRevision", revision)), {
    apiVersion: "apps/v1",
    kind: "ControllerRevision",
    data: { spec: { replicas: 3 } },
    revision: 2,
  });
  const nested = [...envelope("v1", "ConfigMap", bytes(1, str(1, "inner")))];
  assert.deepEqual(
    decodeKubernetesProtobuf(envelope("apps/v1", "ControllerRevision", bytes(2, bytes(1, nested)))).data,
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "inner" },
    },
  );
  rejects(
    envelope("apps/v1", "ControllerRevision", bytes(2, bytes(1, [1, 2]))),
    /neither JSON nor Kubernetes protobuf/,
  );
});

Deno.test("protobuf: well-known helpers format like Go", () => {
  assert.equal(decodeTime(new Uint8Array()), undefined);
  assert.equal(decodeTime(new Uint8Array([0x08, 0x80, 0x81, 0xc8, 0xac, 0x06])), "2024-01-01T00:00:00Z");
  assert.equal(decodeMicroTime(new Uint8Array([0x08, 0x01, 0x10, 0xe8, 0x07])), "1970-01-01T00:00:01.000001Z");
  assert.equal(decodeTime(new Uint8Array(num(1, -1))), "1969-12-31T23:59:59Z");
  const cases: [number, string][] = [
    [0, "0s"],
    [1, "1ns"],
    [1500, "1.5µs"],
    [2e6, "2ms"],
    [1.5e9, "1.5s"],
    [60e9, "1m0s"],
    [90e9, "1m30s"],
    [3600e9, "1h0m0s"],
    [3723.5e9, "1h2m3.5s"],
    [-5e9, "-5s"],
  ];
  for (const [ns, text] of cases) assert.equal(goDuration(ns), text, `${ns}ns`);
});
