/**
 * Node health as kube's node lifecycle controller judges it (`tryUpdateNodeHealth`): a node is alive while
 * its kubelet keeps renewing its Lease in `kube-node-lease` or posting a new Ready heartbeat. Both are
 * remote timestamps, so — to survive clock skew between nodes and servers — only *that they changed* counts,
 * stamped with this process's clock when it saw the change. A node silent for longer than the grace period
 * has its conditions set to Unknown.
 *
 * @module
 */
import { type Node, type NodeCondition, nodeCondition } from "./node.ts";
import { metaTime } from "./time.ts";

/** kube-controller-manager 1.32's `--node-monitor-grace-period` (raised from 40 s to 50 s in 1.32). */
export const DEFAULT_GRACE_PERIOD_SECONDS = 50;
/** `--node-startup-grace-period`: how long a node that never reported Ready gets. */
export const STARTUP_GRACE_PERIOD_SECONDS = 60;

/** The conditions a silent node's kubelet can no longer vouch for (NetworkUnavailable belongs to the network). */
const KUBELET_CONDITIONS = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];

interface Probe {
  /** Local time the last sign of life was seen. */
  seenAt: number;
  /** The Ready heartbeat last seen, if the node has a Ready condition. */
  heartbeat?: string;
  /** The Lease renewTime last seen. */
  renewTime?: string;
}

/**
 * Signs of life per node, stamped with local time.
 *
 * @example
 * ```ts
 * const health = new NodeHealth(50_000, 60_000);
 * if (health.observe(node, lease?.spec?.renewTime, Date.now())) {
 *   await client.updateStatus({ ...node, status: { ...node.status, conditions: unknownConditions(node, Date.now()) } });
 * }
 * ```
 */
export class NodeHealth {
  readonly #probes = new Map<string, Probe>();

  constructor(readonly gracePeriodMs: number, readonly startupGracePeriodMs: number) {}

  /**
   * Take in what `node` and its Lease (`renewTime`) show at local time `now`; true when the node has been
   * silent for longer than its grace period (the startup one while it never reported Ready).
   */
  observe(node: Node, renewTime: string | undefined, now: number): boolean {
    const name = node.metadata.name;
    const heartbeat = nodeCondition(node.status, "Ready")?.lastHeartbeatTime;
    const ready = nodeCondition(node.status, "Ready") !== undefined;
    let probe = this.#probes.get(name);
    if (!probe) {
      // A node that never reported is given its startup grace from creation, not from when we first looked.
      const created = Date.parse(node.metadata.creationTimestamp ?? "");
      probe = { seenAt: ready || Number.isNaN(created) ? now : created };
    } else if (ready && (probe.heartbeat === undefined || probe.heartbeat !== heartbeat)) {
      probe.seenAt = now;
    }
    probe.heartbeat = ready ? heartbeat ?? "" : undefined;
    if (renewTime && (probe.renewTime === undefined || Date.parse(probe.renewTime) < Date.parse(renewTime))) {
      probe.renewTime = renewTime;
      probe.seenAt = now;
    }
    this.#probes.set(name, probe);
    return now > probe.seenAt + (ready ? this.gracePeriodMs : this.startupGracePeriodMs);
  }

  /** Remember the status this controller wrote, so its own write does not read as a heartbeat. */
  wrote(node: Node): void {
    const probe = this.#probes.get(node.metadata.name);
    if (probe) probe.heartbeat = nodeCondition(node.status, "Ready")?.lastHeartbeatTime ?? "";
  }

  /** Give every node a fresh grace period (kube does so when a cluster-wide disruption ends). */
  refresh(now: number): void {
    for (const probe of this.#probes.values()) probe.seenAt = now;
  }

  /** Forget a deleted node. */
  forget(name: string): void {
    this.#probes.delete(name);
  }
}

/**
 * The node's conditions with those its kubelet reports turned Unknown: `NodeStatusUnknown` ("Kubelet stopped
 * posting node status.") for ones it had, `NodeStatusNeverUpdated` for ones it never posted.
 *
 * @example
 * ```ts
 * unknownConditions(node, Date.now()).find((c) => c.type === "Ready"); // { status: "Unknown", reason: "NodeStatusUnknown", … }
 * ```
 */
export function unknownConditions(node: Node, now: number): NodeCondition[] {
  const conditions = (node.status?.conditions ?? []).map((c) => ({ ...c }));
  const transition = metaTime(now);
  for (const type of KUBELET_CONDITIONS) {
    const condition = conditions.find((c) => c.type === type);
    if (!condition) {
      conditions.push({
        type,
        status: "Unknown",
        reason: "NodeStatusNeverUpdated",
        message: "Kubelet never posted node status.",
        lastHeartbeatTime: node.metadata.creationTimestamp,
        lastTransitionTime: transition,
      });
    } else if (condition.status !== "Unknown") {
      condition.status = "Unknown";
      condition.reason = "NodeStatusUnknown";
      condition.message = "Kubelet stopped posting node status.";
      condition.lastTransitionTime = transition;
    }
  }
  return conditions;
}
