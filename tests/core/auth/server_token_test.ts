// K3s's join token files (`server/token`, `node-token`, `agent-token`), `--token` and `--agent-token`,
// and the parsing and CA-hash check agents rely on.
import assert from "node:assert/strict";
import { createHash, X509Certificate } from "node:crypto";
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureServerToken, hashCA, parseToken, validateCAHash } from "../../../core/auth/server_token.ts";
import { ensureServerCertificates, pemCertificates } from "../../../core/pki/mod.ts";
import { startAuthCluster } from "./authentication/identities.ts";

const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");

async function withCA(fn: (dataDir: string, caHash: string) => Promise<void> | void): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "k3s-token-"));
  try {
    await ensureServerCertificates({ dataDir });
    await fn(dataDir, sha256(readFileSync(join(dataDir, "server", "tls", "server-ca.crt"))));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

Deno.test("server token: K10<sha256 of server-ca.crt>::server:<32 hex>, node-token and agent-token link to it", () =>
  withCA(async (dataDir, caHash) => {
    const { token, password } = await ensureServerToken({ dataDir });
    const path = join(dataDir, "server", "token");
    assert.match(password, /^[0-9a-f]{32}$/);
    assert.equal(token, `K10${caHash}::server:${password}`);
    assert.equal(readFileSync(path, "utf8"), token + "\n");
    assert.equal(statSync(path).mode & 0o777, 0o600);
    for (const link of ["node-token", "agent-token"]) {
      const linked = join(dataDir, "server", link);
      assert.ok(lstatSync(linked).isSymbolicLink(), link);
      assert.equal(readlinkSync(linked), "token");
      assert.equal(readFileSync(linked, "utf8"), token + "\n");
    }
  }));

Deno.test("server token: a restart keeps the password it generated", () =>
  withCA(async (dataDir) => {
    const first = await ensureServerToken({ dataDir });
    const second = await ensureServerToken({ dataDir });
    assert.equal(second.token, first.token);
  }));

Deno.test("server token: --token sets the password, bare or as a full token for this CA", () =>
  withCA(async (dataDir, caHash) => {
    assert.equal((await ensureServerToken({ dataDir, token: "hunter2" })).token, `K10${caHash}::server:hunter2`);
    const full = `K10${caHash}::server:swordfish`;
    assert.equal((await ensureServerToken({ dataDir, token: full })).token, full);
    assert.equal(readFileSync(join(dataDir, "server", "token"), "utf8"), full + "\n");
  }));

Deno.test("server token: a full --token whose hash is not this CA's is refused naming both hashes", () =>
  withCA(async (dataDir, caHash) => {
    const other = "0".repeat(64);
    await assert.rejects(
      ensureServerToken({ dataDir, token: `K10${other}::server:secret` }),
      new Error(`--token: token CA hash does not match the Cluster CA certificate hash: ${other} != ${caHash}`),
    );
  }));

Deno.test("server token: --agent-token writes agent-token as K10<hash>::node:<password>", () =>
  withCA(async (dataDir, caHash) => {
    const { agentToken } = await ensureServerToken({ dataDir, agentToken: "agentpw" });
    const path = join(dataDir, "server", "agent-token");
    assert.equal(agentToken, `K10${caHash}::node:agentpw`);
    assert.ok(!lstatSync(path).isSymbolicLink());
    assert.equal(readFileSync(path, "utf8"), agentToken + "\n");
    await ensureServerToken({ dataDir });
    assert.ok(lstatSync(path).isSymbolicLink(), "without --agent-token it links to token again");
  }));

Deno.test("server token: k3s server writes it at start and fails to start on a --token for another CA", async () => {
  await using cluster = await startAuthCluster({ token: "hunter2" });
  const caHash = sha256(readFileSync(join(cluster.dataDir, "server", "tls", "server-ca.crt")));
  assert.equal(readFileSync(join(cluster.dataDir, "server", "token"), "utf8"), `K10${caHash}::server:hunter2\n`);
  await assert.rejects(
    startAuthCluster({ token: `K10${"a".repeat(64)}::server:hunter2` }),
    /token CA hash does not match the Cluster CA certificate hash: a{64} != [0-9a-f]{64}/,
  );
});

Deno.test("parseToken: full, bootstrap, bare password and bare bootstrap tokens, as K3s parses them", () => {
  const hash = "ab".repeat(32);
  assert.deepEqual(parseToken(`K10${hash}::server:pw:with:colons`), {
    caHash: hash,
    username: "server",
    password: "pw:with:colons",
  });
  assert.deepEqual(parseToken(`K10${hash}::abcdef.0123456789abcdef`), {
    caHash: hash,
    bootstrapToken: "abcdef.0123456789abcdef",
  });
  assert.deepEqual(parseToken("justapassword"), { caHash: "", username: "", password: "justapassword" });
  assert.deepEqual(parseToken("abcdef.0123456789abcdef"), { caHash: "", bootstrapToken: "abcdef.0123456789abcdef" });
  assert.throws(() => parseToken("K10abc::server:pw"), /invalid token CA hash length/);
  assert.throws(() => parseToken(`K10${hash}::nopassword`), /invalid token format/);
  assert.throws(() => parseToken(""), /token must not be empty/);
});

Deno.test("validateCAHash: the hash of the served CA passes, another names both hashes", () =>
  withCA((dataDir, caHash) => {
    const ca = readFileSync(join(dataDir, "server", "tls", "server-ca.crt"), "utf8");
    validateCAHash(ca, caHash);
    assert.throws(
      () => validateCAHash(ca, "f".repeat(64)),
      new Error(`token CA hash does not match the Cluster CA certificate hash: ${"f".repeat(64)} != ${caHash}`),
    );
  }));

Deno.test("hashCA: a bundle is hashed by the DER of the root its first certificate chains to", () =>
  withCA((dataDir) => {
    // client-admin.crt is the leaf followed by the client CA, like a CA bundle with an intermediate.
    const bundle = readFileSync(join(dataDir, "server", "tls", "client-admin.crt"), "utf8");
    const root = new X509Certificate(pemCertificates(bundle)[1]);
    assert.equal(hashCA(bundle), sha256(root.raw));
    assert.equal(hashCA(pemCertificates(bundle)[1]), sha256(pemCertificates(bundle)[1]));
  }));
