import assert from "node:assert/strict";
import { type Any, container, create, labelMessage, lines, ns, stored, update } from "./support.ts";

function pod(spec: Any, meta: Any = {}): Any {
  return { metadata: { name: "p", namespace: ns, ...meta }, spec };
}

Deno.test("validate: a valid Pod has no causes", () => {
  assert.deepEqual(create("", "Pod", pod({ containers: [container()] })), []);
});

Deno.test("validate: a Pod without containers says spec.containers: Required value", () => {
  assert.deepEqual(lines(create("", "Pod", pod({}))), ["spec.containers: Required value"]);
});

Deno.test("validate: a container needs a DNS-1123 label name and an image", () => {
  assert.deepEqual(lines(create("", "Pod", pod({ containers: [{ name: "Web" }, { image: "nginx" }] }))), [
    `spec.containers[0].name: Invalid value: "Web": ${labelMessage}`,
    "spec.containers[0].image: Required value",
    "spec.containers[1].name: Required value",
  ]);
});

Deno.test("validate: duplicate container names are Duplicate value", () => {
  assert.deepEqual(lines(create("", "Pod", pod({ containers: [container("a"), container("a")] }))), [
    'spec.containers[1].name: Duplicate value: "a"',
  ]);
});

Deno.test("validate: restartPolicy and dnsPolicy outside kube's values are Unsupported", () => {
  assert.deepEqual(
    lines(create("", "Pod", pod({ containers: [container()], restartPolicy: "Sometimes", dnsPolicy: "Google" }))),
    [
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
      'spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
    ],
  );
});

Deno.test("validate: container ports need a valid number and protocol", () => {
  const c = {
    ...container(),
    ports: [{ containerPort: 70000 }, { containerPort: 80, protocol: "HTTP" }, { name: "http", containerPort: 81 }, {
      name: "http",
      containerPort: 82,
    }],
  };
  assert.deepEqual(lines(create("", "Pod", pod({ containers: [c] }))), [
    "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
    'spec.containers[0].ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
    'spec.containers[0].ports[3].name: Duplicate value: "http"',
  ]);
});

Deno.test("validate: imagePullPolicy and terminationMessagePolicy values", () => {
  const c = { ...container(), imagePullPolicy: "Sometimes", terminationMessagePolicy: "Logs" };
  assert.deepEqual(lines(create("", "Pod", pod({ containers: [c] }))), [
    'spec.containers[0].terminationMessagePolicy: Unsupported value: "Logs": supported values: "File", "FallbackToLogsOnError"',
    'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
  ]);
});

Deno.test("validate: requests above limits say 'must be less than or equal to cpu limit of …'", () => {
  const c = { ...container(), resources: { requests: { cpu: "1500m" }, limits: { cpu: "1" } } };
  assert.deepEqual(lines(create("", "Pod", pod({ containers: [c] }))), [
    'spec.containers[0].resources.requests: Invalid value: "1500m": must be less than or equal to cpu limit of 1',
  ]);
});

Deno.test("validate: unknown resource names and negative quantities", () => {
  const c = { ...container(), resources: { limits: { gpu: "1", memory: "-1Gi" } } };
  assert.deepEqual(lines(create("", "Pod", pod({ containers: [c] }))), [
    'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
    'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers',
    'spec.containers[0].resources.limits[memory]: Invalid value: "-1Gi": must be greater than or equal to 0',
    'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
    'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers',
    'spec.containers[0].resources.requests[memory]: Invalid value: "-1Gi": must be greater than or equal to 0',
  ]);
});

Deno.test("validate: a volume mount must name a declared volume", () => {
  const c = {
    ...container(),
    volumeMounts: [{ name: "data", mountPath: "/data" }, { name: "cache", mountPath: "/data" }],
  };
  assert.deepEqual(lines(create("", "Pod", pod({ containers: [c], volumes: [{ name: "cache", emptyDir: {} }] }))), [
    'spec.containers[0].volumeMounts[0].name: Not found: "data"',
    'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/data": must be unique',
  ]);
});

Deno.test("validate: volumes need valid unique names, one source, and their source's required fields", () => {
  const causes = create(
    "",
    "Pod",
    pod({
      containers: [container()],
      volumes: [
        { name: "a", emptyDir: {} },
        { name: "b", secret: {} },
        { name: "c", emptyDir: {}, configMap: { name: "c" } },
        { name: "a", emptyDir: {} },
      ],
    }),
  );
  assert.deepEqual(lines(causes), [
    "spec.volumes[1].secret.secretName: Required value",
    "spec.volumes[2].configMap: Forbidden: may not specify more than 1 volume type",
    'spec.volumes[3].name: Duplicate value: "a"',
  ]);
});

