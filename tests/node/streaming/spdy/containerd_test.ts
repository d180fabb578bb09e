// The SPDY client against a real peer: containerd's CRI streaming server (exec with the remotecommand v4
// protocol, and port-forward), as the kubelet uses it. Runs only as root.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { text } from "node:stream/consumers";
import type { ContainerConfig, CriClient } from "../../../../node/cri/mod.ts";
import { spdyClientUpgrade } from "../../../../node/streaming/spdy/mod.ts";
import {
  eventually,
  explainSkip,
  importTestImages,
  RUNTIME_TESTS,
  sandboxConfig,
  withContainerd,
} from "../../containerd/testenv.ts";

explainSkip("tests/node/streaming/spdy");

function busybox(name: string, command: string[]): ContainerConfig {
  return {
    metadata: { name, attempt: 0 },
    image: { image: "docker.io/library/busybox:1.36" },
    command,
    log_path: `${name}/0.log`,
    labels: { "io.kubernetes.container.name": name },
  };
}

/** A started host-network busybox container; returns its sandbox and container ids. */
async function runBusybox(cri: CriClient, dataDir: string, name: string, command: string[]) {
  const sandbox = sandboxConfig(dataDir, name);
  const sandboxId = await cri.runPodSandbox(sandbox);
  const containerId = await cri.createContainer(sandboxId, busybox(name, command), sandbox);
  await cri.startContainer(containerId);
  return { sandboxId, containerId };
}

Deno.test({
  name: "spdy exec against containerd: stdin in, stdout and stderr out, the exit code on the v4 error stream",
  ignore: !RUNTIME_TESTS,
  async fn() {
    await withContainerd(async ({ cri, containerd, dataDir }) => {
      await importTestImages(containerd.address);
      const { containerId } = await runBusybox(cri, dataDir, "exec", ["sleep", "3600"]);
      const url = await cri.exec({
        container_id: containerId,
        cmd: ["sh", "-c", "cat; echo err >&2; exit 3"],
        stdin: true,
        stdout: true,
        stderr: true,
      });
      const { session, protocol } = await spdyClientUpgrade(url, { protocols: ["v4.channel.k8s.io"] });
      assert.equal(protocol, "v4.channel.k8s.io");
      const error = await session.openStream({ streamType: "error" });
      const stdin = await session.openStream({ streamType: "stdin" });
      const stdout = await session.openStream({ streamType: "stdout" });
      const stderr = await session.openStream({ streamType: "stderr" });
      error.end();
      stdout.end();
      stderr.end();
      // More than one 64 KiB window, so containerd's WINDOW_UPDATEs (or their absence) matter.
      const input = Buffer.alloc(300 * 1024, "0123456789abcdef\n");
      stdin.end(input);
      const [out, err, status] = await Promise.all([text(stdout), text(stderr), text(error)]);
      assert.equal(out.length, input.length);
      assert.equal(out, input.toString());
      assert.equal(err, "err\n");
      const parsed = JSON.parse(status);
      assert.equal(parsed.status, "Failure");
      assert.equal(parsed.reason, "NonZeroExitCode");
      assert.deepEqual(parsed.details.causes, [{ reason: "ExitCode", message: "3" }]);
      session.close();
      await session.closed;
    });
  },
});

Deno.test({
  name: "spdy port-forward against containerd reaches a busybox httpd",
  ignore: !RUNTIME_TESTS,
  async fn() {
    await withContainerd(async ({ cri, containerd, dataDir }) => {
      await importTestImages(containerd.address);
      const port = 20000 + Math.floor(Math.random() * 20000);
      const { sandboxId, containerId } = await runBusybox(cri, dataDir, "web", [
        "sh",
        "-c",
        `mkdir -p /www && echo hello-spdy > /www/index.html && exec httpd -f -p 127.0.0.1:${port} -h /www`,
      ]);
      await eventually(
        async () => (await cri.execSync(containerId, ["sh", "-c", `netstat -ltn | grep -q :${port}`])).exit_code === 0,
        "httpd listening",
      );
      const url = await cri.portForward({ pod_sandbox_id: sandboxId, port: [port] });
      const { session, protocol } = await spdyClientUpgrade(url, { protocols: ["portforward.k8s.io"] });
      assert.equal(protocol, "portforward.k8s.io");
      const error = await session.openStream({ streamType: "error", port: String(port), requestID: "0" });
      error.end();
      const data = await session.openStream({ streamType: "data", port: String(port), requestID: "0" });
      data.end(`GET /index.html HTTP/1.0\r\nHost: localhost\r\n\r\n`);
      const response = await text(data);
      assert.match(response, /^HTTP\/1\.[01] 200/);
      assert.match(response, /hello-spdy/);
      assert.equal(await text(error), "");
      session.close();
      await session.closed;
    });
  },
});
