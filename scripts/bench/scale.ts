/**
 * Scale: a `scripts/k3s server --simulated-nodes 1000` child process, then 10 Deployments of 1,000 replicas
 * each created through HTTPS; measures the time until all 10,000 pods are Running, the scheduler's
 * binding rate, the server's CPU seconds per phase (wall time alone says little on a shared machine),
 * its peak RSS and the store's size. The peer is KWOK's CI bar (10,000 pods Running within 120 s on a
 * real kube-apiserver and etcd) and this project's target (60 s on 2 cores).
 *
 *   scripts/deno task bench scale [--nodes 1000] [--pods 10000]
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ApiClient, transportFromKubeconfig } from "../../core/client/mod.ts";
import { Registry } from "../../core/registry/registry.ts";
import { startK3sServer } from "../../tests/support/k3s_process.ts";

const { values: flags } = parseArgs({
  args: Deno.args.slice(1),
  options: { nodes: { type: "string", default: "1000" }, pods: { type: "string", default: "10000" } },
});
const NODES = Number(flags.nodes);
const PODS = Number(flags.pods);
const DEPLOYMENTS = 10;
const KWOK_BAR_S = 120;
const TARGET_S = 60;

function memoryMiB(pid: number, field: "VmHWM" | "VmRSS"): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)![1]) / 1024;
}

/** User plus system CPU seconds the process has used (its threads included: SQLite syncs, GC). */
function cpuSeconds(pid: number): number {
  // Fields after the parenthesised command name; utime and stime are the 14th and 15th of the whole line.
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** Linux's USER_HZ, the unit of /proc's CPU times, is 100 on every architecture it runs on. */
const CLOCK_TICKS = 100;

function storeMiB(dataDir: string): number {
  const db = join(dataDir, "server", "db");
  let bytes = 0;
  for (const name of ["state.db", "state.db-wal"]) {
    try {
      bytes += statSync(join(db, name)).size;
    } catch {
      // no WAL right now
    }
  }
  return bytes / 2 ** 20;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

await using server = await startK3sServer({
  args: ["--simulated-nodes", String(NODES), "--cluster-cidr", "10.32.0.0/12"],
});
const client = new ApiClient(await transportFromKubeconfig(server.kubeconfig), new Registry());
const NODE = { apiVersion: "v1", kind: "Node" };
const POD = { apiVersion: "v1", kind: "Pod" };
const NAMESPACE = { apiVersion: "v1", kind: "Namespace" };

const ready = performance.now();
const cpuAtReady = cpuSeconds(server.pid);
while ((await client.list(NODE)).items.length < NODES) await sleep(500);
const cpuAtNodes = cpuSeconds(server.pid);
console.log(
  `${NODES} simulated nodes registered in ${((performance.now() - ready) / 1000).toFixed(1)} s (server CPU ${
    (cpuAtNodes - cpuAtReady).toFixed(1)
  } s)`,
);

const namespace = "scale";
await client.create({ ...NAMESPACE, metadata: { name: namespace } });
const started = performance.now();
for (let d = 0; d < DEPLOYMENTS; d++) {
  await client.create({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: `load-${d}`, namespace },
    spec: {
      replicas: PODS / DEPLOYMENTS,
      selector: { matchLabels: { app: `load-${d}` } },
      template: {
        metadata: { labels: { app: `load-${d}` } },
        spec: { containers: [{ name: "c", image: "busybox:1.36", resources: { requests: { cpu: "10m" } } }] },
      },
    },
  });
}

// Follow the pods with one watch (as KWOK's harness does) rather than listing 10,000 pods every second,
// which would measure the list more than the cluster.
let allBound: number | undefined;
let cpuAtBound: number | undefined;
const bound = new Set<string>();
const running = new Set<string>();
/** The revision of the last pod event the watch delivered: how far behind the store it runs (a busy server delays it). */
let seenRevision = 0;
const progress = setInterval(async () => {
  const elapsed = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(server.pid) - cpuAtNodes;
  const rss = memoryMiB(server.pid, "VmRSS");
  const head = Number((await client.list(NAMESPACE, undefined, { limit: 1 })).metadata.resourceVersion);
  console.log(
    `  ${elapsed.toFixed(0)} s: ${bound.size} bound, ${running.size} Running (server CPU ${cpu.toFixed(0)} s, RSS ${
      rss.toFixed(0)
    } MiB; the watch ${head - seenRevision} revisions behind)`,
  );
}, 5000);
type Pod = {
  metadata?: { name?: string; resourceVersion?: string };
  spec?: { nodeName?: string };
  status?: { phase?: string };
};
for await (
  const event of client.watch<Pod>(POD, namespace, { resourceVersion: "0", signal: AbortSignal.timeout(600_000) })
) {
  const name = event.object.metadata?.name;
  seenRevision = Number(event.object.metadata?.resourceVersion ?? seenRevision);
  if (!name) continue;
  if (event.object.spec?.nodeName) bound.add(name);
  if (bound.size === PODS && allBound === undefined) {
    allBound = performance.now();
    cpuAtBound = cpuSeconds(server.pid);
  }
  if (event.object.status?.phase === "Running") running.add(name);
  if (running.size === PODS) break;
}
clearInterval(progress);
if (running.size < PODS) throw new Error(`gave up after 600 s with ${running.size} of ${PODS} pods Running`);
const total = (performance.now() - started) / 1000;
const cpuAtRunning = cpuSeconds(server.pid);
const bindSeconds = ((allBound ?? performance.now()) - started) / 1000;
console.log(`${PODS} pods Running on ${NODES} nodes in ${total.toFixed(1)} s`);
console.log(
  `  vs KWOK's bar (${KWOK_BAR_S} s): ${(total / KWOK_BAR_S).toFixed(2)}x   vs our target (${TARGET_S} s): ${
    (total / TARGET_S).toFixed(2)
  }x`,
);
console.log(`scheduler: ${(PODS / bindSeconds).toFixed(0)} pods/s bound (all bound after ${bindSeconds.toFixed(1)} s)`);
console.log(
  `server CPU: ${(cpuAtRunning - cpuAtNodes).toFixed(1)} s for the pods (${
    ((cpuAtBound ?? cpuAtRunning) - cpuAtNodes).toFixed(1)
  } s until all bound), ${(cpuAtNodes - cpuAtReady).toFixed(1)} s registering nodes`,
);
console.log(`server peak RSS: ${memoryMiB(server.pid, "VmHWM").toFixed(0)} MiB`);
console.log(`store size: ${storeMiB(server.dataDir).toFixed(1)} MiB`);
