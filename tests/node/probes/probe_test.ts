import { deepStrictEqual as assertEquals } from "node:assert/strict";
import type { CriClient } from "../../../node/cri/mod.ts";
import { PROBE_USER_AGENT, runProbe } from "../../../node/probes/mod.ts";

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
