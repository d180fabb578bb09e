/**
 * Manifests auto-deploy (K3s's `pkg/deploy`): every `.yaml`, `.yml` and `.json` file under
 * `<data-dir>/server/manifests` is applied as the object set of an `Addon` (`k3s.cattle.io/v1`, `kube-system`), kept
 * in step with the file, pruned of what the file drops, and uninstalled when its component is disabled. Also the
 * `helm.cattle.io/v1` CRDs, so manifests may hold HelmCharts, the packaged manifests staged at start, and `--disable`.
 *
 * @example
 * ```ts
 * import { addonController, stageManifests, validateDisable } from "./controllers/addon/mod.ts";
 * validateDisable(disabled);
 * await stageManifests(dataDir, disabled);
 * manager.add(addonController({ client, registry, manager }, { dataDir, disabled }));
 * ```
 *
 * @module
 */
export { addonController, type AddonSettings } from "./controller.ts";
export { ADDON, type Addon, ADDON_CRD, ADDON_NAMESPACE, GVK_ANNOTATION } from "./crd.ts";
export { HELM_CHART_CRDS } from "./helm_crds.ts";
export { PACKAGED_COMPONENTS, validateDisable } from "./disable.ts";
export { PACKAGED_MANIFESTS, stageManifests, type StageOptions } from "./stage.ts";
export { manifestsDir } from "./files.ts";
export { LABEL_HASH } from "./objectset.ts";
