/**
 * What the node lifecycle controllers read of a Node: its conditions, taints and zone, after kube's
 * `controller/util/node` and `component-helpers/node/topology`.
 *
 * @module
 */
import type { KubeObject } from "../../core/operator/mod.ts";
import type { Taint } from "../scheduler/node_fit.ts";

/** A `status.conditions` entry of a Node. */
export interface NodeCondition {
  type: string;
  status: "True" | "False" | "Unknown" | string;
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}

/** The parts of a Node these controllers read and write. */
export interface Node extends KubeObject {
  metadata: {
    name: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    labels?: Record<string, string>;
  };
  spec?: { taints?: Taint[]; unschedulable?: boolean; [field: string]: unknown };
  status?: { conditions?: NodeCondition[]; [field: string]: unknown };
}

/**
 * The condition of `type` in a node status, if the kubelet (or this controller) ever set it.
 *
 * @example
 * ```ts
 * nodeCondition(node.status, "Ready")?.status; // "True"
 * ```
 */
export function nodeCondition(status: Node["status"], type: string): NodeCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/**
 * kube's `IsNodeReady`: the Ready condition is True.
 *
 * @example
 * ```ts
 * if (!isNodeReady(node)) skip(node);
 * ```
 */
export function isNodeReady(node: Node): boolean {
  return nodeCondition(node.status, "Ready")?.status === "True";
}

/** Opts a node out of the zone disruption counts (kube's `node.kubernetes.io/exclude-disruption`). */
export const EXCLUDE_DISRUPTION_LABEL = "node.kubernetes.io/exclude-disruption";

/**
 * kube's `GetZoneKey`: region and zone from the topology labels (the beta ones as a fallback); "" for a node
 * with neither, so unlabelled nodes form one zone.
 *
 * @example
 * ```ts
 * zoneKey({ metadata: { name: "n", labels: { "topology.kubernetes.io/zone": "a" } } }); // ":\u0000:a"
 * ```
 */
export function zoneKey(node: Node): string {
  const labels = node.metadata.labels ?? {};
  const region = labels["topology.kubernetes.io/region"] ?? labels["failure-domain.beta.kubernetes.io/region"] ?? "";
  const zone = labels["topology.kubernetes.io/zone"] ?? labels["failure-domain.beta.kubernetes.io/zone"] ?? "";
  return region === "" && zone === "" ? "" : `${region}:\u0000:${zone}`;
}
