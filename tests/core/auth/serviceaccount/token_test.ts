// Service-account tokens end to end with the real kubectl: `kubectl create token` (TokenRequest),
// the JWT kube-apiserver would issue, and the bearer token alone authenticating — until it is
// tampered with, expires, or the service account or bound object goes away.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createHash, createPublicKey } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseServiceAccountKeys, serviceAccountClaims, signJWT } from "../../../../core/auth/serviceaccount/mod.ts";
import { startServer } from "../../../../core/server/start.ts";
import { type AuthCluster, startAuthCluster } from "../authentication/identities.ts";

const options = { sanitizeOps: false, sanitizeResources: false };
const ISSUER = "https://kubernetes.default.svc.cluster.local";

async function ok(cluster: AuthCluster, ...args: string[]): Promise<string> {
  const r = await cluster.kubectl(...args);
  assert.equal(r.code, 0, `kubectl ${args.join(" ")}: ${r.stderr}`);
  return r.stdout.trim();
}

function decode(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
}

async function whoami(cluster: AuthCluster, token: string): Promise<{ code: number; out: string }> {
  const r = await cluster.kubectlWithToken(
    token,
    "auth",
    "whoami",
    "-o",
    "jsonpath={.status.userInfo.username} {.status.userInfo.uid} {.status.userInfo.groups[*]}",
  );
  return { code: r.code, out: r.code === 0 ? r.stdout : r.stderr };
}

async function withRobot(fn: (cluster: AuthCluster, uid: string) => Promise<void>): Promise<void> {
  await using cluster = await startAuthCluster();
  await ok(cluster, "create", "namespace", "sec");
  await ok(cluster, "-n", "sec", "create", "serviceaccount", "robot");
  await fn(cluster, await ok(cluster, "-n", "sec", "get", "sa", "robot", "-o", "jsonpath={.metadata.uid}"));
}

Deno.test({
  name: "serviceaccount: a token from kubectl create token alone authenticates as the service account",
  ...options,
  fn: () =>
    withRobot(async (cluster, uid) => {
      const token = await ok(cluster, "-n", "sec", "create", "token", "robot", "--duration=10m");
      assert.deepEqual(await whoami(cluster, token), {
        code: 0,
        out:
          `system:serviceaccount:sec:robot ${uid} system:serviceaccounts system:serviceaccounts:sec system:authenticated`,
      });
    }),
});

Deno.test({
  name: "serviceaccount: the token is kube's RS256 JWT with the key's kid, K3s's issuer and audiences, and --duration",
  ...options,
  fn: () =>
    withRobot(async (cluster, uid) => {
      const request = JSON.parse(
        await ok(cluster, "-n", "sec", "create", "token", "robot", "--duration=10m", "-o", "json"),
      );
      const [header, payload] = request.status.token.split(".").map((p: string, i: number) => i < 2 ? decode(p) : p);
      const pem = readFileSync(join(cluster.dataDir, "server", "tls", "service.key"), "utf8");
      const spki = createPublicKey(pem).export({ type: "spki", format: "der" });
      assert.deepEqual(header, { alg: "RS256", kid: createHash("sha256").update(spki).digest("base64url") });
      assert.equal(payload.iss, ISSUER);
      assert.equal(payload.sub, "system:serviceaccount:sec:robot");
      assert.deepEqual(payload.aud, [ISSUER, "k3s"]);
      assert.equal((payload.exp as number) - (payload.iat as number), 600);
      assert.equal(payload.nbf, payload.iat);
      assert.match(payload.jti as string, /^[0-9a-f-]{36}$/);
      assert.deepEqual(payload["kubernetes.io"], { namespace: "sec", serviceaccount: { name: "robot", uid } });
      assert.equal(request.spec.expirationSeconds, 600);
      assert.equal(Date.parse(request.status.expirationTimestamp) / 1000, payload.exp);
      const hour = decode((await ok(cluster, "-n", "sec", "create", "token", "robot")).split(".")[1]);
      assert.equal((hour.exp as number) - (hour.iat as number), 3600);
    }),
});

Deno.test({
  name: "serviceaccount: a duration under ten minutes is refused with kube's Invalid message",
  ...options,
  fn: () =>
    withRobot(async (cluster) => {
      const r = await cluster.kubectl("-n", "sec", "create", "token", "robot", "--duration=5m");
      assert.notEqual(r.code, 0);
      assert.match(
        r.stderr,
        /TokenRequest\.authentication\.k8s\.io "" is invalid: spec\.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes/,
      );
    }),
});

Deno.test({
  name: "serviceaccount: a token for a missing service account is NotFound",
  ...options,
  fn: () =>
    withRobot(async (cluster) => {
      const r = await cluster.kubectl("-n", "sec", "create", "token", "nobody");
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /serviceaccounts "nobody" not found/);
    }),
});

Deno.test({
  name: "serviceaccount: a tampered token is refused as Unauthorized",
  ...options,
  fn: () =>
    withRobot(async (cluster) => {
      const token = await ok(cluster, "-n", "sec", "create", "token", "robot");
      const [header, payload, signature] = token.split(".");
      const claims = decode(payload);
      const forged = Buffer.from(JSON.stringify({ ...claims, sub: "system:admin" })).toString("base64url");
      for (const bad of [`${token.slice(0, -5)}AAAAA`, `${header}.${forged}.${signature}`]) {
        const r = await whoami(cluster, bad);
        assert.notEqual(r.code, 0);
        assert.match(r.out, /You must be logged in to the server \(Unauthorized\)/);
      }
    }),
});

