/**
 * Helm 3's releases, in-process over the Kubernetes API: install, upgrade, rollback and uninstall with hooks,
 * three-way patches, readiness waits and the release history kept in `sh.helm.release.v1.<name>.v<N>` Secrets as
 * Helm keeps it — so the real `helm` CLI lists, upgrades and uninstalls what is installed here.
 *
 * @example
 * ```ts
 * import { Configuration, install, upgrade, uninstall } from "./mod.ts";
 * const cfg = new Configuration({ client, registry }, "apps");
 * await install(cfg, chart, { replicas: 1 }, { name: "web", createNamespace: true });
 * await upgrade(cfg, "web", chart, { replicas: 2 });
 * await uninstall(cfg, "web");
 * ```
 *
 * @module
 */
export {
  checkCustomLabels,
  Configuration,
  existingResourceConflict,
  MANAGED_BY_LABEL,
  RELEASE_NAME_ANNOTATION,
  RELEASE_NAMESPACE_ANNOTATION,
  type ReleaseDeps,
  setMetadata,
  validateReleaseName,
} from "./action.ts";
export {
  decodeRelease,
  encodeRelease,
  releaseFromSecret,
  type ReleaseSecret,
  releaseSecret,
  releaseSecretName,
  SYSTEM_LABELS,
} from "./codec.ts";
export { execHook } from "./hooks.ts";
export { DEFAULT_TIMEOUT_MS, install, type InstallOptions } from "./install.ts";
export { KubeClient, type Resource, RESOURCE_POLICY_ANNOTATION, resourceString } from "./kube.ts";
export {
  INSTALL_ORDER,
  type Manifest,
  sortHooksByWeight,
  sortManifests,
  splitManifests,
  UNINSTALL_ORDER,
} from "./manifests.ts";
export { createMergePatch, createPatch } from "./patch.ts";
export { readiness, waitForReady } from "./ready.ts";
export { Hook, type HookEvent, HookExecution, Info, Release, type ReleaseStatus } from "./release.ts";
export { type RenderedResources, renderResources, type RenderResourcesOptions } from "./render.ts";
export { rollback, type RollbackOptions } from "./rollback.ts";
export { ReleaseNotFoundError, ReleaseStorage } from "./storage.ts";
export { parseInto, typedVal } from "./strvals.ts";
export { uninstall, type UninstallOptions, type UninstallResult } from "./uninstall.ts";
export { upgrade, type UpgradeOptions } from "./upgrade.ts";
export { mergeValues, type ValueOptions, type ValuesFile } from "./values.ts";
