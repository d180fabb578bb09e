/**
 * The node's CNI configuration (a bridge on the pod CIDR).
 *
 * @example
 * ```ts
 * import { writeBridgeConflist } from "./mod.ts";
 * writeBridgeConflist(confDir, { podCIDR: "10.42.0.0/24" });
 * ```
 *
 * @module
 */
export { BRIDGE_CONFLIST, bridgeConflist, type BridgeNetwork, writeBridgeConflist } from "./bridge.ts";