Deno.test({
  name: "serviceaccount: a token past its expiry (issued with a past clock) is refused, one still valid is not",
  ...options,
  fn: () =>
    withRobot(async (cluster, uid) => {
      const keys = parseServiceAccountKeys(
        readFileSync(join(cluster.dataDir, "server", "tls", "service.key"), "utf8"),
      );
      const issued = (hoursAgo: number) =>
        signJWT(
          keys.signer,
          serviceAccountClaims({
            issuer: ISSUER,
            namespace: "sec",
            serviceAccount: { name: "robot", uid },
            audiences: [ISSUER, "k3s"],
            expirationSeconds: 3600,
            now: new Date(Date.now() - hoursAgo * 3_600_000),
            jti: crypto.randomUUID(),
          }),
        );
      const expired = await whoami(cluster, issued(2));
      assert.notEqual(expired.code, 0);
      assert.match(expired.out, /Unauthorized/);
      assert.equal((await whoami(cluster, issued(0.5))).code, 0);
    }),
});

Deno.test({
  name: "serviceaccount: deleting the service account revokes its tokens, even if it is re-created",
  ...options,
  fn: () =>
    withRobot(async (cluster) => {
      const token = await ok(cluster, "-n", "sec", "create", "token", "robot");
      assert.equal((await whoami(cluster, token)).code, 0);
      await ok(cluster, "-n", "sec", "delete", "serviceaccount", "robot");
      assert.match((await whoami(cluster, token)).out, /Unauthorized/);
      await ok(cluster, "-n", "sec", "create", "serviceaccount", "robot");
      assert.match((await whoami(cluster, token)).out, /Unauthorized/);
    }),
});

Deno.test({
  name: "serviceaccount: a token for another audience does not authenticate to the API",
  ...options,
  fn: () =>
    withRobot(async (cluster) => {
      const token = await ok(cluster, "-n", "sec", "create", "token", "robot", "--audience", "vault");
      assert.deepEqual(decode(token.split(".")[1]).aud, ["vault"]);
      assert.match((await whoami(cluster, token)).out, /Unauthorized/);
    }),
});

Deno.test({
  name: "serviceaccount: a pod-bound token names the pod and stops working when the pod is deleted",
  ...options,
  fn: () =>
    withRobot(async (cluster, uid) => {
      await ok(
        cluster,
        "-n",
        "sec",
        "run",
        "worker",
        "--image=busybox",
        "--overrides",
        JSON.stringify({ spec: { serviceAccountName: "robot" } }),
      );
      const podUID = await ok(cluster, "-n", "sec", "get", "pod", "worker", "-o", "jsonpath={.metadata.uid}");
      const token = await ok(
        cluster,
        "-n",
        "sec",
        "create",
        "token",
        "robot",
        "--bound-object-kind=Pod",
        "--bound-object-name=worker",
      );
      assert.deepEqual(decode(token.split(".")[1])["kubernetes.io"], {
        namespace: "sec",
        pod: { name: "worker", uid: podUID },
        serviceaccount: { name: "robot", uid },
      });
      assert.equal((await whoami(cluster, token)).code, 0);
      await ok(cluster, "-n", "sec", "delete", "pod", "worker", "--grace-period=0", "--force");
      assert.match((await whoami(cluster, token)).out, /Unauthorized/);
    }),
});

Deno.test({
  name: "serviceaccount: binding a token to a pod of another service account is a BadRequest",
  ...options,
  fn: () =>
    withRobot(async (cluster) => {
      await ok(cluster, "-n", "sec", "run", "worker", "--image=busybox");
      const r = await cluster.kubectl(
        "-n",
        "sec",
        "create",
        "token",
        "robot",
        "--bound-object-kind=Pod",
        "--bound-object-name=worker",
      );
      assert.notEqual(r.code, 0);
      assert.match(
        r.stderr,
        /cannot bind token for serviceaccount "robot" to pod running with different serviceaccount name\./,
      );
    }),
});

Deno.test({
  name: "serviceaccount: service.key is an RSA PKCS#1 key, private to its owner, that outlives a restart",
  ...options,
  fn: async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "k3s-sakey-"));
    const start = () =>
      startServer({
        dataDir,
        httpsPort: 0,
        bindAddress: "127.0.0.1",
        kubeconfigPath: join(dataDir, "k3s.yaml"),
        log: () => {},
      });
    try {
      const keyPath = join(dataDir, "server", "tls", "service.key");
      await (await start()).stop();
      const first = readFileSync(keyPath, "utf8");
      assert.match(first, /^-----BEGIN RSA PRIVATE KEY-----\n/);
      assert.equal(statSync(keyPath).mode & 0o777, 0o600);
      assert.equal(createPublicKey(first).asymmetricKeyDetails?.modulusLength, 2048);
      await (await start()).stop();
      assert.equal(readFileSync(keyPath, "utf8"), first);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});
