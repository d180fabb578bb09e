// Bootstrap tokens through the library `k3s token` uses, on a real server: the Secrets they are
// stored as, listing and deleting them, and authenticating with them through the real kubectl.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { ApiClient, type Client, inProcessTransport } from "../../../../core/client/mod.ts";
import {
  createToken,
  deleteToken,
  generateToken,
  listTokens,
  tokenToSecret,
} from "../../../../core/auth/bootstrap/mod.ts";
import { type AuthCluster, startAuthCluster } from "../authentication/identities.ts";

const options = { sanitizeOps: false, sanitizeResources: false };
const TOKEN = "abcdef.0123456789abcdef";

async function withTokens(fn: (cluster: AuthCluster, client: Client) => Promise<void>): Promise<void> {
  await using cluster = await startAuthCluster();
  await fn(cluster, new ApiClient(inProcessTransport(cluster.server.router), cluster.server.registry));
}

async function whoami(cluster: AuthCluster, token: string): Promise<string> {
  const r = await cluster.kubectlWithToken(
    token,
    "auth",
    "whoami",
    "-o",
    "jsonpath={.status.userInfo.username} {.status.userInfo.groups[*]}",
  );
  return r.code === 0 ? r.stdout : r.stderr;
}

Deno.test({
  name: "bootstrap: createToken stores kubeadm's bootstrap-token-<id> Secret with K3s's defaults",
  ...options,
  fn: () =>
    withTokens(async (cluster, client) => {
      const now = new Date("2030-01-02T03:04:05.678Z");
      await createToken(client, { token: TOKEN, description: "join worker-3", now });
      const r = await cluster.kubectl("-n", "kube-system", "get", "secret", "bootstrap-token-abcdef", "-o", "json");
      assert.equal(r.code, 0, r.stderr);
      const secret = JSON.parse(r.stdout);
      assert.equal(secret.type, "bootstrap.kubernetes.io/token");
      const data = Object.fromEntries(
        Object.entries(secret.data as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]),
      );
      assert.deepEqual(data, {
        "token-id": "abcdef",
        "token-secret": "0123456789abcdef",
        description: "join worker-3",
        expiration: "2030-01-03T03:04:05Z",
        "usage-bootstrap-signing": "true",
        "usage-bootstrap-authentication": "true",
        "auth-extra-groups": "system:bootstrappers:k3s:default-node-token",
      });
    }),
});

Deno.test({
  name: "bootstrap: listTokens reads back every token, with sorted usages and a never-expiring one",
  ...options,
  fn: () =>
    withTokens(async (_cluster, client) => {
      const now = new Date("2030-01-02T03:04:05Z");
      await createToken(client, { token: TOKEN, now, usages: ["signing", "authentication"] });
      await createToken(client, { token: "zzzzzz.0123456789abcdef", ttl: 0, groups: [], usages: ["signing"] });
      const tokens = (await listTokens(client)).sort((a, b) => a.id.localeCompare(b.id));
      assert.deepEqual(tokens, [
        {
          id: "abcdef",
          secret: "0123456789abcdef",
          expires: new Date("2030-01-03T03:04:05Z"),
          usages: ["authentication", "signing"],
          groups: ["system:bootstrappers:k3s:default-node-token"],
        },
        { id: "zzzzzz", secret: "0123456789abcdef", usages: ["signing"], groups: [] },
      ]);
    }),
});

Deno.test({
  name: "bootstrap: a token authenticates as system:bootstrap:<id> in system:bootstrappers and its extra groups",
  ...options,
  fn: () =>
    withTokens(async (cluster, client) => {
      await createToken(client, { token: TOKEN, groups: ["system:bootstrappers:k3s:default-node-token"] });
      assert.equal(
        await whoami(cluster, TOKEN),
        "system:bootstrap:abcdef system:bootstrappers system:bootstrappers:k3s:default-node-token system:authenticated",
      );
    }),
});

Deno.test({
  name: "bootstrap: an expired token, one not for authentication, and a wrong secret are refused",
  ...options,
  fn: () =>
    withTokens(async (cluster, client) => {
      await createToken(client, { token: "expire.0123456789abcdef", ttl: 60_000, now: new Date(Date.now() - 120_000) });
      await createToken(client, { token: "signer.0123456789abcdef", usages: ["signing"] });
      await createToken(client, { token: TOKEN });
      for (const token of ["expire.0123456789abcdef", "signer.0123456789abcdef", "abcdef.0123456789abcdeg"]) {
        assert.match(await whoami(cluster, token), /You must be logged in to the server \(Unauthorized\)/, token);
      }
    }),
});

Deno.test({
  name: "bootstrap: a Secret of another type or with a mismatched token-id does not authenticate",
  ...options,
  fn: () =>
    withTokens(async (cluster, client) => {
      const secret = tokenToSecret({
        id: "abcdef",
        secret: "0123456789abcdef",
        usages: ["authentication"],
        groups: [],
      });
      await client.create({ ...secret, type: "Opaque" });
      const other = tokenToSecret({ id: "other0", secret: "0123456789abcdef", usages: ["authentication"], groups: [] });
      await client.create({ ...other, metadata: { ...other.metadata, name: "bootstrap-token-ghijkl" } });
      assert.match(await whoami(cluster, TOKEN), /Unauthorized/);
      assert.match(await whoami(cluster, "ghijkl.0123456789abcdef"), /Unauthorized/);
    }),
});

Deno.test({
  name: "bootstrap: deleteToken takes an id, a whole token or a K10 join token, and the token stops working",
  ...options,
  fn: () =>
    withTokens(async (cluster, client) => {
      await createToken(client, { token: TOKEN });
      await createToken(client, { token: "second.0123456789abcdef" });
      await createToken(client, { token: "third0.0123456789abcdef" });
      assert.equal(await deleteToken(client, "abcdef"), "abcdef");
      assert.equal(await deleteToken(client, "second.0123456789abcdef"), "second");
      assert.equal(await deleteToken(client, `K10${"0".repeat(64)}::third0.0123456789abcdef`), "third0");
      assert.deepEqual(await listTokens(client), []);
      assert.match(await whoami(cluster, TOKEN), /Unauthorized/);
      await assert.rejects(deleteToken(client, "abcdef"), /bootstrap token "abcdef" not found/);
      await assert.rejects(deleteToken(client, "nope"), /didn't match pattern/);
    }),
});

Deno.test({
  name: "bootstrap: a taken id, an unknown usage and a group outside system:bootstrappers: are refused",
  ...options,
  fn: () =>
    withTokens(async (_cluster, client) => {
      await createToken(client, { token: TOKEN });
      await assert.rejects(createToken(client, { token: TOKEN }), /a token with id "abcdef" already exists/);
      await assert.rejects(
        createToken(client, { usages: ["login"] }),
        /invalid bootstrap token usage string: login, valid usage options: signing,authentication/,
      );
      await assert.rejects(
        createToken(client, { groups: ["system:masters"] }),
        /bootstrap group "system:masters" is invalid/,
      );
      await assert.rejects(createToken(client, { token: "ABC.def" }), /was not of the form/);
    }),
});

Deno.test("bootstrap: generateToken makes 6 + 16 characters of [a-z0-9], fresh each time", () => {
  const tokens = new Set(Array.from({ length: 50 }, generateToken));
  assert.equal(tokens.size, 50);
  for (const token of tokens) assert.match(token, /^[a-z0-9]{6}\.[a-z0-9]{16}$/);
});
