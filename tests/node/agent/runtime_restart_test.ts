// `k3s server` with its agent survives containerd being killed: the supervisor starts it again, the pod keeps running
// in its shim (same container, no restart), the Node stays Ready and kubectl exec reaches the pod again.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { kubectl, startK3sServer } from "../../support/k3s_process.ts";
import { eventually, RUNTIME_TESTS } from "../containerd/testenv.ts";

if (!RUNTIME_TESTS) {
  console.warn("tests/node/agent/runtime_restart: skipped: the node agent runs real pods, which needs root");
}

/** The pid of the containerd serving `dataDir`'s agent, from its pid-less command line in /proc. */
async function containerdPid(dataDir: string): Promise<number | undefined> {
  const config = join(dataDir, "agent", "etc", "containerd", "config.toml");
  const out = await new Deno.Command("pgrep", { args: ["-f", `containerd -c ${config}`], stdout: "piped" }).output();
  const pids = new TextDecoder().decode(out.stdout).trim().split("\n").filter(Boolean).map(Number);
  return pids.find((pid) => readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "containerd");
}

Deno.test({
  name: "agent: killing containerd is survived: it is restarted and the pod keeps running without a restart",
  ignore: !RUNTIME_TESTS,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    await using server = await startK3sServer({
      agent: true,
      args: ["--pause-image", "docker.io/rancher/mirrored-pause:3.6"],
    });
    const run = await kubectl(server, "run", "sleeper", "--image=busybox:1.36", "--", "sleep", "3600");
    assert.equal(run.code, 0, run.stderr);
    const ready = await kubectl(server, "wait", "--for=condition=Ready", "pod/sleeper", "--timeout=60s");
    assert.equal(ready.code, 0, ready.stderr + server.output().slice(-2000));
    const containerID = async () =>
      (await kubectl(server, "get", "pod", "sleeper", "-o", "jsonpath={.status.containerStatuses[0].containerID}"))
        .stdout;
    const before = await containerID();

    const pid = await containerdPid(server.dataDir);
    assert.ok(pid, "containerd runs as the agent's child");
    Deno.kill(pid, "SIGKILL");
    await eventually(async () => {
      const now = await containerdPid(server.dataDir);
      return now !== undefined && now !== pid;
    }, "containerd started again");

    await eventually(
      async () => (await kubectl(server, "exec", "sleeper", "--", "echo", "alive")).stdout === "alive\n",
      "exec reaches the pod again",
    );
    assert.equal(await containerID(), before, "the same container runs");
    const restarts = await kubectl(
      server,
      "get",
      "pod",
      "sleeper",
      "-o",
      "jsonpath={.status.containerStatuses[0].restartCount}",
    );
    assert.equal(restarts.stdout, "0");
    const nodeReady = await kubectl(server, "wait", "--for=condition=Ready", "node", "--all", "--timeout=60s");
    assert.equal(nodeReady.code, 0, nodeReady.stderr);
    assert.match(server.output(), /containerd exited unexpectedly \(signal SIGKILL\)/);
  },
});
