// The field manager on its own: managedFields bookkeeping of writes, and apply's merge, pruning and conflicts.
import assert from "node:assert/strict";
import { StatusError } from "../../../core/api/status.ts";
import type { KubeObject } from "../../../core/api/storage.ts";
import { FieldManager } from "../../../core/fieldmanager/field_manager.ts";
import { Registry } from "../../../core/registry/registry.ts";

const registry = new Registry();
const configmaps = registry.resolve("", "v1", "configmaps")!;
const deployments = registry.resolve("apps", "v1", "deployments")!;

type Entry = { manager: string; operation: string; subresource?: string; fieldsV1: Record<string, unknown> };

function entries(object: KubeObject): Entry[] {
  return (object.metadata?.managedFields ?? []) as Entry[];
}

function owners(object: KubeObject): Record<string, unknown> {
  return Object.fromEntries(entries(object).map((e) => [`${e.manager}/${e.operation}`, e.fieldsV1]));
}

const cm = (data: Record<string, string>, extra: KubeObject = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "c", namespace: "default" },
  data,
  ...extra,
});

/** A stored object as a create by `manager` leaves it. */
function created(fields: FieldManager, object: KubeObject, manager: string): KubeObject {
  const stored = structuredClone(object);
  stored.metadata = { ...stored.metadata, uid: "u1", resourceVersion: "1" };
  fields.update(configmaps, undefined, stored, manager);
  return stored;
}

function conflictOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (error) {
    if (error instanceof StatusError) return error;
    throw error;
  }
  assert.fail("expected a conflict");
}

Deno.test("field manager: applying another value over an updater's field is a 409 worded as kube words it", () => {
  const fields = new FieldManager();
  const live = created(fields, cm({ owner: "csa" }), "kubectl-client-side-apply");
  const error = conflictOf(() => fields.apply(configmaps, live, cm({ owner: "ssa" }), "other"));
  assert.equal(error.code, 409);
  assert.equal(error.status.reason, "Conflict");
  assert.equal(
    error.status.message,
    'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.owner',
  );
  assert.deepEqual(error.status.details?.causes, [
    {
      type: "FieldManagerConflict",
      message: 'conflict with "kubectl-client-side-apply" using v1',
      field: ".data.owner",
    },
  ]);
});

Deno.test("field manager: several conflicts are grouped by manager", () => {
  const fields = new FieldManager();
  let live = fields.apply(configmaps, undefined, cm({ a: "1", b: "1" }), "first");
  live = fields.apply(configmaps, live, cm({ c: "1" }), "second");
  const error = conflictOf(() => fields.apply(configmaps, live, cm({ a: "2", b: "2", c: "2" }), "third"));
  assert.equal(
    error.status.message,
    'Apply failed with 3 conflicts: conflicts with "first":\n- .data.a\n- .data.b\nconflicts with "second":\n- .data.c',
  );
});

Deno.test("field manager: applying the value a field already has shares its ownership", () => {
  const fields = new FieldManager();
  const live = fields.apply(configmaps, undefined, cm({ owner: "same" }), "kubectl");
  const shared = fields.apply(configmaps, live, cm({ owner: "same" }), "other");
  assert.deepEqual(owners(shared), {
    "kubectl/Apply": { "f:data": { "f:owner": {} } },
    "other/Apply": { "f:data": { "f:owner": {} } },
  });
});

Deno.test("field manager: a forced apply takes the field, and an owner left with nothing is dropped", () => {
  const fields = new FieldManager();
  const live = fields.apply(configmaps, undefined, cm({ owner: "kubectl" }), "kubectl");
  const forced = fields.apply(configmaps, live, cm({ owner: "other" }), "other", { force: true });
  assert.deepEqual(forced.data, { owner: "other" });
  assert.deepEqual(owners(forced), { "other/Apply": { "f:data": { "f:owner": {} } } });
});

Deno.test("field manager: a field dropped from an apply is removed unless someone else still owns it", () => {
  const fields = new FieldManager();
  let live = fields.apply(configmaps, undefined, cm({ a: "1", b: "1", c: "1" }), "kubectl");
  live = fields.apply(configmaps, live, cm({ c: "1" }), "helper");
  const next = fields.apply(configmaps, live, cm({ a: "1" }), "kubectl");
  assert.deepEqual(next.data, { a: "1", c: "1" });
  assert.deepEqual(owners(next)["kubectl/Apply"], { "f:data": { "f:a": {} } });
});

Deno.test("field manager: an update takes the fields it changes from their owners and keeps one entry per manager", () => {
  const fields = new FieldManager();
  const live = created(
    fields,
    cm({ a: "1", b: "1" }, { metadata: { name: "c", labels: { x: "1" } } }),
    "kubectl-create",
  );
  const next = structuredClone(live);
  next.data = { a: "2", b: "1" };
  next.metadata!.labels = { x: "1", y: "1" };
  fields.update(configmaps, live, next, "kubectl-label");
  assert.deepEqual(owners(next), {
    "kubectl-create/Update": { "f:data": { ".": {}, "f:b": {} }, "f:metadata": { "f:labels": { ".": {}, "f:x": {} } } },
    "kubectl-label/Update": { "f:data": { "f:a": {} }, "f:metadata": { "f:labels": { "f:y": {} } } },
  });
  const again = structuredClone(next);
  again.data = { a: "3", b: "1" };
  fields.update(configmaps, next, again, "kubectl-label");
  assert.equal(entries(again).filter((e) => e.manager === "kubectl-label").length, 1);
});

