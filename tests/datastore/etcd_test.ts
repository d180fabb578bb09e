/**
 * The etcd backend against a real etcd 3.4: what is specific to etcd (its revisions, leases, compaction
 * reporting, watch resumption across broken connections and etcd restarts). The shared behaviours are
 * pinned for every backend by contract.ts.
 */
import assert from "node:assert/strict";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { CompactedError, FutureRevisionError, type Store, UnavailableError } from "../../datastore/store.ts";
import { openEtcdStore } from "../../datastore/etcd/mod.ts";
import { ensureBinary, startEtcd, type TestServer } from "../support/servers.ts";
import { collect, storeContract } from "./contract.ts";
import { openStore } from "../../datastore/mod.ts";

let server: TestServer | undefined;
const database = async () => server ??= await startEtcd();

storeContract("etcd", {
  open: async () => openStore((await database()).endpoint, { defaultSqlitePath: "", maxAttempts: 1 }),
  shared: true,
  stopDatabase: async () => await (await database()).kill(),
  startDatabase: async () => await (await database()).start(),
});

Deno.test({
  name: "etcd: stop the contract's server",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () => server?.stop(),
});

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` with a fresh etcd and a store on it; compaction in one test cannot disturb another. */
function etcdTest(
  name: string,
  fn: (ctx: { etcd: TestServer; store: Store; open(): Promise<Store> }) => Promise<void>,
) {
  Deno.test({
    name: `etcd: ${name}`,
    sanitizeOps: false,
    sanitizeResources: false,
    fn: async () => {
      const etcd = await startEtcd();
      const stores: Store[] = [];
      const open = async () => {
        const store = await openEtcdStore([etcd.endpoint]);
        stores.push(store);
        return store;
      };
      try {
        await fn({ etcd, store: await open(), open });
      } finally {
        await Promise.all(stores.map((s) => s.close()));
        await etcd.stop();
      }
    },
  });
}

/** etcdctl against the test server, for writes that must not come from this backend. */
async function etcdctl(etcd: TestServer, ...args: string[]): Promise<string> {
  const out = await new Deno.Command(await ensureBinary("etcdctl", ["/usr/bin/etcdctl"], "etcd-client"), {
    args: [`--endpoints=${etcd.endpoint}`, ...args],
    env: { ETCDCTL_API: "3" },
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) throw new Error(`etcdctl ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  return text;
}

/**
 * A TCP proxy in front of etcd whose connections can be cut and refused while etcd keeps running, so a
 * test can write and compact "behind the back" of a broken watch.
 */
class CuttableProxy {
  #server?: net.Server;
  #sockets = new Set<net.Socket>();
  constructor(readonly targetPort: number, public port = 0) {}

  async up(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, "127.0.0.1");
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.on("close", () => this.#sockets.delete(socket));
        socket.on("error", () => {});
      }
      client.pipe(upstream).pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(this.port, "127.0.0.1", resolve));
    this.port = (server.address() as net.AddressInfo).port;
    this.#server = server;
  }

  async down(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.destroy();
    await new Promise((resolve) => server?.close(resolve));
  }
}

etcdTest("a TTL is an etcd lease: reported in seconds by every client, expired by etcd", async ({ store, open }) => {
  const start = await store.currentRevision();
  const watcher = collect(store, "/p/ttl/", start + 1);
  const short = await store.create("/p/ttl/short", enc("gone soon"), { ttl: 1 });
  assert.equal(short.lease, 1);
  const long = await store.create("/p/ttl/long", enc("stays"), { ttl: 3600 });
  const other = await open();
  assert.equal((await other.get("/p/ttl/long")).kv!.lease, 3600, "another server reads the TTL from the lease ID");
  // An update without a TTL detaches the lease, so the key no longer expires.
  const kept = await store.update("/p/ttl/long", enc("no ttl now"), long.modRevision);
  assert.equal(kept.lease, 0);
  assert.equal((await other.get("/p/ttl/long")).kv!.lease, 0);

  await watcher.until((events) => events.some((e) => e.type === "delete"), 15_000);
  await watcher.stop();
  const deletion = watcher.events.find((e) => e.type === "delete")!;
  assert.equal(deletion.kv.key, "/p/ttl/short");
  assert.equal(dec(deletion.kv.value), "gone soon", "the delete event carries the deleted value");
  assert.ok(deletion.kv.modRevision > kept.modRevision);
  assert.equal(deletion.kv.createRevision, short.createRevision);
  assert.equal(deletion.prevKv?.modRevision, short.modRevision);
  assert.equal((await store.get("/p/ttl/short")).kv, undefined);
  assert.equal(dec((await store.get("/p/ttl/long")).kv!.value), "no ttl now");
});

