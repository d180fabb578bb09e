// CRDs on a real in-process server: naming and establishing, serving custom objects (defaults, validation,
// subresources, versions, scope), deletion with the cleanup finalizer, and serving again after a restart.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureCustomResourceDefinition } from "../../../core/apiextensions/mod.ts";
import type { CustomResourceDefinition } from "../../../core/apiextensions/types.ts";
import { ApiClient, ApiError, type Client, inProcessTransport, isNotFound } from "../../../core/client/mod.ts";
import { startServer } from "../../../core/server/start.ts";
import { until, withCluster } from "../../support/cluster.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const CRD = { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition" };
const WIDGET = { apiVersion: "example.com/v1", kind: "Widget" };

function widgetsCRD(overrides: Any = {}): CustomResourceDefinition {
  return {
    ...CRD,
    metadata: { name: "widgets.example.com" },
    spec: {
      group: "example.com",
      scope: "Namespaced",
      names: { plural: "widgets", singular: "widget", kind: "Widget", shortNames: ["wd"], categories: ["all"] },
      versions: [{
        name: "v1",
        served: true,
        storage: true,
        subresources: { status: {}, scale: { specReplicasPath: ".spec.size", statusReplicasPath: ".status.size" } },
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              spec: {
                type: "object",
                required: ["size"],
                "x-kubernetes-validations": [{ rule: "self.min <= self.max", message: "min must not exceed max" }],
                properties: {
                  size: { type: "integer", minimum: 0, maximum: 10 },
                  color: { type: "string", enum: ["blue", "red"], default: "blue" },
                  min: { type: "integer", default: 0 },
                  max: { type: "integer", default: 5 },
                },
              },
              status: { type: "object", properties: { phase: { type: "string" }, size: { type: "integer" } } },
            },
          },
        },
      }],
      ...overrides,
    },
  } as CustomResourceDefinition;
}

async function untilEstablished(client: Client, name: string): Promise<CustomResourceDefinition> {
  let crd: CustomResourceDefinition | undefined;
  await until(async () => {
    crd = await client.get<CustomResourceDefinition>(CRD, undefined, name);
    return crd.status?.conditions?.some((c) => c.type === "Established" && c.status === "True") ?? false;
  }, `${name} established`);
  return crd!;
}

/** Whether the server serves a resource (the client knows served resources from the server's registry). */
async function served(client: Client, ref: { group: string; version: string; resource: string }): Promise<boolean> {
  try {
    await client.list(ref);
    return true;
  } catch (error) {
    if (error instanceof Error && error.message.startsWith("no resource")) return false;
    throw error;
  }
}

async function refusal(call: Promise<unknown>): Promise<ApiError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("the call succeeded");
}

Deno.test("serving: a created CRD gets its names accepted, is Established and serves its resource", async () => {
  await withCluster(() => [], async (client) => {
    await client.create(widgetsCRD());
    const crd = await untilEstablished(client, "widgets.example.com");
    assert.deepEqual(crd.status?.acceptedNames, {
      plural: "widgets",
      singular: "widget",
      shortNames: ["wd"],
      kind: "Widget",
      listKind: "WidgetList",
      categories: ["all"],
    });
    assert.deepEqual(crd.status?.storedVersions, ["v1"]);
    const names = crd.status?.conditions?.find((c) => c.type === "NamesAccepted");
    assert.deepEqual([names?.status, names?.reason, names?.message], ["True", "NoConflicts", "no conflicts found"]);
    const established = crd.status?.conditions?.find((c) => c.type === "Established");
    assert.equal(established?.reason, "InitialNamesAccepted");
    const w = await client.create<Any>({
      ...WIDGET,
      metadata: { name: "w1", namespace: "default" },
      spec: { size: 3 },
    });
    assert.deepEqual(w.spec, { size: 3, color: "blue", min: 0, max: 5 });
    assert.equal(w.metadata.generation, 1);
  });
});

Deno.test("serving: schema and rule violations are 422s with kube's causes", async () => {
  await withCluster(() => [], async (client) => {
    await client.create(widgetsCRD());
    await untilEstablished(client, "widgets.example.com");
    const error = await refusal(
      client.create({
        ...WIDGET,
        metadata: { name: "w2", namespace: "default" },
        spec: { size: 20, color: "green", min: 9, max: 3 },
      }),
    );
    assert.equal(error.code, 422);
    assert.equal(
      error.message,
      'Widget.example.com "w2" is invalid: [spec.size: Invalid value: 20: spec.size in body should be less than or equal to 10, ' +
        'spec.color: Unsupported value: "green": supported values: "blue", "red", spec: Invalid value: "object": min must not exceed max]',
    );
  });
});

