/**
 * The CRI v1 client the node agent talks to its container runtime with.
 *
 * @example
 * ```ts
 * import { CriClient } from "./node/cri/mod.ts";
 * const cri = new CriClient("/run/k3s/containerd/containerd.sock");
 * const images = await cri.listImages();
 * cri.close();
 * ```
 *
 * @module
 */
export * from "./client.ts";
export * from "./types.ts";
