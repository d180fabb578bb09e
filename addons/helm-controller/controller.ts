/**
 * The `helm.cattle.io/v1` HelmChart controller, K3s's helm-controller with Helm run in-process.
 *
 * K3s reconciles a HelmChart into a `helm-install-<name>` Job (with a ServiceAccount, a ClusterRoleBinding, a values
 * Secret and a chart ConfigMap) whose klipper-helm pod runs the `helm` CLI. Here there are no images to pull, so the
 * controller does what that pod does, in-process: it fetches the chart, assembles the values as the Job's `--values`
 * files and `--set` flags would, and installs, upgrades or (by the failure policy) reinstalls the release — stored as
 * Helm stores it, labelled with K3s's `helmcharts.helm.cattle.io/configHash`. No Job, ServiceAccount,
 * ClusterRoleBinding, values Secret or content ConfigMap is created: `status.jobName` stays empty, the `JobCreated`
 * condition says the chart was applied in-process, and Events carry what the Job's log would (`ApplyJob` with the
 * applied objects, `JobFailed` with Helm's error, verbatim).
 *
 * K3s's rules otherwise: a chart is claimed with `helmcharts.cattle.io/managed-by: helm-controller` (one managed by
 * another controller, or annotated `helmcharts.helm.cattle.io/unmanaged`, is left alone); charts naming neither
 * `chart` nor `chartContent` are ignored; only Helm v3 is supported; a HelmChartConfig of the same name layers its
 * values over the chart's and re-deploys it when it changes; nothing is done while the deployed release carries the
 * current config hash; failures are retried with back-off until `backOffLimit` attempts (default 1000), and a failed
 * release is reinstalled, upgraded again (`retry`) or left for an operator (`abort`); the finalizer
 * `wrangler.cattle.io/on-helm-chart-remove` uninstalls the release when the chart is deleted. A chart that cannot be
 * fetched or rendered only fails its own status. After an apply the chart's workloads are checked for readiness
 * (Helm's `--wait` rules, without blocking), and the condition's message says what is not ready yet.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { type Client, isConflict, isNotFound } from "../../core/client/mod.ts";
import {
  type Controller,
  controller,
  errorMessage,
  eventRecorder,
  type Kind,
  type KubeObject,
  type Manager,
  objectKey,
  type Result,
} from "../../core/operator/mod.ts";
import type { Registry } from "../../core/registry/registry.ts";
import { loadArchive, type Values } from "./chart/mod.ts";
import {
  Configuration,
  install,
  mergeValues,
  readiness,
  type Release,
  type ReleaseStatus,
  uninstall,
  upgrade,
  type ValuesFile,
} from "./release/mod.ts";
import { type ChartSourceSpec, fetchChart } from "./source/mod.ts";
import { parseDuration } from "./sprig/duration.ts";

/** K3s's names: the controller, its annotations, finalizer and release label. */
export const MANAGED_BY = "helm-controller";
export const MANAGED_BY_ANNOTATION = "helmcharts.cattle.io/managed-by";
export const UNMANAGED_ANNOTATION = "helmcharts.helm.cattle.io/unmanaged";
export const FINALIZER = "wrangler.cattle.io/on-helm-chart-remove";
export const CONFIG_HASH_LABEL = "helmcharts.helm.cattle.io/configHash";

const HELM_CHARTS: Kind = {
  group: "helm.cattle.io",
  version: "v1",
  resource: "helmcharts",
  kind: "HelmChart",
  namespaced: true,
};
const HELM_CHART_CONFIGS: Kind = {
  group: "helm.cattle.io",
  version: "v1",
  resource: "helmchartconfigs",
  kind: "HelmChartConfig",
  namespaced: true,
};
const HELM_CHART_REF = { apiVersion: "helm.cattle.io/v1", kind: "HelmChart" };
const DEFAULT_BACKOFF_LIMIT = 1000;
const DEFAULT_TIMEOUT_MS = 300_000;
/** The Job controller's back-off between attempts: 10 s doubling up to 6 minutes. */
const RETRY_BASE_MS = 10_000;
const RETRY_MAX_MS = 360_000;
/** How often readiness is looked at again while workloads come up. */
const READINESS_RECHECK_MS = 5_000;

