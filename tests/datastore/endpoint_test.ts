import assert from "node:assert/strict";
import { EndpointError, parseEndpoint } from "../../datastore/mod.ts";

const DEFAULT = "/var/lib/rancher/k3s/server/db/state.db";

Deno.test("endpoint: empty means the embedded SQLite database", () => {
  assert.deepEqual(parseEndpoint("", DEFAULT), { backend: "sqlite", path: DEFAULT, params: new URLSearchParams() });
});

Deno.test("endpoint: sqlite:// takes a path and DSN parameters", () => {
  const e = parseEndpoint("sqlite:///tmp/k3s/state.db?_journal_mode=WAL", DEFAULT);
  assert.equal(e.backend, "sqlite");
  if (e.backend !== "sqlite") return;
  assert.equal(e.path, "/tmp/k3s/state.db");
  assert.equal(e.params.get("_journal_mode"), "WAL");
});

Deno.test("endpoint: postgres:// and postgresql:// URLs", () => {
  const e = parseEndpoint("postgres://k3s:p%40ss@db.example:5433/kine?sslmode=disable", DEFAULT);
  assert.equal(e.backend, "postgres");
  if (e.backend !== "postgres") return;
  assert.deepEqual([e.host, e.port, e.user, e.password, e.database], ["db.example", 5433, "k3s", "p@ss", "kine"]);
  assert.equal(e.params.get("sslmode"), "disable");
  const defaults = parseEndpoint("postgresql://db.example", DEFAULT);
  assert.ok(defaults.backend === "postgres" && defaults.port === 5432 && defaults.database === "kubernetes");
});

Deno.test("endpoint: mysql:// takes Go's DSN with tcp(host:port)", () => {
  const e = parseEndpoint("mysql://k3s:secret@tcp(10.0.0.5:3307)/kine?tls=false", DEFAULT);
  assert.equal(e.backend, "mysql");
  if (e.backend !== "mysql") return;
  assert.deepEqual([e.host, e.port, e.user, e.password, e.database], ["10.0.0.5", 3307, "k3s", "secret", "kine"]);
  const bare = parseEndpoint("mysql://root@tcp(db)/", DEFAULT);
  assert.ok(bare.backend === "mysql" && bare.port === 3306 && bare.database === "kubernetes" && bare.host === "db");
});

Deno.test("endpoint: http(s):// lists are etcd", () => {
  assert.deepEqual(parseEndpoint("https://e1:2379,https://e2:2379", DEFAULT), {
    backend: "etcd",
    endpoints: ["https://e1:2379", "https://e2:2379"],
  });
});

Deno.test("endpoint: a malformed endpoint is one line naming the expected forms, without the password", () => {
  for (const bad of ["nats://x", "localhost:5432", "mysql://u:hunter2@db:3306/kine", "http://bad host:2379"]) {
    const error = (() => {
      try {
        parseEndpoint(bad, DEFAULT);
      } catch (e) {
        return e;
      }
    })();
    assert.ok(error instanceof EndpointError, `${bad} should be refused`);
    assert.ok(!error.message.includes("\n"));
    assert.match(error.message, /expected one of sqlite:\/\/.*postgres:\/\/.*mysql:\/\/.*http\(s\):\/\//);
    assert.ok(!error.message.includes("hunter2"));
  }
});