etcdTest("a lease granted by another etcd client is reported by its granted TTL", async ({ etcd, store }) => {
  const lease = (await etcdctl(etcd, "lease", "grant", "600")).match(/lease ([0-9a-f]+) granted/)![1];
  await etcdctl(etcd, "put", `--lease=${lease}`, "/p/foreign", "v");
  const { kv } = await store.get("/p/foreign");
  assert.equal(kv!.lease, 600);
  assert.equal(dec(kv!.value), "v");
});

etcdTest("watch: the signal, break and close end it cleanly", async ({ store, open }) => {
  const controller = new AbortController();
  const watch = store.watch("/p/end/", { signal: controller.signal })[Symbol.asyncIterator]();
  const pending = watch.next();
  controller.abort();
  assert.deepEqual(await pending, { value: undefined, done: true });

  const seen: string[] = [];
  const breaking = (async () => {
    for await (const events of store.watch("/p/end/")) {
      seen.push(...events.map((e) => e.kv.key));
      break;
    }
  })();
  await sleep(100);
  await store.create("/p/end/x", enc("x"));
  await breaking;
  assert.deepEqual(seen, ["/p/end/x"]);

  const closing = await open();
  const open1 = closing.watch("/p/end/")[Symbol.asyncIterator]();
  const waiting = open1.next();
  await closing.close();
  assert.deepEqual(await waiting, { value: undefined, done: true });
  await assert.rejects(closing.get("/p/end/x"));
});

etcdTest("compaction: reported exactly, refused for old reads and watches from any client", async ({ store, open }) => {
  assert.equal(await store.compactRevision(), 0);
  let kv = await store.create("/p/c/k", enc("0"));
  const old = kv.modRevision;
  for (let i = 1; i <= 5; i++) kv = await store.update("/p/c/k", enc(String(i)), kv.modRevision);
  const target = kv.modRevision - 2;
  await store.compact(target);
  await store.compact(target - 1); // already compacted: nothing to do
  await assert.rejects(store.compact(kv.modRevision + 100), FutureRevisionError);

  // A second client did not compact itself, so it must learn the compact revision from etcd.
  const other = await open();
  assert.equal(await other.compactRevision(), target);
  assert.equal(await store.compactRevision(), target);
  const read = await other.get("/p/c/k", { revision: old }).catch((e) => e);
  assert.ok(read instanceof CompactedError, String(read));
  assert.deepEqual([read.requestedRevision, read.compactRevision], [old, target]);
  await assert.rejects(other.list("/p/c/", { revision: target - 1 }), CompactedError);
  await assert.rejects(other.count("/p/c/", { revision: target - 1 }), CompactedError);
  assert.equal(dec((await other.get("/p/c/k", { revision: target })).kv!.value), "3", "etcd keeps the state at it");

  const fresh = await open();
  const watcher = collect(fresh, "/p/c/", old);
  await watcher.until(() => watcher.error !== undefined);
  assert.ok(watcher.error instanceof CompactedError, String(watcher.error));
  assert.equal((watcher.error as CompactedError).compactRevision, target);
  assert.deepEqual(watcher.events, []);

  // From exactly the compact revision: etcd would accept it, but a delete there would be lost.
  const atTarget = collect(await open(), "/p/c/", target);
  await atTarget.until(() => atTarget.error !== undefined);
  assert.ok(atTarget.error instanceof CompactedError, String(atTarget.error));

  const fromTarget = collect(fresh, "/p/c/", target + 1);
  await fromTarget.until((events) => events.length >= 2);
  await fromTarget.stop();
  assert.deepEqual(fromTarget.events.map((e) => dec(e.kv.value)), ["4", "5"]);
  assert.ok(await store.size() > 0);
});

