// Pod volumes as a container on a real containerd sees them (as root): ConfigMap files that follow a refresh,
// read-only API volumes, a writable emptyDir subPath, and the env the container was given.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CriClient } from "../../../node/cri/mod.ts";
import { containerEnv } from "../../../node/env/mod.ts";
import type { Pod } from "../../../node/kubelet/pod.ts";
import { setUpPodVolumes, tearDownPodVolumes } from "../../../node/volumes/mod.ts";
import { withCluster } from "../../support/cluster.ts";
import { explainSkip, importTestImages, RUNTIME_TESTS, sandboxConfig, withContainerd } from "../containerd/testenv.ts";

explainSkip("tests/node/volumes");

async function sh(cri: CriClient, id: string, script: string): Promise<{ out: string; code: number }> {
  const result = await cri.execSync(id, ["sh", "-c", script], 10);
  return { out: new TextDecoder().decode(result.stdout).trim(), code: result.exit_code };
}

Deno.test({
  name: "a container reads its ConfigMap volume, sees refreshed data, cannot write it, and writes its emptyDir",
  ignore: !RUNTIME_TESTS,
  fn: () =>
    withCluster(() => [], (client) =>
      withContainerd(async ({ cri, containerd, dataDir }) => {
        await importTestImages(containerd.address);
        const cm = await client.create({
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: "cfg", namespace: "default" },
          data: { level: "1" },
        });
        const pod = await client.create({
          apiVersion: "v1",
          kind: "Pod",
          metadata: { name: "reader", namespace: "default" },
          spec: {
            nodeName: "n1",
            containers: [{
              name: "app",
              image: "busybox:1.36",
              env: [{ name: "LEVEL", valueFrom: { configMapKeyRef: { name: "cfg", key: "level" } } }],
              volumeMounts: [
                { name: "cfg", mountPath: "/etc/cfg" },
                { name: "scratch", mountPath: "/work", subPathExpr: "$(LEVEL)" },
              ],
            }],
            volumes: [{ name: "cfg", configMap: { name: "cfg" } }, { name: "scratch", emptyDir: {} }],
          },
        }) as unknown as Pod;
        const rootDir = mkdtempSync(join(tmpdir(), "kubelet-root-"));
        try {
          const deps = { client, rootDir, nodeName: "n1", nodeIP: "127.0.0.1", podIPs: [] };
          const volumes = await setUpPodVolumes(pod, deps);
          const container = pod.spec.containers[0];
          const env = await containerEnv(pod, container, deps);
          const sandbox = sandboxConfig(dataDir, "reader");
          const sandboxId = await cri.runPodSandbox(sandbox);
          const id = await cri.createContainer(sandboxId, {
            metadata: { name: "app", attempt: 0 },
            image: { image: "docker.io/library/busybox:1.36" },
            command: ["sleep", "3600"],
            log_path: "app/0.log",
            envs: env.map((e) => ({ key: e.name, value: e.value })),
            mounts: volumes.mountsFor(container, new Map(env.map((e) => [e.name, e.value]))),
          }, sandbox);
          await cri.startContainer(id);

          assert.deepEqual(await sh(cri, id, "echo $(cat /etc/cfg/level) $LEVEL"), { out: "1 1", code: 0 });
          await client.update({ ...cm, data: { level: "2" } });
          await volumes.refresh();
          assert.deepEqual(await sh(cri, id, "cat /etc/cfg/level"), { out: "2", code: 0 });
          assert.notEqual((await sh(cri, id, "touch /etc/cfg/new")).code, 0, "API volumes are read-only");
          assert.deepEqual(await sh(cri, id, "echo hi > /work/f && cat /work/f"), { out: "hi", code: 0 });
          await cri.stopContainer(id, 0);
        } finally {
          await tearDownPodVolumes(rootDir, pod.metadata.uid);
          rmSync(rootDir, { recursive: true, force: true });
        }
      })),
});
