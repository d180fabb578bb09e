/**
 * K3s's helm-controller as an in-process operator: `helm.cattle.io/v1` HelmCharts (and HelmChartConfigs) installed,
 * upgraded and uninstalled with an in-process Helm 3 — Go templates, Sprig, charts and values, Helm's render, release
 * storage compatible with the `helm` CLI, and chart sources (content, URLs, repositories, OCI registries). K3s's
 * `helm-install-<name>` Jobs are not created; see `controller.ts` for the difference.
 *
 * @example
 * ```ts
 * import { helmController } from "./addons/helm-controller/mod.ts";
 * manager.add(helmController({ client, registry, manager }, { dataDir: "/var/lib/rancher/k3s" }));
 * ```
 *
 * @module
 */
export {
  chartValues,
  CONFIG_HASH_LABEL,
  configHash,
  FINALIZER,
  type HelmChart,
  type HelmChartCondition,
  type HelmChartConfig,
  type HelmChartSpec,
  helmController,
  type HelmControllerOptions,
  MANAGED_BY,
  MANAGED_BY_ANNOTATION,
  UNMANAGED_ANNOTATION,
} from "./controller.ts";
