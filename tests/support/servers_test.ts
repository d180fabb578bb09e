import assert from "node:assert/strict";
// @ts-types="@types/pg"
import pg from "pg";
import mysql from "mysql2/promise";
import { startEtcd, startMariadb, startPostgres, type TestServer } from "./servers.ts";

/** Starts a server, checks it with a real client, restarts it (gracefully, then by SIGKILL), checks again. */
async function exercise(start: () => Promise<TestServer>, check: (s: TestServer) => Promise<void>) {
  const began = performance.now();
  const server = await start();
  const startMs = performance.now() - began;
  try {
    await check(server);
    const t = performance.now();
    await server.restart();
    const restartMs = performance.now() - t;
    await check(server);
    await server.kill();
    await server.start();
    await check(server);
    console.log(`${server.kind}: start ${startMs.toFixed(0)} ms, restart ${restartMs.toFixed(0)} ms`);
  } finally {
    await server.stop();
  }
  await assert.rejects(() => Deno.stat(server.dataDir), Deno.errors.NotFound);
}

Deno.test("postgres: real server answers, survives restart and kill", async () => {
  await exercise(startPostgres, async (server) => {
    assert.match(server.endpoint, /^postgres:\/\/kine:kine@127\.0\.0\.1:\d+\/kine\?sslmode=disable$/);
    const client = new pg.Client({ connectionString: server.endpoint });
    await client.connect();
    try {
      const { rows } = await client.query("select 1 as one, current_database() as db, current_user as usr");
      assert.deepEqual({ ...rows[0] }, { one: 1, db: "kine", usr: "kine" });
    } finally {
      await client.end();
    }
  });
});

Deno.test("mariadb: real server answers, survives restart and kill", async () => {
  await exercise(startMariadb, async (db) => {
    const m = db.endpoint.match(/^mysql:\/\/(\w+):(\w+)@tcp\(127\.0\.0\.1:(\d+)\)\/(\w+)$/);
    assert.ok(m, db.endpoint);
    const [, user, password, port, database] = m;
    assert.equal(Number(port), db.port);
    const conn = await mysql.createConnection({ host: "127.0.0.1", port: db.port, user, password, database });
    try {
      const [rows] = await conn.query("select 1 as one, database() as db");
      assert.deepEqual(rows, [{ one: 1, db: "kine" }]);
    } finally {
      await conn.end();
    }
  });
});

Deno.test("etcd: real server answers, survives restart and kill", async () => {
  await exercise(startEtcd, async (etcd) => {
    assert.equal(etcd.endpoint, `http://127.0.0.1:${etcd.port}`);
    const health = await (await fetch(`${etcd.endpoint}/health`)).json();
    assert.equal(health.health, "true");
    const version = await (await fetch(`${etcd.endpoint}/version`)).json();
    assert.match(version.etcdserver, /^3\./);
  });
});

Deno.test("a stopped server cannot be started again", async () => {
  const etcd = await startEtcd();
  await etcd.stop();
  await etcd.stop(); // idempotent
  await assert.rejects(() => etcd.start(), /stopped/);
});
