/**
 * The node's pod network: a CNI bridge (`cni0`) with host-local addresses from the node's pod CIDR and host ports
 * through `portmap` — the conflist the agent writes for containerd's CRI plugin, which does the CNI calls itself.
 *
 * @module
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The conflist's file name (the CRI plugin reads the first one in lexical order). */
export const BRIDGE_CONFLIST = "10-bridge.conflist";

/** What the network is made of. */
export interface BridgeNetwork {
  /** The node's `spec.podCIDR`. */
  podCIDR: string;
  /** The Linux bridge (`cni0`). */
  bridge?: string;
  /** The CNI network name. */
  name?: string;
  /** host-local's state directory (its default is `/var/lib/cni/networks`). */
  ipamDataDir?: string;
}

/**
 * The conflist text.
 *
 * @example
 * ```ts
 * JSON.parse(bridgeConflist({ podCIDR: "10.42.0.0/24" })).plugins[0].bridge; // "cni0"
 * ```
 */
export function bridgeConflist(network: BridgeNetwork): string {
  const ipam: Record<string, unknown> = {
    type: "host-local",
    ranges: [[{ subnet: network.podCIDR }]],
    routes: [{ dst: "0.0.0.0/0" }],
  };
  if (network.ipamDataDir) ipam.dataDir = network.ipamDataDir;
  return JSON.stringify(
    {
      cniVersion: "1.0.0",
      name: network.name ?? "cbr0",
      plugins: [
        {
          type: "bridge",
          bridge: network.bridge ?? "cni0",
          isGateway: true,
          ipMasq: true,
          hairpinMode: true,
          ipam,
        },
        { type: "portmap", capabilities: { portMappings: true } },
      ],
    },
    null,
    2,
  ) + "\n";
}

/**
 * Write the conflist into `confDir` (atomically, and only when it changed); true if it was written.
 *
 * @example
 * ```ts
 * writeBridgeConflist("/var/lib/rancher/k3s/agent/etc/cni/net.d", { podCIDR: "10.42.0.0/24" });
 * ```
 */
export function writeBridgeConflist(confDir: string, network: BridgeNetwork): boolean {
  const text = bridgeConflist(network);
  const path = join(confDir, BRIDGE_CONFLIST);
  try {
    if (readFileSync(path, "utf8") === text) return false;
  } catch {
    // Not written yet.
  }
  mkdirSync(confDir, { recursive: true });
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
  return true;
}