Deno.test("field manager: a write that changes nothing leaves managedFields exactly as stored", () => {
  const fields = new FieldManager();
  const live = created(fields, cm({ a: "1" }), "kubectl-create");
  const next = structuredClone(live);
  delete next.metadata!.managedFields;
  fields.update(configmaps, live, next, "someone");
  assert.deepEqual(next.metadata!.managedFields, live.metadata!.managedFields);
});

Deno.test("field manager: an empty managedFields list stops tracking until the next apply, which meets the old fields", () => {
  const fields = new FieldManager();
  const live = created(fields, cm({ a: "1" }), "kubectl-create");
  const reset = structuredClone(live);
  reset.metadata!.managedFields = [];
  reset.data = { a: "2" };
  fields.update(configmaps, live, reset, "kubectl-edit");
  assert.equal(reset.metadata!.managedFields, undefined);
  const error = conflictOf(() => fields.apply(configmaps, reset, cm({ a: "3" }), "kubectl"));
  assert.match(error.status.message, /conflict with "before-first-apply" using v1: \.data\.a/);
});

Deno.test("field manager: more than ten updaters are merged into ancient-changes, oldest first", () => {
  const fields = new FieldManager();
  let live = created(fields, cm({}), "creator");
  for (let i = 0; i < 12; i++) {
    const next = structuredClone(live);
    next.data = { ...next.data as Record<string, string>, [`k${i}`]: "v" };
    fields.update(configmaps, live, next, `m${i}`);
    live = next;
  }
  const managers = entries(live).map((e) => e.manager);
  assert.equal(managers.length, 10);
  assert.ok(managers.includes("ancient-changes"));
  assert.ok(managers.includes("m11"));
  assert.ok(!managers.includes("creator"));
});

Deno.test("field manager: the status subresource owns only status, the main resource never does", () => {
  const fields = new FieldManager();
  const deployment: KubeObject = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default" },
    spec: { replicas: 2 },
    status: { replicas: 1 },
  };
  const main = fields.apply(deployments, undefined, deployment, "kubectl");
  assert.deepEqual(owners(main), { "kubectl/Apply": { "f:spec": { "f:replicas": {} } } });
  const status = fields.apply(deployments, main, deployment, "kubelet", { subresource: "status" });
  const entry = entries(status).find((e) => e.manager === "kubelet")!;
  assert.equal(entry.subresource, "status");
  assert.deepEqual(entry.fieldsV1, { "f:status": { "f:replicas": {} } });
});

Deno.test("field manager: kubectl takes over fields client-side apply set to their live values, and keeps the annotation in step", () => {
  const fields = new FieldManager();
  const annotation = "kubectl.kubernetes.io/last-applied-configuration";
  const lastApplied = JSON.stringify(cm({ a: "1" }, { metadata: { name: "c", namespace: "default" } }));
  const live = created(
    fields,
    cm({ a: "1" }, { metadata: { name: "c", namespace: "default", annotations: { [annotation]: lastApplied } } }),
    "kubectl-client-side-apply",
  );
  const applied = fields.apply(configmaps, live, cm({ a: "2" }), "kubectl");
  assert.deepEqual(applied.data, { a: "2" });
  assert.deepEqual(JSON.parse(applied.metadata!.annotations![annotation]), cm({ a: "2" }));
  // Another manager gets no such pass.
  assert.equal(conflictOf(() => fields.apply(configmaps, live, cm({ a: "2" }), "other")).code, 409);
});

Deno.test("field manager: an apply of another kind, or carrying managedFields, is a bad request", () => {
  const fields = new FieldManager();
  const wrongKind = conflictOf(() => fields.apply(configmaps, undefined, { ...cm({}), kind: "Secret" }, "kubectl"));
  assert.equal(wrongKind.code, 400);
  assert.equal(wrongKind.status.message, "invalid object type: /v1, Kind=Secret");
  const managed = conflictOf(() =>
    fields.apply(configmaps, undefined, cm({}, { metadata: { name: "c", managedFields: [] } }), "kubectl")
  );
  assert.equal(managed.status.message, "metadata.managedFields must be nil");
});

Deno.test("field manager: a custom resource is tracked by the schema its CRD serves", () => {
  const widgets = { ...configmaps, group: "example.com", version: "v1", resource: "widgets", kind: "Widget" };
  const schema = {
    type: "object",
    properties: {
      spec: {
        type: "object",
        properties: {
          rules: {
            type: "array",
            "x-kubernetes-list-type": "map",
            "x-kubernetes-list-map-keys": ["host"],
            items: { type: "object", properties: { host: { type: "string" }, port: { type: "integer" } } },
          },
        },
      },
    },
  };
  const fields = new FieldManager((r) => r.resource === "widgets" ? schema : undefined);
  const widget = (rules: unknown[]): KubeObject => ({
    apiVersion: "example.com/v1",
    kind: "Widget",
    metadata: { name: "w", namespace: "default" },
    spec: { rules },
  });
  let live = fields.apply(widgets, undefined, widget([{ host: "a", port: 1 }]), "one");
  live = fields.apply(widgets, live, widget([{ host: "b", port: 2 }]), "two");
  assert.deepEqual((live.spec as { rules: unknown[] }).rules, [{ host: "a", port: 1 }, { host: "b", port: 2 }]);
  const error = conflictOf(() => fields.apply(widgets, live, widget([{ host: "a", port: 9 }]), "two"));
  assert.deepEqual(error.status.details?.causes?.map((c) => c.field), ['.spec.rules[host="a"].port']);
});
