// The supervisor endpoints through a real HTTPS server: who may call them, what /config, /apiservers and /readyz
// answer, certificates signed from CSRs, and the node password kept in an immutable Secret.
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { Buffer } from "node:buffer";
import { createToken } from "../../../../core/auth/bootstrap/tokens.ts";
import { generateKeyPair, pemCertificates } from "../../../../core/pki/mod.ts";
import { signingAlgorithm } from "../../../../core/pki/keys.ts";
import { x509 } from "../../../../core/pki/x509.ts";
import { verifyNodePassword } from "../../../../core/server/supervisor/mod.ts";
import { SERVER_TEST, type SupervisorCluster, withSupervisor } from "./support.ts";

async function csrFor(commonName = "ignored"): Promise<Uint8Array<ArrayBuffer>> {
  const keys = await generateKeyPair();
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: [{ CN: [commonName] }],
    keys,
    signingAlgorithm: signingAlgorithm(keys.privateKey),
  });
  return new Uint8Array(csr.rawData);
}

const extendedKeyUsages = (cert: X509Certificate) =>
  Array.from(new x509.X509Certificate(cert.raw).getExtension(x509.ExtendedKeyUsageExtension)?.usages ?? [], String);

const nodeHeaders = (name: string, password: string, ips?: string) => ({
  "K3s-Node-Name": name,
  "K3s-Node-Password": password,
  ...(ips !== undefined && { "K3s-Node-IP": ips }),
});

async function requestCert(
  cluster: SupervisorCluster,
  kind: "serving" | "client",
  headers: Record<string, string>,
  auth: { basic?: string; identity?: { certPem: string; keyPem: string } },
): Promise<Response> {
  return await cluster.fetch(`/v1-k3s/${kind}-kubelet.crt`, { ...auth, method: "POST", headers, body: await csrFor() });
}

Deno.test({
  name: "supervisor: agents, nodes and bootstrap tokens get in; other users are refused as K3s refuses them",
  ...SERVER_TEST,
  fn: async () => {
    await withSupervisor({ token: "serverpw", agentToken: "agentpw" }, async (cluster) => {
      const status = async (options: Parameters<SupervisorCluster["fetch"]>[1]) =>
        (await cluster.fetch("/v1-k3s/config", options)).status;
      assert.equal(await status({}), 401);
      assert.equal(await status({ basic: "node:agentpw" }), 200);
      // With an agent token set, the node user's password is the agent token's only.
      assert.equal(await status({ basic: "node:serverpw" }), 401);
      assert.equal(await status({ basic: "node:wrong" }), 401);
      const asServer = await cluster.fetch("/v1-k3s/config", { basic: "server:serverpw" });
      assert.equal(asServer.status, 403);
      assert.equal((await asServer.json()).message, "forbidden");
      const token = await createToken(cluster.client);
      assert.equal(await status({ bearer: `${token.id}.${token.secret}` }), 200);
      assert.equal(await status({ identity: await cluster.identity("system:node:n1", ["system:nodes"]) }), 200);
      assert.equal(await status({ identity: await cluster.identity("jane", ["dev"]) }), 403);
    });
  },
});

Deno.test({
  name: "supervisor: without an agent token the node user takes the server token's password",
  ...SERVER_TEST,
  fn: async () => {
    await withSupervisor({ token: "serverpw" }, async (cluster) => {
      assert.equal((await cluster.fetch("/v1-k3s/config", { basic: "node:serverpw" })).status, 200);
      // Basic credentials mean nothing to the Kubernetes API itself: no RBAC binding names these users.
      assert.equal((await cluster.fetch("/api/v1/namespaces", { basic: "node:serverpw" })).status, 403);
    });
  },
});

Deno.test({
  name: "supervisor: config, CA files, apiservers and readyz answer what an agent reads",
  ...SERVER_TEST,
  fn: async () => {
    await withSupervisor({ token: "pw" }, async (cluster) => {
      const basic = "node:pw";
      const config = await (await cluster.fetch("/v1-k3s/config", { basic })).json();
      const port = Number(new URL(cluster.url).port);
      assert.equal(config.ClusterDNS, "10.43.0.10");
      assert.equal(config.ClusterDomain, "cluster.local");
      assert.equal(config.ServiceIPRange, "10.43.0.0/16");
      assert.equal(config.ClusterIPRange, "10.42.0.0/16");
      assert.equal(config.HTTPSPort, port);
      assert.equal(config.SupervisorPort, port);
      assert.equal(await (await cluster.fetch("/v1-k3s/server-ca.crt", { basic })).text(), cluster.serverCAPem);
      assert.equal(await (await cluster.fetch("/v1-k3s/client-ca.crt", { basic })).text(), cluster.clientCA.certPem);
      const apiservers = await (await cluster.fetch("/v1-k3s/apiservers", { basic })).json();
      assert.deepEqual(apiservers, [`127.0.0.1:${cluster.server.port}`]);
      assert.equal(await (await cluster.fetch("/v1-k3s/readyz", { basic })).text(), "ok");
      cluster.ready = false;
      const notReady = await cluster.fetch("/v1-k3s/readyz", { basic });
      assert.equal(notReady.status, 503);
      assert.equal((await notReady.json()).message, "runtime core not ready");
    });
  },
});