Deno.test("serving: a name another CRD of the group holds is refused in status, and not served", async () => {
  await withCluster(() => [], async (client) => {
    await client.create(widgetsCRD());
    await untilEstablished(client, "widgets.example.com");
    const gadgets = widgetsCRD({ names: { plural: "gadgets", kind: "Gadget", shortNames: ["wd"] } });
    gadgets.metadata!.name = "gadgets.example.com";
    await client.create(gadgets);
    let crd: CustomResourceDefinition | undefined;
    await until(async () => {
      crd = await client.get<CustomResourceDefinition>(CRD, undefined, "gadgets.example.com");
      return crd.status?.conditions?.some((c) => c.type === "NamesAccepted") ?? false;
    }, "gadgets named");
    const names = crd!.status!.conditions!.find((c) => c.type === "NamesAccepted");
    assert.deepEqual([names?.status, names?.reason, names?.message], [
      "False",
      "ShortNamesConflict",
      '"wd" is already in use',
    ]);
    const established = crd!.status!.conditions!.find((c) => c.type === "Established");
    assert.deepEqual([established?.status, established?.reason], ["False", "NotAccepted"]);
    assert.equal(await served(client, { group: "example.com", version: "v1", resource: "gadgets" }), false);
  });
});

Deno.test("serving: the status subresource splits writes, and spec changes count generations", async () => {
  await withCluster(() => [], async (client) => {
    await client.create(widgetsCRD());
    await untilEstablished(client, "widgets.example.com");
    const ref = { group: "example.com", version: "v1", resource: "widgets" };
    await client.create({
      ...WIDGET,
      metadata: { name: "w1", namespace: "default" },
      spec: { size: 3 },
      status: { phase: "x" },
    });
    let w = await client.get<Any>(ref, "default", "w1");
    assert.equal(w.status, undefined);
    await client.patch(ref, "default", "w1", "merge", { status: { phase: "ok" }, spec: { size: 9 } }, {
      subresource: "status",
    });
    w = await client.get<Any>(ref, "default", "w1");
    assert.deepEqual([w.status.phase, w.spec.size, w.metadata.generation], ["ok", 3, 1]);
    await client.patch(ref, "default", "w1", "merge", { status: { phase: "hacked" }, spec: { size: 4 } });
    w = await client.get<Any>(ref, "default", "w1");
    assert.deepEqual([w.status.phase, w.spec.size, w.metadata.generation], ["ok", 4, 2]);
  });
});

Deno.test("serving: the scale subresource reads and writes the CRD's replica paths", async () => {
  await withCluster(() => [], async (client) => {
    await client.create(widgetsCRD());
    await untilEstablished(client, "widgets.example.com");
    const ref = { group: "example.com", version: "v1", resource: "widgets" };
    await client.create({ ...WIDGET, metadata: { name: "w1", namespace: "default" }, spec: { size: 3 } });
    const scale = await client.patch<Any>(ref, "default", "w1", "merge", { spec: { replicas: 7 } }, {
      subresource: "scale",
    });
    assert.deepEqual([scale.kind, scale.apiVersion, scale.spec.replicas], ["Scale", "autoscaling/v1", 7]);
    assert.equal((await client.get<Any>(ref, "default", "w1")).spec.size, 7);
  });
});

Deno.test("serving: objects are stored in the storage version and served in every served version", async () => {
  await withCluster(() => [], async (client) => {
    const crd = widgetsCRD();
    const v1 = crd.spec.versions[0];
    crd.spec.versions = [{ ...structuredClone(v1), name: "v1beta1", storage: false }, v1];
    await client.create(crd);
    const stored = await untilEstablished(client, "widgets.example.com");
    assert.deepEqual(stored.status?.storedVersions, ["v1"]);
    await client.create({
      apiVersion: "example.com/v1beta1",
      kind: "Widget",
      metadata: { name: "w1", namespace: "default" },
      spec: { size: 1 },
    });
    const asV1 = await client.get<Any>({ group: "example.com", version: "v1", resource: "widgets" }, "default", "w1");
    const asBeta = await client.get<Any>(
      { group: "example.com", version: "v1beta1", resource: "widgets" },
      "default",
      "w1",
    );
    assert.deepEqual([asV1.apiVersion, asBeta.apiVersion], ["example.com/v1", "example.com/v1beta1"]);
    assert.deepEqual(asV1.spec, asBeta.spec);
  });
});

