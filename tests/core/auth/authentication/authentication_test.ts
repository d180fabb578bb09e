// Who the server says a request comes from, checked with the real kubectl (and raw HTTPS for the
// anonymous case): client certificates from the client CA, from another CA, expired ones, and no
// credentials at all.
import assert from "node:assert/strict";
import { renderKubeconfig } from "../../../../core/kubeconfig/mod.ts";
import { createCertificateAuthority } from "../../../../core/pki/mod.ts";
import { startAuthCluster } from "./identities.ts";

const options = { sanitizeOps: false, sanitizeResources: false };
const DAY = 86_400_000;

Deno.test({
  name: "authentication: a client-CA certificate is user CN in groups O and system:authenticated",
  ...options,
  fn: async () => {
    await using cluster = await startAuthCluster();
    const jane = await cluster.userKubeconfig("jane", ["dev", "qa"]);
    const r = await cluster.kubectl(
      "--kubeconfig",
      jane,
      "auth",
      "whoami",
      "-o",
      "jsonpath={.status.userInfo.username} {.status.userInfo.groups[*]}",
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "jane dev qa system:authenticated");
  },
});

Deno.test({
  name: "authentication: a certificate signed by another CA is refused as Unauthorized",
  ...options,
  fn: async () => {
    await using cluster = await startAuthCluster();
    const rogue = await createCertificateAuthority("rogue");
    const mallory = await cluster.userKubeconfig("mallory", ["system:masters"], rogue);
    const r = await cluster.kubectl("--kubeconfig", mallory, "get", "ns");
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /You must be logged in to the server/);
  },
});

Deno.test({
  name: "authentication: an expired client-CA certificate is refused as Unauthorized",
  ...options,
  fn: async () => {
    await using cluster = await startAuthCluster();
    const expired = await cluster.userKubeconfig("jane", ["dev"], undefined, 1, new Date(Date.now() - 3 * DAY));
    const r = await cluster.kubectl("--kubeconfig", expired, "get", "ns");
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /You must be logged in to the server/);
  },
});

Deno.test({
  name: "authentication: without credentials every path answers 401 Unauthorized except /cacerts and /ping",
  ...options,
  fn: async () => {
    await using cluster = await startAuthCluster();
    const client = Deno.createHttpClient({ caCerts: [cluster.serverCAPem] });
    try {
      for (const path of ["/version", "/healthz", "/readyz", "/api", "/apis", "/api/v1/namespaces", "/openapi/v2"]) {
        const response = await fetch(cluster.url + path, { client });
        assert.equal(response.status, 401, path);
        assert.deepEqual(await response.json(), {
          kind: "Status",
          apiVersion: "v1",
          metadata: {},
          status: "Failure",
          message: "Unauthorized",
          reason: "Unauthorized",
          code: 401,
        });
      }
      const cacerts = await fetch(cluster.url + "/cacerts", { client });
      assert.equal(cacerts.status, 200);
      assert.equal(await cacerts.text(), cluster.serverCAPem);
      const ping = await fetch(cluster.url + "/ping", { client });
      assert.equal(await ping.text(), "pong");
    } finally {
      client.close();
    }
  },
});

Deno.test({
  name: "authentication: a bearer token of an unknown form, or another scheme, is refused as Unauthorized",
  ...options,
  fn: async () => {
    await using cluster = await startAuthCluster();
    const client = Deno.createHttpClient({ caCerts: [cluster.serverCAPem] });
    try {
      for (const authorization of ["Bearer not-a-token", "Bearer ", "Basic YWRtaW46YWRtaW4=", "Bearer a.b.c"]) {
        const response = await fetch(cluster.url + "/api", { client, headers: { authorization } });
        assert.equal(response.status, 401, authorization);
        await response.body?.cancel();
      }
    } finally {
      client.close();
    }
  },
});

/** A version 1 certificate for `subject`, as `openssl x509 -req` makes it without extensions. */
async function opensslVersion1Kubeconfig(
  cluster: Awaited<ReturnType<typeof startAuthCluster>>,
  subject: string,
  caPrefix: string,
): Promise<string> {
  const dir = Deno.makeTempDirSync({ dir: cluster.dataDir });
  const run = async (...args: string[]) => {
    const out = await new Deno.Command("openssl", { args, stdout: "null", stderr: "piped" }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  };
  await run("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", `${dir}/user.key`);
  await run("req", "-new", "-key", `${dir}/user.key`, "-subj", subject, "-out", `${dir}/user.csr`);
  await run(
    "x509",
    "-req",
    "-in",
    `${dir}/user.csr`,
    "-CA",
    `${caPrefix}.crt`,
    "-CAkey",
    `${caPrefix}.key`,
    "-CAcreateserial",
    "-CAserial",
    `${dir}/user.srl`,
    "-days",
    "2",
    "-out",
    `${dir}/user.crt`,
  );
  const path = `${dir}/user.kubeconfig`;
  Deno.writeTextFileSync(
    path,
    renderKubeconfig({
      server: cluster.url,
      caPem: cluster.serverCAPem,
      certPem: Deno.readTextFileSync(`${dir}/user.crt`),
      keyPem: Deno.readTextFileSync(`${dir}/user.key`),
    }),
  );
  return path;
}

Deno.test({
  name: "authentication: under Deno an X.509 version 1 certificate is refused, with a log line saying why",
  ...options,
  fn: async () => {
    // Deno's TLS cannot check that the client holds a version 1 certificate's key; see core/auth/authentication/x509.ts.
    const lines: string[] = [];
    await using cluster = await startAuthCluster({ log: (line) => lines.push(line) });
    const jane = await opensslVersion1Kubeconfig(cluster, "/O=dev/CN=jane", `${cluster.dataDir}/server/tls/client-ca`);
    const r = await cluster.kubectl("--kubeconfig", jane, "auth", "whoami");
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /You must be logged in to the server/);
    assert.ok(lines.some((l) => l.includes('X.509 version 1 client certificate of "jane"')), lines.join("\n"));
  },
});

Deno.test({
  name: "authentication: an X.509 version 1 certificate from another CA is refused",
  ...options,
  fn: async () => {
    await using cluster = await startAuthCluster();
    const tls = `${cluster.dataDir}/server/tls`;
    // The server CA signs serving certificates, not users: a user certificate it signed is not a client-CA one.
    const mallory = await opensslVersion1Kubeconfig(cluster, "/O=system:masters/CN=mallory", `${tls}/server-ca`);
    const r = await cluster.kubectl("--kubeconfig", mallory, "get", "ns");
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /You must be logged in to the server/);
  },
});