/** `HelmChart.spec` (helm-controller v0.16). */
export interface HelmChartSpec extends ChartSourceSpec {
  targetNamespace?: string;
  createNamespace?: boolean;
  valuesContent?: string;
  values?: Record<string, unknown>;
  set?: Record<string, string | number>;
  helmVersion?: string;
  bootstrap?: boolean;
  timeout?: string;
  failurePolicy?: string;
  backOffLimit?: number;
}

/** One of `status.conditions`. */
export interface HelmChartCondition {
  type: "JobCreated" | "Failed";
  status: "True" | "False";
  reason?: string;
  message?: string;
}

/** A HelmChart. */
export interface HelmChart extends KubeObject {
  metadata: {
    name: string;
    namespace: string;
    resourceVersion?: string;
    annotations?: Record<string, string>;
    finalizers?: string[];
    deletionTimestamp?: string;
  };
  spec?: HelmChartSpec;
  status?: { jobName?: string; conditions?: HelmChartCondition[] };
}

/** A HelmChartConfig: values and a failure policy layered over the HelmChart of the same name. */
export interface HelmChartConfig extends KubeObject {
  spec?: { valuesContent?: string; values?: Record<string, unknown>; failurePolicy?: string };
}

/** What {@linkcode helmController} is told by the server. */
export interface HelmControllerOptions {
  /** `--data-dir`: `https://%{KUBERNETES_API}%/static/…` charts are read from `<data-dir>/server/static`. */
  dataDir?: string;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/** Attempts at the current config of a chart, for back-off and `backOffLimit`. */
interface Attempts {
  hash: string;
  failures: number;
  notBefore: number;
}

/** Since when the current release's workloads have been awaited, and whether a timeout was reported. */
interface Rollout {
  revision: number;
  since: number;
  reported: boolean;
}

/**
 * K3s's config hash: SHA-256 over everything that decides what gets installed — the chart's spec and the
 * HelmChartConfig's — as the label value K3s writes (the hex digest cut to 63 characters).
 *
 * @example
 * ```ts
 * configHash(helmChart, undefined); // "3f2a…" (63 hex digits)
 * ```
 */
export function configHash(chart: HelmChart, config: HelmChartConfig | undefined): string {
  const text = canonicalJson({ spec: chart.spec ?? {}, config: config?.spec ?? null });
  return createHash("sha256").update(text).digest("hex").slice(0, 63);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The user values the helm-install Job would pass: `--values` files in K3s's mount order (HelmChart valuesContent,
 * values, then HelmChartConfig valuesContent, values), and `spec.set` as `--set` for integers, booleans and null,
 * `--set-string` (commas escaped) for the rest.
 *
 * @example
 * ```ts
 * chartValues({ valuesContent: "a: 1", set: { replicas: 3, tag: "v1,2" } }, undefined); // { a: 1, replicas: 3n, tag: "v1,2" }
 * ```
 */
export function chartValues(spec: HelmChartSpec, config: HelmChartConfig["spec"] | undefined): Values {
  const valueFiles: ValuesFile[] = [];
  const add = (name: string, text: string | undefined) => text && valueFiles.push({ name, text });
  add("values-0-000-HelmChart-ValuesContent.yaml", spec.valuesContent);
  if (spec.values && Object.keys(spec.values).length > 0) {
    add("values-0-001-HelmChart-Values.yaml", JSON.stringify(spec.values));
  }
  add("values-1-000-HelmChartConfig-ValuesContent.yaml", config?.valuesContent);
  if (config?.values && Object.keys(config.values).length > 0) {
    add("values-1-001-HelmChartConfig-Values.yaml", JSON.stringify(config.values));
  }
  const values: string[] = [];
  const stringValues: string[] = [];
  for (const key of Object.keys(spec.set ?? {}).sort()) {
    const value = spec.set![key];
    if (typeof value === "number" || ["true", "false", "null"].includes(String(value).toLowerCase())) {
      values.push(`${key}=${value}`);
    } else {
      // An odd number of characters in "\\…," means the comma is not escaped yet.
      stringValues.push(`${key}=${String(value).replace(/\\*,/g, (m) => (m.length % 2 === 1 ? `\\${m}` : m))}`);
    }
  }
  return mergeValues({ valueFiles, values, stringValues });
}

/** Go's `time.ParseDuration` of `spec.timeout`, in milliseconds; Helm's default when unset. */
function timeoutMs(spec: HelmChartSpec): number {
  if (!spec.timeout) return DEFAULT_TIMEOUT_MS;
  return Number(parseDuration(spec.timeout) / 1_000_000n);
}

/**
 * The HelmChart controller, for `startServer`'s `controllers` or a manager. The `helm.cattle.io` CRDs must be
 * served (the manifests controller ensures them); until they are, its informers retry.
 *
 * @example
 * ```ts
 * manager.add(helmController({ client, registry, manager }, { dataDir: "/var/lib/rancher/k3s" }));
 * ```
 */
export function helmController(
  deps: { client: Client; registry: Registry; manager: Manager },
  options: HelmControllerOptions = {},
): Controller {
  const { client, registry, manager } = deps;
  const log = options.log ?? (() => {});
  const events = eventRecorder(client, MANAGED_BY);
  const staticDir = options.dataDir ? `${options.dataDir}/server/static` : undefined;
  const attempts = new Map<string, Attempts>();
  const rollouts = new Map<string, Rollout>();

  const releaseConfig = (chart: HelmChart) =>
    new Configuration({ client, registry, log }, chart.spec?.targetNamespace || chart.metadata.namespace);

  async function patchChart(chart: HelmChart, body: Record<string, unknown>, subresource?: "status"): Promise<void> {
    await client.patch(HELM_CHART_REF, chart.metadata.namespace, chart.metadata.name, "merge", body, { subresource });
  }

  /** Writes the conditions (and an empty `jobName`) when they differ from what the chart shows. */
  async function setStatus(chart: HelmChart, conditions: HelmChartCondition[]): Promise<void> {
    const status = { jobName: "", conditions };
    if (JSON.stringify(chart.status?.conditions ?? []) === JSON.stringify(conditions) && chart.status?.jobName === "") {
      return;
    }
    await patchChart(chart, { status }, "status");
  }

  /** K3s's `shouldManage`, claiming an unclaimed chart (the update brings it back). */
  async function shouldManage(chart: HelmChart): Promise<boolean> {
    if (!chart.spec?.chart && !chart.spec?.chartContent) return false;
    const annotations = chart.metadata.annotations ?? {};
    if (UNMANAGED_ANNOTATION in annotations) return false;
    if (MANAGED_BY_ANNOTATION in annotations) return annotations[MANAGED_BY_ANNOTATION] === MANAGED_BY;
    await patchChart(chart, {
      metadata: {
        resourceVersion: chart.metadata.resourceVersion,
        annotations: { [MANAGED_BY_ANNOTATION]: MANAGED_BY },
      },
    });
    return false;
  }

  /** The finalizer goes on before anything is installed, so a deletion always uninstalls. */
  async function ensureFinalizer(chart: HelmChart): Promise<boolean> {
    const finalizers = chart.metadata.finalizers ?? [];
    if (finalizers.includes(FINALIZER)) return true;
    await patchChart(chart, {
      metadata: { resourceVersion: chart.metadata.resourceVersion, finalizers: [...finalizers, FINALIZER] },
    });
    return false;
  }

  async function remove(chart: HelmChart): Promise<void> {
    const finalizers = chart.metadata.finalizers ?? [];
    if (!finalizers.includes(FINALIZER)) return;
    const helmVersion = chart.spec?.helmVersion ?? "";
    if (helmVersion === "" || helmVersion === "v3") {
      events.event(chart, "Normal", "RemoveJob", "Uninstalling HelmChart in-process (no helm-delete Job is created)");
      try {
        await uninstall(releaseConfig(chart), chart.metadata.name, {
          wait: true,
          ignoreNotFound: true,
          timeoutMs: timeoutMs(chart.spec ?? {}),
        });
        events.event(chart, "Normal", "RemoveJob", "Uninstalled HelmChart in-process, removing resources");
      } catch (error) {
        // klipper-helm ignores a failed uninstall (`helm uninstall … || true`) so deletion never hangs.
        events.event(chart, "Warning", "RemoveJob", `Uninstalling HelmChart failed: ${errorMessage(error)}`);
      }
    }
    attempts.delete(objectKey(chart));
    rollouts.delete(objectKey(chart));
    await patchChart(chart, {
      metadata: {
        resourceVersion: chart.metadata.resourceVersion,
        finalizers: finalizers.filter((f) => f !== FINALIZER),
      },
    });
  }

  /** What klipper-helm does with the release it finds: install, upgrade, or recover by the failure policy. */
  async function deploy(chart: HelmChart, config: HelmChartConfig | undefined, hash: string): Promise<Release> {
    const spec = chart.spec ?? {};
    const cfg = releaseConfig(chart);
    const name = chart.metadata.name;
    const { archive, source } = await fetchChart(spec, { client, namespace: chart.metadata.namespace, staticDir });
    events.event(
      chart,
      "Normal",
      "ApplyJob",
      `Applying HelmChart from ${source} in-process (no helm-install Job is created)`,
    );
    const values = chartValues(spec, config?.spec);
    const labels = { [CONFIG_HASH_LABEL]: hash };
    const timeout = timeoutMs(spec);
    const doInstall = () =>
      install(cfg, loadArchive(archive), values, {
        name,
        createNamespace: spec.createNamespace,
        labels,
        timeoutMs: timeout,
      });
    const doUpgrade = () => upgrade(cfg, name, loadArchive(archive), values, { labels, timeoutMs: timeout });
    const history = await cfg.storage.history(name);
    const last = history.at(-1);
    if (!last) return await doInstall();
    let status: ReleaseStatus = last.Info.Status;
    if (["pending-install", "pending-upgrade", "pending-rollback", "superseded", "uninstalling"].includes(status)) {
      // An interrupted operation (a server stopped mid-way): klipper-helm's `helm set-status failed`.
      log(`Resetting release ${cfg.namespace}/${name} status from '${status}' to 'failed'`);
      last.Info.Status = "failed";
      await cfg.storage.update(last);
      if (status === "pending-upgrade" || status === "superseded") return await doUpgrade();
      status = "failed";
    }
    if (status === "deployed") return await doUpgrade();
    const policy = config?.spec?.failurePolicy || spec.failurePolicy || "reinstall";
    if (policy === "abort") {
      throw new Error(
        `Release status is '${status}' and failure policy is '${policy}'; waiting for operator intervention`,
      );
    }
    if (policy === "retry") return await doUpgrade();
    if (policy !== "reinstall") throw new Error(`Unknown failure policy '${policy}'`);
    await uninstall(cfg, name, { wait: true, timeoutMs: timeout });
    return await doInstall();
  }

  /** The applied objects, as the Job's log would list them. */
  function applied(release: Release): string {
    const cfg = new Configuration({ client, registry }, release.Namespace);
    try {
      return cfg.kube.build(release.Manifest).map((r) => `${r.object.kind}/${r.name}`).join(", ") || "no objects";
    } catch {
      return "objects of a manifest this server cannot map";
    }
  }

  /** Readiness of the release's objects: a condition message suffix, and whether to look again. */
  async function checkReadiness(chart: HelmChart, release: Release): Promise<{ note: string; recheckMs?: number }> {
    const key = objectKey(chart);
    let rollout = rollouts.get(key);
    if (!rollout || rollout.revision !== release.Version) {
      rollout = { revision: release.Version, since: Date.now(), reported: false };
      rollouts.set(key, rollout);
    }
    const cfg = releaseConfig(chart);
    let pending: string | undefined;
    try {
      for (const r of cfg.kube.build(release.Manifest)) {
        const live = await cfg.kube.get(r);
        const state = live ? readiness(live) : { ready: false, reason: `${r.object.kind} ${r.name} not found` };
        if (!state.ready) {
          pending = state.reason;
          break;
        }
      }
    } catch (error) {
      pending = errorMessage(error);
    }
    if (pending === undefined) return { note: "" };
    const timeout = timeoutMs(chart.spec ?? {});
    if (Date.now() - rollout.since < timeout) return { note: `; waiting: ${pending}`, recheckMs: READINESS_RECHECK_MS };
    if (!rollout.reported) {
      rollout.reported = true;
      events.event(
        chart,
        "Warning",
        "NotReady",
        `Resources not ready after ${chart.spec?.timeout ?? "5m0s"}: ${pending}`,
      );
    }
    return { note: `; not ready: ${pending}` };
  }

  async function reconcile(chart: HelmChart): Promise<Result | void> {
    const key = objectKey(chart);
    if (!(await shouldManage(chart))) return;
    if (chart.metadata.deletionTimestamp) return await remove(chart);
    const helmVersion = chart.spec?.helmVersion ?? "";
    if (helmVersion !== "" && helmVersion !== "v3") {
      events.event(
        chart,
        "Warning",
        "UnsupportedVersion",
        `Unsupported Helm version ${helmVersion}: only v3 charts are supported`,
      );
      return await setStatus(chart, [
        { type: "JobCreated", status: "False" },
        { type: "Failed", status: "True", reason: "Unsupported version", message: "Only Helm v3 charts are supported" },
      ]);
    }
    if (!(await ensureFinalizer(chart))) return;
    const config = manager.cache(HELM_CHART_CONFIGS).get(key) as HelmChartConfig | undefined;
    const hash = configHash(chart, config);
    const cfg = releaseConfig(chart);
    const last = (await cfg.storage.history(chart.metadata.name)).at(-1);
    let release: Release;
    if (last?.Info.Status === "deployed" && last.Labels[CONFIG_HASH_LABEL] === hash) {
      release = last;
    } else {
      let tried = attempts.get(key);
      if (tried?.hash !== hash) tried = { hash, failures: 0, notBefore: 0 };
      attempts.set(key, tried);
      const limit = chart.spec?.backOffLimit ?? DEFAULT_BACKOFF_LIMIT;
      if (tried.failures > limit) return;
      if (Date.now() < tried.notBefore) return { requeueAfterMs: tried.notBefore - Date.now() };
      try {
        release = await deploy(chart, config, hash);
      } catch (error) {
        tried.failures++;
        const delay = Math.min(RETRY_BASE_MS * 2 ** (tried.failures - 1), RETRY_MAX_MS);
        tried.notBefore = Date.now() + delay;
        const message = errorMessage(error);
        log(`helm-controller: ${key}: ${message}`);
        events.event(chart, "Warning", "JobFailed", message);
        const exhausted = tried.failures > limit;
        if (exhausted) {
          events.event(
            chart,
            "Warning",
            "JobFailed",
            "Job has reached configured number of retries without succeeding",
          );
        }
        await setStatus(chart, [
          {
            type: "JobCreated",
            status: "True",
            reason: "Job created",
            message:
              `Applying HelmChart in-process as release ${cfg.namespace}/${chart.metadata.name} (no helm-install Job)`,
          },
          { type: "Failed", status: "True", reason: "Job failed", message },
        ]);
        return exhausted ? undefined : { requeueAfterMs: delay };
      }
      attempts.delete(key);
      events.event(
        chart,
        "Normal",
        "ApplyJob",
        `Applied release ${release.Namespace}/${release.Name} revision ${release.Version} (${release.Info.Description}): ${
          applied(release)
        }`,
      );
    }
    const { note, recheckMs } = await checkReadiness(chart, release);
    await setStatus(chart, [
      {
        type: "JobCreated",
        status: "True",
        reason: "Job created",
        message:
          `Applied HelmChart in-process as release ${release.Namespace}/${release.Name} revision ${release.Version}` +
          ` (no helm-install Job)${note}`,
      },
      { type: "Failed", status: "False" },
    ]);
    return recheckMs ? { requeueAfterMs: recheckMs } : undefined;
  }

  return controller(MANAGED_BY)
    .for(HELM_CHARTS)
    .watches(HELM_CHART_CONFIGS, (config) => [objectKey(config)])
    .complete(async ({ key }) => {
      const chart = manager.cache(HELM_CHARTS).get(key) as HelmChart | undefined;
      if (!chart) return;
      try {
        return await reconcile(chart);
      } catch (error) {
        // A stale cache loses a write race; the newer object brings another reconcile.
        if (isConflict(error) || isNotFound(error)) return;
        throw error;
      }
    });
}
