// The Endpoints controller on a real in-process server. No kubelet runs: the tests write pod status
// (phase, IP, readiness) themselves.
import assert from "node:assert/strict";
import type { Client } from "../../../core/client/mod.ts";
import { until, withCluster } from "../../support/cluster.ts";
import { type Endpoints, endpointsController } from "../../../controllers/endpoints/mod.ts";
import { createNode, createPod, runPod, setPodStatus, type TestPod } from "../endpointslice/kubelet.ts";

const CONTROLLERS: Parameters<typeof withCluster>[0] = (deps) => [endpointsController(deps)];
const SERVICE = { apiVersion: "v1", kind: "Service" };
const ENDPOINTS = { apiVersion: "v1", kind: "Endpoints" };
const labels = { app: "web" };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function createService(client: Client, name: string, spec: Record<string, unknown>, serviceLabels = {}) {
  await client.create({ ...SERVICE, metadata: { name, namespace: "default", labels: serviceLabels }, spec });
}

async function endpointsOf(client: Client, name: string): Promise<Endpoints | undefined> {
  return await client.get<Endpoints>(ENDPOINTS, "default", name).catch(() => undefined);
}

/** Waits until the Endpoints' subsets, as "ip" lists per kind plus ports, read as `want`. */
async function settled(client: Client, name: string, want: unknown, what: string): Promise<Endpoints> {
  let last: unknown;
  await until(async () => {
    const ep = await endpointsOf(client, name);
    last = (ep?.subsets ?? []).map((s) => ({
      ready: (s.addresses ?? []).map((a) => a.ip),
      notReady: (s.notReadyAddresses ?? []).map((a) => a.ip),
      ports: (s.ports ?? []).map((p) => `${p.name ?? ""}:${p.port}/${p.protocol}`),
    }));
    return ep !== undefined && JSON.stringify(last) === JSON.stringify(want);
  }, what).catch((error) => assert.fail(`${error.message}; last seen ${JSON.stringify(last)}`));
  return (await endpointsOf(client, name))!;
}

function ref(pod: TestPod) {
  return { kind: "Pod", namespace: "default", name: pod.metadata.name, uid: pod.metadata.uid };
}

Deno.test({
  name: "endpoints: ready pods are addresses, not-ready ones notReadyAddresses, following readiness",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createNode(client, "node-1");
      await createService(client, "web", {
        selector: labels,
        ports: [{ name: "http", port: 80, targetPort: 8080 }],
      }, { team: "a" });
      const one = await runPod(client, "web-1", "10.42.0.11", true, { labels });
      const two = await runPod(client, "web-2", "10.42.0.12", false, { labels });
      await createPod(client, "web-3", { labels }); // no IP yet
      await runPod(client, "web-4", "10.42.0.14", true, { labels });
      await setPodStatus(client, "web-4", { ready: false, phase: "Succeeded" });
      await runPod(client, "db-1", "10.42.0.21", true, { labels: { app: "db" } });

      const ep = await settled(client, "web", [{
        ready: ["10.42.0.11"],
        notReady: ["10.42.0.12"],
        ports: ["http:8080/TCP"],
      }], "one ready, one not");
      assert.deepEqual(ep.subsets![0].addresses![0], { ip: "10.42.0.11", nodeName: "node-1", targetRef: ref(one) });
      assert.deepEqual(ep.subsets![0].notReadyAddresses![0], {
        ip: "10.42.0.12",
        nodeName: "node-1",
        targetRef: ref(two),
      });
      assert.deepEqual(ep.metadata.labels, { team: "a" }, "the Service's labels");

      await setPodStatus(client, "web-2", { ip: "10.42.0.12", ready: true });
      await settled(
        client,
        "web",
        [{ ready: ["10.42.0.11", "10.42.0.12"], notReady: [], ports: ["http:8080/TCP"] }],
        "both ready",
      );
      await setPodStatus(client, "web-1", { ip: "10.42.0.11", ready: false });
      await settled(
        client,
        "web",
        [{ ready: ["10.42.0.12"], notReady: ["10.42.0.11"], ports: ["http:8080/TCP"] }],
        "web-1 not ready",
      );
      await client.delete({ apiVersion: "v1", kind: "Pod" }, "default", "web-2", { gracePeriodSeconds: 0 });
      await settled(client, "web", [{ ready: [], notReady: ["10.42.0.11"], ports: ["http:8080/TCP"] }], "web-2 gone");
    }),
});

