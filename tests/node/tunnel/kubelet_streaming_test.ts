// The API server's side of logs and exec: a real kubelet server (node/server) over a real containerd, reached only
// through an agent's tunnel, answered to a WebSocket client the way kube-apiserver answers kubectl. Runs only as root.
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { StreamTarget } from "../../../core/api/pod_streams.ts";
import type { StatusError } from "../../../core/api/status.ts";
import type { CriClient } from "../../../node/cri/mod.ts";
import { kubeletStreaming } from "../../../node/tunnel/mod.ts";
import { explainSkip, importTestImages, RUNTIME_TESTS, withContainerd } from "../containerd/testenv.ts";
import { execQuery, runLabelledPod, type TestKubelet, webSocketExec, withKubeletServer } from "../server/support.ts";
import { startAgent, withTunnelServer } from "./support.ts";

explainSkip("tests/node/tunnel");

function target(name: string): StreamTarget {
  return { namespace: "default", name, uid: "", container: "main" };
}

/** `fn` gets the kubelet's streaming as the server sees it: through node-1's tunnel, whose agent may reach only it. */
async function throughTunnel(
  cri: CriClient,
  fn: (streaming: ReturnType<typeof kubeletStreaming>) => Promise<void>,
): Promise<void> {
  await withKubeletServer(cri, async (kubelet: TestKubelet) => {
    await withTunnelServer(async (fixture) => {
      const agent = await startAgent(fixture, "node-1", (host, port) => host === "127.0.0.1" && port === kubelet.port);
      try {
        await fn(kubeletStreaming(() => fixture.tunnels.dial("node-1", "127.0.0.1", kubelet.port), {
          ca: kubelet.serverCA,
          cert: kubelet.client.certPem,
          key: kubelet.client.keyPem,
        }));
      } finally {
        await agent.stop();
      }
    });
  });
}

/** An HTTP server handing every upgrade to `streaming` for pod `name`, as the API server's pod upgrade handler does. */
async function withFrontEnd(
  streaming: ReturnType<typeof kubeletStreaming>,
  name: string,
  fn: (port: number) => Promise<void>,
): Promise<void> {
  const server = http.createServer();
  server.on("upgrade", (request, socket, head) => streaming.upgrade("exec", target(name), request, socket, head));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await fn((server.address() as AddressInfo).port);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** kubectl's WebSocket v5 exec of `command` with `stdin` (then closed); resolves with what each channel carried. */
function exec(port: number, pod: string, command: string[], stdin: string) {
  const query = execQuery(command);
  query.set("container", "main");
  return webSocketExec(`ws://127.0.0.1:${port}/api/v1/namespaces/default/pods/${pod}/exec?${query}`, stdin);
}

Deno.test({
  name: "kubelet streaming through the tunnel: follow streams a container's log until it exits",
  ignore: !RUNTIME_TESTS,
  async fn() {
    await withContainerd(async ({ cri, containerd, dataDir }) => {
      await importTestImages(containerd.address);
      await runLabelledPod(cri, dataDir, "talker", ["sh", "-c", "echo one; sleep 1; echo two"]);
      await throughTunnel(cri, async (streaming) => {
        const log = await streaming.logs(target("talker"), { follow: true }, new AbortController().signal);
        assert.equal(await new Response(log).text(), "one\ntwo\n");
      });
    });
  },
});

Deno.test({
  name: "kubelet streaming through the tunnel: the kubelet's 404 for logs is kube-apiserver's NotFound Status",
  ignore: !RUNTIME_TESTS,
  async fn() {
    await withContainerd(async ({ cri }) => {
      await throughTunnel(cri, async (streaming) => {
        await assert.rejects(
          streaming.logs(target("ghost"), {}, new AbortController().signal),
          (error: StatusError) => {
            assert.equal(error.code, 404);
            assert.equal(error.status.reason, "NotFound");
            assert.equal(error.message, "the server could not find the requested resource ( pods/log ghost)");
            return true;
          },
        );
      });
    });
  },
});

Deno.test({
  name: "kubelet streaming through the tunnel: exec over WebSocket v5 is relayed both ways with the exit Status",
  ignore: !RUNTIME_TESTS,
  async fn() {
    await withContainerd(async ({ cri, containerd, dataDir }) => {
      await importTestImages(containerd.address);
      await runLabelledPod(cri, dataDir, "shell", ["sleep", "3600"]);
      await throughTunnel(cri, async (streaming) => {
        await withFrontEnd(streaming, "shell", async (port) => {
          const { protocol, channels } = await exec(port, "shell", ["sh", "-c", "cat; echo oops >&2; exit 3"], "hi\n");
          assert.equal(protocol, "v5.channel.k8s.io");
          assert.equal(channels[1], "hi\n");
          assert.equal(channels[2], "oops\n");
          assert.deepEqual(JSON.parse(channels[3]).details.causes, [{ reason: "ExitCode", message: "3" }]);
        });
      });
    });
  },
});

Deno.test({
  name: "kubelet streaming through the tunnel: the kubelet's refusal of an exec reaches the client verbatim",
  ignore: !RUNTIME_TESTS,
  async fn() {
    await withContainerd(async ({ cri }) => {
      await throughTunnel(cri, async (streaming) => {
        await withFrontEnd(streaming, "ghost", async (port) => {
          await assert.rejects(exec(port, "ghost", ["true"], ""), /^Error: 404 pod "ghost" does not exist$/);
        });
      });
    });
  },
});
