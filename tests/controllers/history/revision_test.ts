// ControllerRevision snapshots: the patch they store, how they compare, order and are named.
import assert from "node:assert/strict";
import {
  byRevision,
  type ControllerRevision,
  controllerRevisionHash,
  controllerRevisionName,
  equalRevision,
  newControllerRevision,
  nextRevision,
  templateOf,
  templatePatch,
} from "../../../controllers/history/mod.ts";

const template = { spec: { containers: [{ name: "web", image: "nginx" }] }, metadata: { labels: { app: "web" } } };

const revision = (name: string, n: number, data: unknown = {}, creationTimestamp?: string): ControllerRevision => ({
  metadata: { name, ...(creationTimestamp ? { creationTimestamp } : {}) },
  revision: n,
  data,
});

Deno.test("history: a revision stores the template as a replacing strategic merge patch, keys sorted as Go sorts them", () => {
  const patch = templatePatch(template);
  assert.equal(
    JSON.stringify(patch),
    '{"spec":{"template":{"$patch":"replace","metadata":{"creationTimestamp":null,"labels":{"app":"web"}},' +
      '"spec":{"containers":[{"image":"nginx","name":"web"}]}}}}',
  );
  assert.deepEqual(templateOf(revision("web-1", 1, patch)), template);
});

Deno.test("history: revisions with equal data are equal whatever their number and key order", () => {
  const a = revision("a", 1, templatePatch(template));
  const reordered = revision("b", 5, {
    spec: {
      template: {
        spec: template.spec,
        metadata: { labels: { app: "web" }, creationTimestamp: null },
        $patch: "replace",
      },
    },
  });
  assert.ok(equalRevision(a, reordered));
  assert.ok(!equalRevision(a, revision("c", 1, templatePatch({ ...template, spec: { containers: [] } }))));
});

Deno.test("history: revisions sort by number, then age, then name; the next number is one past the highest", () => {
  const sorted = [
    revision("b", 2, {}, "2024-01-01T00:00:02Z"),
    revision("z", 1),
    revision("a", 2, {}, "2024-01-01T00:00:02Z"),
    revision("c", 2, {}, "2024-01-01T00:00:01Z"),
  ].sort(byRevision);
  assert.deepEqual(sorted.map((r) => r.metadata.name), ["z", "c", "a", "b"]);
  assert.equal(nextRevision(sorted), 3);
  assert.equal(nextRevision([]), 1);
});

Deno.test("history: the name is the parent's and a hash of the data that a collision count changes", () => {
  const data = templatePatch(template);
  const hash = controllerRevisionHash(data, 0);
  assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  assert.equal(controllerRevisionHash(data, 0), hash, "stable");
  assert.notEqual(controllerRevisionHash(data, 1), hash);
  assert.equal(controllerRevisionName("web", hash), `web-${hash}`);
  assert.equal(controllerRevisionName("x".repeat(300), hash).length, 223 + 1 + hash.length);
});

Deno.test("history: a new revision is controlled by its parent and carries its template labels, hash and annotations", () => {
  const parent = {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "web", namespace: "ns", uid: "u1", annotations: { "kubernetes.io/change-cause": "v2" } },
    spec: { template },
  };
  const rev = newControllerRevision(parent, "controller.kubernetes.io/hash", 4, 0);
  const hash = controllerRevisionHash(templatePatch(template), 0);
  assert.equal(rev.metadata.name, `web-${hash}`);
  assert.equal(rev.metadata.namespace, "ns");
  assert.equal(rev.revision, 4);
  assert.deepEqual(rev.metadata.labels, { app: "web", "controller.kubernetes.io/hash": hash });
  assert.deepEqual(rev.metadata.annotations, { "kubernetes.io/change-cause": "v2" });
  assert.deepEqual(rev.metadata.ownerReferences, [
    { apiVersion: "apps/v1", kind: "StatefulSet", name: "web", uid: "u1", controller: true, blockOwnerDeletion: true },
  ]);
});
