// The node IPAM controller on a real in-process server: pod ranges for nodes, reuse after deletion,
// ranges already set kept, and the CIDRNotAvailable Event when the cluster CIDR is exhausted.
import assert from "node:assert/strict";
import type { Client } from "../../../core/client/mod.ts";
import type { KubeObject } from "../../../core/operator/mod.ts";
import { until, withCluster } from "../../support/cluster.ts";
import { nodeIpamController } from "../../../controllers/node_ipam/mod.ts";

const NODE = { apiVersion: "v1", kind: "Node" };
const options = { sanitizeOps: false, sanitizeResources: false };

type Node = KubeObject & { spec?: { podCIDR?: string; podCIDRs?: string[] } };

async function createNode(client: Client, name: string, podCIDR?: string): Promise<void> {
  await client.create({ ...NODE, metadata: { name }, spec: podCIDR ? { podCIDR, podCIDRs: [podCIDR] } : {} });
}

async function rangeOf(client: Client, name: string): Promise<string> {
  let node: Node | undefined;
  await until(async () => {
    node = await client.get<Node>(NODE, undefined, name);
    return Boolean(node.spec?.podCIDR);
  }, `${name} gets a pod range`);
  assert.deepEqual(node!.spec!.podCIDRs, [node!.spec!.podCIDR], "podCIDRs holds the same range");
  return node!.spec!.podCIDR!;
}

Deno.test({
  name: "node ipam: nodes get distinct /24s from the cluster CIDR, lowest first",
  ...options,
  fn: () =>
    withCluster((deps) => [nodeIpamController(deps)], async (client) => {
      for (const name of ["a", "b", "c"]) await createNode(client, name);
      const ranges = [await rangeOf(client, "a"), await rangeOf(client, "b"), await rangeOf(client, "c")];
      assert.deepEqual([...ranges].sort(), ["10.42.0.0/24", "10.42.1.0/24", "10.42.2.0/24"]);
    }),
});

Deno.test({
  name: "node ipam: a deleted node's range is free again and goes to the next node",
  ...options,
  fn: () =>
    withCluster((deps) => [nodeIpamController(deps)], async (client) => {
      await createNode(client, "a");
      assert.equal(await rangeOf(client, "a"), "10.42.0.0/24");
      await createNode(client, "b");
      assert.equal(await rangeOf(client, "b"), "10.42.1.0/24");
      await client.delete(NODE, undefined, "a");
      await createNode(client, "c");
      assert.equal(await rangeOf(client, "c"), "10.42.0.0/24");
    }),
});

Deno.test({
  name: "node ipam: a range a node already has is kept and never handed to another node",
  ...options,
  fn: () =>
    withCluster((deps) => [nodeIpamController(deps, { clusterCidr: "10.50.0.0/16" })], async (client) => {
      await createNode(client, "preset", "10.50.0.0/24");
      await createNode(client, "fresh");
      assert.equal(await rangeOf(client, "fresh"), "10.50.1.0/24");
      assert.equal(await rangeOf(client, "preset"), "10.50.0.0/24");
    }),
});

Deno.test({
  name: "node ipam: an exhausted cluster CIDR records CIDRNotAvailable on the node, which gets the next range freed",
  ...options,
  fn: () =>
    withCluster(
      (deps) => [nodeIpamController(deps, { clusterCidr: "10.60.0.0/23", nodeCidrMaskSize: 24 })],
      async (client) => {
        await createNode(client, "a");
        await createNode(client, "b");
        const taken = [await rangeOf(client, "a"), await rangeOf(client, "b")];
        assert.deepEqual(taken.sort(), ["10.60.0.0/24", "10.60.1.0/24"]);
        await createNode(client, "c");
        await until(async () => {
          type Event = { reason?: string; message?: string; involvedObject?: { kind?: string; name?: string } };
          const events = await client.list<Event>({ apiVersion: "v1", kind: "Event" }, "default");
          return events.items.some((e) =>
            e.reason === "CIDRNotAvailable" && e.involvedObject?.kind === "Node" && e.involvedObject?.name === "c" &&
            e.message === "Node c status is now: CIDRNotAvailable"
          );
        }, "CIDRNotAvailable event for c");
        assert.equal((await client.get<Node>(NODE, undefined, "c")).spec?.podCIDR, undefined);
        const freed = (await client.get<Node>(NODE, undefined, "b")).spec!.podCIDR!;
        await client.delete(NODE, undefined, "b");
        assert.equal(await rangeOf(client, "c"), freed);
      },
    ),
});