Deno.test({
  name: "supervisor: kubelet certificates are signed for the CSR's key with the node's names, chained to the CA",
  ...SERVER_TEST,
  fn: async () => {
    await withSupervisor({ token: "pw" }, async (cluster) => {
      const basic = "node:pw";
      const serving = await requestCert(cluster, "serving", nodeHeaders("Worker-1", "nodepw", "10.0.0.5,fd00::5"), {
        basic,
      });
      assert.equal(serving.status, 200);
      const [leaf, ca] = pemCertificates(await serving.text()).map((pem) => new X509Certificate(pem));
      assert.equal(leaf.subject, "CN=worker-1");
      assert.equal(
        leaf.subjectAltName,
        "DNS:worker-1, DNS:localhost, IP Address:127.0.0.1, IP Address:10.0.0.5, IP Address:fd00::5",
      );
      assert.ok(leaf.checkIssued(ca) && leaf.verify(ca.publicKey));
      assert.equal(ca.toString(), new X509Certificate(cluster.serverCAPem).toString());
      assert.equal(new Date(leaf.validFrom).getTime(), new Date(ca.validFrom).getTime());
      assert.ok(new Date(leaf.validTo).getTime() > Date.now() + 364 * 86_400_000);
      assert.deepEqual(extendedKeyUsages(leaf), [x509.ExtendedKeyUsage.serverAuth]);

      const client = await requestCert(cluster, "client", nodeHeaders("worker-1", "nodepw"), { basic });
      const [clientLeaf] = pemCertificates(await client.text()).map((pem) => new X509Certificate(pem));
      assert.equal(clientLeaf.subject, "O=system:nodes\nCN=system:node:worker-1");
      assert.ok(clientLeaf.verify(new X509Certificate(cluster.clientCA.certPem).publicKey));
      assert.deepEqual(extendedKeyUsages(clientLeaf), [x509.ExtendedKeyUsage.clientAuth]);
      for (
        const [path, subject] of [["kube-proxy", "CN=system:kube-proxy"], [
          "k3s-controller",
          "CN=system:k3s-controller",
        ]]
      ) {
        const component = await cluster.fetch(`/v1-k3s/client-${path}.crt`, {
          basic,
          method: "POST",
          body: await csrFor(),
        });
        assert.equal(new X509Certificate(pemCertificates(await component.text())[0]).subject, subject);
      }
    });
  },
});

Deno.test({
  name: "supervisor: malformed certificate requests are refused with 400",
  ...SERVER_TEST,
  fn: async () => {
    await withSupervisor({ token: "pw" }, async (cluster) => {
      const basic = "node:pw";
      const message = async (response: Response) => [response.status, (await response.json()).message];
      assert.deepEqual(
        await message(await cluster.fetch("/v1-k3s/client-kubelet.crt", { basic, headers: nodeHeaders("n1", "p") })),
        [400, "a DER certificate signing request must be POSTed: shared legacy keys are not served"],
      );
      assert.deepEqual(await message(await requestCert(cluster, "client", { "K3s-Node-Password": "p" }, { basic })), [
        400,
        "node name not set",
      ]);
      assert.deepEqual(await message(await requestCert(cluster, "client", { "K3s-Node-Name": "n1" }, { basic })), [
        400,
        "node password not set",
      ]);
      assert.deepEqual(
        await message(await requestCert(cluster, "serving", nodeHeaders("n1", "p", "10.0.0.300"), { basic })),
        [
          400,
          "invalid node IP address 10.0.0.300",
        ],
      );
      const garbage = await cluster.fetch("/v1-k3s/client-kubelet.crt", {
        basic,
        method: "POST",
        headers: nodeHeaders("n1", "p"),
        body: new TextEncoder().encode("not a csr"),
      });
      assert.equal(garbage.status, 400);
      assert.match((await garbage.json()).message, /^invalid certificate signing request/);
    });
  },
});

Deno.test({
  name: "supervisor: the first node password is kept in an immutable Secret and a different one is refused",
  ...SERVER_TEST,
  fn: async () => {
    await withSupervisor({ token: "pw" }, async (cluster) => {
      const basic = "node:pw";
      assert.equal((await requestCert(cluster, "client", nodeHeaders("Worker-1", "first"), { basic })).status, 200);
      const secret = await cluster.client.get<{ immutable?: boolean; data: { hash: string } }>(
        { apiVersion: "v1", kind: "Secret" },
        "kube-system",
        "worker-1.node-password.k3s",
      );
      assert.equal(secret.immutable, true);
      const hash = Buffer.from(secret.data.hash, "base64").toString();
      assert.match(hash, /^\$1:[0-9a-f]{16}:15:8:1:[A-Za-z0-9+/]{86}$/);
      assert.equal(await verifyNodePassword(hash, "first"), true);
      assert.equal((await requestCert(cluster, "serving", nodeHeaders("worker-1", "first"), { basic })).status, 200);
      const refused = await requestCert(cluster, "client", nodeHeaders("worker-1", "second"), { basic });
      assert.equal(refused.status, 403);
      assert.equal((await refused.json()).message, "unable to verify hash for node 'worker-1': hash does not match");
    });
  },
});

Deno.test({
  name: "supervisor: a node certificate only gets certificates for its own, still existing node",
  ...SERVER_TEST,
  fn: async () => {
    await withSupervisor({ token: "pw" }, async (cluster) => {
      const identity = await cluster.identity("system:node:n1", ["system:nodes"]);
      const other = await requestCert(cluster, "client", nodeHeaders("n2", "p"), { identity });
      assert.equal(other.status, 400);
      assert.equal((await other.json()).message, "header node name does not match auth node name");
      const gone = await requestCert(cluster, "client", nodeHeaders("n1", "p"), { identity });
      assert.equal(gone.status, 401);
      assert.equal((await gone.json()).message, 'unable to verify node identity: nodes "n1" not found');
      await cluster.client.create({ apiVersion: "v1", kind: "Node", metadata: { name: "n1" } });
      assert.equal((await requestCert(cluster, "client", nodeHeaders("n1", "p"), { identity })).status, 200);
    });
  },
});
