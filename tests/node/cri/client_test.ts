// The CRI v1 client against a real containerd (as root): runtime and image calls, a pod sandbox with a
// busybox container from the test images, exec, stats, streaming URLs, and a containerd restart that
// running containers survive.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import process from "node:process";
import { CriError, isNotFound, socketPath } from "../../../node/cri/mod.ts";
import type { ContainerConfig, CriClient, PodSandboxConfig } from "../../../node/cri/mod.ts";
import {
  containerGone,
  eventually,
  explainSkip,
  importTestImages,
  RUNTIME_TESTS,
  sandboxConfig,
  withContainerd,
} from "../containerd/testenv.ts";

explainSkip("tests/node/cri");

const BUSYBOX = "docker.io/library/busybox:1.36";

function busybox(name: string, command: string[]): ContainerConfig {
  return {
    metadata: { name, attempt: 0 },
    image: { image: BUSYBOX },
    command,
    log_path: `${name}/0.log`,
    envs: [{ key: "GREETING", value: "hello" }],
    labels: { "io.kubernetes.container.name": name },
  };
}

/** Run a sandbox and one started container in it. */
async function runContainer(
  cri: CriClient,
  dataDir: string,
  name: string,
  command: string[],
): Promise<{ sandboxId: string; containerId: string; sandbox: PodSandboxConfig }> {
  const sandbox = sandboxConfig(dataDir, name);
  const sandboxId = await cri.runPodSandbox(sandbox);
  const containerId = await cri.createContainer(sandboxId, busybox(name, command), sandbox);
  await cri.startContainer(containerId);
  return { sandboxId, containerId, sandbox };
}

Deno.test("cri endpoint: a unix:// URL or a path names the socket; other schemes are refused", () => {
  assert.equal(socketPath("unix:///run/k3s/containerd/containerd.sock"), "/run/k3s/containerd/containerd.sock");
  assert.equal(socketPath("/run/containerd/containerd.sock"), "/run/containerd/containerd.sock");
  assert.throws(() => socketPath("tcp://127.0.0.1:1234"), /only unix sockets are supported/);
});

Deno.test({
  name: "cri: Version and Status come from containerd's CRI plugin",
  ignore: !RUNTIME_TESTS,
  fn: () =>
    withContainerd(async ({ cri }) => {
      const version = await cri.version();
      assert.equal(version.version, "0.1.0");
      assert.equal(version.runtime_name, "containerd");
      assert.equal(version.runtime_api_version, "v1");
      const status = await cri.status(true);
      const types = status.status!.conditions.map((c) => c.type).sort();
      assert.deepEqual(types, ["NetworkReady", "RuntimeReady"]);
      // No CNI config is written yet, so the network is not ready, and the runtime says why.
      const network = status.status!.conditions.find((c) => c.type === "NetworkReady")!;
      assert.equal(network.status, false);
      assert.equal(network.reason, "NetworkPluginNotReady");
      assert.ok(status.info.config, "verbose status carries the runtime's config");
    }),
});

Deno.test({
  name: "cri: imported images are listed, found by short name, and removable",
  ignore: !RUNTIME_TESTS,
  fn: () =>
    withContainerd(async ({ cri, containerd, dataDir }) => {
      await importTestImages(containerd.address);
      const tags = (await cri.listImages()).flatMap((image) => image.repo_tags).sort();
      assert.deepEqual(tags, [BUSYBOX, "docker.io/rancher/mirrored-pause:3.6"]);
      const status = await cri.imageStatus({ image: "busybox:1.36" });
      assert.deepEqual(status.image?.repo_tags, [BUSYBOX]);
      assert.match(status.image!.id, /^sha256:[0-9a-f]{64}$/);
      assert.ok(status.image!.size > 500_000);
      assert.equal((await cri.imageStatus({ image: "docker.io/library/absent:1" })).image, null);
      const fs = await cri.imageFsInfo();
      assert.ok(fs.image_filesystems[0].fs_id!.mountpoint.startsWith(dataDir));
      await cri.removeImage({ image: BUSYBOX });
      assert.equal((await cri.imageStatus({ image: BUSYBOX })).image, null);
      await cri.removeImage({ image: BUSYBOX }); // idempotent
    }),
});

