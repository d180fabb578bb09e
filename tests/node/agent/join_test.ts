// `k3s agent --server URL --token T` against a `k3s server --disable-agent`, both real processes: the node joins with
// the server's token, registers and goes Ready, runs a pod, and kubectl reaches that pod's logs, exec and
// port-forward through the tunnel the agent opened (the server never dials the agent's kubelet port directly).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { kubectl, startK3sAgent, startK3sServer } from "../../support/k3s_process.ts";
import { eventually, RUNTIME_TESTS } from "../containerd/testenv.ts";

if (!RUNTIME_TESTS) console.warn("tests/node/agent/join: skipped: the node agent runs real pods, which needs root");

const NODE = "k3s-joined-agent";

Deno.test({
  name: "agent: k3s agent joins with the node token; its pod's logs, exec and port-forward go through the tunnel",
  ignore: !RUNTIME_TESTS,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    await using server = await startK3sServer();
    const token = readFileSync(join(server.dataDir, "server", "node-token"), "utf8").trim();
    // A kubelet port other than 10250: the server dials the one the Node reports, the one the agent lets through.
    await using agent = await startK3sAgent({
      server: `https://127.0.0.1:${server.port}`,
      token,
      nodeName: NODE,
      args: ["--kubelet-arg", "port=10251"],
    });

    const ready = await kubectl(server, "wait", "--for=condition=Ready", `node/${NODE}`, "--timeout=60s");
    assert.equal(ready.code, 0, ready.stderr + agent.output().slice(-3000));
    const labels = JSON.parse((await kubectl(server, "get", "node", NODE, "-o", "jsonpath={.metadata.labels}")).stdout);
    assert.equal(labels["node-role.kubernetes.io/control-plane"], undefined, "an agent is not a control-plane node");
    assert.equal(labels["kubernetes.io/hostname"], NODE);
    const password = await kubectl(server, "get", "secret", "-n", "kube-system", `${NODE}.node-password.k3s`);
    assert.equal(password.code, 0, "the node password is kept as K3s keeps it");

    const script = "echo hello-from-the-agent; mkdir -p /www; echo served > /www/index.html; httpd -f -p 8080 -h /www";
    const run = await kubectl(server, "run", "web", "--image=busybox:1.36", "--port=8080", "--", "sh", "-c", script);
    assert.equal(run.code, 0, run.stderr);
    const podReady = await kubectl(server, "wait", "--for=condition=Ready", "pod/web", "--timeout=60s");
    assert.equal(podReady.code, 0, podReady.stderr + agent.output().slice(-3000));
    assert.equal((await kubectl(server, "get", "pod", "web", "-o", "jsonpath={.spec.nodeName}")).stdout, NODE);

    await eventually(
      async () => (await kubectl(server, "logs", "web")).stdout === "hello-from-the-agent\n",
      "kubectl logs reads the container's log",
    );
    const exec = await kubectl(server, "exec", "web", "--", "sh", "-c", "cat /www/index.html; exit 3");
    assert.equal(exec.stdout, "served\n");
    assert.equal(exec.code, 3, "the exit code comes back through the tunnel");

    const forward = new Deno.Command("kubectl", {
      args: ["port-forward", "pod/web", ":8080"],
      env: { KUBECONFIG: server.kubeconfig },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    try {
      const reader = forward.stdout.pipeThrough(new TextDecoderStream()).getReader();
      let said = "";
      while (!/Forwarding from 127\.0\.0\.1:(\d+)/.test(said)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`port-forward ended: ${said}`);
        said += value;
      }
      const port = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(said)![1];
      const response = await fetch(`http://127.0.0.1:${port}/index.html`);
      assert.equal(await response.text(), "served\n");
      reader.releaseLock();
    } finally {
      forward.kill("SIGTERM");
      await forward.status;
      await forward.stderr.cancel().catch(() => {});
      await forward.stdout.cancel().catch(() => {});
    }
  },
});