etcdTest(
  "watch: a broken connection resumes after the last event, without gaps or duplicates",
  async ({ etcd, store }) => {
    const proxy = new CuttableProxy(etcd.port);
    await proxy.up();
    const behind = await openEtcdStore([`http://127.0.0.1:${proxy.port}`]);
    try {
      const start = await store.currentRevision();
      const watcher = collect(behind, "/p/cut/", start + 1);
      for (let i = 0; i < 5; i++) await store.create(`/p/cut/${i}`, enc(String(i)));
      await watcher.until((events) => events.length >= 5);
      await proxy.down();
      // Written while the watcher cannot reach etcd; they must come from history once it is back.
      for (let i = 5; i < 10; i++) await store.create(`/p/cut/${i}`, enc(String(i)));
      await assert.rejects(behind.get("/p/cut/0"), UnavailableError);
      await sleep(300);
      await proxy.up();
      for (let i = 10; i < 15; i++) await store.create(`/p/cut/${i}`, enc(String(i)));
      await watcher.until((events) => events.length >= 15, 20_000);
      await sleep(200);
      await watcher.stop();
      assert.deepEqual(watcher.events.map((e) => e.kv.key), Array.from({ length: 15 }, (_, i) => `/p/cut/${i}`));
      assert.deepEqual(
        watcher.events.map((e) => e.kv.modRevision),
        Array.from({ length: 15 }, (_, i) => start + 1 + i),
      );

      // Compacted past the resume point while cut off: the watch reports it instead of skipping events.
      const second = collect(behind, "/p/cut/", await store.currentRevision() + 1);
      await store.create("/p/cut/seen", enc("x"));
      await second.until((events) => events.length >= 1);
      await proxy.down();
      await store.create("/p/cut/missed", enc("y"));
      await store.create("/p/cut/later", enc("z"));
      await store.compact(await store.currentRevision());
      await proxy.up();
      await second.until(() => second.error !== undefined, 20_000);
      assert.ok(second.error instanceof CompactedError, String(second.error));
      assert.deepEqual(second.events.map((e) => e.kv.key), ["/p/cut/seen"]);
    } finally {
      await behind.close();
      await proxy.down();
    }
  },
);

Deno.test({
  name: "etcd: opening fails fast and clearly when no endpoint answers; a live endpoint among dead ones is used",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const began = Date.now();
    const error = await openEtcdStore([`http://127.0.0.1:${closed}`]).catch((e) => e);
    assert.ok(error instanceof UnavailableError, String(error));
    assert.match(error.message, new RegExp(`^etcd is unavailable: http://127.0.0.1:${closed}: .*ECONNREFUSED`));
    assert.ok(Date.now() - began < 5_000);

    const aborted = await openEtcdStore([`http://127.0.0.1:${closed}`], { signal: AbortSignal.abort() }).catch((e) =>
      e
    );
    assert.equal(aborted?.name, "AbortError");

    const etcd = await startEtcd();
    try {
      const store = await openEtcdStore([`http://127.0.0.1:${closed}`, etcd.endpoint]);
      await store.create("/p/multi", enc("ok"));
      assert.equal(dec((await store.get("/p/multi")).kv!.value), "ok");
      assert.equal(store.backend, "etcd");
      await store.close();
    } finally {
      await etcd.stop();
    }
  },
});

