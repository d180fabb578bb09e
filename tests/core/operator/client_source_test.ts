// The framework end to end on a real server: a controller for ConfigMaps that owns Secrets runs under
// leader election, reading and writing only through the in-process Client.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApiClient, inProcessTransport, isNotFound } from "../../../core/client/mod.ts";
import { controller, leaseClientFor, listWatcherFor, Manager } from "../../../core/operator/mod.ts";
import { startServer } from "../../../core/server/start.ts";

Deno.test({
  name: "operator: a leader-elected controller reconciles through the in-process client, owned objects map back",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "k3s-operator-"));
    const server = await startServer({
      dataDir,
      httpsPort: 0,
      bindAddress: "127.0.0.1",
      kubeconfigPath: join(dataDir, "k3s.yaml"),
      log: () => {},
    });
    const stop = new AbortController();
    try {
      const client = new ApiClient(inProcessTransport(server.router), server.registry);
      const configmaps = server.registry.resolve("", "v1", "configmaps")!;
      const secrets = server.registry.resolve("", "v1", "secrets")!;
      const manager = new Manager({
        source: (kind) => listWatcherFor(client, kind),
        leaderElection: {
          client: leaseClientFor(client),
          namespace: "kube-system",
          name: "test-operator",
          identity: "server-1",
          retryPeriodMs: 100,
        },
      });
      // Mirrors each ConfigMap labelled mirror=yes into a Secret it owns; a changed Secret is put back.
      manager.add(
        controller("mirror").for(configmaps).owns(secrets).complete(async ({ namespace, name }) => {
          const cm = manager.cache(configmaps).get(`${namespace}/${name}`);
          if (!cm || cm.metadata?.labels?.mirror !== "yes") return;
          const desired = {
            apiVersion: "v1",
            kind: "Secret",
            metadata: {
              name,
              namespace,
              ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name, uid: cm.metadata.uid, controller: true }],
            },
            stringData: cm.data ?? {},
          };
          try {
            const current = await client.get<{ metadata: { resourceVersion: string }; data?: Record<string, string> }>(
              { apiVersion: "v1", kind: "Secret" },
              namespace,
              name,
            );
            const want = Object.fromEntries(Object.entries(cm.data ?? {}).map(([k, v]) => [k, btoa(String(v))]));
            if (JSON.stringify(current.data ?? {}) !== JSON.stringify(want)) {
              await client.update({
                ...desired,
                metadata: { ...desired.metadata, resourceVersion: current.metadata.resourceVersion },
              });
            }
          } catch (error) {
            if (!isNotFound(error)) throw error;
            await client.create(desired);
          }
        }),
      );
      const running = manager.start(stop.signal);
      await client.create({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "m", namespace: "default", labels: { mirror: "yes" } },
        data: { a: "1" },
      });
      const secret = () =>
        client.get<{ data?: Record<string, string> }>({ apiVersion: "v1", kind: "Secret" }, "default", "m");
      const until = async (check: () => Promise<boolean>) => {
        const deadline = Date.now() + 15_000;
        while (!(await check().catch(() => false))) {
          assert.ok(Date.now() < deadline, "condition not reached in time");
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      await until(async () => (await secret()).data?.a === btoa("1"));
      // Tamper with the owned Secret: the owner is reconciled and puts it back.
      await client.patch({ apiVersion: "v1", kind: "Secret" }, "default", "m", "merge", { data: { a: btoa("x") } });
      await until(async () => (await secret()).data?.a === btoa("1"));
      const lease = await client.get<{ spec: { holderIdentity: string } }>(
        { apiVersion: "coordination.k8s.io/v1", kind: "Lease" },
        "kube-system",
        "test-operator",
      );
      assert.equal(lease.spec.holderIdentity, "server-1");
      stop.abort();
      await running;
    } finally {
      stop.abort();
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});
