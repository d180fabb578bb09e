/**
 * `k3s server` as a child process, started the way the README starts it (`scripts/k3s server`), on a
 * free port with its own data dir and kubeconfig, for tests that drive it with the real kubectl.
 *
 * ```ts
 * await using server = await startK3sServer();
 * await kubectl(server, "get", "ns");
 * ```
 *
 * @module
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startContainerd } from "../../node/containerd/mod.ts";
import { CriClient } from "../../node/cri/mod.ts";
import { testImages } from "../node/containerd/testenv.ts";
import { freePort } from "./servers.ts";

const root = new URL("../..", import.meta.url).pathname;

/** A running server process. */
export interface K3sProcess {
  dataDir: string;
  kubeconfig: string;
  port: number;
  /** The server's process id (scripts/k3s execs Deno, so it is the Deno process). */
  pid: number;
  /** Everything the server printed so far. */
  output(): string;
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Start `scripts/k3s server` (or `command` then `server`, e.g. the bundle under Node) and wait for its ready line.
 *
 * ```ts
 * const server = await startK3sServer({ args: ["--datastore-endpoint", pg.endpoint] });
 * ```
 */
export async function startK3sServer(
  options: {
    args?: string[];
    dataDir?: string;
    command?: string[];
    /**
     * Run the node agent too (root only), with the kubelet's root and pod logs dirs under the data dir and the test
     * images in `<data-dir>/agent/images` (as an air-gapped K3s node has them); its pods are removed when the server
     * stops. Other servers pass `--disable-agent`, so they stay fast and off `cni0`.
     */
    agent?: boolean;
    /** Where it listens (default 127.0.0.1 on a free port); servers of one cluster share a port on 127.0.0.x. */
    bindAddress?: string;
    port?: number;
  } = {},
): Promise<K3sProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "k3s-server-"));
  const kubeconfig = join(dataDir, "k3s.yaml");
  if (options.agent) copyTestImages(dataDir);
  const port = options.port ?? await freePort();
  const child = spawnK3s([
    "server",
    "--data-dir",
    dataDir,
    "--https-listen-port",
    String(port),
    "--bind-address",
    options.bindAddress ?? "127.0.0.1",
    // Agents tunnel to the addresses the `kubernetes` endpoints advertise: the one the server listens on.
    "--advertise-address",
    options.bindAddress ?? "127.0.0.1",
    "--write-kubeconfig",
    kubeconfig,
    ...(options.agent
      ? [
        "--kubelet-arg",
        `root-dir=${join(dataDir, "kubelet")}`,
        "--kubelet-arg",
        `pod-logs-dir=${join(dataDir, "pods")}`,
      ]
      : ["--disable-agent"]),
    ...(options.args ?? []),
  ], options.command);
  await child.ready(/k3s is up and running/, "k3s server");
  const stop = async () => {
    await child.stop();
    if (options.agent) await removeAgentPods(dataDir);
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  return { dataDir, kubeconfig, port, pid: child.pid, output: child.output, stop, [Symbol.asyncDispose]: stop };
}

/** A running `k3s agent` process. */
export interface K3sAgentProcess {
  dataDir: string;
  /** Everything the agent printed so far. */
  output(): string;
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Start `scripts/k3s agent --server URL --token T` (root only) with its own data dir holding the test images, the
 * kubelet's dirs under it, and wait for its ready line; its pods are removed when it stops.
 *
 * ```ts
 * await using agent = await startK3sAgent({ server: `https://127.0.0.1:${server.port}`, token, nodeName: "worker" });
 * ```
 */
export async function startK3sAgent(
  options: { server: string; token: string; nodeName: string; args?: string[] },
): Promise<K3sAgentProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), "k3s-agent-"));
  copyTestImages(dataDir);
  const child = spawnK3s([
    "agent",
    "--server",
    options.server,
    "--token",
    options.token,
    "--data-dir",
    dataDir,
    "--node-name",
    options.nodeName,
    "--pause-image",
    "docker.io/rancher/mirrored-pause:3.6",
    "--kubelet-arg",
    `root-dir=${join(dataDir, "kubelet")}`,
    "--kubelet-arg",
    `pod-logs-dir=${join(dataDir, "pods")}`,
    ...(options.args ?? []),
  ]);
  await child.ready(/k3s agent is up and running/, "k3s agent");
  const stop = async () => {
    await child.stop();
    await removeAgentPods(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { dataDir, output: child.output, stop, [Symbol.asyncDispose]: stop };
}

/** A `scripts/k3s` child whose output is collected. */
function spawnK3s(args: string[], command = [join(root, "scripts/k3s")]) {
  const [program, ...prefix] = command;
  const child = new Deno.Command(program, { args: [...prefix, ...args], stdout: "piped", stderr: "piped" }).spawn();
  let output = "";
  const collect = (stream: ReadableStream<Uint8Array>) =>
    stream.pipeThrough(new TextDecoderStream()).pipeTo(
      new WritableStream({ write: (chunk) => void (output += chunk) }),
    );
  const reading = Promise.all([collect(child.stdout), collect(child.stderr)]);
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  let stopped = false;
  return {
    pid: child.pid,
    output: () => output,
    /** Wait for `line` in the output (60 s); a process that exits or stays silent fails the start. */
    async ready(line: RegExp, what: string): Promise<void> {
      const deadline = Date.now() + 60_000;
      while (!line.test(output)) {
        if (exited || Date.now() > deadline) {
          if (!exited) child.kill("SIGKILL");
          await status;
          throw new Error(`${what} did not become ready:\n${output}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      if (!exited) child.kill("SIGTERM");
      await status;
      await reading.catch(() => {});
    },
  };
}

/** Put the test images where the agent imports air-gap images from. */
function copyTestImages(dataDir: string): void {
  mkdirSync(join(dataDir, "agent", "images"), { recursive: true });
  for (const file of ["busybox.tar", "pause.tar"]) {
    copyFileSync(join(testImages(), file), join(dataDir, "agent", "images", file));
  }
}

/**
 * Remove every pod sandbox the agent of a stopped server left running (K3s leaves pods in their shims when it
 * stops, as k3s-killall.sh is what stops them): containerd is started again on the server's data dir just to remove
 * them, then the mounts the kubelet made under the data dir are undone.
 *
 * ```ts
 * await removeAgentPods(server.dataDir);
 * ```
 */
export async function removeAgentPods(dataDir: string): Promise<void> {
  const containerd = await startContainerd({ dataDir, streamServerPort: 0, log: () => {} });
  const cri = new CriClient(containerd.address);
  try {
    for (const sandbox of await cri.listPodSandbox()) {
      await cri.stopPodSandbox(sandbox.id);
      await cri.removePodSandbox(sandbox.id);
    }
  } finally {
    cri.close();
    await containerd.stop();
  }
  const mounts = readFileSync("/proc/self/mountinfo", "utf8").split("\n").map((line) => line.split(" ")[4])
    .filter((point) => point?.startsWith(`${dataDir}/`)).reverse();
  for (const point of mounts) await new Deno.Command("umount", { args: ["-l", point] }).output();
}

/**
 * Run the real kubectl against `server`; resolves to its exit code and output.
 *
 * ```ts
 * const { code, stdout } = await kubectl(server, "get", "cm", "-o", "name");
 * ```
 */
export async function kubectl(
  server: Pick<K3sProcess, "kubeconfig">,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command("kubectl", {
    args: ["--request-timeout=20s", ...args],
    env: { KUBECONFIG: server.kubeconfig, HOME: join(server.kubeconfig, "..") },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: new TextDecoder().decode(out.stdout), stderr: new TextDecoder().decode(out.stderr) };
}
