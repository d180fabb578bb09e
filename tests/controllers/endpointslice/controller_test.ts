// The EndpointSlice controller on a real in-process server. No kubelet runs: the tests write pod status
// (phase, IP, readiness) themselves.
import assert from "node:assert/strict";
import type { Client } from "../../../core/client/mod.ts";
import { until, withCluster } from "../../support/cluster.ts";
import { type EndpointSlice, endpointSliceController } from "../../../controllers/endpointslice/mod.ts";
import { createNode, createPod, runPod, setPodStatus } from "./kubelet.ts";

const CONTROLLERS: Parameters<typeof withCluster>[0] = (deps) => [endpointSliceController(deps)];
const SERVICE = { apiVersion: "v1", kind: "Service" };
const SLICE = { apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice" };
const POD = { apiVersion: "v1", kind: "Pod" };
const labels = { app: "web" };

async function createService(
  client: Client,
  name: string,
  spec: Record<string, unknown>,
  serviceLabels = {},
): Promise<{ metadata: { uid: string } }> {
  const service = { ...SERVICE, metadata: { name, namespace: "default", labels: serviceLabels }, spec };
  return await client.create(service) as unknown as { metadata: { uid: string } };
}

async function slicesOf(client: Client, service: string): Promise<EndpointSlice[]> {
  const list = await client.list<EndpointSlice>(SLICE, "default", {
    labelSelector: `kubernetes.io/service-name=${service}`,
  });
  return list.items;
}

/** Waits until the Service's slices hold exactly these IPs (in any slice, any order). */
async function settled(client: Client, service: string, ips: string[], what: string): Promise<EndpointSlice[]> {
  const want = JSON.stringify([...ips].sort());
  let last: unknown;
  await until(async () => {
    const slices = await slicesOf(client, service);
    last = slices.flatMap((s) => (s.endpoints ?? []).flatMap((e) => e.addresses)).sort();
    return slices.length > 0 && JSON.stringify(last) === want;
  }, what).catch((error) => assert.fail(`${error.message}; last seen ${JSON.stringify(last)}`));
  return await slicesOf(client, service);
}

function endpointOf(slices: EndpointSlice[], pod: string) {
  return slices.flatMap((s) => s.endpoints ?? []).find((e) => e.targetRef?.name === pod);
}

Deno.test({
  name: "endpointslice: a Service's slice lists its pods with conditions, node, zone and pod, owned by the Service",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createNode(client, "node-1", { "topology.kubernetes.io/zone": "zone-a" });
      const service = await createService(client, "web", {
        selector: labels,
        ports: [{ name: "http", port: 80, targetPort: 8080, appProtocol: "http" }],
      }, { team: "a" });
      const ready = await runPod(client, "ready", "10.42.0.11", true, { labels });
      await runPod(client, "unready", "10.42.0.12", false, { labels });
      await runPod(client, "leaving", "10.42.0.13", true, { labels });
      await createPod(client, "no-ip", { labels });
      await runPod(client, "other", "10.42.0.21", true, { labels: { app: "db" } });
      await settled(client, "web", ["10.42.0.11", "10.42.0.12", "10.42.0.13"], "three pods");
      // A bound pod stays (terminating) through its grace period.
      await client.delete(POD, "default", "leaving");

      await until(
        async () => endpointOf(await slicesOf(client, "web"), "leaving")?.conditions?.terminating === true,
        "terminating",
      );
      const slices = await slicesOf(client, "web");
      assert.equal(slices.length, 1);
      const [slice] = slices;
      assert.match(slice.metadata.name ?? "", /^web-\w+$/);
      assert.equal(slice.addressType, "IPv4");
      assert.deepEqual(slice.metadata.labels, {
        team: "a",
        "kubernetes.io/service-name": "web",
        "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
      });
      assert.deepEqual(slice.metadata.ownerReferences, [{
        apiVersion: "v1",
        kind: "Service",
        name: "web",
        uid: service.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      }]);
      assert.deepEqual(slice.ports, [{ name: "http", port: 8080, protocol: "TCP", appProtocol: "http" }]);
      assert.deepEqual(endpointOf(slices, "ready"), {
        addresses: ["10.42.0.11"],
        conditions: { ready: true, serving: true, terminating: false },
        targetRef: { kind: "Pod", namespace: "default", name: "ready", uid: ready.metadata.uid },
        nodeName: "node-1",
        zone: "zone-a",
      });
      assert.deepEqual(endpointOf(slices, "unready")?.conditions, { ready: false, serving: false, terminating: false });
      assert.deepEqual(endpointOf(slices, "leaving")?.conditions, { ready: false, serving: true, terminating: true });
      assert.equal(endpointOf(slices, "no-ip"), undefined);
    }),
});

Deno.test({
  name: "endpointslice: more than 100 endpoints are split over two slices",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createNode(client, "node-1");
      await createService(client, "web", { selector: labels, ports: [{ port: 80 }] });
      const ips = Array.from({ length: 101 }, (_, i) => `10.42.${Math.floor(i / 200)}.${(i % 200) + 10}`);
      for (const [i, ip] of ips.entries()) await runPod(client, `web-${i}`, ip, true, { labels });
      const slices = await settled(client, "web", ips, "101 endpoints");
      assert.deepEqual(slices.map((s) => s.endpoints!.length).sort((a, b) => a - b), [1, 100]);
      const names = slices.flatMap((s) => s.endpoints!.map((e) => e.targetRef!.name));
      assert.equal(new Set(names).size, 101, "each pod once");
    }),
});

