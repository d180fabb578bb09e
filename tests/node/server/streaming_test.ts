// The kubelet server against a real containerd: container logs over HTTPS and exec over kubectl's WebSocket v5.
// Runs only as root.
import assert from "node:assert/strict";
import { text } from "node:stream/consumers";
import { spdyClientUpgrade } from "../../../node/streaming/spdy/mod.ts";
import { eventually, explainSkip, importTestImages, RUNTIME_TESTS, withContainerd } from "../containerd/testenv.ts";
import { execQuery, get, runLabelledPod, type TestKubelet, webSocketExec, withKubeletServer } from "./support.ts";

explainSkip("tests/node/server");

/** Run `command` through `/exec` as kubectl's WebSocket v5 client; `stdin` is sent and then closed with [255, 0]. */
function exec(kubelet: TestKubelet, command: string[], stdin: string) {
  return webSocketExec(`wss://localhost:${kubelet.port}/exec/default/shell/main?${execQuery(command)}`, stdin, {
    ca: kubelet.serverCA,
    cert: kubelet.client.certPem,
    key: kubelet.client.keyPem,
  });
}

Deno.test({
  name: "kubelet server exec over WebSocket v5: stdin to EOF, stdout, stderr and the exit code Status",
  ignore: !RUNTIME_TESTS,
  async fn() {
    await withContainerd(async ({ cri, containerd, dataDir }) => {
      await importTestImages(containerd.address);
      await runLabelledPod(cri, dataDir, "shell", ["sleep", "3600"]);
      await withKubeletServer(cri, async (kubelet) => {
        const { protocol, channels } = await exec(kubelet, ["sh", "-c", "cat; echo oops >&2; exit 3"], "hello\n");
        assert.equal(protocol, "v5.channel.k8s.io");
        assert.equal(channels[1], "hello\n");
        assert.equal(channels[2], "oops\n");
        const status = JSON.parse(channels[3]);
        assert.equal(status.reason, "NonZeroExitCode");
        assert.deepEqual(status.details.causes, [{ reason: "ExitCode", message: "3" }]);
      });
    });
  },
});

Deno.test({
  name: "kubelet server containerLogs: follow streams the log until the container exits",
  ignore: !RUNTIME_TESTS,
  async fn() {
    await withContainerd(async ({ cri, containerd, dataDir }) => {
      await importTestImages(containerd.address);
      const id = await runLabelledPod(cri, dataDir, "talker", ["sh", "-c", "echo one; sleep 1; echo two"]);
      await withKubeletServer(cri, async (kubelet) => {
        const { status, body } = await get(kubelet, "/containerLogs/default/talker/main?follow=true");
        assert.equal(status, 200);
        assert.equal(body, "one\ntwo\n");
        await eventually(async () => (await cri.containerStatus(id)).status?.state === "CONTAINER_EXITED", "exited");
      });
    });
  },
});

Deno.test({
  name: "kubelet server containerLogs: a missing pod is 404 and a missing previous container 400, in kubelet's words",
  ignore: !RUNTIME_TESTS,
  async fn() {
    await withContainerd(async ({ cri, containerd, dataDir }) => {
      await importTestImages(containerd.address);
      await runLabelledPod(cri, dataDir, "once", ["sleep", "3600"]);
      await withKubeletServer(cri, async (kubelet) => {
        const missing = await get(kubelet, "/containerLogs/default/ghost/main");
        assert.deepEqual([missing.status, missing.body], [404, `pod "ghost" does not exist`]);
        const previous = await get(kubelet, "/containerLogs/default/once/main?previous=true");
        assert.equal(previous.status, 400);
        assert.equal(previous.body, `previous terminated container "main" in pod "once" not found`);
      });
    });
  },
});

Deno.test({
  name: "kubelet server exec over the SPDY/3.1 fallback: kubectl's streams relayed to the command and back",
  ignore: !RUNTIME_TESTS,
  async fn() {
    await withContainerd(async ({ cri, containerd, dataDir }) => {
      await importTestImages(containerd.address);
      await runLabelledPod(cri, dataDir, "shell", ["sleep", "3600"]);
      await withKubeletServer(cri, async (kubelet) => {
        const query = execQuery(["sh", "-c", "cat; echo oops >&2"]);
        const { session, protocol } = await spdyClientUpgrade(
          `https://localhost:${kubelet.port}/exec/default/shell/main?${query}`,
          { protocols: ["v4.channel.k8s.io"], tls: tlsOf(kubelet) },
        );
        assert.equal(protocol, "v4.channel.k8s.io");
        const error = await session.openStream({ streamType: "error" });
        const stdin = await session.openStream({ streamType: "stdin" });
        const stdout = await session.openStream({ streamType: "stdout" });
        const stderr = await session.openStream({ streamType: "stderr" });
        for (const s of [error, stdout, stderr]) s.end();
        stdin.end("hello\n");
        const [out, err, status] = await Promise.all([text(stdout), text(stderr), text(error)]);
        assert.deepEqual([out, err, JSON.parse(status).status], ["hello\n", "oops\n", "Success"]);
        session.close();
        await session.closed;
      });
    });
  },
});

Deno.test({
  name: "kubelet server portForward over raw SPDY reaches an httpd listening on the pod's localhost",
  ignore: !RUNTIME_TESTS,
  async fn() {
    await withContainerd(async ({ cri, containerd, dataDir }) => {
      await importTestImages(containerd.address);
      const port = 20000 + Math.floor(Math.random() * 20000);
      const id = await runLabelledPod(cri, dataDir, "web", [
        "sh",
        "-c",
        `mkdir -p /www && echo hello-kubelet > /www/index.html && exec httpd -f -p 127.0.0.1:${port} -h /www`,
      ]);
      await eventually(
        async () => (await cri.execSync(id, ["sh", "-c", `netstat -ltn | grep -q :${port}`])).exit_code === 0,
        "httpd listening",
      );
      await withKubeletServer(cri, async (kubelet) => {
        const { session, protocol } = await spdyClientUpgrade(
          `https://localhost:${kubelet.port}/portForward/default/web`,
          { protocols: ["portforward.k8s.io"], tls: tlsOf(kubelet) },
        );
        assert.equal(protocol, "portforward.k8s.io");
        const error = await session.openStream({ streamType: "error", port: String(port), requestID: "0" });
        error.end();
        const data = await session.openStream({ streamType: "data", port: String(port), requestID: "0" });
        data.end("GET /index.html HTTP/1.0\r\nHost: localhost\r\n\r\n");
        const response = await text(data);
        assert.match(response, /^HTTP\/1\.[01] 200/);
        assert.match(response, /hello-kubelet/);
        session.close();
        await session.closed;
      });
    });
  },
});

/** The TLS settings of a client holding the test's client certificate. */
function tlsOf(kubelet: TestKubelet) {
  return { ca: kubelet.serverCA, cert: kubelet.client.certPem, key: kubelet.client.keyPem };
}
