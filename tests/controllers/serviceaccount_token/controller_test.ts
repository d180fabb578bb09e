// The service-account token controller on a real server: a token Secret a user asks for gets a legacy
// token that authenticates (through the real kubectl) for as long as the Secret and ServiceAccount live.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { join } from "node:path";
import { ApiClient, inProcessTransport } from "../../../core/client/mod.ts";
import { serviceAccountTokenController } from "../../../controllers/serviceaccount_token/mod.ts";
import { type AuthCluster, startAuthCluster } from "../../core/auth/authentication/identities.ts";

const options = { sanitizeOps: false, sanitizeResources: false };

function withTokenController(fn: (cluster: AuthCluster) => Promise<void>): Promise<void> {
  return (async () => {
    await using cluster = await startAuthCluster((dataDir) => ({
      controllers: (deps) => [
        serviceAccountTokenController(deps, {
          serviceAccountKeyFile: join(dataDir, "server", "tls", "service.key"),
          rootCAFile: join(dataDir, "server", "tls", "server-ca.crt"),
        }),
      ],
    }));
    await ok(cluster, "create", "namespace", "sec");
    await ok(cluster, "-n", "sec", "create", "serviceaccount", "robot");
    const client = new ApiClient(inProcessTransport(cluster.server.router), cluster.server.registry);
    await client.create(TOKEN_SECRET);
    await fn(cluster);
  })();
}

const TOKEN_SECRET = {
  apiVersion: "v1",
  kind: "Secret",
  metadata: {
    name: "robot-token",
    namespace: "sec",
    annotations: { "kubernetes.io/service-account.name": "robot" },
  },
  type: "kubernetes.io/service-account-token",
};

async function ok(cluster: AuthCluster, ...args: string[]): Promise<string> {
  const r = await cluster.kubectl(...args);
  assert.equal(r.code, 0, `kubectl ${args.join(" ")}: ${r.stderr}`);
  return r.stdout.trim();
}

async function tokenOf(cluster: AuthCluster): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const data = await ok(cluster, "-n", "sec", "get", "secret", "robot-token", "-o", "jsonpath={.data.token}");
    if (data) return Buffer.from(data, "base64").toString("utf8");
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the token Secret was never filled");
}

async function secretGone(cluster: AuthCluster): Promise<boolean> {
  for (let i = 0; i < 300; i++) {
    const r = await cluster.kubectl("-n", "sec", "get", "secret", "robot-token");
    if (r.code !== 0 && /NotFound/.test(r.stderr)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

Deno.test({
  name: "serviceaccount token controller: fills a requested token Secret with token, ca.crt, namespace and the uid",
  ...options,
  fn: () =>
    withTokenController(async (cluster) => {
      const token = await tokenOf(cluster);
      const uid = await ok(cluster, "-n", "sec", "get", "sa", "robot", "-o", "jsonpath={.metadata.uid}");
      const secret = JSON.parse(await ok(cluster, "-n", "sec", "get", "secret", "robot-token", "-o", "json"));
      assert.equal(secret.metadata.annotations["kubernetes.io/service-account.uid"], uid);
      assert.equal(Buffer.from(secret.data["ca.crt"], "base64").toString(), cluster.serverCAPem);
      assert.equal(Buffer.from(secret.data.namespace, "base64").toString(), "sec");
      assert.deepEqual(JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString()), {
        iss: "kubernetes/serviceaccount",
        "kubernetes.io/serviceaccount/namespace": "sec",
        "kubernetes.io/serviceaccount/secret.name": "robot-token",
        "kubernetes.io/serviceaccount/service-account.name": "robot",
        "kubernetes.io/serviceaccount/service-account.uid": uid,
        sub: "system:serviceaccount:sec:robot",
      });
    }),
});

Deno.test({
  name: "serviceaccount token controller: the legacy token authenticates until its Secret is deleted",
  ...options,
  fn: () =>
    withTokenController(async (cluster) => {
      const token = await tokenOf(cluster);
      const whoami = await cluster.kubectlWithToken(
        token,
        "auth",
        "whoami",
        "-o",
        "jsonpath={.status.userInfo.username}",
      );
      assert.equal(whoami.stdout, "system:serviceaccount:sec:robot", whoami.stderr);
      await ok(cluster, "-n", "sec", "delete", "secret", "robot-token");
      const after = await cluster.kubectlWithToken(token, "auth", "whoami");
      assert.match(after.stderr, /Unauthorized/);
    }),
});

Deno.test({
  name: "serviceaccount token controller: deleting the ServiceAccount deletes its token Secrets",
  ...options,
  fn: () =>
    withTokenController(async (cluster) => {
      const token = await tokenOf(cluster);
      await ok(cluster, "-n", "sec", "delete", "serviceaccount", "robot");
      assert.ok(await secretGone(cluster), "the token Secret is deleted with its ServiceAccount");
      assert.match((await cluster.kubectlWithToken(token, "auth", "whoami")).stderr, /Unauthorized/);
    }),
});