Deno.test("serving: a cluster-scoped CRD serves objects without a namespace", async () => {
  await withCluster(() => [], async (client) => {
    const crd = widgetsCRD({ scope: "Cluster" });
    await client.create(crd);
    await untilEstablished(client, "widgets.example.com");
    const w = await client.create<Any>({ ...WIDGET, metadata: { name: "global" }, spec: { size: 1 } });
    assert.equal(w.metadata.namespace, undefined);
    const list = await client.list({ group: "example.com", version: "v1", resource: "widgets" });
    assert.deepEqual(list.items.map((i: Any) => i.metadata.name), ["global"]);
  });
});

Deno.test("serving: deleting a CRD deletes its objects, refuses creates meanwhile, then stops serving", async () => {
  await withCluster(() => [], async (client) => {
    await client.create(widgetsCRD());
    await untilEstablished(client, "widgets.example.com");
    const ref = { group: "example.com", version: "v1", resource: "widgets" };
    await client.create({ ...WIDGET, metadata: { name: "plain", namespace: "default" }, spec: { size: 1 } });
    await client.create({
      ...WIDGET,
      metadata: { name: "held", namespace: "default", finalizers: ["example.com/hold"] },
      spec: { size: 1 },
    });
    const deleting = await client.delete(CRD, undefined, "widgets.example.com") as CustomResourceDefinition;
    assert.deepEqual(deleting.metadata?.finalizers, ["customresourcecleanup.apiextensions.k8s.io"]);
    await until(async () => (await client.list(ref, "default")).items.length === 1, "plain widget deleted");
    const crd = await client.get<CustomResourceDefinition>(CRD, undefined, "widgets.example.com");
    const terminating = crd.status?.conditions?.find((c) => c.type === "Terminating");
    assert.deepEqual([terminating?.status, terminating?.reason], ["True", "InstanceDeletionInProgress"]);
    const refused = await refusal(
      client.create({ ...WIDGET, metadata: { name: "late", namespace: "default" }, spec: { size: 1 } }),
    );
    assert.deepEqual([refused.code, refused.message], [
      405,
      "create not allowed while custom resource definition is terminating",
    ]);
    await client.patch(ref, "default", "held", "merge", { metadata: { finalizers: null } });
    await until(async () => {
      try {
        await client.get(CRD, undefined, "widgets.example.com");
        return false;
      } catch (error) {
        return isNotFound(error);
      }
    }, "CRD gone");
    await until(async () => !(await served(client, ref)), "widgets no longer served");
  });
});

Deno.test("serving: a server started later on the same data serves the stored CRDs as soon as it is up", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "k3s-crd-restart-"));
  const start = () =>
    startServer({
      dataDir,
      httpsPort: 0,
      bindAddress: "127.0.0.1",
      kubeconfigPath: join(dataDir, "k3s.yaml"),
      log: () => {},
    });
  try {
    const first = await start();
    try {
      const client = new ApiClient(inProcessTransport(first.router), first.registry);
      await ensureCustomResourceDefinition(client, widgetsCRD());
      await client.create({ ...WIDGET, metadata: { name: "w1", namespace: "default" }, spec: { size: 2 } });
    } finally {
      await first.stop();
    }
    const second = await start();
    try {
      const client = new ApiClient(inProcessTransport(second.router), second.registry);
      const w = await client.get<Any>({ group: "example.com", version: "v1", resource: "widgets" }, "default", "w1");
      assert.deepEqual(w.spec, { size: 2, color: "blue", min: 0, max: 5 });
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

Deno.test("serving: ensureCustomResourceDefinition returns an Established CRD, and is idempotent", async () => {
  await withCluster(() => [], async (client) => {
    const first = await ensureCustomResourceDefinition(client, widgetsCRD());
    assert.ok(first.status?.conditions?.some((c) => c.type === "Established" && c.status === "True"));
    const again = await ensureCustomResourceDefinition(client, widgetsCRD());
    assert.equal(again.metadata?.uid, first.metadata?.uid);
  });
});

Deno.test("serving: a CRD whose rule does not compile is refused with the rule named", async () => {
  await withCluster(() => [], async (client) => {
    const crd = widgetsCRD();
    crd.spec.versions[0].schema!.openAPIV3Schema!.properties!.spec["x-kubernetes-validations"] = [{
      rule: "self.size > 'a'",
    }];
    const error = await refusal(client.create(crd));
    assert.equal(error.code, 422);
    assert.match(
      error.message,
      /x-kubernetes-validations\[0\]\.rule: Invalid value: .*Rule:"self.size > 'a'".*found no matching overload for '_>_' applied to '\(int, string\)'/s,
    );
  });
});
