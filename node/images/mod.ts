/**
 * K3s's air-gap image import: tarballs (and pre-pull lists) in `<data-dir>/agent/images/` go into
 * containerd at start and whenever they appear.
 *
 * @example
 * ```ts
 * import { imagesDir, startImageImporter } from "./node/images/mod.ts";
 * const importer = await startImageImporter({ dir: imagesDir(dataDir), address: containerd.address });
 * ```
 *
 * @module
 */
export * from "./archive.ts";
export * from "./cache.ts";
export * from "./ctr.ts";
export * from "./importer.ts";
export * from "./prepull.ts";
