// The kubelet API's /stats/summary: the node's Summary from real cgroups and containerd, behind nodes/stats.
import assert from "node:assert/strict";
import { detectCgroupMounts, StatsSampler, summaryStats } from "../../../node/stats/mod.ts";
import { explainSkip, RUNTIME_TESTS, withContainerd } from "../containerd/testenv.ts";
import { get, withKubeletServer } from "./support.ts";

explainSkip("tests/node/server/stats");

Deno.test({
  name: "kubelet server: /stats/summary answers the node's Summary as JSON after nodes/stats authorization",
  ignore: !RUNTIME_TESTS,
  fn: () =>
    withContainerd(async ({ cri }) => {
      const summary = () =>
        summaryStats({
          runtime: cri,
          nodeName: "node-1",
          nodeStartTime: new Date(0),
          memoryCapacity: 2 ** 34,
          mounts: detectCgroupMounts(),
          driver: "cgroupfs",
          sampler: new StatsSampler(),
        });
      await withKubeletServer(
        cri,
        async (kubelet) => {
          const { status, body, response } = await get(kubelet, "/stats/summary");
          assert.equal(status, 200, body);
          assert.equal(response.headers["content-type"], "application/json");
          const answer = JSON.parse(body);
          assert.equal(answer.node.nodeName, "node-1");
          assert.equal(answer.node.startTime, "1970-01-01T00:00:00.000Z");
          assert.ok(answer.node.memory.workingSetBytes > 0);
          assert.ok(answer.node.cpu.usageCoreNanoSeconds > 0);
          assert.deepEqual(answer.pods, []);
          assert.equal(kubelet.asked[0].attributes.subresource, "stats");
        },
        undefined,
        { summary },
      );
    }),
});
