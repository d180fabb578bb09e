/**
 * Our SQLite store against a real etcd 3.4, both driven through the same `Store` interface in one run,
 * both committing with fsync: creates at concurrency 16, gets, prefix lists of 1,000 keys, and watch
 * delivery latency. Prints each figure and the ratio ours/etcd.
 *
 *   scripts/deno task bench datastore [--creates 10000] [--concurrency 16]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { openStore, type Store } from "../../datastore/mod.ts";
import { startEtcd } from "../../tests/support/servers.ts";

const { values: flags } = parseArgs({
  args: Deno.args.slice(1),
  options: {
    creates: { type: "string", default: "10000" },
    concurrency: { type: "string", default: "16" },
    gets: { type: "string", default: "10000" },
    lists: { type: "string", default: "100" },
    watches: { type: "string", default: "1000" },
  },
});
const CREATES = Number(flags.creates);
const CONCURRENCY = Number(flags.concurrency);
const GETS = Number(flags.gets);
const LISTS = Number(flags.lists);
const WATCH_EVENTS = Number(flags.watches);
const VALUE = new Uint8Array(1024).fill(120);

interface Figures {
  createsPerSec: number;
  getsPerSec: number;
  listP50: number;
  listP99: number;
  watchP50: number;
  watchP99: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await task(next++);
  }));
  return (performance.now() - started) / 1000;
}

async function measure(store: Store, label: string): Promise<Figures> {
  const key = (i: number) => `/registry/configmaps/bench/${String(i).padStart(6, "0")}`;
  console.error(`${label}: ${CREATES} creates of 1 KiB at concurrency ${CONCURRENCY} …`);
  const createSeconds = await pool(CREATES, CONCURRENCY, async (i) => {
    await store.create(key(i), VALUE);
  });

  console.error(`${label}: ${GETS} gets …`);
  const getSeconds = await pool(GETS, CONCURRENCY, async (i) => {
    await store.get(key((i * 7919) % CREATES));
  });

  console.error(`${label}: ${LISTS} lists of 1,000 keys …`);
  for (let i = 0; i < 1000; i++) await store.create(`/registry/secrets/list/${String(i).padStart(4, "0")}`, VALUE);
  const listTimes: number[] = [];
  for (let i = 0; i < LISTS; i++) {
    const started = performance.now();
    const { kvs } = await store.list("/registry/secrets/list/");
    listTimes.push(performance.now() - started);
    if (kvs.length !== 1000) throw new Error(`${label}: list returned ${kvs.length} keys`);
  }

  console.error(`${label}: watch delivery of ${WATCH_EVENTS} writes …`);
  // Each write carries its index, so the watcher can match it even if the event beats the write's reply.
  const sent: number[] = [];
  const payload = (i: number) => {
    const value = VALUE.slice();
    value.set(new TextEncoder().encode(`${i};`));
    return value;
  };
  const latencies: number[] = [];
  const controller = new AbortController();
  const watching = (async () => {
    for await (const batch of store.watch("/registry/leases/", { signal: controller.signal })) {
      const now = performance.now();
      for (const event of batch) {
        const text = new TextDecoder().decode(event.kv.value.subarray(0, 12));
        const at = sent[Number(text.slice(0, text.indexOf(";")))];
        if (event.type === "update" && at !== undefined) latencies.push(now - at);
      }
      if (latencies.length >= WATCH_EVENTS) return;
    }
  })();
  await new Promise((r) => setTimeout(r, 200));
  let lease = await store.create("/registry/leases/bench", VALUE);
  for (let i = 0; i < WATCH_EVENTS; i++) {
    sent[i] = performance.now();
    lease = await store.update(lease.key, payload(i), lease.modRevision);
  }
  await Promise.race([watching, new Promise((r) => setTimeout(r, 10_000))]);
  controller.abort();
  listTimes.sort((a, b) => a - b);
  latencies.sort((a, b) => a - b);
  return {
    createsPerSec: CREATES / createSeconds,
    getsPerSec: GETS / getSeconds,
    listP50: percentile(listTimes, 50),
    listP99: percentile(listTimes, 99),
    watchP50: percentile(latencies, 50),
    watchP99: percentile(latencies, 99),
  };
}

const dir = mkdtempSync(join(tmpdir(), "k3s-bench-"));
const etcdServer = await startEtcd();
try {
  const ours = await openStore("", { defaultSqlitePath: join(dir, "state.db") });
  const oursFigures = await measure(ours, "sqlite");
  const oursSize = await ours.size();
  await ours.close();
  const etcd = await openStore(etcdServer.endpoint, { defaultSqlitePath: "" });
  const etcdFigures = await measure(etcd, "etcd");
  await etcd.close();

  const rows: [string, keyof Figures, string, "higher" | "lower"][] = [
    ["creates (1 KiB, c=16)", "createsPerSec", "ops/s", "higher"],
    ["gets (c=16)", "getsPerSec", "ops/s", "higher"],
    ["list 1,000 keys p50", "listP50", "ms", "lower"],
    ["list 1,000 keys p99", "listP99", "ms", "lower"],
    ["watch delivery p50", "watchP50", "ms", "lower"],
    ["watch delivery p99", "watchP99", "ms", "lower"],
  ];
  console.log(`datastore benchmark: our SQLite store (fsync'd WAL) vs etcd 3.4 (${etcdServer.endpoint})`);
  console.log(`${"figure".padEnd(24)}${"sqlite".padStart(12)}${"etcd".padStart(12)}${"ours/etcd".padStart(12)}`);
  for (const [label, field, unit, better] of rows) {
    const a = oursFigures[field], b = etcdFigures[field];
    const fmt = (v: number) => (unit === "ms" ? v.toFixed(2) : v.toFixed(0)).padStart(12);
    console.log(
      `${(label + ` (${unit})`).padEnd(24)}${fmt(a)}${fmt(b)}${
        (a / b).toFixed(2).padStart(11)
      }x  (${better} is better)`,
    );
  }
  console.log(`sqlite file after the run: ${(oursSize / 1024 / 1024).toFixed(1)} MiB`);
} finally {
  await etcdServer.stop();
  rmSync(dir, { recursive: true, force: true });
}