/** A CA, a server certificate for 127.0.0.1 only and a client certificate, made with openssl. */
async function makePki(dir: string): Promise<void> {
  const openssl = async (...args: string[]) => {
    const out = await new Deno.Command("openssl", { args, cwd: dir, stdout: "null", stderr: "piped" }).output();
    if (!out.success) throw new Error(`openssl ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  };
  const key = (name: string) => openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", `${name}.key`);
  await key("ca");
  await openssl("req", "-x509", "-new", "-key", "ca.key", "-subj", "/CN=etcd-ca", "-days", "2", "-out", "ca.crt");
  for (
    const [name, extensions] of [["server", "subjectAltName=IP:127.0.0.1"], ["client", "basicConstraints=CA:FALSE"]]
  ) {
    await key(name);
    await openssl("req", "-new", "-key", `${name}.key`, "-subj", `/CN=${name}`, "-out", `${name}.csr`);
    await Deno.writeTextFile(path.join(dir, `${name}.ext`), `${extensions}\n`);
    await openssl(
      ..."x509 -req -CAcreateserial -days 2".split(" "),
      ...["-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-extfile", `${name}.ext`, "-out", `${name}.crt`],
    );
  }
}

Deno.test({
  name: "etcd: https endpoints by IP address, with a client certificate given as files or PEM text",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ dir: os.tmpdir(), prefix: "k3s-etcd-tls-" });
    const free = () =>
      new Promise<number>((resolve) => {
        const server = net.createServer().listen(0, "127.0.0.1", () => {
          const { port } = server.address() as net.AddressInfo;
          server.close(() => resolve(port));
        });
      });
    const [port, peerPort] = [await free(), await free()];
    const endpoint = `https://127.0.0.1:${port}`;
    const peer = `http://127.0.0.1:${peerPort}`;
    let etcd: Deno.ChildProcess | undefined;
    try {
      await makePki(dir);
      etcd = new Deno.Command("etcd", {
        args: [
          ...["--name=tls", `--data-dir=${dir}/data`, `--listen-client-urls=${endpoint}`],
          ...[`--advertise-client-urls=${endpoint}`, `--listen-peer-urls=${peer}`],
          ...[`--initial-advertise-peer-urls=${peer}`, `--initial-cluster=tls=${peer}`],
          ...[`--cert-file=${dir}/server.crt`, `--key-file=${dir}/server.key`],
          ...[
            "--client-cert-auth",
            `--trusted-ca-file=${dir}/ca.crt`,
            "--election-timeout=200",
            "--heartbeat-interval=20",
          ],
        ],
        stdout: "null",
        stderr: "null",
      }).spawn();
      const files = { ca: `${dir}/ca.crt`, cert: `${dir}/client.crt`, key: `${dir}/client.key` };
      let store: Store | undefined;
      for (let attempt = 0; !store; attempt++) {
        try {
          store = await openEtcdStore([endpoint], { tls: files });
        } catch (error) {
          if (attempt > 50) throw error;
          await sleep(200);
        }
      }
      await store.create("/p/tls", enc("secret"));
      await store.close();

      const pem = {
        ca: await Deno.readTextFile(files.ca),
        cert: await Deno.readTextFile(files.cert),
        key: await Deno.readTextFile(files.key),
      };
      const fromPem = await openEtcdStore([endpoint], { tls: pem });
      assert.equal(dec((await fromPem.get("/p/tls")).kv!.value), "secret");
      await fromPem.close();

      const untrusted = await openEtcdStore([endpoint], { tls: { ...pem, ca: pem.cert } }).catch((e) => e);
      assert.ok(untrusted instanceof UnavailableError, String(untrusted));
      const noClientCert = await openEtcdStore([endpoint], { tls: { ca: pem.ca } }).catch((e) => e);
      assert.ok(noClientCert instanceof UnavailableError, String(noClientCert));
    } finally {
      etcd?.kill("SIGKILL");
      await etcd?.status;
      await Deno.remove(dir, { recursive: true });
    }
  },
});
