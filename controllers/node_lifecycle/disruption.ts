/**
 * Zone disruption, kube's guard against evicting a cluster's pods for a failure of the control plane or the
 * network rather than of the nodes: when every node of every zone is not Ready, NoExecute taints come off
 * and evictions stop; when more than 55 % of a small zone (at most 50 nodes, more than two of them down) is
 * not Ready, no new NoExecute taints are added there. Kube also paces tainting (0.1 node/s per healthy zone,
 * 0.01 node/s in a large disrupted zone); that pacing is left out here, nodes are tainted at once.
 *
 * @module
 */
import type { EvictionPolicy } from "./taints.ts";
import { EXCLUDE_DISRUPTION_LABEL, isNodeReady, type Node, zoneKey } from "./node.ts";

/** `--unhealthy-zone-threshold`: the not-ready share that makes a zone partially disrupted. */
const UNHEALTHY_ZONE_THRESHOLD = 0.55;
/** `--large-cluster-size-threshold`: zones up to this size stop tainting when partially disrupted. */
const LARGE_CLUSTER_SIZE_THRESHOLD = 50;

type ZoneState = "Normal" | "PartialDisruption" | "FullDisruption";

/** kube's `ComputeZoneState`. */
function zoneState(ready: number, notReady: number): ZoneState {
  if (ready === 0 && notReady > 0) return "FullDisruption";
  if (notReady > 2 && notReady / (ready + notReady) >= UNHEALTHY_ZONE_THRESHOLD) return "PartialDisruption";
  return "Normal";
}

/**
 * Zone states, recounted from the node cache.
 *
 * @example
 * ```ts
 * const disruption = new ZoneDisruption();
 * if (disruption.update(nodeCache.list() as Node[])) health.refresh(Date.now());
 * noExecuteTaintKey(ready, taints, disruption.policy(node));
 * ```
 */
export class ZoneDisruption {
  #zones = new Map<string, { state: ZoneState; size: number }>();
  #stopped = false;

  /** Recount the zones; true when a cluster-wide disruption has just ended. */
  update(nodes: readonly Node[]): boolean {
    const counts = new Map<string, { ready: number; notReady: number }>();
    for (const node of nodes) {
      if (node.metadata.labels?.[EXCLUDE_DISRUPTION_LABEL] !== undefined) continue;
      const zone = zoneKey(node);
      const count = counts.get(zone) ?? { ready: 0, notReady: 0 };
      if (isNodeReady(node)) count.ready++;
      else count.notReady++;
      counts.set(zone, count);
    }
    this.#zones = new Map(
      [...counts].map(([zone, c]) => [zone, { state: zoneState(c.ready, c.notReady), size: c.ready + c.notReady }]),
    );
    // With no node counted there is nothing to judge by: the cluster stays as it was.
    if (this.#zones.size === 0) return false;
    const stopped = [...this.#zones.values()].every((z) => z.state === "FullDisruption");
    const ended = this.#stopped && !stopped;
    this.#stopped = stopped;
    return ended;
  }

  /** What the node's zone allows. */
  policy(node: Node): EvictionPolicy {
    const zone = this.#zones.get(zoneKey(node));
    const halted = zone?.state === "PartialDisruption" && zone.size <= LARGE_CLUSTER_SIZE_THRESHOLD;
    return { mayTaint: !halted, stopped: this.#stopped };
  }
}
