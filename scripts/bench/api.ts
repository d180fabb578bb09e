/**
 * The API's overhead: ConfigMap create, get and list through HTTPS (a `scripts/k3s server` child
 * process, client certificates, keep-alive) next to the raw SQLite store doing the same operations in
 * the same run, at 30 and 200 requests/s (open loop: latency includes any queueing) and unthrottled
 * (16 in flight). Also the server's idle RSS after start.
 *
 *   scripts/deno task bench api [--seconds 5]
 */
import { Buffer } from "node:buffer";
import https from "node:https";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import { openStore, type Store } from "../../datastore/mod.ts";
import { startK3sServer } from "../../tests/support/k3s_process.ts";

const { values: flags } = parseArgs({
  args: Deno.args.slice(1),
  options: { seconds: { type: "string", default: "5" } },
});
const SECONDS = Number(flags.seconds);

type Op = (i: number) => Promise<void>;
interface Result {
  p50: number;
  p95: number;
  p99: number;
  rate: number;
}

function percentiles(samples: number[], elapsed: number): Result {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  return { p50: at(50), p95: at(95), p99: at(99), rate: samples.length / elapsed };
}

/** Open loop: one operation every 1/rate s whatever the previous ones do, for `seconds`. */
async function atRate(op: Op, rate: number, seconds: number, offset: number): Promise<Result> {
  const samples: number[] = [];
  const total = Math.round(rate * seconds);
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(op(offset + i).then(() => void samples.push(performance.now() - due)));
  }
  await Promise.all(pending);
  return percentiles(samples, (performance.now() - started) / 1000);
}

/** Closed loop: 16 callers back to back for `seconds`. */
async function unthrottled(op: Op, seconds: number, offset: number): Promise<Result> {
  const samples: number[] = [];
  const started = performance.now();
  let next = offset;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (performance.now() - started < seconds * 1000) {
      const t = performance.now();
      await op(next++);
      samples.push(performance.now() - t);
    }
  }));
  return percentiles(samples, (performance.now() - started) / 1000);
}

function httpsClient(kubeconfigPath: string) {
  const config = parseYaml(readFileSync(kubeconfigPath, "utf8"));
  const b64 = (s: string) => Buffer.from(s, "base64");
  const url = new URL(config.clusters[0].cluster.server);
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: 32,
    ca: b64(config.clusters[0].cluster["certificate-authority-data"]),
    cert: b64(config.users[0].user["client-certificate-data"]),
    key: b64(config.users[0].user["client-key-data"]),
  });
  return (method: string, path: string, body?: unknown) =>
    new Promise<number>((resolve, reject) => {
      const request = https.request({
        host: url.hostname,
        port: url.port,
        method,
        path,
        agent,
        headers: { "content-type": "application/json" },
      }, (response) => {
        response.resume();
        response.on("end", () => (response.statusCode! < 300
          ? resolve(response.statusCode!)
          : reject(new Error(`${method} ${path}: ${response.statusCode}`))));
      });
      request.on("error", reject);
      request.end(body === undefined ? undefined : JSON.stringify(body));
    });
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

const server = await startK3sServer();
try {
  await new Promise((r) => setTimeout(r, 3000));
  const pid = server.pid;
  const idle = rssMiB(pid);
  const call = httpsClient(server.kubeconfig);
  const store: Store = await openStore("", {
    defaultSqlitePath: join(mkdtempSync(join(tmpdir(), "k3s-bench-api-")), "state.db"),
  });
  const cm = (i: number) => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: `cm-${i}`, namespace: "default" },
    data: { i: String(i) },
  });
  const bytes = (i: number) => new TextEncoder().encode(JSON.stringify(cm(i)));
  for (let i = 0; i < 100; i++) {
    await call("POST", "/api/v1/namespaces/default/configmaps", cm(1_000_000 + i));
    await store.create(`/registry/configmaps/default/cm-${1_000_000 + i}`, bytes(1_000_000 + i));
  }
  const api: Record<string, Op> = {
    create: (i) => call("POST", "/api/v1/namespaces/default/configmaps", cm(i)).then(() => {}),
    get: (i) => call("GET", `/api/v1/namespaces/default/configmaps/cm-${1_000_000 + (i % 100)}`).then(() => {}),
    list: () => call("GET", "/api/v1/namespaces/default/configmaps?limit=100").then(() => {}),
  };
  const raw: Record<string, Op> = {
    create: (i) => store.create(`/registry/configmaps/default/cm-${i}`, bytes(i)).then(() => {}),
    get: (i) => store.get(`/registry/configmaps/default/cm-${1_000_000 + (i % 100)}`).then(() => {}),
    list: () => store.list("/registry/configmaps/default/", { limit: 100 }).then(() => {}),
  };
  console.log(
    `API benchmark: ConfigMaps through HTTPS (server pid ${pid}) vs the raw SQLite store, ${SECONDS}s per cell`,
  );
  console.log(`server idle RSS after start: ${idle.toFixed(1)} MiB`);
  console.log(
    `${"operation".padEnd(22)}${"api p50/p95/p99 ms".padStart(24)}${"store p50/p95/p99 ms".padStart(24)}${
      "p99 ratio".padStart(11)
    }${"api req/s".padStart(11)}`,
  );
  let offset = 0;
  for (const name of ["create", "get", "list"]) {
    for (const rate of [30, 200, 0]) {
      offset += 100_000;
      console.error(`${name} at ${rate || "max"} …`);
      const a = rate ? await atRate(api[name], rate, SECONDS, offset) : await unthrottled(api[name], SECONDS, offset);
      offset += 100_000;
      const s = rate ? await atRate(raw[name], rate, SECONDS, offset) : await unthrottled(raw[name], SECONDS, offset);
      const cell = (r: Result) => `${r.p50.toFixed(2)}/${r.p95.toFixed(2)}/${r.p99.toFixed(2)}`.padStart(24);
      console.log(
        `${`${name} @ ${rate ? `${rate}/s` : "max (c=16)"}`.padEnd(22)}${cell(a)}${cell(s)}${
          (a.p99 / s.p99).toFixed(1).padStart(10)
        }x${a.rate.toFixed(0).padStart(11)}`,
      );
    }
  }
  console.log(`server RSS after the run: ${rssMiB(pid).toFixed(1)} MiB`);
  await store.close();
} finally {
  await server.stop();
}
