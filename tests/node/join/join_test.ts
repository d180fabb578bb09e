// `k3s agent`'s bootstrap against a real server with the supervisor in front: files written with K3s's names and
// modes, keys and node password kept across restarts, clear failures for wrong tokens, CA hashes and node
// passwords, retries while the server is away, and a kubelet's work done with the certificate it got.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApiClient, httpsTransport } from "../../../core/client/mod.ts";
import { Registry } from "../../../core/registry/registry.ts";
import { type JoinOptions, joinServer } from "../../../node/join/mod.ts";
import { SERVER_TEST, type SupervisorCluster, withSupervisor } from "../../core/server/supervisor/support.ts";
import { until } from "../../support/cluster.ts";

/** A fresh agent data dir and node password file, removed after `fn`. */
async function withAgentDirs(fn: (dirs: { dataDir: string; nodePasswordFile: string }) => Promise<void>) {
  const root = mkdtempSync(join(tmpdir(), "k3s-agent-"));
  try {
    await fn({ dataDir: join(root, "data"), nodePasswordFile: join(root, "etc", "rancher", "node", "password") });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const join_ = (cluster: SupervisorCluster, options: Partial<JoinOptions> & Pick<JoinOptions, "dataDir">) =>
  joinServer({ server: cluster.url, token: cluster.tokens.token, nodeName: "worker-1", log: () => {}, ...options });

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

Deno.test({
  name:
    "joinServer: writes the CAs, kubelet certificates, keys and kubeconfig 0600, keeping keys and password on rejoin",
  ...SERVER_TEST,
  fn: async () => {
    await withSupervisor({ token: "serverpw" }, async (cluster) => {
      await withAgentDirs(async ({ dataDir, nodePasswordFile }) => {
        const joined = await join_(cluster, { dataDir, nodePasswordFile, nodeName: "Worker-1", nodeIPs: ["10.0.0.7"] });
        assert.equal(joined.nodeName, "worker-1");
        assert.equal(joined.config.ClusterDNS, "10.43.0.10");
        assert.equal(joined.serverCA, cluster.serverCAPem);
        assert.equal(joined.clientCA, cluster.clientCA.certPem);
        const agent = join(dataDir, "agent");
        for (
          const file of [
            "client-ca.crt",
            "server-ca.crt",
            "client-kubelet.crt",
            "client-kubelet.key",
            "serving-kubelet.crt",
            "serving-kubelet.key",
            "kubelet.kubeconfig",
          ]
        ) assert.equal(mode(join(agent, file)), "600", file);
        assert.equal(readFileSync(join(agent, "client-kubelet.key"), "utf8"), joined.clientKey);
        assert.equal(readFileSync(join(agent, "serving-kubelet.crt"), "utf8"), joined.servingCert);
        assert.match(
          readFileSync(join(agent, "kubelet.kubeconfig"), "utf8"),
          /client-certificate: .*client-kubelet\.crt/,
        );
        const password = readFileSync(nodePasswordFile, "utf8");
        assert.match(password, /^[0-9a-f]{32}\n$/);
        assert.equal(mode(nodePasswordFile), "600");

        const again = await join_(cluster, { dataDir, nodePasswordFile });
        assert.equal(again.clientKey, joined.clientKey);
        assert.equal(again.servingKey, joined.servingKey);
        assert.equal(readFileSync(nodePasswordFile, "utf8"), password);
      });
    });
  },
});

Deno.test({
  name: "joinServer: a wrong password, CA hash or malformed token fails at once with K3s's words",
  ...SERVER_TEST,
  fn: async () => {
    await withSupervisor({ token: "serverpw" }, async (cluster) => {
      await withAgentDirs(async ({ dataDir, nodePasswordFile }) => {
        const hash = cluster.tokens.caHash;
        await assert.rejects(
          join_(cluster, { dataDir, nodePasswordFile, token: `K10${hash}::server:wrong` }),
          /\/v1-k3s\/config: 401 Unauthorized: the server does not accept this token$/,
        );
        await assert.rejects(
          join_(cluster, { dataDir, nodePasswordFile, token: `K10${"0".repeat(64)}::server:serverpw` }),
          new RegExp(
            `^Error: token CA hash does not match the Cluster CA certificate hash: ${"0".repeat(64)} != ${hash}$`,
          ),
        );
        await assert.rejects(join_(cluster, { dataDir, token: "K10abc::node:x" }), /invalid token CA hash length/);
        await assert.rejects(join_(cluster, { dataDir, server: "http://127.0.0.1:1" }), /only https:\/\/ URLs/);
      });
    });
  },
});

Deno.test({
  name: "joinServer: a short token is trusted on first use with K3s's warning",
  ...SERVER_TEST,
  fn: async () => {
    await withSupervisor({ token: "serverpw" }, async (cluster) => {
      await withAgentDirs(async ({ dataDir, nodePasswordFile }) => {
        const lines: string[] = [];
        await join_(cluster, { dataDir, nodePasswordFile, token: "serverpw", log: (line) => lines.push(line) });
        assert.ok(lines.some((line) => line.includes("the token does not include a CA hash")), lines.join("\n"));
      });
    });
  },
});

Deno.test({
  name: "joinServer: a second machine claiming a node name is refused by the node password",
  ...SERVER_TEST,
  fn: async () => {
    await withSupervisor({ token: "serverpw" }, async (cluster) => {
      await withAgentDirs(async (first) => {
        await join_(cluster, first);
        await withAgentDirs(async (second) => {
          await assert.rejects(
            join_(cluster, second),
            new RegExp(
              `^Error: Node password rejected, duplicate hostname or contents of '${second.nodePasswordFile}' may ` +
                "not match server node-passwd entry, try enabling a unique node name with the --with-node-id flag$",
            ),
          );
        });
      });
    });
  },
});

Deno.test({
  name: "joinServer: waits and retries while the server is not reachable, then joins",
  ...SERVER_TEST,
  fn: async () => {
    await withSupervisor({ token: "serverpw", listen: false }, async (cluster) => {
      await withAgentDirs(async ({ dataDir, nodePasswordFile }) => {
        const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
        const port = probe.addr.port;
        probe.close();
        const lines: string[] = [];
        const joining = joinServer({
          server: `https://127.0.0.1:${port}`,
          token: cluster.tokens.token,
          dataDir,
          nodePasswordFile,
          nodeName: "worker-1",
          retryInterval: 50,
          log: (line) => lines.push(line),
        });
        await until(() => Promise.resolve(lines.length > 0), "a retry line");
        assert.match(lines[0], /^Waiting to retrieve agent configuration; server is not ready: .*ECONNREFUSED/);
        await cluster.listen(port);
        assert.equal((await joining).nodeName, "worker-1");
      });
    });
  },
});

Deno.test({
  name: "joinServer: the kubelet certificate does a kubelet's work as system:node:<name>",
  ...SERVER_TEST,
  fn: async (t) => {
    await withSupervisor({ token: "serverpw" }, async (cluster) => {
      await withAgentDirs(async ({ dataDir, nodePasswordFile }) => {
        const joined = await join_(cluster, { dataDir, nodePasswordFile });
        const transport = httpsTransport({
          server: joined.server,
          caPem: joined.serverCA,
          certPem: joined.clientCert,
          keyPem: joined.clientKey,
        });
        const kubelet = new ApiClient(transport, new Registry());
        const admin = cluster.client;
        try {
          await t.step("registers its Node, updates its status and keeps its Lease", async () => {
            const node = await kubelet.create({ apiVersion: "v1", kind: "Node", metadata: { name: "worker-1" } });
            await kubelet.updateStatus({ ...node, status: { conditions: [{ type: "Ready", status: "True" }] } });
            await kubelet.create({
              apiVersion: "coordination.k8s.io/v1",
              kind: "Lease",
              metadata: { name: "worker-1", namespace: "kube-node-lease" },
              spec: { holderIdentity: "worker-1", leaseDurationSeconds: 40 },
            });
          });

          await admin.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "apps" } });
          await admin.create({
            apiVersion: "v1",
            kind: "ServiceAccount",
            metadata: { name: "robot", namespace: "apps" },
          });
          await admin.create({
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: { name: "settings", namespace: "apps" },
            data: { a: "1" },
          });
          await admin.create({
            apiVersion: "v1",
            kind: "Secret",
            metadata: { name: "password", namespace: "apps" },
            stringData: { pw: "x" },
          });
          const pod = await admin.create({
            apiVersion: "v1",
            kind: "Pod",
            metadata: { name: "web", namespace: "apps" },
            spec: {
              nodeName: "worker-1",
              serviceAccountName: "robot",
              containers: [{ name: "app", image: "busybox", envFrom: [{ secretRef: { name: "password" } }] }],
              volumes: [{ name: "settings", configMap: { name: "settings" } }],
            },
          }) as unknown as { metadata: { uid: string; name: string } };

          await t.step("lists and watches its pods by spec.nodeName and updates their status", async () => {
            const fieldSelector = "spec.nodeName=worker-1";
            const list = await kubelet.list({ apiVersion: "v1", kind: "Pod" }, undefined, { fieldSelector });
            assert.deepEqual(list.items.map((p) => p.metadata?.name), ["web"]);
            const stop = new AbortController();
            for await (
              const event of kubelet.watch({ apiVersion: "v1", kind: "Pod" }, undefined, {
                fieldSelector,
                resourceVersion: "0",
                signal: stop.signal,
              })
            ) {
              assert.equal(event.type, "ADDED");
              stop.abort();
            }
            const current = await kubelet.get({ apiVersion: "v1", kind: "Pod" }, "apps", "web");
            await kubelet.updateStatus({ ...current, status: { phase: "Running" } });
          });

          await t.step("reads its pod's config map and secret, and gets its service account a token", async () => {
            await until(async () => {
              await kubelet.get({ apiVersion: "v1", kind: "Secret" }, "apps", "password");
              return true;
            }, "the node's relationship to its pod's secret");
            await kubelet.get({ apiVersion: "v1", kind: "ConfigMap" }, "apps", "settings");
            const request = await kubelet.createSubresource<{ status: { token: string } }>(
              { apiVersion: "v1", kind: "ServiceAccount" },
              "apps",
              "robot",
              "token",
              {
                apiVersion: "authentication.k8s.io/v1",
                kind: "TokenRequest",
                spec: {
                  audiences: ["https://kubernetes.default.svc.cluster.local", "k3s"],
                  boundObjectRef: { apiVersion: "v1", kind: "Pod", name: "web", uid: pod.metadata.uid },
                },
              },
            );
            assert.ok(request.status.token);
          });

          await t.step("reviews access", async () => {
            const access = await kubelet.create({
              apiVersion: "authorization.k8s.io/v1",
              kind: "SubjectAccessReview",
              spec: { user: "jane", resourceAttributes: { verb: "get", resource: "pods", namespace: "apps" } },
            }) as unknown as { status: { allowed: boolean } };
            assert.equal(access.status.allowed, false);
          });

          await t.step("records events", async () => {
            await kubelet.create({
              apiVersion: "v1",
              kind: "Event",
              metadata: { name: "web.started", namespace: "apps" },
              involvedObject: { apiVersion: "v1", kind: "Pod", name: "web", namespace: "apps" },
              reason: "Started",
              message: "Started container app",
              type: "Normal",
              source: { component: "kubelet", host: "worker-1" },
            });
          });
        } finally {
          transport.close();
        }
      });
    });
  },
});
