import assert from "node:assert/strict";
import { findPort, type Pod, podIPs, shouldPodBeInEndpoints } from "../../../controllers/endpointslice/mod.ts";

function pod(spec: Pod["spec"] = {}, status: Pod["status"] = {}, deleting = false): Pod {
  return {
    metadata: { name: "p", namespace: "default", ...(deleting ? { deletionTimestamp: "2024-01-01T00:00:00Z" } : {}) },
    spec,
    status,
  };
}

Deno.test("findPort: a numeric targetPort is used as is, a missing one means the Service port", () => {
  assert.equal(findPort(pod(), { port: 80, targetPort: 8080 }), 8080);
  assert.equal(findPort(pod(), { port: 80 }), 80);
});

Deno.test("findPort: a named targetPort is looked up by name and protocol in containers, then sidecars", () => {
  const p = pod({
    containers: [{ name: "app", ports: [{ name: "dns", containerPort: 53, protocol: "UDP" }] }],
    initContainers: [
      { name: "init", ports: [{ name: "metrics", containerPort: 1 }] },
      { name: "proxy", restartPolicy: "Always", ports: [{ name: "metrics", containerPort: 9100 }] },
    ],
  });
  assert.equal(findPort(p, { port: 53, targetPort: "dns", protocol: "UDP" }), 53);
  assert.equal(findPort(p, { port: 53, targetPort: "dns", protocol: "TCP" }), undefined);
  assert.equal(
    findPort(p, { port: 9100, targetPort: "metrics" }),
    9100,
    "a sidecar's port, not a plain init container's",
  );
  assert.equal(findPort(p, { port: 80, targetPort: "http" }), undefined);
});

Deno.test("shouldPodBeInEndpoints: pods without an IP or finished are out; terminating ones only when asked", () => {
  const running = { phase: "Running", podIP: "10.42.0.5" };
  assert.equal(shouldPodBeInEndpoints(pod({}, running), false), true);
  assert.equal(shouldPodBeInEndpoints(pod({}, { phase: "Pending" }), true), false);
  assert.equal(shouldPodBeInEndpoints(pod({}, { ...running, phase: "Succeeded" }), true), false);
  assert.equal(shouldPodBeInEndpoints(pod({}, { ...running, phase: "Failed" }), true), false);
  assert.equal(shouldPodBeInEndpoints(pod({}, running, true), false), false);
  assert.equal(shouldPodBeInEndpoints(pod({}, running, true), true), true);
});

Deno.test("podIPs: podIPs when written, else podIP alone", () => {
  assert.deepEqual(podIPs(pod({}, { podIP: "10.42.0.5" })), ["10.42.0.5"]);
  assert.deepEqual(podIPs(pod({}, { podIP: "10.42.0.5", podIPs: [{ ip: "10.42.0.5" }, { ip: "fd00::5" }] })), [
    "10.42.0.5",
    "fd00::5",
  ]);
  assert.deepEqual(podIPs(pod()), []);
});
