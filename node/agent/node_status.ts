/**
 * The Node this agent registers and keeps up to date, as the kubelet's `kubelet_node_status.go` does: registration
 * with labels, taints, capacity, addresses and node info; conditions from the runtime's readiness; the Lease in
 * `kube-node-lease` renewed every 10 s; and the status posted when it changes or every 5 minutes.
 *
 * @module
 */
import { type Client, isAlreadyExists, isConflict, isNotFound } from "../../core/client/mod.ts";
import { errorMessage, sleep } from "../../core/operator/mod.ts";
import { K3S_VERSION } from "../../core/version.ts";
import { nodeConditions, type Readiness } from "../node_conditions.ts";
import type { Capacity } from "./machine.ts";

export { nodeConditions, type Readiness };

/** How long a node Lease is valid (the kubelet's default). */
export const LEASE_DURATION_SECONDS = 40;
/** How often the Lease is renewed and the conditions looked at. */
const HEARTBEAT_MS = 10_000;
/** The kubelet's `nodeStatusReportFrequency`. */
const REPORT_MS = 5 * 60_000;
/** Memory the kubelet's default hard eviction threshold keeps from pods (`memory.available<100Mi`). */
const EVICTION_MEMORY = 100 * 1024 * 1024;

/** What the Node object is made of. */
export interface NodeSpecInputs {
  name: string;
  nodeIP: string;
  hostname: string;
  labels: Record<string, string>;
  taints: { key: string; value?: string; effect: string }[];
  capacity: Capacity;
  info: Record<string, string>;
  runtimeVersion: string;
  kubeletPort: number;
}

function quantities(capacity: Capacity, allocatable: boolean): Record<string, string> {
  const memory = allocatable ? Math.max(0, capacity.memoryBytes - EVICTION_MEMORY) : capacity.memoryBytes;
  const storage = allocatable ? Math.floor(capacity.ephemeralStorageBytes * 0.9) : capacity.ephemeralStorageBytes;
  return {
    cpu: String(capacity.cpu),
    memory: `${Math.floor(memory / 1024)}Ki`,
    "ephemeral-storage": `${Math.floor(storage / 1024)}Ki`,
    pods: String(capacity.pods),
    "hugepages-1Gi": "0",
    "hugepages-2Mi": "0",
  };
}

/**
 * The Node to register.
 *
 * @example
 * ```ts
 * await client.create(nodeObject(inputs, { ready: false }, new Date()));
 * ```
 */
export function nodeObject(inputs: NodeSpecInputs, readiness: Readiness, now: Date): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: inputs.name,
      labels: inputs.labels,
      annotations: {
        "node.alpha.kubernetes.io/ttl": "0",
        "volumes.kubernetes.io/controller-managed-attach-detach": "true",
      },
    },
    spec: inputs.taints.length ? { taints: inputs.taints } : {},
    status: nodeStatus(inputs, readiness, [], now),
  };
}

function nodeStatus(
  inputs: NodeSpecInputs,
  readiness: Readiness,
  oldConditions: { type: string; status: string; lastTransitionTime?: string }[],
  now: Date,
): Record<string, unknown> {
  return {
    capacity: quantities(inputs.capacity, false),
    allocatable: quantities(inputs.capacity, true),
    conditions: nodeConditions(readiness, oldConditions, now),
    addresses: [{ type: "InternalIP", address: inputs.nodeIP }, { type: "Hostname", address: inputs.hostname }],
    daemonEndpoints: { kubeletEndpoint: { Port: inputs.kubeletPort } },
    nodeInfo: {
      ...inputs.info,
      containerRuntimeVersion: inputs.runtimeVersion,
      kubeletVersion: K3S_VERSION,
      kubeProxyVersion: K3S_VERSION,
    },
  };
}

interface NodeObject {
  metadata: { name: string; resourceVersion?: string };
  spec?: { podCIDR?: string; podCIDRs?: string[] };
  status?: { conditions?: { type: string; status: string; lastTransitionTime?: string }[] };
}

/** Options of {@linkcode runNodeHeartbeat}. */
export interface HeartbeatOptions {
  client: Client;
  inputs: NodeSpecInputs;
  readiness: () => Promise<Readiness>;
  signal: AbortSignal;
  log: (line: string) => void;
}