Deno.test({
  name: "endpoints: a named targetPort resolves per pod, grouping pods by port, and skips pods without it",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createNode(client, "node-1");
      await createService(client, "web", {
        selector: labels,
        ports: [{ name: "http", port: 80, targetPort: "web" }, { name: "metrics", port: 9100, targetPort: 9100 }],
      });
      await runPod(client, "a", "10.42.0.11", true, { labels, ports: [{ name: "web", containerPort: 8080 }] });
      await runPod(client, "b", "10.42.0.12", true, { labels, ports: [{ name: "web", containerPort: 8081 }] });
      await runPod(client, "c", "10.42.0.13", true, { labels, ports: [{ name: "other", containerPort: 8080 }] });
      await runPod(client, "d", "10.42.0.14", true, {
        labels,
        ports: [{ name: "web", containerPort: 8080, protocol: "UDP" }],
      });
      await settled(client, "web", [
        { ready: ["10.42.0.11", "10.42.0.12", "10.42.0.13", "10.42.0.14"], notReady: [], ports: ["metrics:9100/TCP"] },
        { ready: ["10.42.0.11"], notReady: [], ports: ["http:8080/TCP"] },
        { ready: ["10.42.0.12"], notReady: [], ports: ["http:8081/TCP"] },
      ], "per-pod ports");
    }),
});

Deno.test({
  name: "endpoints: publishNotReadyAddresses lists not-ready and terminating pods as addresses",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createNode(client, "node-1");
      await createService(client, "web", {
        selector: labels,
        publishNotReadyAddresses: true,
        ports: [{ port: 80, targetPort: 8080 }],
      });
      await runPod(client, "web-1", "10.42.0.11", false, { labels });
      await runPod(client, "web-2", "10.42.0.12", true, { labels });
      await settled(
        client,
        "web",
        [{ ready: ["10.42.0.11", "10.42.0.12"], notReady: [], ports: [":8080/TCP"] }],
        "both",
      );
      // A bound pod stays (terminating) through its grace period.
      await client.delete({ apiVersion: "v1", kind: "Pod" }, "default", "web-2");
      const pod = await client.get<{ metadata: { deletionTimestamp?: string } }>(
        { apiVersion: "v1", kind: "Pod" },
        "default",
        "web-2",
      );
      assert.ok(pod.metadata.deletionTimestamp, "web-2 is terminating");
      await createService(client, "web-strict", { selector: labels, ports: [{ port: 80, targetPort: 8080 }] });
      await settled(client, "web-strict", [{ ready: [], notReady: ["10.42.0.11"], ports: [":8080/TCP"] }], "strict");
      await settled(
        client,
        "web",
        [{ ready: ["10.42.0.11", "10.42.0.12"], notReady: [], ports: [":8080/TCP"] }],
        "still",
      );
    }),
});

