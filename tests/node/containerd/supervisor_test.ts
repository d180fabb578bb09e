// The agent's containerd: K3s's paths and config, a clear error when the packages are missing, and — as
// root, with Debian's containerd — supervision: ready when CRI answers, restarted when it dies, stopped
// on shutdown, an orphan from a dead agent replaced, an external runtime used as it is.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import {
  canLowerOomScore,
  connectContainerRuntime,
  containerdConfig,
  containerdPaths,
  DEFAULT_PAUSE_IMAGE,
  findContainerd,
  startContainerd,
} from "../../../node/containerd/mod.ts";
import { CriClient } from "../../../node/cri/mod.ts";
import { ensureRuntimePackages, eventually, explainSkip, RUNTIME_TESTS, withContainerd } from "./testenv.ts";

explainSkip("tests/node/containerd");

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

Deno.test("containerd paths: config and root under <data-dir>/agent, state and socket under /run/k3s/containerd", () => {
  assert.deepEqual(containerdPaths("/var/lib/rancher/k3s"), {
    config: "/var/lib/rancher/k3s/agent/etc/containerd/config.toml",
    root: "/var/lib/rancher/k3s/agent/containerd",
    state: "/run/k3s/containerd",
    address: "/run/k3s/containerd/containerd.sock",
    log: "/var/lib/rancher/k3s/agent/containerd/containerd.log",
    pidFile: "/run/k3s/containerd/containerd.pid",
    cniConfDir: "/var/lib/rancher/k3s/agent/etc/cni/net.d",
  });
  assert.equal(containerdPaths("/d", "/tmp/run").address, "/tmp/run/containerd.sock");
});

Deno.test("containerd config: CRI with the pause image, CNI directories, overlayfs and runc with the cgroup driver", () => {
  const settings = {
    optDir: "/d/agent/containerd",
    pauseImage: DEFAULT_PAUSE_IMAGE,
    cniBinDir: "/usr/lib/cni",
    cniConfDir: "/d/agent/etc/cni/net.d",
    streamServerPort: 10010,
    cgroupDriver: "cgroupfs" as const,
    restrictOomScoreAdj: false,
  };
  const toml = containerdConfig(settings);
  for (
    const line of [
      "version = 2",
      `sandbox_image = "rancher/mirrored-pause:3.6"`,
      `stream_server_address = "127.0.0.1"`,
      `stream_server_port = "10010"`,
      `bin_dir = "/usr/lib/cni"`,
      `conf_dir = "/d/agent/etc/cni/net.d"`,
      `snapshotter = "overlayfs"`,
      `runtime_type = "io.containerd.runc.v2"`,
      "SystemdCgroup = false",
      `[plugins."io.containerd.internal.v1.opt"]`,
    ]
  ) assert.ok(toml.includes(line), `config has ${line}:\n${toml}`);
  assert.ok(!toml.includes("restrict_oom_score_adj"));
  const restricted = containerdConfig({ ...settings, cgroupDriver: "systemd", restrictOomScoreAdj: true });
  assert.ok(restricted.includes("restrict_oom_score_adj = true"));
  assert.ok(restricted.includes("SystemdCgroup = true"));
});

