// The kubelet on a real containerd (as root) and a real in-process API server: host-network pods bound to a
// Node the test creates run, finish with their exit codes, and report missing images the kubelet way.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "../../../core/client/mod.ts";
import type { CriClient } from "../../../node/cri/mod.ts";
import type { KubeObject } from "../../../core/operator/mod.ts";
import { startKubelet } from "../../../node/kubelet/mod.ts";
import { withCluster } from "../../support/cluster.ts";
import { explainSkip, importTestImages, RUNTIME_TESTS, withContainerd } from "../containerd/testenv.ts";

explainSkip("tests/node/kubelet");

const NODE = "kubelet-test";
const NODE_IP = "127.0.0.1";
const POD = { apiVersion: "v1", kind: "Pod" };

interface ContainerStatus {
  name: string;
  ready: boolean;
  restartCount: number;
  state: {
    running?: { startedAt: string };
    waiting?: { reason: string; message?: string };
    terminated?: { exitCode: number; reason: string; startedAt: string; finishedAt: string };
  };
}
type PodStatus = {
  phase?: string;
  hostIP?: string;
  conditions?: { type: string; status: string }[];
  containerStatuses?: ContainerStatus[];
  initContainerStatuses?: ContainerStatus[];
};
type Pod = KubeObject & { status?: PodStatus };

/**
 * Run `fn` with a kubelet for node `kubelet-test` on a fresh containerd and API server; `restart` stops that kubelet
 * and starts another on the same runtime and directories, as an agent restart does.
 */
function withKubelet(
  fn: (client: Client, cri: CriClient, restart: () => Promise<void>) => Promise<void>,
): Promise<void> {
  return withContainerd(async ({ containerd, cri }) => {
    await importTestImages(containerd.address);
    await withCluster(() => [], async (client) => {
      await client.create({ apiVersion: "v1", kind: "Node", metadata: { name: NODE } });
      const rootDir = mkdtempSync(join(tmpdir(), "k3s-kubelet-"));
      const start = async () => {
        const controller = new AbortController();
        const kubelet = await startKubelet({
          client,
          runtime: cri,
          nodeName: NODE,
          nodeIP: NODE_IP,
          rootDir,
          podLogsDir: join(rootDir, "logs"),
          imagesDir: "/var/lib/rancher/k3s/agent/images",
          cgroupDriver: "cgroupfs",
          clusterDNS: ["10.43.0.10"],
          clusterDomain: "cluster.local",
          resolvConf: "/etc/resolv.conf",
          signal: controller.signal,
          log: () => {},
        });
        return async () => {
          controller.abort();
          await kubelet.stopped;
        };
      };
      let stop = await start();
      try {
        await fn(client, cri, async () => {
          await stop();
          stop = await start();
        });
      } finally {
        const uids = (await client.list(POD, "default")).items.map((pod) => pod.metadata!.uid!);
        await stop();
        for (const sandbox of await cri.listPodSandbox()) {
          await cri.stopPodSandbox(sandbox.id);
          await cri.removePodSandbox(sandbox.id);
        }
        removePodCgroups(uids);
        rmSync(rootDir, { recursive: true, force: true });
      }
    });
  });
}

/** The kubelet leaves the cgroups of pods it still runs when it stops; remove the test pods' (now empty) ones. */
function removePodCgroups(uids: string[]): void {
  const base = "/sys/fs/cgroup";
  for (const hierarchy of existsSync(base) ? [base, ...readdirSync(base).map((name) => join(base, name))] : []) {
    for (const qos of ["", "burstable", "besteffort"]) {
      for (const uid of uids) {
        const dir = join(hierarchy, "kubepods", qos, `pod${uid}`);
        if (existsSync(dir)) rmdirSync(dir);
      }
    }
  }
}

/** A host-network busybox pod bound to the test node. */
function hostPod(client: Client, name: string, spec: Record<string, unknown>): Promise<Pod> {
  return client.create({
    ...POD,
    metadata: { name, namespace: "default" },
    spec: { nodeName: NODE, hostNetwork: true, terminationGracePeriodSeconds: 1, ...spec },
  }) as Promise<Pod>;
}

