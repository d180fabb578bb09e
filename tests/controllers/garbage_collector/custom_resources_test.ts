// The garbage collector follows custom resources whose CRD appears after it started, and lets go of
// them when the CRD is deleted.
import assert from "node:assert/strict";
import type { Client } from "../../../core/client/mod.ts";
import { ensureCustomResourceDefinition } from "../../../core/apiextensions/mod.ts";
import type { KubeObject } from "../../../core/operator/mod.ts";
import { garbageCollector } from "../../../controllers/garbage_collector/mod.ts";
import { until, withCluster } from "../../support/cluster.ts";

const options = { sanitizeOps: false, sanitizeResources: false };
const WIDGET = { apiVersion: "example.com/v1", kind: "Widget" };
const CM = { apiVersion: "v1", kind: "ConfigMap" };

async function widgetCrd(client: Client): Promise<void> {
  await ensureCustomResourceDefinition(client, {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "widgets.example.com" },
    spec: {
      group: "example.com",
      scope: "Namespaced",
      names: { plural: "widgets", singular: "widget", kind: "Widget" },
      versions: [{
        name: "v1",
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
      }],
    },
  });
}

const owned = (owner: KubeObject) => ({
  ownerReferences: [{
    apiVersion: owner.apiVersion!,
    kind: owner.kind!,
    name: owner.metadata!.name!,
    uid: owner.metadata!.uid!,
  }],
});

async function gone(client: Client, ref: typeof WIDGET, name: string): Promise<boolean> {
  try {
    await client.get(ref, "default", name);
    return false;
  } catch {
    return true;
  }
}

Deno.test({
  name: "garbage collector: custom resources of a CRD created later are collected and collect their dependents",
  ...options,
  fn: async () => {
    await withCluster((deps) => garbageCollector(deps), async (client) => {
      await widgetCrd(client);
      const owner = await client.create({ ...CM, metadata: { name: "owner", namespace: "default" } });
      await client.create({ ...WIDGET, metadata: { name: "dependent", namespace: "default", ...owned(owner) } });
      const widget = await client.create({ ...WIDGET, metadata: { name: "parent", namespace: "default" } });
      await client.create({ ...CM, metadata: { name: "child", namespace: "default", ...owned(widget) } });

      await client.delete(CM, "default", "owner");
      await until(() => gone(client, WIDGET, "dependent"), "the Widget owned by a deleted ConfigMap is collected");
      await client.delete(WIDGET, "default", "parent");
      await until(() => gone(client, CM, "child"), "the ConfigMap owned by a deleted Widget is collected");
      assert.ok(await gone(client, WIDGET, "parent"));
    });
  },
});
