/**
 * A simulated kubelet's heartbeats, as the real one sends them: its `coordination.k8s.io` Lease in
 * `kube-node-lease` renewed every renew interval (a quarter of the lease duration), and the node's
 * conditions posted when they no longer say "healthy" (the node lifecycle controller marked the node
 * Unknown) or when the status report frequency has passed.
 *
 * @module
 */
import { type Client, isAlreadyExists, isConflict, isNotFound } from "../../core/client/mod.ts";
import { sleep } from "../../core/operator/mod.ts";
import { healthyConditions, looksHealthy, type SimNode } from "./node_object.ts";

/** Where node Leases live. */
export const NODE_LEASE_NAMESPACE = "kube-node-lease";
/** The kubelet's `nodeStatusReportFrequency`: conditions are re-posted at least this often. */
export const STATUS_REPORT_INTERVAL_MS = 5 * 60_000;

const LEASE = { apiVersion: "coordination.k8s.io/v1", kind: "Lease" };
const NODE = { apiVersion: "v1", kind: "Node" };

interface Lease {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; resourceVersion?: string; [field: string]: unknown };
  spec?: { holderIdentity?: string; leaseDurationSeconds?: number; renewTime?: string; [field: string]: unknown };
}

/** A Lease's MicroTime: RFC 3339 with microseconds. */
function microTime(date: Date): string {
  return date.toISOString().replace(/Z$/, "000Z");
}

/** Options of a {@linkcode Heartbeat}. */
export interface HeartbeatOptions {
  client: Client;
  leaseDurationSeconds: number;
  renewIntervalMs: number;
  /** The node as the simulator's cache holds it. */
  cachedNode(name: string): SimNode | undefined;
  /** Errors a later beat may recover from. */
  onError(error: unknown): void;
}

/**
 * One node's heartbeats.
 *
 * @example
 * ```ts
 * const beat = new Heartbeat("k3s-sim-0", options);
 * await beat.renewLease();
 * beat.run(signal, 2_500); // first renewal after 2.5 s, then every renew interval
 * ```
 */
export class Heartbeat {
  #lease?: Lease;
  #lastStatus = Date.now();

  constructor(readonly name: string, readonly options: HeartbeatOptions) {}

  /** Beat every renew interval, the first after `offsetMs`, until `signal` aborts. */
  async run(signal: AbortSignal, offsetMs: number): Promise<void> {
    await sleep(offsetMs, signal);
    while (!signal.aborted) {
      try {
        await this.renewLease();
        await this.postStatusIfDue();
      } catch (error) {
        if (!signal.aborted) this.options.onError(error);
      }
      await sleep(this.options.renewIntervalMs, signal);
    }
  }

  /** Renew the node's Lease, creating it when missing (owned by the Node, so it goes with it). */
  async renewLease(): Promise<void> {
    const { client } = this.options;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        if (!this.#lease) {
          this.#lease = await this.#get();
          if (!this.#lease) {
            this.#lease = await this.#create();
            return;
          }
        }
        this.#lease = await client.update<Lease>({ ...this.#lease, spec: { ...this.#lease.spec, ...this.#spec() } });
        return;
      } catch (error) {
        // Someone else wrote it, or it went with its Node: read it afresh.
        this.#lease = undefined;
        if (!isConflict(error) && !isNotFound(error) && !isAlreadyExists(error)) throw error;
      }
    }
  }

  /** Post the node's conditions when they are not healthy or the report frequency has passed. */
  async postStatusIfDue(): Promise<void> {
    const node = this.options.cachedNode(this.name);
    if (!node) return;
    const now = new Date();
    if (looksHealthy(node.status?.conditions) && now.getTime() - this.#lastStatus < STATUS_REPORT_INTERVAL_MS) return;
    try {
      await this.options.client.updateStatus({
        ...node,
        status: { ...node.status, conditions: healthyConditions(node.status?.conditions ?? [], now) },
      });
      this.#lastStatus = now.getTime();
    } catch (error) {
      // The cache is behind (or the node is gone); the next beat looks again.
      if (!isConflict(error) && !isNotFound(error)) throw error;
    }
  }

  #spec() {
    return {
      holderIdentity: this.name,
      leaseDurationSeconds: this.options.leaseDurationSeconds,
      renewTime: microTime(new Date()),
    };
  }

  async #get(): Promise<Lease | undefined> {
    try {
      return await this.options.client.get<Lease>(LEASE, NODE_LEASE_NAMESPACE, this.name);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async #create(): Promise<Lease | undefined> {
    const { client } = this.options;
    let uid = this.options.cachedNode(this.name)?.metadata.uid;
    if (!uid) {
      try {
        uid = (await client.get<SimNode>(NODE, undefined, this.name)).metadata.uid;
      } catch (error) {
        // No Node, no Lease: a kubelet's Lease belongs to its Node.
        if (isNotFound(error)) return undefined;
        throw error;
      }
    }
    return await client.create<Lease>({
      ...LEASE,
      metadata: {
        name: this.name,
        namespace: NODE_LEASE_NAMESPACE,
        ownerReferences: [{ apiVersion: "v1", kind: "Node", name: this.name, uid }],
      },
      spec: this.#spec(),
    });
  }
}