Deno.test({
  name: "cri: a busybox container in a pod sandbox echoes to its CRI log and exits 0 as Completed",
  ignore: !RUNTIME_TESTS,
  fn: () =>
    withContainerd(async ({ cri, containerd, dataDir }) => {
      await importTestImages(containerd.address);
      const { sandboxId, containerId, sandbox } = await runContainer(cri, dataDir, "echo", [
        "sh",
        "-c",
        'echo "$GREETING from busybox"; echo to stderr >&2',
      ]);
      const sandboxStatus = await cri.podSandboxStatus(sandboxId);
      assert.equal(sandboxStatus.status?.state, "SANDBOX_READY");
      assert.equal(sandboxStatus.status?.metadata?.name, "echo");
      assert.deepEqual(
        (await cri.listPodSandbox({ label_selector: { "io.kubernetes.pod.name": "echo" } })).map((s) => s.id),
        [sandboxId],
      );

      await eventually(
        async () => (await cri.containerStatus(containerId)).status?.state === "CONTAINER_EXITED",
        "the container exits",
      );
      const status = (await cri.containerStatus(containerId)).status!;
      assert.equal(status.exit_code, 0);
      assert.equal(status.reason, "Completed");
      // Both are set; their order is not (containerd may record a fast exit before the start).
      assert.ok(status.started_at > 0 && status.finished_at > 0);
      assert.equal(status.log_path, `${sandbox.log_directory}/echo/0.log`);
      // CRI's log format: RFC 3339 time, stream, P(artial) or F(ull), the line.
      const lines = readFileSync(status.log_path, "utf8").trimEnd().split("\n");
      const entries = lines.map((line) => /^(\S+) (stdout|stderr) F (.*)$/.exec(line)!.slice(2));
      assert.deepEqual(entries.sort(), [["stderr", "to stderr"], ["stdout", "hello from busybox"]]);

      const listed = await cri.listContainers({ pod_sandbox_id: sandboxId });
      assert.deepEqual(listed.map((c) => [c.id, c.state, c.metadata?.name]), [[
        containerId,
        "CONTAINER_EXITED",
        "echo",
      ]]);
      await cri.removeContainer(containerId);
      assert.ok(await containerGone(cri, containerId));
      const missing = await cri.containerStatus(containerId).catch((e) => e);
      assert.ok(missing instanceof CriError && isNotFound(missing));
      assert.match(missing.message, /^rpc error: code = NotFound desc = /);
      await cri.stopPodSandbox(sandboxId);
      assert.equal((await cri.podSandboxStatus(sandboxId)).status?.state, "SANDBOX_NOTREADY");
      await cri.removePodSandbox(sandboxId);
      assert.deepEqual(await cri.listPodSandbox(), []);
    }),
});

Deno.test({
  name: "cri: ExecSync returns a command's output and exit code; StopContainer sends SIGTERM first",
  ignore: !RUNTIME_TESTS,
  fn: () =>
    withContainerd(async ({ cri, containerd, dataDir }) => {
      await importTestImages(containerd.address);
      const { containerId } = await runContainer(cri, dataDir, "sleeper", [
        "sh",
        "-c",
        "trap 'exit 0' TERM; while :; do sleep 0.1; done",
      ]);
      const result = await cri.execSync(containerId, ["sh", "-c", "echo $GREETING; echo oops >&2; exit 3"], 10);
      assert.equal(new TextDecoder().decode(result.stdout), "hello\n");
      assert.equal(new TextDecoder().decode(result.stderr), "oops\n");
      assert.equal(result.exit_code, 3);
      const ok = await cri.execSync(containerId, ["true"]);
      assert.equal(ok.exit_code, 0);
      await cri.stopContainer(containerId, 30);
      const stopped = (await cri.containerStatus(containerId)).status!;
      assert.equal(stopped.state, "CONTAINER_EXITED");
      assert.equal(stopped.exit_code, 0, "SIGTERM first: the shell's trap exits cleanly");
    }),
});

Deno.test({
  name: "cri: stats report a running container's CPU and memory, and streaming calls return stream URLs",
  ignore: !RUNTIME_TESTS,
  fn: () =>
    withContainerd(async ({ cri, containerd, dataDir }) => {
      await importTestImages(containerd.address);
      const { sandboxId, containerId } = await runContainer(cri, dataDir, "busy", ["sleep", "3600"]);
      const stats = await cri.containerStats(containerId);
      assert.equal(stats?.attributes?.id, containerId);
      assert.ok(stats!.memory!.working_set_bytes!.value > 0);
      assert.ok(stats!.cpu!.usage_core_nano_seconds!.value > 0);
      const all = await cri.listContainerStats({ pod_sandbox_id: sandboxId });
      assert.deepEqual(all.map((s) => s.attributes?.id), [containerId]);

      const stream = /^http:\/\/127\.0\.0\.1:\d+\/(exec|attach|portforward)\/[\w-]+$/;
      const exec = await cri.exec({ container_id: containerId, cmd: ["sh"], stdin: true, stdout: true });
      assert.match(exec, stream);
      assert.match(await cri.attach({ container_id: containerId, stdout: true }), stream);
      assert.match(await cri.portForward({ pod_sandbox_id: sandboxId, port: [80] }), stream);
    }),
});

Deno.test({
  name: "cri: after containerd is killed the supervisor restarts it, and the pod's containers are still there",
  ignore: !RUNTIME_TESTS,
  fn: () =>
    withContainerd(async ({ cri, containerd, dataDir }) => {
      await importTestImages(containerd.address);
      const echo = await runContainer(cri, dataDir, "echo", ["echo", "done"]);
      const sleeper = await runContainer(cri, dataDir, "sleeper", ["sleep", "3600"]);
      await eventually(
        async () => (await cri.containerStatus(echo.containerId)).status?.state === "CONTAINER_EXITED",
        "echo exits",
      );
      process.kill(containerd.pid!, "SIGKILL");
      await eventually(() => containerd.restarts === 1, "containerd restarted");
      await containerd.ready();
      // The same client reconnects on its own.
      assert.equal((await cri.containerStatus(sleeper.containerId)).status?.state, "CONTAINER_RUNNING");
      const echoed = (await cri.containerStatus(echo.containerId)).status!;
      assert.equal(echoed.state, "CONTAINER_EXITED");
      assert.equal(echoed.exit_code, 0);
      const result = await cri.execSync(sleeper.containerId, ["echo", "still here"], 10);
      assert.equal(new TextDecoder().decode(result.stdout), "still here\n");
    }),
});
