/**
 * What the node lifecycle tests play the kubelet with: Nodes that report Ready, heartbeat Leases in
 * `kube-node-lease`, and pods bound to a node that report themselves running and ready.
 *
 * @module
 */
import { type Client, isConflict } from "../../../core/client/mod.ts";

export const NODE = { apiVersion: "v1", kind: "Node" };
export const POD = { apiVersion: "v1", kind: "Pod" };
export const LEASE = { apiVersion: "coordination.k8s.io/v1", kind: "Lease" };
export const EVENT = { apiVersion: "v1", kind: "Event" };

// deno-lint-ignore no-explicit-any
export type Any = any;

/** A `metav1.Time` now. */
export function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, "Z");
}

/**
 * A kubelet's status post, heartbeat now: Ready and no pressure unless `statuses` says otherwise (read again
 * when the node changed meanwhile).
 */
export async function postStatus(client: Client, name: string, statuses: Record<string, string> = {}): Promise<void> {
  const time = now();
  const condition = (type: string, status: string) => ({
    type,
    status,
    reason: `Kubelet${type}`,
    message: `kubelet says ${type} is ${status}`,
    lastHeartbeatTime: time,
    lastTransitionTime: time,
  });
  const conditions = Object.entries({
    MemoryPressure: "False",
    DiskPressure: "False",
    PIDPressure: "False",
    Ready: "True",
    ...statuses,
  })
    .map(([type, status]) => condition(type, status));
  for (;;) {
    const node = await client.get<Any>(NODE, undefined, name);
    try {
      await client.updateStatus({ ...node, status: { ...node.status, conditions } });
      return;
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }
}

/** Register a node, as a kubelet does, and have it report Ready. */
export async function registerNode(client: Client, name: string, spec: Any = {}): Promise<void> {
  await client.create({ ...NODE, metadata: { name }, spec });
  await postStatus(client, name);
}

/** Renew (or take) the node's heartbeat Lease, with a microsecond renewTime as the kubelet writes. */
export async function renewLease(client: Client, name: string): Promise<void> {
  const renewTime = new Date().toISOString().replace("Z", "000Z");
  try {
    const lease = await client.get<Any>(LEASE, "kube-node-lease", name);
    await client.update({ ...lease, spec: { ...lease.spec, renewTime } });
  } catch {
    await client.create({
      ...LEASE,
      metadata: { name, namespace: "kube-node-lease" },
      spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime },
    });
  }
}

/**
 * Keep renewing the node's Lease every `everyMs` until the returned function is called (the kubelet stops).
 *
 * ```ts
 * const stop = heartbeat(client, "node-1", 200);
 * stop();
 * ```
 */
export function heartbeat(client: Client, name: string, everyMs: number): () => Promise<void> {
  let running = true;
  const loop = (async () => {
    while (running) {
      await renewLease(client, name).catch(() => {});
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}

/** A pod bound to `nodeName`, reported Running and Ready by its (simulated) kubelet. */
export async function runningPod(client: Client, name: string, nodeName: string, spec: Any = {}): Promise<Any> {
  const pod = await client.create<Any>({
    ...POD,
    metadata: { name, namespace: "default" },
    spec: { nodeName, containers: [{ name: "app", image: "nginx" }], ...spec },
  });
  return await client.updateStatus({
    ...pod,
    status: { phase: "Running", conditions: [{ type: "Ready", status: "True", lastTransitionTime: now() }] },
  });
}

/** The pod, or undefined once it is gone. */
export async function getPod(client: Client, name: string): Promise<Any | undefined> {
  try {
    return await client.get<Any>(POD, "default", name);
  } catch {
    return undefined;
  }
}

/** Whether the pod is gone or being deleted. */
export async function evicted(client: Client, name: string): Promise<boolean> {
  const pod = await getPod(client, name);
  return pod === undefined || pod.metadata.deletionTimestamp !== undefined;
}

/** The node's taints. */
export async function taintsOf(client: Client, name: string): Promise<Any[]> {
  return (await client.get<Any>(NODE, undefined, name)).spec?.taints ?? [];
}

/** The node's condition of `type`. */
export async function conditionOf(client: Client, name: string, type: string): Promise<Any> {
  return (await client.get<Any>(NODE, undefined, name)).status?.conditions?.find((c: Any) => c.type === type);
}

/** Events about the object `name` (of any kind) in `namespace`. */
export async function eventsAbout(client: Client, namespace: string, name: string): Promise<Any[]> {
  return (await client.list<Any>(EVENT, namespace)).items.filter((e) => e.involvedObject?.name === name);
}
