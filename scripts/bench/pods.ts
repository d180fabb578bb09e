/**
 * Pods: the time from `kubectl apply` of a 10-replica busybox Deployment to all its pods Ready on `k3s server`'s own
 * node agent, beside the floor — the same 10 pods made directly with CRI calls (RunPodSandbox, CreateContainer,
 * StartContainer) on the same containerd in the same run — as a ratio (target ≤ 1.5×), and the RSS of the server
 * process (which runs the agent) and of its containerd. Needs root, like the agent.
 *
 *   scripts/deno task bench pods [--replicas 10]
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";
import { containerdPaths } from "../../node/containerd/mod.ts";
import { CriClient, type PodSandboxConfig } from "../../node/cri/mod.ts";
import { testImages } from "../../tests/node/containerd/testenv.ts";
import { kubectl, startK3sServer } from "../../tests/support/k3s_process.ts";

const { values: flags } = parseArgs({
  args: Deno.args.slice(1),
  options: { replicas: { type: "string", default: "10" } },
});
const REPLICAS = Number(flags.replicas);
const TARGET_RATIO = 1.5;
const PAUSE_IMAGE = "docker.io/rancher/mirrored-pause:3.6";
const BUSYBOX = "docker.io/library/busybox:1.36";

if (process.getuid?.() !== 0) {
  console.error("bench pods: the node agent runs real pods, which needs root");
  Deno.exit(1);
}

function rssMB(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) * 1024 / 1e6;
}

async function must(server: { kubeconfig: string }, ...args: string[]): Promise<string> {
  const { code, stdout, stderr } = await kubectl(server, ...args);
  if (code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${stderr}`);
  return stdout;
}

/** Until the agent's Node is registered and Ready (`kubectl wait` fails at once while there is no Node yet). */
async function nodeReady(server: { kubeconfig: string }): Promise<void> {
  const deadline = Date.now() + 120_000;
  const ready = '{.items[*].status.conditions[?(@.type=="Ready")].status}';
  while ((await kubectl(server, "get", "nodes", "-o", `jsonpath=${ready}`)).stdout.trim() !== "True") {
    if (Date.now() > deadline) throw new Error("the node did not become Ready within 120 s");
    await new Promise((r) => setTimeout(r, 200));
  }
}

const DEPLOYMENT = JSON.stringify({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "bench", namespace: "default" },
  spec: {
    replicas: REPLICAS,
    selector: { matchLabels: { app: "bench" } },
    template: {
      metadata: { labels: { app: "bench" } },
      spec: {
        terminationGracePeriodSeconds: 0,
        containers: [{ name: "sleep", image: "busybox:1.36", command: ["sleep", "3600"] }],
      },
    },
  },
});

/** `kubectl apply` → every replica Ready, in seconds. */
async function throughAgent(server: { kubeconfig: string }): Promise<number> {
  const file = join(tmpdir(), `bench-pods-${crypto.randomUUID()}.json`);
  Deno.writeTextFileSync(file, DEPLOYMENT);
  try {
    const began = performance.now();
    await must(server, "apply", "-f", file);
    await must(server, "rollout", "status", "deployment/bench", "--timeout=300s");
    return (performance.now() - began) / 1000;
  } finally {
    rmSync(file, { force: true });
  }
}

/** The same pods with CRI calls only, each on the pod network as the kubelet makes them; in seconds. */
async function throughCri(cri: CriClient, logDir: string): Promise<{ seconds: number; sandboxes: string[] }> {
  const sandboxes: string[] = [];
  const began = performance.now();
  await Promise.all(Array.from({ length: REPLICAS }, async (_, i) => {
    const uid = crypto.randomUUID();
    const name = `floor-${i}`;
    const config: PodSandboxConfig = {
      metadata: { name, namespace: "bench-floor", uid, attempt: 0 },
      hostname: name,
      log_directory: join(logDir, `bench-floor_${name}_${uid}`),
      labels: { "io.kubernetes.pod.name": name, "io.kubernetes.pod.namespace": "bench-floor" },
      linux: { cgroup_parent: `/kubepods/besteffort/pod${uid}` },
    };
    mkdirSync(config.log_directory!, { recursive: true });
    const sandbox = await cri.runPodSandbox(config);
    sandboxes.push(sandbox);
    const container = await cri.createContainer(sandbox, {
      metadata: { name: "sleep", attempt: 0 },
      image: { image: BUSYBOX },
      command: ["sleep", "3600"],
      log_path: "sleep/0.log",
    }, config);
    await cri.startContainer(container);
  }));
  return { seconds: (performance.now() - began) / 1000, sandboxes };
}

const row = (what: string, value: string, note = "") =>
  console.log(`${what.padEnd(44)} ${value.padStart(10)}   ${note}`);

const dataDir = mkdtempSync(join(tmpdir(), "k3s-bench-pods-"));
try {
  mkdirSync(join(dataDir, "agent", "images"), { recursive: true });
  for (const file of ["busybox.tar", "pause.tar"]) {
    copyFileSync(join(testImages(), file), join(dataDir, "agent", "images", file));
  }
  console.error(`pods: k3s server with its agent, data dir ${dataDir}; ${REPLICAS} pods each way …`);
  await using server = await startK3sServer({ agent: true, dataDir, args: ["--pause-image", PAUSE_IMAGE] });
  const agentS = await (async () => {
    await nodeReady(server);
    return await throughAgent(server);
  })().catch((error) => {
    throw new Error(`${(error as Error).message}\n--- server log ---\n${server.output().slice(-3000)}`);
  });
  const paths = containerdPaths(dataDir);
  const cri = new CriClient(paths.address);
  try {
    const floor = await throughCri(cri, join(dataDir, "floor-logs"));
    const serverRss = rssMB(server.pid);
    const containerdRss = rssMB(Number(readFileSync(paths.pidFile, "utf8").trim()));
    const ratio = agentS / floor.seconds;
    row("", "", "");
    row(`kubectl apply → ${REPLICAS} pods Ready (agent)`, `${agentS.toFixed(2)} s`);
    row(`${REPLICAS} pods by raw CRI calls (floor)`, `${floor.seconds.toFixed(2)} s`);
    row(
      "agent / floor",
      `${ratio.toFixed(2)}×`,
      `${ratio <= TARGET_RATIO ? "within" : "OVER"} the ${TARGET_RATIO}× target`,
    );
    row(`RSS of k3s server + agent, ${REPLICAS} pods`, `${serverRss.toFixed(0)} MB`);
    row("RSS of its containerd", `${containerdRss.toFixed(0)} MB`);
    for (const sandbox of floor.sandboxes) {
      await cri.stopPodSandbox(sandbox);
      await cri.removePodSandbox(sandbox);
    }
  } finally {
    cri.close();
  }
  await must(server, "delete", "deployment/bench", "--wait=false");
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
