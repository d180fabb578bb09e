/**
 * Startup: the built binary for this machine (`dist/k3s-<arch>`; `scripts/k3s` when there is none) — its
 * size, the time from exec to the ready line and to an answered `/readyz`, on the first start (which
 * unpacks the binary's payload) and on a warm one, and the idle RSS of `k3s server` with no workloads once it
 * has settled. Printed beside K3s's published figures as ratios ours/K3s.
 *
 *   scripts/deno task bench startup [--settle 30]
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { transportFromKubeconfig } from "../../core/client/mod.ts";

const { values: flags } = parseArgs({
  args: Deno.args.slice(1),
  options: { settle: { type: "string", default: "30" } },
});
const SETTLE_S = Number(flags.settle);

/** K3s's figures (see shared/notes/k3s.md §9.1). */
const K3S_BINARY_MB = 100; // README: "a binary less than 100 MB"
const K3S_IDLE_RSS_MB = 500; // idle single node, k3s#2278 and k3s#3536
const K3S_READY_S = 50; // `k3s server` to all default pods Ready, k3s#4340
const TARGET_IDLE_RSS_MB = 150;

const root = new URL("../..", import.meta.url).pathname;
const arch = Deno.build.arch === "aarch64" ? "arm64" : "amd64";
const built = join(root, `dist/k3s-${arch}`);
const command = existsSync(built) ? built : join(root, "scripts/k3s");
const dataDir = mkdtempSync(join(tmpdir(), "k3s-bench-startup-"));
const kubeconfig = join(dataDir, "k3s.yaml");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Started {
  pid: number;
  readyLineS: number;
  readyzS: number;
  stop(): Promise<void>;
}

/** Starts `k3s server`, timing the ready line and the first 200 from /readyz. */
async function start(): Promise<Started> {
  const began = performance.now();
  const child = new Deno.Command(command, {
    args: ["server", "--data-dir", dataDir, "--https-listen-port", "0", "--bind-address", "127.0.0.1"]
      .concat(["--write-kubeconfig", kubeconfig, "--disable-agent"]),
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  let output = "";
  let readyLineS = 0;
  const ready = Promise.withResolvers<void>();
  const reading = child.stdout.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({
      write(chunk) {
        output += chunk;
        if (!readyLineS && /k3s is up and running/.test(output)) {
          readyLineS = (performance.now() - began) / 1000;
          ready.resolve();
        }
      },
    }),
  );
  const status = child.status;
  await Promise.race([ready.promise, status.then(() => ready.reject(new Error(`k3s server exited:\n${output}`)))]);
  const transport = await transportFromKubeconfig(kubeconfig);
  let readyzS = 0;
  while (!readyzS) {
    const response = await transport(new Request("https://kubernetes.invalid/readyz")).catch(() => undefined);
    await response?.body?.cancel();
    if (response?.status === 200) readyzS = (performance.now() - began) / 1000;
    else await sleep(10);
  }
  transport.close();
  return {
    pid: child.pid,
    readyLineS,
    readyzS,
    async stop() {
      child.kill("SIGTERM");
      await status;
      await reading;
    },
  };
}

function rssMB(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) * 1024 / 1e6;
}

function folderMB(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0) / 1e6;
}

const row = (what: string, ours: string, peer = "", ratio = "") =>
  console.log(`${what.padEnd(36)} ${ours.padStart(10)}   ${peer.padEnd(44)} ${ratio}`);

try {
  console.error(`startup: ${command}, data dir ${dataDir}; settling ${SETTLE_S} s for the idle RSS …`);
  const first = await start();
  await first.stop();
  const warm = await start();
  let rss = rssMB(warm.pid);
  for (let s = 0; s < SETTLE_S; s++) {
    await sleep(1000);
    rss = rssMB(warm.pid);
  }
  await warm.stop();

  row("", "ours", "K3s", "ours/K3s");
  if (command === built) {
    const size = statSync(built).size / 1e6;
    row(
      "binary size",
      `${size.toFixed(1)} MB`,
      `< ${K3S_BINARY_MB} MB (README)`,
      `${(size / K3S_BINARY_MB).toFixed(2)}×`,
    );
    const current = join(dataDir, "data/current");
    if (existsSync(current)) row("unpacked into <data-dir>/data", `${folderMB(current).toFixed(1)} MB`);
  } else {
    row("binary size", "n/a", "no dist/ binary: ran scripts/k3s (deno task build)");
  }
  const versus = `~${K3S_READY_S} s to default pods Ready (k3s#4340)`;
  const ratio = (s: number) => `${(s / K3S_READY_S).toFixed(3)}× (API only)`;
  row("exec → ready line, first start", `${first.readyLineS.toFixed(2)} s`);
  row("exec → /readyz 200, first start", `${first.readyzS.toFixed(2)} s`, versus, ratio(first.readyzS));
  row("exec → ready line, warm", `${warm.readyLineS.toFixed(2)} s`);
  row("exec → /readyz 200, warm", `${warm.readyzS.toFixed(2)} s`, versus, ratio(warm.readyzS));
  const verdict = rss < TARGET_IDLE_RSS_MB ? "under" : "OVER";
  row(
    `idle RSS after ${SETTLE_S} s`,
    `${rss.toFixed(0)} MB`,
    `~${K3S_IDLE_RSS_MB} MB idle (k3s#2278)`,
    `${(rss / K3S_IDLE_RSS_MB).toFixed(2)}× (${verdict} our ${TARGET_IDLE_RSS_MB} MB target)`,
  );
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
