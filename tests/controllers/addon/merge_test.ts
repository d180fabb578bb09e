import assert from "node:assert/strict";
import { mergeApplied, mergeMetaFor, mergePatch } from "../../../controllers/addon/merge.ts";

const SERVICE = mergeMetaFor({ group: "", version: "v1", kind: "Service" });
const DEPLOYMENT = mergeMetaFor({ group: "apps", version: "v1", kind: "Deployment" });
const WIDGET = mergeMetaFor({ group: "example.com", version: "v1", kind: "Widget" });

const service = {
  metadata: { name: "web" },
  spec: { type: "NodePort", ports: [{ port: 80 }], selector: { app: "web" } },
};
const liveService = {
  metadata: { name: "web", uid: "u1", resourceVersion: "7" },
  spec: {
    type: "NodePort",
    clusterIP: "10.43.0.20",
    ports: [{ port: 80, protocol: "TCP", targetPort: 80, nodePort: 30080 }],
    selector: { app: "web" },
  },
  status: { loadBalancer: {} },
};

Deno.test("merge: an unchanged manifest against a defaulted live object needs no patch", () => {
  assert.equal(mergePatch(liveService, mergeApplied(service, service, liveService, SERVICE)), undefined);
});

Deno.test("merge: list elements merge by key, keeping allocated values such as a node port", () => {
  const changed = { ...service, spec: { ...service.spec, ports: [{ port: 80, name: "http" }, { port: 443 }] } };
  const patch = mergePatch(liveService, mergeApplied(service, changed, liveService, SERVICE));
  assert.deepEqual(patch, {
    spec: {
      ports: [
        { port: 80, name: "http", protocol: "TCP", targetPort: 80, nodePort: 30080 },
        { port: 443 },
      ],
    },
  });
});

Deno.test("merge: fields the last apply had and the manifest dropped are removed, others' fields stay", () => {
  const original = { data: { a: "1", b: "2" } };
  const live = { data: { a: "1", b: "2", c: "added by someone" } };
  assert.deepEqual(mergePatch(live, mergeApplied(original, { data: { a: "3" } }, live, WIDGET)), {
    data: { a: "3", b: null },
  });
});

Deno.test("merge: a container removed from the manifest goes, one added by another writer stays", () => {
  const original = {
    spec: { template: { spec: { containers: [{ name: "a", image: "x" }, { name: "b", image: "y" }] } } },
  };
  const live = {
    spec: {
      template: {
        spec: {
          containers: [
            { name: "a", image: "x", imagePullPolicy: "Always" },
            { name: "b", image: "y" },
            { name: "sidecar", image: "z" },
          ],
        },
      },
    },
  };
  const desired = { spec: { template: { spec: { containers: [{ name: "a", image: "x2" }] } } } };
  assert.deepEqual(mergePatch(live, mergeApplied(original, desired, live, DEPLOYMENT)), {
    spec: {
      template: {
        spec: { containers: [{ name: "a", image: "x2", imagePullPolicy: "Always" }, { name: "sidecar", image: "z" }] },
      },
    },
  });
});

Deno.test("merge: lists without merge keys are the manifest's once they differ", () => {
  const live = { spec: { args: ["a", "b"], tolerations: [{ key: "k", operator: "Exists", effect: "NoSchedule" }] } };
  const same = { spec: { args: ["a", "b"], tolerations: [{ key: "k", operator: "Exists" }] } };
  assert.equal(mergePatch(live, mergeApplied(same, same, live, WIDGET)), undefined);
  const changed = { spec: { args: ["a"], tolerations: [{ key: "k", operator: "Exists" }] } };
  assert.deepEqual(mergePatch(live, mergeApplied(same, changed, live, WIDGET)), { spec: { args: ["a"] } });
});

Deno.test("merge: a strategy with retainKeys keeps only the manifest's keys", () => {
  const live = { spec: { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%" } } } };
  const desired = { spec: { strategy: { type: "Recreate" } } };
  assert.deepEqual(mergePatch(live, mergeApplied(undefined, desired, live, DEPLOYMENT)), {
    spec: { strategy: { type: "Recreate", rollingUpdate: null } },
  });
});