Deno.test({
  name: "endpoints: a headless Service without ports lists bare addresses, with hostnames in its subdomain",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createNode(client, "node-1");
      await createService(client, "db", { selector: { app: "db" }, clusterIP: "None" });
      const zero = await runPod(client, "db-0", "10.42.0.20", true, {
        labels: { app: "db" },
        hostname: "db-0",
        subdomain: "db",
      });
      await runPod(client, "db-x", "10.42.0.21", true, { labels: { app: "db" }, hostname: "db-x", subdomain: "other" });
      const ep = await settled(
        client,
        "db",
        [{ ready: ["10.42.0.20", "10.42.0.21"], notReady: [], ports: [] }],
        "bare",
      );
      assert.deepEqual(ep.subsets![0].addresses![0], {
        ip: "10.42.0.20",
        hostname: "db-0",
        nodeName: "node-1",
        targetRef: ref(zero),
      });
      assert.equal(ep.subsets![0].addresses![1].hostname, undefined, "another subdomain gets no hostname");
      assert.deepEqual(ep.metadata.labels, { "service.kubernetes.io/headless": "" });
      // The last write added a pod seen ready for the first time: its readiness is the trigger.
      assert.match(
        ep.metadata.annotations?.["endpoints.kubernetes.io/last-change-trigger-time"] ?? "",
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
      );
    }),
});

Deno.test({
  name: "endpoints: deleting the Service deletes its Endpoints; deleting the Endpoints alone rewrites them",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createNode(client, "node-1");
      await createService(client, "web", { selector: labels, ports: [{ port: 80 }] });
      await runPod(client, "web-1", "10.42.0.11", true, { labels });
      const first = await settled(client, "web", [{ ready: ["10.42.0.11"], notReady: [], ports: [":80/TCP"] }], "up");
      await client.delete(ENDPOINTS, "default", "web");
      await until(async () => {
        const again = await endpointsOf(client, "web");
        return again !== undefined && again.metadata.uid !== first.metadata.uid;
      }, "rewritten");
      await client.delete(SERVICE, "default", "web");
      await until(async () => (await endpointsOf(client, "web")) === undefined, "Endpoints deleted");
    }),
});

Deno.test({
  name: "endpoints: Endpoints of Services without a selector, the kubernetes Service's among them, are left alone",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      const kubernetes = (await endpointsOf(client, "kubernetes"))!;
      await createService(client, "external", { ports: [{ port: 5432 }] });
      await client.create({
        ...ENDPOINTS,
        metadata: { name: "external", namespace: "default" },
        subsets: [{ addresses: [{ ip: "192.168.1.50" }], ports: [{ port: 5432, protocol: "TCP" }] }],
      });
      const external = (await endpointsOf(client, "external"))!;
      // A Service with a selector getting its Endpoints shows the controller at work meanwhile.
      await createService(client, "web", { selector: labels, ports: [{ port: 80 }] });
      await until(async () => (await endpointsOf(client, "web")) !== undefined, "web's Endpoints");
      assert.equal(
        (await endpointsOf(client, "kubernetes"))!.metadata.resourceVersion,
        kubernetes.metadata.resourceVersion,
      );
      assert.equal(
        (await endpointsOf(client, "external"))!.metadata.resourceVersion,
        external.metadata.resourceVersion,
      );
    }),
});

Deno.test({
  name: "endpoints: a pod change that does not change the Endpoints does not rewrite them",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createNode(client, "node-1");
      await createService(client, "web", { selector: labels, ports: [{ port: 80 }] });
      await runPod(client, "web-1", "10.42.0.11", true, { labels });
      const ep = await settled(client, "web", [{ ready: ["10.42.0.11"], notReady: [], ports: [":80/TCP"] }], "up");
      // A sync with nothing new to report drops this annotation, so a rewrite would show.
      assert.ok(ep.metadata.annotations?.["endpoints.kubernetes.io/last-change-trigger-time"]);
      await client.patch({ apiVersion: "v1", kind: "Pod" }, "default", "web-1", "merge", {
        metadata: { annotations: { note: "irrelevant" } },
      });
      // A second Service over the same pod, queued after the pod's change, marks when that was handled.
      await createService(client, "web-b", { selector: labels, ports: [{ port: 80 }] });
      await settled(client, "web-b", [{ ready: ["10.42.0.11"], notReady: [], ports: [":80/TCP"] }], "web-b up");
      await sleep(200);
      assert.equal((await endpointsOf(client, "web"))!.metadata.resourceVersion, ep.metadata.resourceVersion);
    }),
});
