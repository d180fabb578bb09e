// A stateful pod's identity: names, ordinals, labels, hostname, and its claims.
import assert from "node:assert/strict";
import {
  claimsFor,
  identityMatches,
  newStatefulSetPod,
  parentAndOrdinal,
  storageMatches,
} from "../../../controllers/statefulset/identity.ts";
import type { StatefulSet } from "../../../controllers/statefulset/mod.ts";

const set: StatefulSet = {
  metadata: { name: "db", namespace: "prod", uid: "u1" },
  spec: {
    serviceName: "db-headless",
    selector: { matchLabels: { app: "db" } },
    volumeClaimTemplates: [{
      metadata: { name: "data", labels: { tier: "disk" } },
      spec: { accessModes: ["ReadWriteOnce"] },
    }],
  },
};
const template = {
  metadata: { labels: { app: "db" }, annotations: { note: "x" } },
  spec: {
    containers: [{ name: "db", image: "pg" }],
    volumes: [{ name: "data", emptyDir: {} }, { name: "tmp", emptyDir: {} }],
  },
};

Deno.test("statefulset identity: a pod name splits into its set and ordinal", () => {
  assert.deepEqual(parentAndOrdinal("my-db-12"), { parent: "my-db", ordinal: 12 });
  assert.deepEqual(parentAndOrdinal("db"), { parent: "", ordinal: -1 });
  assert.deepEqual(parentAndOrdinal("db-99999999999"), { parent: "db", ordinal: -1 });
});

Deno.test("statefulset identity: a new pod is named, labelled, addressed and mounts its claim in place of the template volume", () => {
  const pod = newStatefulSetPod(set, template, 2, "db-abc");
  assert.equal(pod.metadata.name, "db-2");
  assert.deepEqual(pod.metadata.labels, {
    app: "db",
    "statefulset.kubernetes.io/pod-name": "db-2",
    "apps.kubernetes.io/pod-index": "2",
    "controller-revision-hash": "db-abc",
  });
  assert.deepEqual(pod.metadata.annotations, { note: "x" });
  assert.equal(pod.spec?.hostname, "db-2");
  assert.equal(pod.spec?.subdomain, "db-headless");
  assert.deepEqual(pod.spec?.volumes, [
    { name: "data", persistentVolumeClaim: { claimName: "data-db-2" } },
    { name: "tmp", emptyDir: {} },
  ]);
  assert.ok(identityMatches(set, pod));
  assert.ok(storageMatches(set, pod));
  assert.ok(!identityMatches(set, { ...pod, metadata: { ...pod.metadata, labels: {} } }));
  assert.ok(!storageMatches(set, { ...pod, spec: { volumes: [] } }));
});

Deno.test("statefulset identity: claims are named <template>-<set>-<ordinal> and labelled with the set's matchLabels", () => {
  assert.deepEqual(claimsFor(set, 0), [{
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: "data-db-0", namespace: "prod", labels: { tier: "disk", app: "db" } },
    spec: { accessModes: ["ReadWriteOnce"] },
  }]);
});