Deno.test("containerd config: OOM scores are restricted exactly when CAP_SYS_RESOURCE is not in the bounding set", () => {
  const dir = mkdtempSync(join(tmpdir(), "k3s-caps-"));
  try {
    const status = join(dir, "status");
    writeFileSync(status, "Name:\tdeno\nCapBnd:\t000001fffeffffff\n");
    assert.equal(canLowerOomScore(status), false);
    writeFileSync(status, "Name:\tdeno\nCapBnd:\t000001ffffffffff\n");
    assert.equal(canLowerOomScore(status), true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Deno.test("containerd binary: a missing containerd or runc is an error naming the Debian package", () => {
  const dir = mkdtempSync(join(tmpdir(), "k3s-path-"));
  try {
    assert.throws(() => findContainerd(undefined, dir), /runc not found on PATH: .*apt-get install runc/);
    writeFileSync(join(dir, "runc"), "#!/bin/sh\n");
    chmodSync(join(dir, "runc"), 0o755);
    assert.throws(
      () => findContainerd(undefined, dir),
      /containerd not found on PATH: install Debian's containerd package \(apt-get install containerd runc\)/,
    );
    assert.throws(() => findContainerd(join(dir, "nothing"), dir), /containerd at .*nothing is not an executable file/);
    writeFileSync(join(dir, "containerd"), "#!/bin/sh\n");
    chmodSync(join(dir, "containerd"), 0o755);
    assert.equal(findContainerd(undefined, dir), join(dir, "containerd"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Deno.test({
  name: "containerd supervisor: starts containerd with the generated config and is ready when CRI answers",
  ignore: !RUNTIME_TESTS,
  fn: () =>
    withContainerd(async ({ dataDir, containerd, cri, log }) => {
      const paths = containerdPaths(dataDir, join(dataDir, "run"));
      assert.equal(containerd.address, paths.address);
      assert.ok(readFileSync(paths.config, "utf8").includes(`sandbox_image = "rancher/mirrored-pause:3.6"`));
      assert.equal(readFileSync(paths.pidFile, "utf8").trim(), String(containerd.pid));
      const version = await cri.version();
      assert.equal(version.runtime_name, "containerd");
      assert.equal(version.runtime_api_version, "v1");
      const status = await cri.status();
      const runtimeReady = status.status?.conditions.find((c) => c.type === "RuntimeReady");
      assert.equal(runtimeReady?.status, true);
      assert.ok(log.some((line) => line.startsWith(`Running containerd -c ${paths.config} -a ${paths.address}`)));
      assert.ok(log.some((line) => line.startsWith("Containerd is now running")));
      assert.ok(existsSync(paths.log), "containerd's output goes to containerd.log");
    }),
});

Deno.test({
  name: "containerd supervisor: a containerd that dies is restarted and answers again",
  ignore: !RUNTIME_TESTS,
  fn: () =>
    withContainerd(async ({ containerd, cri, log }) => {
      const first = containerd.pid!;
      process.kill(first, "SIGKILL");
      await eventually(() => containerd.restarts === 1, "containerd restarted");
      await containerd.ready();
      assert.notEqual(containerd.pid, first);
      assert.equal((await cri.version()).runtime_name, "containerd");
      assert.ok(
        log.some((line) =>
          /^containerd exited unexpectedly \(signal SIGKILL\) after [\d.]+s; restarting in 1s$/.test(line)
        ),
        log.join("\n"),
      );
    }),
});

Deno.test({
  name: "containerd supervisor: stop ends containerd with SIGTERM and removes its pid file",
  ignore: !RUNTIME_TESTS,
  fn: async () => {
    await ensureRuntimePackages();
    const dataDir = mkdtempSync(join(tmpdir(), "k3s-containerd-"));
    try {
      const log: string[] = [];
      const containerd = await startContainerd({
        dataDir,
        runDir: join(dataDir, "run"),
        streamServerPort: 0,
        log: (line) => log.push(line),
      });
      const pid = containerd.pid!;
      await containerd.stop();
      assert.equal(alive(pid), false);
      assert.ok(log.includes(`Stopping containerd (pid ${pid})`));
      assert.ok(!log.some((line) => line.includes("killing it")), "it exits on SIGTERM, no SIGKILL needed");
      assert.equal(existsSync(containerd.paths.pidFile), false);
      assert.equal(containerd.restarts, 0, "a stop is not a crash");
      await assert.rejects(containerd.ready(), /containerd is stopped/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});

Deno.test({
  name: "containerd supervisor: a first start that fails is an error carrying containerd's own words",
  ignore: !RUNTIME_TESTS,
  fn: async () => {
    await ensureRuntimePackages();
    const dataDir = mkdtempSync(join(tmpdir(), "k3s-containerd-"));
    try {
      const fake = join(dataDir, "containerd");
      writeFileSync(fake, "#!/bin/sh\necho 'containerd: failed to load TOML: boom' >&2\nexit 1\n");
      chmodSync(fake, 0o755);
      await assert.rejects(
        startContainerd({ dataDir, runDir: join(dataDir, "run"), binary: fake, log: () => {} }),
        /containerd exited during start-up \(exit code 1\)\ncontainerd's last log lines .*:\ncontainerd: failed to load TOML: boom/,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});

Deno.test({
  name: "containerd supervisor: a containerd left running by an agent that died is stopped before a new one starts",
  ignore: !RUNTIME_TESTS,
  sanitizeResources: false,
  fn: async () => {
    await ensureRuntimePackages();
    const dataDir = mkdtempSync(join(tmpdir(), "k3s-containerd-"));
    const runDir = join(dataDir, "run");
    mkdirSync(runDir);
    try {
      const fixture = new URL("./fixtures/agent.ts", import.meta.url).pathname;
      const agent = spawn(Deno.execPath(), ["run", "-A", "--no-check", fixture, dataDir, runDir], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      let output = "";
      agent.stdout!.on("data", (chunk) => output += chunk);
      await eventually(() => output.includes("Containerd is now running"), "the first agent's containerd runs");
      const orphan = Number(/pid (\d+)/.exec(output)![1]);
      agent.kill("SIGKILL");
      await new Promise((resolve) => agent.once("exit", resolve));
      assert.equal(alive(orphan), true, "containerd outlives its agent");

      const log: string[] = [];
      const containerd = await startContainerd({ dataDir, runDir, streamServerPort: 0, log: (l) => log.push(l) });
      try {
        assert.ok(log.includes(`Stopping containerd left running by an earlier agent (pid ${orphan})`), log.join("\n"));
        assert.equal(alive(orphan), false);
        assert.notEqual(containerd.pid, orphan);
      } finally {
        await containerd.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});

Deno.test({
  name: "container runtime endpoint: an existing runtime is used as it is and never stopped",
  ignore: !RUNTIME_TESTS,
  fn: () =>
    withContainerd(async ({ containerd }) => {
      const lines: string[] = [];
      const runtime = await connectContainerRuntime(`unix://${containerd.address}`, { log: (l) => lines.push(l) });
      assert.equal(runtime.address, containerd.address);
      assert.match(lines[0], /^Using container runtime containerd \S+ at /);
      await runtime.ready();
      await runtime.stop();
      const cri = new CriClient(containerd.address);
      try {
        assert.equal((await cri.version()).runtime_name, "containerd", "still running");
      } finally {
        cri.close();
      }
    }),
});