/** Poll the pod until `check` holds, for up to a minute (containers take a few seconds to start here). */
async function podUntil(client: Client, name: string, check: (pod: Pod) => boolean, what: string): Promise<Pod> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const pod = await client.get<Pod>(POD, "default", name);
    if (check(pod)) return pod;
    assert.ok(Date.now() < deadline, `not reached in time: ${what}; status ${JSON.stringify(pod.status)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const condition = (pod: Pod, type: string) => pod.status?.conditions?.find((c) => c.type === type)?.status;

Deno.test({
  name: "kubelet: a host-network pod goes Running and Ready with its container running",
  ignore: !RUNTIME_TESTS,
  fn: () =>
    withKubelet(async (client) => {
      await hostPod(client, "sleeper", {
        containers: [{ name: "main", image: "busybox:1.36", command: ["sleep", "3600"] }],
      });
      const pod = await podUntil(client, "sleeper", (p) => condition(p, "Ready") === "True", "the pod is Ready");
      assert.equal(pod.status?.phase, "Running");
      assert.equal(pod.status?.hostIP, NODE_IP);
      assert.equal(condition(pod, "ContainersReady"), "True");
      assert.equal(condition(pod, "Initialized"), "True");
      const [status] = pod.status!.containerStatuses!;
      assert.equal(status.name, "main");
      assert.equal(status.ready, true);
      assert.equal(status.restartCount, 0);
      assert.ok(status.state.running);
    }),
});

Deno.test({
  name: "kubelet: restartPolicy Never ends the pod Failed with the container's exit code",
  ignore: !RUNTIME_TESTS,
  fn: () =>
    withKubelet(async (client) => {
      await hostPod(client, "failer", {
        restartPolicy: "Never",
        containers: [{ name: "main", image: "busybox:1.36", command: ["sh", "-c", "exit 3"] }],
      });
      const pod = await podUntil(client, "failer", (p) => p.status?.phase === "Failed", "the pod Failed");
      const terminated = pod.status!.containerStatuses![0].state.terminated!;
      assert.equal(terminated.exitCode, 3);
      assert.equal(terminated.reason, "Error");
    }),
});

Deno.test({
  name: "kubelet: a missing image leaves the container waiting with ErrImagePull naming the image",
  ignore: !RUNTIME_TESTS,
  fn: () =>
    withKubelet(async (client) => {
      await hostPod(client, "absent", {
        containers: [{ name: "main", image: "example.com/absent:1" }],
      });
      const pod = await podUntil(
        client,
        "absent",
        (p) => ["ErrImagePull", "ImagePullBackOff"].includes(p.status?.containerStatuses?.[0]?.state.waiting?.reason!),
        "the container waits for its image",
      );
      assert.equal(pod.status?.phase, "Pending");
      const waiting = pod.status!.containerStatuses![0].state.waiting!;
      assert.match(waiting.message ?? "", /example\.com\/absent:1/);
    }),
});

Deno.test({
  name: "kubelet: deleting a pod stops its containers, removes its sandbox and then the pod",
  ignore: !RUNTIME_TESTS,
  fn: () =>
    withKubelet(async (client, cri) => {
      await hostPod(client, "doomed", {
        containers: [{ name: "main", image: "busybox:1.36", command: ["sleep", "3600"] }],
      });
      await podUntil(client, "doomed", (p) => condition(p, "Ready") === "True", "the pod is Ready");
      assert.equal((await cri.listPodSandbox()).length, 1);
      await client.delete(POD, "default", "doomed");
      const deadline = Date.now() + 60_000;
      while ((await client.list(POD, "default")).items.length > 0) {
        assert.ok(Date.now() < deadline, "the kubelet deletes the pod from the API");
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.deepEqual(await cri.listPodSandbox(), []);
    }),
});

Deno.test({
  name: "kubelet: init containers run to completion one after another before the regular containers",
  ignore: !RUNTIME_TESTS,
  fn: () =>
    withKubelet(async (client) => {
      await hostPod(client, "initialized", {
        initContainers: [
          { name: "first", image: "busybox:1.36", command: ["sh", "-c", "sleep 1"] },
          { name: "second", image: "busybox:1.36", command: ["true"] },
        ],
        containers: [{ name: "main", image: "busybox:1.36", command: ["sleep", "3600"] }],
      });
      const pod = await podUntil(client, "initialized", (p) => condition(p, "Ready") === "True", "the pod is Ready");
      assert.equal(condition(pod, "Initialized"), "True");
      const [first, second] = pod.status!.initContainerStatuses!.map((s) => s.state.terminated!);
      assert.deepEqual([first.reason, first.exitCode, second.reason, second.exitCode], [
        "Completed",
        0,
        "Completed",
        0,
      ]);
      assert.ok(Date.parse(first.finishedAt) <= Date.parse(second.startedAt), "second starts after first finished");
    }),
});

Deno.test({
  name: "kubelet: a kubelet started again adopts the running pod instead of starting its containers again",
  ignore: !RUNTIME_TESTS,
  fn: () =>
    withKubelet(async (client, cri, restart) => {
      await hostPod(client, "survivor", {
        containers: [{ name: "main", image: "busybox:1.36", command: ["sleep", "3600"] }],
      });
      const before = await podUntil(client, "survivor", (p) => condition(p, "Ready") === "True", "the pod is Ready");
      const containers = (await cri.listContainers()).map((c) => c.id);
      await restart();
      // A pod bound after the restart turning Ready shows the new kubelet has been through its pods.
      await hostPod(client, "marker", {
        containers: [{ name: "main", image: "busybox:1.36", command: ["sleep", "3600"] }],
      });
      await podUntil(client, "marker", (p) => condition(p, "Ready") === "True", "the new kubelet runs a new pod");
      const after = await client.get<Pod>(POD, "default", "survivor");
      assert.equal(condition(after, "Ready"), "True");
      const survivors = (await cri.listContainers()).filter((c) => c.labels["io.kubernetes.pod.name"] === "survivor");
      assert.deepEqual(survivors.map((c) => c.id), containers, "no container was started again");
      assert.equal((await cri.listPodSandbox()).length, 2, "no second sandbox for the survivor");
      assert.equal(after.status!.containerStatuses![0].restartCount, 0);
      assert.equal(
        after.status!.containerStatuses![0].state.running!.startedAt,
        before.status!.containerStatuses![0].state.running!.startedAt,
      );
    }),
});

Deno.test({
  name: "kubelet: a failing exec liveness probe restarts the container",
  ignore: !RUNTIME_TESTS,
  fn: () =>
    withKubelet(async (client) => {
      await hostPod(client, "wilting", {
        containers: [{
          name: "main",
          image: "busybox:1.36",
          // Alive only until the file goes; the second run finds it gone from the start.
          command: [
            "sh",
            "-c",
            "[ -e /tmp/ran ] || { touch /tmp/ran /tmp/alive; }; sleep 2; rm -f /tmp/alive; sleep 3600",
          ],
          livenessProbe: { exec: { command: ["cat", "/tmp/alive"] }, periodSeconds: 1, failureThreshold: 1 },
        }],
      });
      const pod = await podUntil(
        client,
        "wilting",
        (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1,
        "the container was restarted",
      );
      assert.equal(pod.status?.phase, "Running");
    }),
});

Deno.test({
  name: "kubelet: until its startup probe passes a container is neither started nor ready, and no restart comes of it",
  ignore: !RUNTIME_TESTS,
  fn: () =>
    withKubelet(async (client) => {
      await hostPod(client, "slow", {
        containers: [{
          name: "main",
          image: "busybox:1.36",
          command: ["sh", "-c", "sleep 3; touch /tmp/started; sleep 3600"],
          startupProbe: { exec: { command: ["cat", "/tmp/started"] }, periodSeconds: 1, failureThreshold: 30 },
          readinessProbe: { exec: { command: ["true"] }, periodSeconds: 1 },
        }],
      });
      const starting = await podUntil(
        client,
        "slow",
        (p) => p.status?.containerStatuses?.[0]?.state.running !== undefined,
        "the container runs",
      );
      assert.equal(starting.status!.containerStatuses![0].ready, false);
      assert.equal((starting.status!.containerStatuses![0] as { started?: boolean }).started, false);
      const ready = await podUntil(client, "slow", (p) => condition(p, "Ready") === "True", "the pod turns Ready");
      assert.equal((ready.status!.containerStatuses![0] as { started?: boolean }).started, true);
      assert.equal(ready.status!.containerStatuses![0].restartCount, 0);
    }),
});
