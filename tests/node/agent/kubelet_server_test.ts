import assert from "node:assert/strict";
import { subjectAccessReview } from "../../../node/agent/mod.ts";
import { withCluster } from "../../support/cluster.ts";

const stats = { verb: "get", resource: "nodes", subresource: "stats", name: "node-1" } as const;

Deno.test("kubelet authorization asks the API server: cluster admins may read a node's stats, others may not", async () => {
  await withCluster(() => [], async (client) => {
    assert.equal(
      await subjectAccessReview(client, { name: "system:apiserver", groups: ["system:masters"] }, stats),
      true,
    );
    assert.equal(await subjectAccessReview(client, { name: "alice", groups: ["system:authenticated"] }, stats), false);
  });
});
