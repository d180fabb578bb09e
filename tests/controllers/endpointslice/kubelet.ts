/**
 * What the endpoint controller tests need from nodes and pods without running any: Nodes to point pods
 * at, pods created already bound, and a kubelet's status writes (phase, IP, readiness) done by hand.
 *
 * ```ts
 * await createNode(client, "node-1", { "topology.kubernetes.io/zone": "zone-a" });
 * await createPod(client, "web-1", { labels: { app: "web" }, nodeName: "node-1" });
 * await setPodStatus(client, "web-1", { ip: "10.42.0.11", ready: true });
 * ```
 *
 * @module
 */
import type { Client } from "../../../core/client/mod.ts";

/** A pod as the tests read it back. */
export interface TestPod {
  metadata: { name: string; namespace: string; uid: string };
}

/** Options of {@linkcode createPod}. */
export interface PodOptions {
  labels: Record<string, string>;
  nodeName?: string;
  namespace?: string;
  /** Container ports; named ones are what named `targetPort`s resolve to. */
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  hostname?: string;
  subdomain?: string;
}

/** Register a Node, as an agent would. */
export async function createNode(client: Client, name: string, labels: Record<string, string> = {}): Promise<void> {
  await client.create({ apiVersion: "v1", kind: "Node", metadata: { name, labels } });
}

/** Create a pod already bound to `nodeName` (default `node-1`). */
export async function createPod(client: Client, name: string, options: PodOptions): Promise<TestPod> {
  return await client.create({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: options.namespace ?? "default", labels: options.labels },
    spec: {
      nodeName: options.nodeName ?? "node-1",
      ...(options.hostname ? { hostname: options.hostname } : {}),
      ...(options.subdomain ? { subdomain: options.subdomain } : {}),
      containers: [{ name: "app", image: "nginx:1.27", ...(options.ports ? { ports: options.ports } : {}) }],
    },
  }) as unknown as TestPod;
}

/** Write a pod's status as its kubelet would: Running (or `phase`), with `ip`, Ready or not. */
export async function setPodStatus(
  client: Client,
  name: string,
  status: { ip?: string; ready: boolean; phase?: string; namespace?: string },
): Promise<void> {
  await client.patch({ apiVersion: "v1", kind: "Pod" }, status.namespace ?? "default", name, "merge", {
    status: {
      phase: status.phase ?? "Running",
      ...(status.ip ? { podIP: status.ip, podIPs: [{ ip: status.ip }] } : {}),
      conditions: [{
        type: "Ready",
        status: status.ready ? "True" : "False",
        lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      }],
    },
  }, { subresource: "status" });
}

/** Create a pod on `node-1` and report it running at `ip`. */
export async function runPod(
  client: Client,
  name: string,
  ip: string,
  ready: boolean,
  options: Omit<PodOptions, "nodeName"> & { nodeName?: string },
): Promise<TestPod> {
  const pod = await createPod(client, name, options);
  await setPodStatus(client, name, { ip, ready, namespace: options.namespace });
  return pod;
}
