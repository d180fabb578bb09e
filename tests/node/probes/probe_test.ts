import { deepStrictEqual as assertEquals } from "node:assert/strict";
import type { CriClient } from "../../../node/cri/mod.ts";
import { PROBE_USER_AGENT, runProbe } from "../../../node/probes/mod.ts";
import { startEtcd } from "../../support/servers.ts";

// HTTP and TCP probes never touch the runtime.
const target = (port: number) => ({
  runtime: undefined as unknown as CriClient,
  containerId: "c",
  podIP: "127.0.0.1",
  container: { name: "app", ports: [{ name: "http", containerPort: port }] },
});

async function withServer(status: number, fn: (port: number, agents: string[]) => Promise<void>) {
  const agents: string[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (request) => {
    agents.push(request.headers.get("user-agent") ?? "");
    return new Response("body", { status });
  });
  try {
    await fn(server.addr.port, agents);
  } finally {
    await server.shutdown();
  }
}

Deno.test("httpGet probe on a named port succeeds on 200 with kube-probe's User-Agent", async () => {
  await withServer(200, async (port, agents) => {
    const outcome = await runProbe({ httpGet: { port: "http", path: "/healthz" } }, target(port));
    assertEquals(outcome.result, "success");
    assertEquals(agents, [PROBE_USER_AGENT]);
  });
});

Deno.test("httpGet probe fails on 500 with the kubelet's message", async () => {
  await withServer(500, async (port) => {
    const outcome = await runProbe({ httpGet: { port } }, target(port));
    assertEquals(outcome, { result: "failure", message: "HTTP probe failed with statuscode: 500" });
  });
});

Deno.test("tcpSocket probe fails when nothing listens", async () => {
  const listener = Deno.listen({ port: 0, hostname: "127.0.0.1" });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const outcome = await runProbe({ tcpSocket: { port } }, target(port));
  assertEquals(outcome.result, "failure");
});

Deno.test({
  name: "grpc probe asks a real server's grpc.health.v1 service: serving passes, an unknown service fails",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    // etcd serves the standard gRPC health service on its client port.
    await using etcd = await startEtcd();
    assertEquals(await runProbe({ grpc: { port: etcd.port } }, target(etcd.port)), { result: "success" });
    const unknown = await runProbe({ grpc: { port: etcd.port, service: "no.such.Service" } }, target(etcd.port));
    assertEquals(unknown, {
      result: "failure",
      message: "error: health rpc probe failed: rpc error: code = NotFound desc = unknown service",
    });
  },
});

Deno.test("grpc probe of a closed port fails as a connection timeout, the kubelet's words", async () => {
  const listener = Deno.listen({ port: 0, hostname: "127.0.0.1" });
  const port = listener.addr.port;
  listener.close();
  const outcome = await runProbe({ grpc: { port }, timeoutSeconds: 1 }, target(port));
  assertEquals(outcome.result, "failure");
  assertEquals(outcome.message?.startsWith(`timeout: failed to connect service "127.0.0.1:${port}" within 1s`), true);
});
