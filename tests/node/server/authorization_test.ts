import assert from "node:assert/strict";
import { CriClient } from "../../../node/cri/mod.ts";
import { requestAttributes } from "../../../node/server/mod.ts";
import { get, withKubeletServer } from "./support.ts";

// No request in these tests reaches the runtime, so a client of a socket nobody listens on will do.
const runtime = () => new CriClient("/nonexistent/containerd.sock");

Deno.test("requestAttributes maps stats, metrics and logs to their subresources and the rest to proxy", () => {
  const sub = (method: string, path: string) => requestAttributes(method, path, "n1");
  assert.deepEqual(sub("GET", "/stats/summary"), { verb: "get", resource: "nodes", subresource: "stats", name: "n1" });
  assert.equal(sub("GET", "/metrics/cadvisor").subresource, "metrics");
  assert.equal(sub("GET", "/logs/syslog").subresource, "log");
  assert.equal(sub("GET", "/containerLogs/default/p/c").subresource, "proxy");
  assert.equal(sub("GET", "/statsx").subresource, "proxy");
  assert.deepEqual(
    [sub("POST", "/exec/default/p/c").verb, sub("GET", "/exec/default/p/c").verb, sub("HEAD", "/pods").verb],
    ["create", "get", "get"],
  );
});

Deno.test("kubelet server: /healthz answers ok to an authorized client certificate", async () => {
  const cri = runtime();
  try {
    await withKubeletServer(cri, async (kubelet) => {
      const { status, body } = await get(kubelet, "/healthz");
      assert.equal(status, 200);
      assert.equal(body, "ok");
      assert.deepEqual(kubelet.asked, [{
        user: { name: "alice", groups: ["ops"] },
        attributes: { verb: "get", resource: "nodes", subresource: "proxy", name: "node-1" },
      }]);
    });
  } finally {
    cri.close();
  }
});

Deno.test("kubelet server: a client without a certificate gets 401 and is never authorized", async () => {
  const cri = runtime();
  try {
    await withKubeletServer(cri, async (kubelet) => {
      const { status, body } = await get(kubelet, "/healthz", true);
      assert.equal(status, 401);
      assert.equal(body, "Unauthorized");
      assert.deepEqual(kubelet.asked, []);
    });
  } finally {
    cri.close();
  }
});

Deno.test("kubelet server: a denied user gets 403 naming the user, verb and subresource", async () => {
  const cri = runtime();
  try {
    await withKubeletServer(cri, async (kubelet) => {
      const { status, body } = await get(kubelet, "/stats/summary");
      assert.equal(status, 403);
      assert.equal(body, "Forbidden (user=alice, verb=get, resource=nodes, subresource=stats)");
    }, () => false);
  } finally {
    cri.close();
  }
});

Deno.test("kubelet server: an unknown path is 404 after authorization", async () => {
  const cri = runtime();
  try {
    await withKubeletServer(cri, async (kubelet) => {
      assert.equal((await get(kubelet, "/nothing/here")).status, 404);
    });
  } finally {
    cri.close();
  }
});
