/**
 * The Node a simulated kubelet registers and the conditions it posts, shaped like a real kubelet's
 * (labels, addresses, capacity, node info) with KWOK's default capacity, and marked as simulated.
 *
 * @module
 */
import { createHash } from "node:crypto";
import process from "node:process";
import { K3S_VERSION } from "../../core/version.ts";
import { type NodeCondition, nodeConditions } from "../node_conditions.ts";

export type { NodeCondition };

/** The annotation marking a Node as simulated (its pods run no containers). */
export const SIMULATED_ANNOTATION = "k3s.io/simulated-node";
/** The `containerRuntimeVersion` simulated nodes report. */
export const SIMULATOR_RUNTIME = `k3s-simulator://${K3S_VERSION}`;

/** The parts of a Node the simulator writes and reads. */
export interface SimNode {
  apiVersion: "v1";
  kind: "Node";
  metadata: {
    name: string;
    uid?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [field: string]: unknown;
  };
  spec?: { podCIDR?: string; podCIDRs?: string[]; [field: string]: unknown };
  status?: {
    conditions?: NodeCondition[];
    addresses?: { type: string; address: string }[];
    [field: string]: unknown;
  };
}

/** KWOK's default node size, plus room on disk. */
const CAPACITY = { cpu: "32", memory: "256Gi", pods: "110", "ephemeral-storage": "1Ti" };

/** Node.js's names for CPU architectures, in Go's (and so Kubernetes') words. */
const ARCH: Record<string, string> = { x64: "amd64", arm64: "arm64", arm: "arm", ppc64: "ppc64le", s390x: "s390x" };

/**
 * The `InternalIP` of simulated node `index`: one per node from 172.16.0.0/12, so no two nodes of a
 * simulator share one.
 *
 * @example
 * ```ts
 * internalIP(0); // "172.16.0.1"
 * internalIP(255); // "172.16.1.0"
 * ```
 */
export function internalIP(index: number): string {
  const value = 0xac100000 + index + 1;
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join(".");
}

function id(name: string, salt: string): string {
  return createHash("sha256").update(`${salt}/${name}`).digest("hex").slice(0, 32);
}

function uuid(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The conditions a healthy kubelet posts (pressure conditions False, Ready True), each keeping its
 * transition time from `old` while its status is unchanged.
 *
 * @example
 * ```ts
 * const conditions = healthyConditions(node.status?.conditions ?? [], new Date());
 * ```
 */
export function healthyConditions(old: NodeCondition[], now: Date): NodeCondition[] {
  return nodeConditions({ ready: true }, old, now);
}

/**
 * Whether the posted conditions say what a healthy kubelet says (so only the heartbeat time is due).
 *
 * @example
 * ```ts
 * if (!looksHealthy(node.status?.conditions)) await postStatus(node);
 * ```
 */
export function looksHealthy(conditions: NodeCondition[] | undefined): boolean {
  const wanted = healthyConditions([], new Date(0));
  return wanted.every((w) => conditions?.some((c) => c.type === w.type && c.status === w.status));
}

/**
 * The Node simulated kubelet `name` (number `index`) registers.
 *
 * @example
 * ```ts
 * await client.create(simulatedNode("k3s-sim-0", 0, new Date()));
 * ```
 */
export function simulatedNode(name: string, index: number, now: Date): SimNode {
  const arch = ARCH[process.arch] ?? process.arch;
  const machine = id(name, "machine");
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      labels: {
        "beta.kubernetes.io/arch": arch,
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": arch,
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        "node.kubernetes.io/instance-type": "k3s",
      },
      annotations: {
        [SIMULATED_ANNOTATION]: "true",
        "node.alpha.kubernetes.io/ttl": "0",
        "volumes.kubernetes.io/controller-managed-attach-detach": "true",
      },
    },
    spec: {},
    status: {
      capacity: { ...CAPACITY },
      allocatable: { ...CAPACITY },
      conditions: healthyConditions([], now),
      addresses: [{ type: "InternalIP", address: internalIP(index) }, { type: "Hostname", address: name }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: machine,
        systemUUID: uuid(id(name, "system")),
        bootID: uuid(id(name, "boot")),
        kernelVersion: "simulated",
        osImage: "K3s simulated node",
        containerRuntimeVersion: SIMULATOR_RUNTIME,
        kubeletVersion: K3S_VERSION,
        kubeProxyVersion: K3S_VERSION,
        operatingSystem: "linux",
        architecture: arch,
      },
      images: [],
    },
  };
}
