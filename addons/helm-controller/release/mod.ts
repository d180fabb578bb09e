/**
 * Helm 3 releases: rendering a chart into hooks, manifests and notes in install order, and storing releases as
 * Helm does (`sh.helm.release.v1.<name>.v<N>` Secrets of type `helm.sh/release.v1`).
 *
 * @example
 * ```ts
 * import { releaseSecret, renderResources } from "./mod.ts";
 * const { manifest, hooks, notes } = await renderResources(chart, renderValues);
 * ```
 *
 * @module
 */
export {
  decodeRelease,
  encodeRelease,
  releaseFromSecret,
  type ReleaseSecret,
  releaseSecret,
  releaseSecretName,
  SYSTEM_LABELS,
} from "./codec.ts";
export {
  INSTALL_ORDER,
  type Manifest,
  sortHooksByWeight,
  sortManifests,
  splitManifests,
  UNINSTALL_ORDER,
} from "./manifests.ts";
export { Hook, type HookEvent, HookExecution, Info, Release, type ReleaseStatus } from "./release.ts";
export { type RenderedResources, renderResources, type RenderResourcesOptions } from "./render.ts";
