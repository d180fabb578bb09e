// The bootstrap token cleaner on a real in-process server: expired token Secrets go, the others stay.
import assert from "node:assert/strict";
import type { Client } from "../../../core/client/mod.ts";
import { createToken, listTokens, tokenToSecret } from "../../../core/auth/bootstrap/mod.ts";
import { bootstrapTokenCleaner } from "../../../controllers/bootstrap_token_cleaner/mod.ts";
import { until, withCluster } from "../../support/cluster.ts";

const options = { sanitizeOps: false, sanitizeResources: false };
const CONTROLLERS: Parameters<typeof withCluster>[0] = (deps) => [bootstrapTokenCleaner(deps)];
const SECRET = { apiVersion: "v1", kind: "Secret" };

async function ids(client: Client): Promise<string[]> {
  return (await listTokens(client)).map((t) => t.id).sort();
}

Deno.test({
  name: "bootstrap token cleaner: deletes a token Secret whose expiration has passed, keeps live and eternal ones",
  ...options,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createToken(client, { token: "live00.0123456789abcdef", ttl: 3_600_000 });
      await createToken(client, { token: "always.0123456789abcdef", ttl: 0 });
      await createToken(client, { token: "gone00.0123456789abcdef", ttl: 1000, now: new Date(Date.now() - 60_000) });
      await until(async () => !(await ids(client)).includes("gone00"), "the expired token is deleted");
      assert.deepEqual(await ids(client), ["always", "live00"]);
    }),
});

Deno.test({
  name: "bootstrap token cleaner: a token is deleted once it runs out, without any other change",
  ...options,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createToken(client, { token: "brief0.0123456789abcdef", ttl: 1500 });
      assert.deepEqual(await ids(client), ["brief0"]);
      await until(async () => (await ids(client)).length === 0, "the token is deleted when it expires");
    }),
});

Deno.test({
  name: "bootstrap token cleaner: an unparseable expiration counts as expired",
  ...options,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      const secret = tokenToSecret({ id: "broken", secret: "0123456789abcdef", usages: [], groups: [] });
      await client.create({ ...secret, stringData: { expiration: "tomorrow" } });
      await until(async () => {
        try {
          await client.get(SECRET, "kube-system", "bootstrap-token-broken");
          return false;
        } catch {
          return true;
        }
      }, "the token with a broken expiration is deleted");
    }),
});

Deno.test({
  name: "bootstrap token cleaner: Secrets of other types or outside kube-system are left alone",
  ...options,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      const expired = tokenToSecret({
        id: "abcdef",
        secret: "0123456789abcdef",
        usages: [],
        groups: [],
        expires: new Date(Date.now() - 60_000),
      });
      await client.create({ ...expired, type: "Opaque" });
      await client.create({ ...expired, metadata: { name: "bootstrap-token-abcdef", namespace: "default" } });
      await createToken(client, { token: "gone00.0123456789abcdef", ttl: 1000, now: new Date(Date.now() - 60_000) });
      // The expired real token going shows the cleaner has looked at everything in the cache.
      await until(async () => (await ids(client)).length === 0, "the expired token is deleted");
      await client.get(SECRET, "kube-system", "bootstrap-token-abcdef");
      await client.get(SECRET, "default", "bootstrap-token-abcdef");
    }),
});
