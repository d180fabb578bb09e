// The stats Summary read from real cgroups: a pod run by containerd under a pod cgroup, using memory and CPU.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  cgroupPath,
  detectCgroupMounts,
  readCgroupUsage,
  StatsSampler,
  summaryStats,
} from "../../../node/stats/mod.ts";
import {
  eventually,
  explainSkip,
  importTestImages,
  RUNTIME_TESTS,
  sandboxConfig,
  TEST_CGROUP_PARENT,
  withContainerd,
} from "../containerd/testenv.ts";

explainSkip("tests/node/stats");

Deno.test("stats: systemd slice names expand to the nested path systemd gives them", () => {
  assert.equal(
    cgroupPath("kubepods-burstable-podab_12.slice", "systemd"),
    "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podab_12.slice",
  );
  assert.equal(cgroupPath("/kubepods/besteffort/pod1", "cgroupfs"), "/kubepods/besteffort/pod1");
});

Deno.test("stats: a cgroup that does not exist reads as undefined", () => {
  assert.equal(readCgroupUsage(detectCgroupMounts(), `/k3s-ts-no-such-cgroup-${crypto.randomUUID()}`), undefined);
});

Deno.test({
  name: "stats: the summary reports a running pod's memory working set and CPU time, with a rate on the next reading",
  ignore: !RUNTIME_TESTS,
  fn: () =>
    withContainerd(async ({ cri, dataDir, containerd }) => {
      await importTestImages(containerd.address);
      const sandbox = sandboxConfig(dataDir, "hog");
      sandbox.labels = {
        ...sandbox.labels,
        "io.kubernetes.pod.namespace": "default",
        "io.kubernetes.pod.uid": sandbox.metadata!.uid,
      };
      const sandboxId = await cri.runPodSandbox(sandbox);
      // Hold 8 MB in a shell variable after burning some CPU, then wait. The variable is used after the sleep so
      // that the shell forks it instead of exec'ing it as its last command, which would free the memory.
      const script =
        'i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; x=$(head -c 8000000 /dev/zero | tr "\\0" a); echo ready; sleep 600; : "$x"';
      const id = await cri.createContainer(sandboxId, {
        metadata: { name: "hog", attempt: 0 },
        image: { image: "docker.io/library/busybox:1.36" },
        command: ["sh", "-c", script],
        log_path: "hog/0.log",
        labels: { "io.kubernetes.container.name": "hog" },
      }, sandbox);
      await cri.startContainer(id);
      const options = {
        runtime: cri,
        nodeName: "n1",
        nodeStartTime: new Date(),
        memoryCapacity: 2 ** 34,
        mounts: detectCgroupMounts(),
        driver: "cgroupfs" as const,
        kubepods: TEST_CGROUP_PARENT,
        sampler: new StatsSampler(),
      };
      // Wait for the shell to say it holds the string: while it reads it in, its buffers pass through sizes
      // above and below the final one.
      const log = join(sandbox.log_directory!, "hog/0.log");
      await eventually(
        () => existsSync(log) && readFileSync(log, "utf8").includes("ready"),
        "the shell holds the 8 MB",
      );
      await summaryStats(options);
      const summary = await summaryStats(options);
      const again = summary.pods.find((p) => p.podRef.uid === sandbox.metadata!.uid)!;
      assert.deepEqual(again.podRef, { name: "hog", namespace: "default", uid: sandbox.metadata!.uid });
      assert.ok(again.cpu.usageCoreNanoSeconds > 0, "the pod used CPU");
      assert.equal(typeof again.cpu.usageNanoCores, "number", "a second reading has a CPU rate");
      assert.deepEqual(again.containers.map((c) => c.name), ["hog"]);
      assert.ok(again.containers[0].memory.workingSetBytes > 8_000_000);
      assert.ok(summary.node.memory.workingSetBytes >= again.memory.workingSetBytes);
      assert.ok((summary.node.memory.availableBytes ?? 0) > 0);
      assert.equal(summary.node.nodeName, "n1");
    }),
});
