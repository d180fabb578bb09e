import assert from "node:assert/strict";
import { type Any, create, lines, ns, stored, update } from "./support.ts";

function pvc(spec: Any): Any {
  return { metadata: { name: "data", namespace: ns }, spec };
}

const claimSpec = { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } };

Deno.test("validate: a PVC needs access modes and a storage request", () => {
  assert.deepEqual(create("", "PersistentVolumeClaim", pvc(claimSpec)), []);
  assert.deepEqual(lines(create("", "PersistentVolumeClaim", pvc({}))), [
    "spec.accessModes: Required value: at least 1 access mode is required",
    "spec.resources[storage]: Required value",
  ]);
  assert.deepEqual(
    lines(
      create(
        "",
        "PersistentVolumeClaim",
        pvc({ accessModes: ["ReadWriteAll"], resources: { requests: { storage: "0" } } }),
      ),
    ),
    [
      'spec.accessModes: Unsupported value: "ReadWriteAll": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
      'spec.resources[storage]: Invalid value: "0": must be greater than zero',
    ],
  );
});

Deno.test("validate: a PVC spec is immutable after creation except the storage request of a bound claim", () => {
  const old = stored("", "PersistentVolumeClaim", pvc(claimSpec));
  const next = structuredClone(old);
  next.spec.accessModes = ["ReadWriteMany"];
  const causes = update("", "PersistentVolumeClaim", next, old);
  assert.equal(causes.length, 1);
  assert.equal(causes[0].field, "spec");
  assert.match(
    causes[0].message,
    /^Forbidden: spec is immutable after creation except resources\.requests and volumeAttributesClassName for bound claims\n {2}core\.PersistentVolumeClaimSpec\{\n- \tAccessModes: \["ReadWriteOnce"\],\n\+ \tAccessModes: \["ReadWriteMany"\],/,
  );
  const bound = stored("", "PersistentVolumeClaim", {
    ...pvc(claimSpec),
    status: { phase: "Bound", capacity: { storage: "1Gi" } },
  });
  const grown = structuredClone(bound);
  grown.spec.resources.requests.storage = "2Gi";
  assert.deepEqual(update("", "PersistentVolumeClaim", grown, bound), []);
  const bindsVolume = structuredClone(old);
  bindsVolume.spec.volumeName = "pv-1";
  assert.deepEqual(update("", "PersistentVolumeClaim", bindsVolume, old), []);
});

Deno.test("validate: a bound PVC may not shrink below its capacity", () => {
  const bound = stored("", "PersistentVolumeClaim", {
    ...pvc(claimSpec),
    status: { phase: "Bound", capacity: { storage: "1Gi" } },
  });
  const shrunk = structuredClone(bound);
  shrunk.spec.resources.requests.storage = "512Mi";
  assert.deepEqual(lines(update("", "PersistentVolumeClaim", shrunk, bound)), [
    "spec.resources.requests.storage: Forbidden: field can not be less than status.capacity",
  ]);
});

Deno.test("validate: a PersistentVolume needs a capacity and a volume source", () => {
  assert.deepEqual(
    lines(create("", "PersistentVolume", { metadata: { name: "pv" }, spec: { accessModes: ["ReadWriteOnce"] } })),
    [
      "spec.capacity: Required value",
      'spec.capacity: Unsupported value: {}: supported values: "storage"',
      "spec: Required value: must specify a volume type",
    ],
  );
});

Deno.test("validate: Namespace finalizers must be qualified names", () => {
  assert.deepEqual(create("", "Namespace", { metadata: { name: "team-a" } }), []);
  assert.deepEqual(lines(create("", "Namespace", { metadata: { name: "team-a" }, spec: { finalizers: ["custom"] } })), [
    'spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
  ]);
});

Deno.test("validate: Node taints need a key and a known effect, unique per key and effect", () => {
  const causes = create("", "Node", {
    metadata: { name: "n1" },
    spec: {
      taints: [{ key: "a", effect: "NoSchedule" }, { key: "a", value: "x", effect: "NoSchedule" }, {
        key: "b",
        effect: "Never",
      }],
    },
  });
  assert.deepEqual(lines(causes), [
    'metadata.taints[1]: Duplicate value: core.Taint{Key:"a", Value:"x", Effect:"NoSchedule", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair',
    'metadata.taints[2].effect: Unsupported value: "Never": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
  ]);
});

Deno.test("validate: a Node's podCIDRs may only be set once", () => {
  const old = stored("", "Node", { metadata: { name: "n1" }, spec: { podCIDRs: ["10.42.0.0/24"] } });
  const next = structuredClone(old);
  next.spec.podCIDRs = ["10.42.1.0/24"];
  assert.deepEqual(lines(update("", "Node", next, old)), [
    'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
  ]);
});

Deno.test("validate: ServiceAccount names are DNS subdomains; PriorityClass system- names are reserved", () => {
  assert.deepEqual(create("", "ServiceAccount", { metadata: { name: "builder", namespace: ns } }), []);
  assert.equal(
    create("", "ServiceAccount", { metadata: { name: "Builder", namespace: ns } })[0].field,
    "metadata.name",
  );
  assert.deepEqual(
    lines(create("scheduling.k8s.io", "PriorityClass", { metadata: { name: "system-mine" }, value: 5 })),
    [
      "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class",
    ],
  );
});
