// The shared files and their datastore form: K3s's `bootstrap.File` map as Go encodes it, read from a server's data
// dir with modification times, and written back with the datastore's times.
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  decodeBootstrapFiles,
  encodeBootstrapFiles,
  goTimestamp,
  readBootstrapFiles,
  unixNanos,
  writeBootstrapFiles,
} from "../../../../core/server/bootstrap_data/mod.ts";
import { bootstrapFixture } from "./support.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

Deno.test("bootstrap files: encoded as Go's json.Encoder writes the map — sorted names, base64, a newline", () => {
  const files = new Map([
    ["ServiceKey", { timestamp: "2026-01-02T03:04:05.5Z", content: bytes("key") }],
    ["ClientCA", { timestamp: "2026-01-02T03:04:05Z", content: bytes("ca") }],
  ]);
  assert.equal(
    new TextDecoder().decode(encodeBootstrapFiles(files)),
    '{"ClientCA":{"Timestamp":"2026-01-02T03:04:05Z","Content":"Y2E="},' +
      '"ServiceKey":{"Timestamp":"2026-01-02T03:04:05.5Z","Content":"a2V5"}}\n',
  );
});

Deno.test("bootstrap files: K3s's JSON decodes, with Go's time offsets and nanoseconds", () => {
  const files = decodeBootstrapFiles(
    bytes('{"ServerCA":{"Timestamp":"2026-01-02T04:04:05.123456789+01:00","Content":"Y2E="}}\n'),
  );
  assert.equal(new TextDecoder().decode(files.get("ServerCA")!.content), "ca");
  assert.equal(unixNanos(files.get("ServerCA")!.timestamp), 1767323045123456789n);
});

Deno.test("bootstrap files: data that is not a bootstrap.File map is refused by name", () => {
  assert.throws(() => decodeBootstrapFiles(bytes("[]")), /not a JSON object/);
  assert.throws(
    () => decodeBootstrapFiles(bytes('{"ServerCA":"Y2E="}')),
    /entry ServerCA is not \{"Timestamp": string, "Content": base64\}/,
  );
  assert.throws(
    () => decodeBootstrapFiles(bytes('{"ServerCA":{"Timestamp":"yesterday","Content":""}}')),
    /timestamp yesterday is not RFC 3339/,
  );
});

Deno.test("bootstrap files: timestamps are RFC 3339 in UTC with the fraction's trailing zeros dropped", () => {
  assert.equal(goTimestamp(1767323045000000000n), "2026-01-02T03:04:05Z");
  assert.equal(goTimestamp(1767323045120000000n), "2026-01-02T03:04:05.12Z");
  assert.equal(goTimestamp(1767323045000000001n), "2026-01-02T03:04:05.000000001Z");
  assert.equal(unixNanos(goTimestamp(1767323045123456789n)), 1767323045123456789n);
});

Deno.test("bootstrap files: a server's CAs, keys and agent token are read with their modification times", async () => {
  await using fixture = await bootstrapFixture();
  const dataDir = await fixture.server({ token: "pw" });
  const files = await readBootstrapFiles(dataDir);
  assert.deepEqual([...files.keys()], [
    "ServerCA",
    "ServerCAKey",
    "ClientCA",
    "ClientCAKey",
    "RequestHeaderCA",
    "RequestHeaderCAKey",
    "ServiceKey",
    "AgentToken",
  ]);
  const ca = join(dataDir, "server", "tls", "server-ca.crt");
  assert.deepEqual(files.get("ServerCA")!.content, new Uint8Array(readFileSync(ca)));
  assert.equal(unixNanos(files.get("ServerCA")!.timestamp), statSync(ca, { bigint: true }).mtimeNs);
  // Without --agent-token the agent token is a link to the server token: its content is what is shared.
  assert.deepEqual(files.get("AgentToken")!.content, new Uint8Array(readFileSync(join(dataDir, "server", "token"))));
});

Deno.test("bootstrap files: the encryption configuration and its stage file are shared when present", async () => {
  await using fixture = await bootstrapFixture();
  const files = await readBootstrapFiles(await fixture.server({ token: "pw", encryption: true }));
  assert.ok(files.has("EncryptionConfig"));
  assert.ok(files.has("EncryptionHash"));
});

Deno.test("bootstrap files: written files carry the datastore's times and the server's own modes", async () => {
  await using fixture = await bootstrapFixture();
  const from = await readBootstrapFiles(await fixture.server({ token: "pw" }));
  from.set("ServerCA", { ...from.get("ServerCA")!, timestamp: "2025-06-07T08:09:10.25Z" });
  const dataDir = fixture.dataDir();
  const written = await writeBootstrapFiles(dataDir, from);
  assert.equal(written.length, from.size);
  const ca = statSync(join(dataDir, "server", "tls", "server-ca.crt"));
  assert.equal(ca.mtime.toISOString(), "2025-06-07T08:09:10.250Z");
  assert.equal(ca.mode & 0o777, 0o644);
  assert.equal(statSync(join(dataDir, "server", "tls", "server-ca.key")).mode & 0o777, 0o600);
  assert.deepEqual(
    await readBootstrapFiles(dataDir).then((f) => f.get("ServiceKey")?.content),
    from.get("ServiceKey")?.content,
  );
});
