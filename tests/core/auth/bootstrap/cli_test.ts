// `k3s token create|list|delete|generate` driven as a user would, against a real server through its
// admin kubeconfig.
import assert from "node:assert/strict";
import { join } from "node:path";
import { hashCA } from "../../../../core/auth/server_token.ts";
import { parseGoDuration, shortHumanDuration, tokenCommand } from "../../../../core/auth/bootstrap/mod.ts";
import { type AuthCluster, startAuthCluster } from "../authentication/identities.ts";

const options = { sanitizeOps: false, sanitizeResources: false };

/** Runs `k3s token <args>`; resolves to what it printed, or rejects with its one-line error. */
async function k3sToken(cluster: AuthCluster | undefined, ...args: string[]): Promise<string[]> {
  const lines: string[] = [];
  const command = tokenCommand((line) => lines.push(line));
  let error = "";
  for (const sub of command.commands) sub.exitOverride().configureOutput({ writeErr: (text) => error += text });
  const connection = cluster ? ["--kubeconfig", join(cluster.dataDir, "k3s.yaml")] : [];
  try {
    await command.parseAsync([...args, ...connection], { from: "user" });
  } catch {
    throw new Error(error.trim());
  }
  return lines;
}

Deno.test({
  name: "k3s token: create prints the K10<CA hash>::<id>.<secret> join token, and list shows kubeadm's table",
  ...options,
  fn: async () => {
    await using cluster = await startAuthCluster();
    const [created] = await k3sToken(cluster, "create", "--ttl", "2h", "--description", "for worker-3");
    const match = /^K10([0-9a-f]{64})::([a-z0-9]{6})\.([a-z0-9]{16})$/.exec(created);
    assert.ok(match, created);
    assert.equal(match[1], hashCA(cluster.serverCAPem));
    await k3sToken(cluster, "create", "abcdef.0123456789abcdef", "--ttl", "0", "--usages", "signing", "--groups", "");
    const table = await k3sToken(cluster, "list");
    assert.match(table[0], /^TOKEN {5}TTL {9}EXPIRES {16}USAGES {19}DESCRIPTION {4}EXTRA GROUPS$/);
    const rows = table.slice(1);
    assert.equal(rows.length, 2);
    // The generated id is random, so rows are picked by id rather than by their order.
    assert.match(
      rows.find((row) => row.startsWith("abcdef "))!,
      /^abcdef\s+<forever>\s+<never>\s+signing\s+<none>\s+<none>$/,
    );
    assert.match(
      rows.find((row) => row.startsWith(`${match[2]} `))!,
      new RegExp(
        `^${
          match[2]
        }\\s+(1h|2h)\\s+\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\s+authentication,signing\\s+for worker-3\\s+system:bootstrappers:k3s:default-node-token$`,
      ),
    );
  },
});

Deno.test({
  name: "k3s token: list -o json prints kubeadm's BootstrapToken objects",
  ...options,
  fn: async () => {
    await using cluster = await startAuthCluster();
    await k3sToken(cluster, "create", "abcdef.0123456789abcdef", "--ttl", "0", "--description", "ci");
    assert.deepEqual(JSON.parse((await k3sToken(cluster, "list", "-o", "json"))[0]), [{
      token: "abcdef.0123456789abcdef",
      description: "ci",
      usages: ["authentication", "signing"],
      groups: ["system:bootstrappers:k3s:default-node-token"],
    }]);
  },
});

Deno.test({
  name: "k3s token: delete reports each token and fails with one line for a token that is not there",
  ...options,
  fn: async () => {
    await using cluster = await startAuthCluster();
    await k3sToken(cluster, "create", "abcdef.0123456789abcdef");
    await k3sToken(cluster, "create", "ghijkl.0123456789abcdef");
    assert.deepEqual(await k3sToken(cluster, "delete", "abcdef", "ghijkl.0123456789abcdef"), [
      'bootstrap token "abcdef" deleted',
      'bootstrap token "ghijkl" deleted',
    ]);
    await assert.rejects(k3sToken(cluster, "delete", "abcdef"), /^Error: k3s: bootstrap token "abcdef" not found$/);
    await assert.rejects(
      k3sToken(cluster, "create", "--usages", "login"),
      /^Error: k3s: invalid bootstrap token usage string: login/,
    );
  },
});

Deno.test("k3s token: generate prints a fresh token without reaching any server", async () => {
  const [token] = await k3sToken(undefined, "generate");
  assert.match(token, /^[a-z0-9]{6}\.[a-z0-9]{16}$/);
});

Deno.test("k3s token: --ttl takes Go durations and refuses others with Go's messages", () => {
  assert.equal(parseGoDuration("24h"), 86_400_000);
  assert.equal(parseGoDuration("1h30m"), 5_400_000);
  assert.equal(parseGoDuration("1.5s"), 1500);
  assert.equal(parseGoDuration("0"), 0);
  assert.throws(() => parseGoDuration("10"), /time: missing unit in duration "10"/);
  assert.throws(() => parseGoDuration("1d"), /time: unknown unit "d" in duration "1d"/);
  assert.throws(() => parseGoDuration("h"), /time: invalid duration "h"/);
});

Deno.test("k3s token: the TTL column shows the largest whole unit, as ShortHumanDuration does", () => {
  assert.equal(shortHumanDuration(59_999), "59s");
  assert.equal(shortHumanDuration(119 * 60_000), "1h");
  assert.equal(shortHumanDuration(23 * 3_600_000 + 3_599_000), "23h");
  assert.equal(shortHumanDuration(3 * 86_400_000), "3d");
  assert.equal(shortHumanDuration(800 * 86_400_000), "2y");
  assert.equal(shortHumanDuration(-1500), "0s");
  assert.equal(shortHumanDuration(-5000), "<invalid>");
});