/**
 * Register the Node (or take over the one there), then keep its Lease and status fresh until `signal` aborts; a
 * deleted Node is registered again.
 *
 * @example
 * ```ts
 * const beating = runNodeHeartbeat({ client, inputs, readiness: () => runtimeReadiness(cri), signal, log });
 * ```
 */
export async function registerNode(options: HeartbeatOptions): Promise<NodeObject> {
  const { client, inputs } = options;
  const readiness = await options.readiness();
  try {
    const created = await client.create(
      nodeObject(inputs, readiness, new Date()) as { apiVersion: string; kind: string },
    );
    options.log(`Node ${inputs.name} registered`);
    return created as unknown as NodeObject;
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
  }
  // The kubelet keeps an existing Node's spec and labels (users may have changed them) and refreshes its status.
  const existing = await client.get<NodeObject>({ apiVersion: "v1", kind: "Node" }, undefined, inputs.name);
  options.log(`Node ${inputs.name} already registered: updating its status`);
  return await postStatus(client, inputs, readiness, existing);
}

async function postStatus(client: Client, inputs: NodeSpecInputs, readiness: Readiness, node: NodeObject) {
  const status = nodeStatus(inputs, readiness, node.status?.conditions ?? [], new Date());
  return await client.patch<NodeObject>(
    { apiVersion: "v1", kind: "Node" },
    undefined,
    inputs.name,
    "merge",
    { status },
    { subresource: "status" },
  );
}

/**
 * Renew the node's Lease and post its status until `signal` aborts.
 *
 * @example
 * ```ts
 * const heartbeat = runNodeHeartbeat(options);
 * ```
 */
export async function runNodeHeartbeat(options: HeartbeatOptions): Promise<void> {
  const { client, inputs, signal } = options;
  let lastReport = 0;
  let lastReady: boolean | undefined;
  let lastError = "";
  while (!signal.aborted) {
    try {
      await renewLease(client, inputs.name);
      const readiness = await options.readiness();
      let node: NodeObject;
      try {
        node = await client.get<NodeObject>({ apiVersion: "v1", kind: "Node" }, undefined, inputs.name);
      } catch (error) {
        if (!isNotFound(error)) throw error;
        node = await registerNode(options);
      }
      const ready = node.status?.conditions?.find((c) => c.type === "Ready")?.status === "True";
      if (ready !== readiness.ready || Date.now() - lastReport >= REPORT_MS) {
        await postStatus(client, inputs, readiness, node);
        lastReport = Date.now();
      }
      if (readiness.ready !== lastReady) {
        options.log(
          readiness.ready ? `Node ${inputs.name} is ready` : `Node ${inputs.name} is not ready: ${readiness.message}`,
        );
        lastReady = readiness.ready;
      }
      lastError = "";
    } catch (error) {
      const message = `Node ${inputs.name}: heartbeat failed: ${errorMessage(error)}`;
      if (message !== lastError) options.log(message);
      lastError = message;
    }
    // A node coming up is looked at every second, so it turns Ready as soon as its network is.
    await sleep(lastReady ? HEARTBEAT_MS : 1000, signal);
  }
}

/** A Lease's MicroTime: RFC 3339 with microseconds. */
function microTime(date: Date): string {
  return date.toISOString().replace(/Z$/, "000Z");
}

async function renewLease(client: Client, name: string): Promise<void> {
  const ref = { apiVersion: "coordination.k8s.io/v1", kind: "Lease" };
  const spec = { holderIdentity: name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: microTime(new Date()) };
  try {
    const lease = await client.get<{ metadata: Record<string, unknown>; spec?: Record<string, unknown> }>(
      ref,
      "kube-node-lease",
      name,
    );
    await client.update({ ...ref, metadata: lease.metadata, spec: { ...lease.spec, ...spec } });
  } catch (error) {
    if (isConflict(error)) return;
    if (!isNotFound(error)) throw error;
    await client.create({ ...ref, metadata: { name, namespace: "kube-node-lease" }, spec }).catch((e) => {
      if (!isAlreadyExists(e)) throw e;
    });
  }
}