Deno.test({
  name: "endpointslice: a Service without endpoints keeps an empty placeholder slice, which its first pod fills",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createNode(client, "node-1");
      await createService(client, "web", { selector: labels, ports: [{ port: 80 }] });
      await until(async () => (await slicesOf(client, "web")).length === 1, "placeholder");
      const [placeholder] = await slicesOf(client, "web");
      assert.deepEqual(placeholder.endpoints ?? [], []);
      assert.deepEqual(placeholder.ports ?? [], []);

      await runPod(client, "web-1", "10.42.0.11", true, { labels });
      const [slice] = await settled(client, "web", ["10.42.0.11"], "filled");
      assert.equal(slice.metadata.name, placeholder.metadata.name, "the placeholder is updated, not replaced");
      assert.deepEqual(slice.ports, [{ name: "", port: 80, protocol: "TCP" }]);

      await client.delete(POD, "default", "web-1", { gracePeriodSeconds: 0 });
      await until(async () => {
        const slices = await slicesOf(client, "web");
        return slices.length === 1 && (slices[0].endpoints ?? []).length === 0;
      }, "back to a placeholder");
    }),
});

Deno.test({
  name: "endpointslice: a slice deleted by hand is replaced, and slices follow pods leaving and ports changing",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createNode(client, "node-1");
      await createService(client, "web", { selector: labels, ports: [{ name: "http", port: 80 }] });
      await runPod(client, "web-1", "10.42.0.11", true, { labels });
      await runPod(client, "web-2", "10.42.0.12", true, { labels });
      const [first] = await settled(client, "web", ["10.42.0.11", "10.42.0.12"], "two pods");
      await client.delete(SLICE, "default", first.metadata.name!);
      await until(async () => {
        const slices = await slicesOf(client, "web");
        return slices.length === 1 && slices[0].metadata.uid !== first.metadata.uid &&
          (slices[0].endpoints ?? []).length === 2;
      }, "replaced");

      await client.patch(POD, "default", "web-2", "merge", { metadata: { labels: { app: "elsewhere" } } });
      await settled(client, "web", ["10.42.0.11"], "web-2 no longer selected");
      await client.patch(SERVICE, "default", "web", "merge", {
        spec: { ports: [{ name: "http", port: 80, targetPort: 8080 }] },
      });
      await until(async () => {
        const slices = await slicesOf(client, "web");
        return slices.length === 1 && slices[0].ports?.[0]?.port === 8080 && slices[0].endpoints?.length === 1;
      }, "new port");
    }),
});

Deno.test({
  name: "endpointslice: a headless Service's slice carries hostnames and the headless label",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createNode(client, "node-1");
      await createService(client, "db", { selector: { app: "db" }, clusterIP: "None" });
      await runPod(client, "db-0", "10.42.0.20", true, { labels: { app: "db" }, hostname: "db-0", subdomain: "db" });
      const slices = await settled(client, "db", ["10.42.0.20"], "db-0");
      assert.equal(slices.length, 1);
      assert.equal(slices[0].metadata.labels?.["service.kubernetes.io/headless"], "");
      assert.equal(endpointOf(slices, "db-0")?.hostname, "db-0");
      assert.deepEqual(slices[0].ports ?? [], []);
      assert.match(
        slices[0].metadata.annotations?.["endpoints.kubernetes.io/last-change-trigger-time"] ?? "",
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
      );
    }),
});

Deno.test({
  name: "endpointslice: a pod on a Node that does not exist is left out until the Node appears",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      await createNode(client, "node-1");
      await createService(client, "web", { selector: labels, ports: [{ port: 80 }] });
      await runPod(client, "web-1", "10.42.0.11", true, { labels });
      await runPod(client, "web-2", "10.42.0.12", true, { labels, nodeName: "node-2" });
      await settled(client, "web", ["10.42.0.11"], "only the pod on a known node");
      await createNode(client, "node-2");
      // The failed sync is retried with back-off; a pod event brings the retry forward.
      await setPodStatus(client, "web-1", { ip: "10.42.0.11", ready: false });
      await settled(client, "web", ["10.42.0.11", "10.42.0.12"], "both");
      const events = await client.list<{ reason: string; involvedObject: { kind: string; name: string } }>(
        { apiVersion: "v1", kind: "Event" },
        "default",
      );
      assert.ok(
        events.items.some((e) => e.reason === "FailedToUpdateEndpointSlices" && e.involvedObject.name === "web"),
        "a Warning on the Service",
      );
    }),
});

Deno.test({
  name: "endpointslice: Services without a selector, the kubernetes Service among them, get no slices",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(CONTROLLERS, async (client) => {
      const [kubernetes] = await slicesOf(client, "kubernetes");
      await createService(client, "external", { ports: [{ port: 5432 }] });
      await createService(client, "web", { selector: labels, ports: [{ port: 80 }] });
      await until(async () => (await slicesOf(client, "web")).length === 1, "web's placeholder");
      assert.deepEqual(await slicesOf(client, "external"), []);
      const after = await slicesOf(client, "kubernetes");
      assert.deepEqual(after.map((s) => s.metadata.resourceVersion), [kubernetes.metadata.resourceVersion]);
    }),
});
