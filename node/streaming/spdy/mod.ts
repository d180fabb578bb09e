/**
 * SPDY/3.1 for Kubernetes' streaming protocols (port-forward toward kubectl; exec, attach and port-forward toward
 * containerd's CRI streaming server).
 *
 * @example
 * ```ts
 * import { spdyClientUpgrade } from "./mod.ts";
 * const { session } = await spdyClientUpgrade(url, { protocols: ["v4.channel.k8s.io"] });
 * const stdout = await session.openStream({ streamtype: "stdout" });
 * ```
 *
 * @module
 */
export type { SpdyHeaders } from "./header_block.ts";
export { SpdySession } from "./session.ts";
export { SpdyStream } from "./stream.ts";
export { acceptSpdyUpgrade, type SpdyClientOptions, spdyClientUpgrade } from "./upgrade.ts";
export { webSocketDuplex } from "./websocket.ts";
