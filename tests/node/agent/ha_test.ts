// K3s's "HA with an external datastore", all real processes: two `k3s server`s on one PostgreSQL with one token form
// one cluster (same CA, both in the `kubernetes` endpoints), and a `k3s agent` joined through one of them keeps
// working through the other when the first stops: its load balancer moves over, and its tunnel to the second server
// carries `kubectl logs`. A server's own node is a regular agent too: the other server reaches its pods through the
// tunnel the server's agent keeps to it.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { kubectl, startK3sAgent, startK3sServer } from "../../support/k3s_process.ts";
import { freePort, startPostgres } from "../../support/servers.ts";
import { eventually, RUNTIME_TESTS } from "../containerd/testenv.ts";

if (!RUNTIME_TESTS) console.warn("tests/node/agent/ha: skipped: the node agent runs real pods, which needs root");

const NODE = "k3s-ha-agent";
const SERVER_NODE = "k3s-ha-server";

/** The addresses `server` lists for the `kubernetes` Service, space-separated. */
async function apiServerIPs(server: Parameters<typeof kubectl>[0]): Promise<string> {
  return (await kubectl(server, "get", "endpoints", "kubernetes", "-o", "jsonpath={.subsets[*].addresses[*].ip}"))
    .stdout;
}

/** `kubectl run` a busybox pod running `script` through `server` and wait until it is Ready; `logs` explains a failure. */
async function runReadyPod(
  server: Parameters<typeof kubectl>[0],
  name: string,
  script: string,
  logs: () => string,
  timeout = "60s",
): Promise<void> {
  const run = await kubectl(server, "run", name, "--image=busybox:1.36", "--", "sh", "-c", script);
  assert.equal(run.code, 0, run.stderr);
  const ready = await kubectl(server, "wait", "--for=condition=Ready", `pod/${name}`, `--timeout=${timeout}`);
  assert.equal(ready.code, 0, ready.stderr + logs().slice(-3000));
}

Deno.test({
  name: "agent: two servers on one datastore are one cluster, and a joined agent carries on through the second",
  ignore: !RUNTIME_TESTS,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    await using postgres = await startPostgres();
    const port = await freePort();
    const shared = ["--datastore-endpoint", postgres.endpoint];
    const first = await startK3sServer({ bindAddress: "127.0.0.2", port, args: [...shared, "--token", "ha-secret"] });
    try {
      const token = readFileSync(join(first.dataDir, "server", "node-token"), "utf8").trim();
      assert.match(token, /^K10[0-9a-f]{64}::server:ha-secret$/);
      // The full token: its CA hash must match the CA the second server takes from the datastore.
      await using second = await startK3sServer({
        bindAddress: "127.0.0.3",
        port,
        args: [...shared, "--token", token],
      });
      const ca = (server: typeof first) => readFileSync(join(server.dataDir, "server", "tls", "server-ca.crt"), "utf8");
      assert.equal(ca(second), ca(first), "the second server took the cluster's CA");
      const asFirstAdmin = await kubectl(first, "--server", `https://127.0.0.3:${port}`, "get", "ns", "kube-system");
      assert.equal(
        asFirstAdmin.code,
        0,
        `the first server's admin credentials work on the second: ${asFirstAdmin.stderr}`,
      );
      await eventually(
        async () => await apiServerIPs(second) === "127.0.0.2 127.0.0.3",
        "the kubernetes endpoints list both servers",
      );

      await using agent = await startK3sAgent({
        server: `https://127.0.0.2:${port}`,
        token,
        nodeName: NODE,
        args: ["--kubelet-arg", "port=10251"],
      });
      const ready = await kubectl(first, "wait", "--for=condition=Ready", `node/${NODE}`, "--timeout=60s");
      assert.equal(ready.code, 0, ready.stderr + agent.output().slice(-3000));
      await runReadyPod(first, "before", "echo one; sleep 600", agent.output);
      await eventually(
        async () => (await kubectl(second, "logs", "before")).stdout === "one\n",
        "the second server reaches the agent's kubelet through its own tunnel",
      );

      const stoppedAt = new Date();
      await first.stop();
      await eventually(
        async () => await apiServerIPs(second) === "127.0.0.3",
        "the stopped server left the kubernetes endpoints",
      );
      await eventually(async () => {
        const renew = await kubectl(
          second,
          "get",
          "lease",
          "-n",
          "kube-node-lease",
          NODE,
          "-o",
          "jsonpath={.spec.renewTime}",
        );
        return renew.code === 0 && new Date(renew.stdout) > stoppedAt;
      }, "the agent renews its Lease through the second server");
      await runReadyPod(second, "after", "echo two; sleep 600", agent.output, "90s");
      await eventually(
        async () => (await kubectl(second, "logs", "after")).stdout === "two\n",
        "a pod started after the failover runs on the agent and its logs come through",
      );
      assert.match(agent.output(), /127\.0\.0\.3/, "the agent names the server it moved to");
    } finally {
      await first.stop();
    }
  },
});

Deno.test({
  name: "agent: another server reaches the pods on a server's own node through that node's tunnel to it",
  ignore: !RUNTIME_TESTS,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    await using postgres = await startPostgres();
    const port = await freePort();
    const shared = ["--datastore-endpoint", postgres.endpoint, "--token", "ha-secret"];
    await using first = await startK3sServer({
      agent: true,
      bindAddress: "127.0.0.2",
      port,
      args: [...shared, "--node-name", SERVER_NODE, "--pause-image", "docker.io/rancher/mirrored-pause:3.6"],
    });
    await using second = await startK3sServer({ bindAddress: "127.0.0.3", port, args: shared });
    const ready = await kubectl(second, "wait", "--for=condition=Ready", `node/${SERVER_NODE}`, "--timeout=60s");
    assert.equal(ready.code, 0, ready.stderr + first.output().slice(-3000));
    await runReadyPod(second, "web", "echo hello-from-the-server-node; sleep 600", first.output);
    assert.equal((await kubectl(second, "get", "pod", "web", "-o", "jsonpath={.spec.nodeName}")).stdout, SERVER_NODE);

    await eventually(
      async () => (await kubectl(second, "logs", "web")).stdout === "hello-from-the-server-node\n",
      "kubectl logs through the other server reaches the server's node",
    );
    const exec = await kubectl(second, "exec", "web", "--", "sh", "-c", "echo from-exec; exit 3");
    assert.equal(exec.stdout, "from-exec\n", exec.stderr);
    assert.equal(exec.code, 3, "the exit code comes back through the tunnel");
    assert.equal(
      (await kubectl(first, "logs", "web")).stdout,
      "hello-from-the-server-node\n",
      "its own server still reaches it in-process",
    );
    const said = first.output();
    assert.match(said, new RegExp(`Started tunnel to 127\\.0\\.0\\.3:${port}`), "the server's agent names the server");
    assert.doesNotMatch(said, /tunnel to 127\.0\.0\.2/, "no tunnel to its own server");
    assert.match(said, /Kubelet API listening on port 10250/);
    const password = await kubectl(second, "get", "secret", "-n", "kube-system", `${SERVER_NODE}.node-password.k3s`);
    assert.equal(password.code, 0, "the server's node joined with its node password, as K3s's does");
  },
});
