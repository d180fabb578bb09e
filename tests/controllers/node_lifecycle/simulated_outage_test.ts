// A node whose kubelet dies, end to end on simulated nodes with the controllers k3s server runs: the
// node goes NotReady (Unknown), is tainted unreachable, its pods are evicted once their toleration runs
// out, and the ReplicaSet replaces them on the nodes still alive.
import assert from "node:assert/strict";
import type { Client } from "../../../core/client/mod.ts";
import type { KubeObject } from "../../../core/operator/mod.ts";
import { defaultControllers } from "../../../controllers/mod.ts";
import { nodeLifecycleController } from "../../../controllers/node_lifecycle/mod.ts";
import { startSimulatedNodes } from "../../../node/simulator/mod.ts";
import { until, withCluster } from "../../support/cluster.ts";

const options = { sanitizeOps: false, sanitizeResources: false };
// deno-lint-ignore no-explicit-any
type Obj = KubeObject & { metadata: { name: string }; spec?: any; status?: any };

async function podsOf(client: Client): Promise<Obj[]> {
  const list = await client.list<Obj>({ apiVersion: "v1", kind: "Pod" }, "default", { labelSelector: "app=web" });
  return list.items.filter((p) => !p.metadata.deletionTimestamp);
}

Deno.test({
  name: "node outage: a node whose Lease stops is tainted unreachable and its pods are replaced elsewhere",
  ...options,
  fn: async () => {
    const controllers: Parameters<typeof withCluster>[0] = (deps) => [
      // The real list, with a node grace period a test can wait out.
      ...defaultControllers(deps).filter((c) => c.name !== "node-lifecycle-controller"),
      nodeLifecycleController(deps, { gracePeriodSeconds: 2, monitorPeriodMs: 200 }),
    ];
    await withCluster(controllers, async (client) => {
      const stop = new AbortController();
      const nodes = await startSimulatedNodes({
        client,
        count: 3,
        signal: stop.signal,
        log: () => {},
        renewIntervalMs: 200,
      });
      try {
        await client.create({
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: { name: "web", namespace: "default" },
          spec: {
            replicas: 3,
            selector: { matchLabels: { app: "web" } },
            template: {
              metadata: { labels: { app: "web" } },
              spec: {
                containers: [{ name: "c", image: "busybox" }],
                tolerations: [{
                  key: "node.kubernetes.io/unreachable",
                  operator: "Exists",
                  effect: "NoExecute",
                  tolerationSeconds: 1,
                }],
              },
            },
          },
        });
        await until(
          async () => (await podsOf(client)).filter((p) => p.status?.phase === "Running").length === 3,
          "three pods Running",
        );
        const victim = (await podsOf(client))[0].spec.nodeName as string;
        nodes.stopHeartbeat(victim);

        await until(async () => {
          const node = await client.get<Obj>({ apiVersion: "v1", kind: "Node" }, undefined, victim);
          const ready = node.status.conditions.find((c: { type: string }) => c.type === "Ready");
          const tainted = (node.spec.taints ?? []).some((t: { key: string; effect: string }) =>
            t.key === "node.kubernetes.io/unreachable" && t.effect === "NoExecute"
          );
          return ready.status === "Unknown" && tainted;
        }, "the silent node is Unknown and tainted unreachable");
        await until(async () => {
          const pods = await podsOf(client);
          return pods.length === 3 && pods.every((p) => p.spec.nodeName !== victim && p.status?.phase === "Running");
        }, "three pods Running on the other nodes");
        assert.ok((await podsOf(client)).every((p) => nodes.names.includes(p.spec.nodeName)));
      } finally {
        stop.abort();
        await nodes.stopped;
      }
    });
  },
});