Deno.test("validate: probes need exactly one handler and liveness successThreshold 1", () => {
  const c = {
    ...container(),
    livenessProbe: { successThreshold: 2 },
    readinessProbe: { exec: { command: ["true"] }, tcpSocket: { port: 80 } },
  };
  assert.deepEqual(lines(create("", "Pod", pod({ containers: [c] }))), [
    "spec.containers[0].livenessProbe: Required value: must specify a handler type",
    "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
    "spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type",
  ]);
});

Deno.test("validate: env names, and valueFrom needing exactly one source", () => {
  const c = {
    ...container(),
    env: [
      { name: "A=B", value: "x" },
      { name: "C", valueFrom: {} },
      { name: "D", valueFrom: { fieldRef: { fieldPath: "status.phase" } } },
      { name: "E", valueFrom: { secretKeyRef: { name: "s" } } },
    ],
  };
  assert.deepEqual(lines(create("", "Pod", pod({ containers: [c] }))), [
    `spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`,
    'spec.containers[0].env[1].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
    'spec.containers[0].env[2].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
    "spec.containers[0].env[3].valueFrom.secretKeyRef.key: Required value",
  ]);
});

Deno.test("validate: tolerations follow kube's operator rules", () => {
  const causes = create(
    "",
    "Pod",
    pod({
      containers: [container()],
      tolerations: [{ operator: "Equal", value: "x" }, { key: "k", operator: "Exists", value: "v" }, {
        key: "k",
        effect: "Never",
      }],
    }),
  );
  assert.deepEqual(causes.map((c) => c.field), [
    "spec.tolerations[0].operator",
    "spec.tolerations[1].operator",
    "spec.tolerations[2].effect",
  ]);
  assert.equal(
    causes[0].message,
    'Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
  );
  assert.equal(
    causes[2].message,
    'Unsupported value: "Never": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
  );
});

Deno.test("validate: Pod-only checks: image whitespace and hostNetwork ports", () => {
  const causes = create(
    "",
    "Pod",
    pod({
      hostNetwork: true,
      containers: [{ ...container("a", " nginx"), ports: [{ containerPort: 80, hostPort: 81 }] }],
    }),
  );
  assert.deepEqual(lines(causes), [
    "spec.containers[0].ports[0].hostPort: Invalid value: 81: must match `containerPort` when `hostNetwork` is true",
    'spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace',
  ]);
});

Deno.test("validate: a Pod update may change images but not other spec fields", () => {
  const old = stored("", "Pod", pod({ containers: [container()] }));
  const next = structuredClone(old);
  next.spec.containers[0].image = "nginx:1.28";
  assert.deepEqual(update("", "Pod", next, old), []);
  next.spec.restartPolicy = "Never";
  const causes = update("", "Pod", next, old);
  assert.equal(causes.length, 1);
  assert.equal(causes[0].field, "spec");
  assert.equal(causes[0].type, "FieldValueForbidden");
  assert.match(
    causes[0].message,
    /^Forbidden: pod updates may not change fields other than `spec\.containers\[\*\]\.image`,`spec\.initContainers\[\*\]\.image`,`spec\.activeDeadlineSeconds`,`spec\.tolerations` \(only additions to existing tolerations\),`spec\.terminationGracePeriodSeconds` \(allow it to be set to 1 if it was previously negative\)\n/,
  );
  assert.match(causes[0].message, /- \tRestartPolicy: "Always",\n\+ \tRestartPolicy: "Never",/);
});

Deno.test("validate: a Pod update may not add containers, and may only add tolerations", () => {
  const old = stored("", "Pod", pod({ containers: [container()], tolerations: [{ key: "a", operator: "Exists" }] }));
  const more = structuredClone(old);
  more.spec.containers.push(container("b"));
  assert.deepEqual(lines(update("", "Pod", more, old)), [
    "spec.containers: Forbidden: pod updates may not add or remove containers",
  ]);
  const added = structuredClone(old);
  added.spec.tolerations.push({ key: "b", operator: "Exists" });
  assert.deepEqual(update("", "Pod", added, old), []);
  const removed = structuredClone(old);
  removed.spec.tolerations = [];
  assert.deepEqual(lines(update("", "Pod", removed, old)), [
    "spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds",
  ]);
});

Deno.test("validate: activeDeadlineSeconds may only shrink on update", () => {
  const old = stored("", "Pod", pod({ containers: [container()], activeDeadlineSeconds: 60 }));
  const next = structuredClone(old);
  next.spec.activeDeadlineSeconds = 120;
  assert.deepEqual(lines(update("", "Pod", next, old)), [
    "spec.activeDeadlineSeconds: Invalid value: 120: must be less than or equal to previous value",
  ]);
});
