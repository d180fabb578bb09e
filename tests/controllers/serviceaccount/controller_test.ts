// The ServiceAccount controller on a real in-process server: every active namespace gets a `default`
// ServiceAccount, and gets it back after it is deleted.
import assert from "node:assert/strict";
import type { Client } from "../../../core/client/mod.ts";
import type { KubeObject } from "../../../core/operator/mod.ts";
import { until, withCluster } from "../../support/cluster.ts";

// withCluster runs the ServiceAccount controller for every test cluster.
const CONTROLLERS: Parameters<typeof withCluster>[0] = () => [];
const SA = { apiVersion: "v1", kind: "ServiceAccount" };

async function defaultAccount(client: Client, namespace: string): Promise<KubeObject | undefined> {
  return await client.get<KubeObject>(SA, namespace, "default").catch(() => undefined);
}

Deno.test({
  name: "serviceaccount: a new namespace gets a default ServiceAccount",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await client.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a" } });
      await until(async () => (await defaultAccount(client, "team-a")) !== undefined, "default in team-a");
      const sa = (await defaultAccount(client, "team-a"))!;
      assert.equal(sa.metadata?.namespace, "team-a");
      assert.equal(sa.metadata?.ownerReferences, undefined);
      // The namespaces the server starts with get one too.
      await until(async () => (await defaultAccount(client, "kube-system")) !== undefined, "default in kube-system");
    }),
});

Deno.test({
  name: "serviceaccount: a deleted default ServiceAccount is recreated",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await until(async () => (await defaultAccount(client, "default")) !== undefined, "default in default");
      const first = (await defaultAccount(client, "default"))!;
      await client.delete(SA, "default", "default");
      await until(async () => {
        const again = await defaultAccount(client, "default");
        return again !== undefined && again.metadata?.uid !== first.metadata?.uid;
      }, "default recreated");
    }),
});

Deno.test({
  name: "serviceaccount: other ServiceAccounts are left alone",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await client.create({ ...SA, metadata: { name: "builder", namespace: "default" } });
      await until(async () => (await defaultAccount(client, "default")) !== undefined, "default in default");
      await client.delete(SA, "default", "builder");
      // Recreating the default one proves the controller has processed the namespace since.
      const first = (await defaultAccount(client, "default"))!;
      await client.delete(SA, "default", "default");
      await until(async () => {
        const again = await defaultAccount(client, "default");
        return again !== undefined && again.metadata?.uid !== first.metadata?.uid;
      }, "default recreated");
      await assert.rejects(client.get(SA, "default", "builder"), "builder stays deleted");
    }),
});
