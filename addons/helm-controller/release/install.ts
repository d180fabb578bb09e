/**
 * `helm install` (Helm 3's `action.Install`): the chart's `crds/` created first (existing ones left alone) and
 * waited for, the chart rendered as revision 1, the release stored `pending-install`, then the pre-install hooks, the
 * objects in install order (owned by the release: refused if something else already owns one), an optional wait
 * for readiness, the post-install hooks, and the record marked `deployed` ("Install complete") — or `failed` with
 * Helm's description. A chart that does not render stores nothing.
 *
 * @module
 */
import { isAlreadyExists } from "../../../core/client/mod.ts";
import { type Chart, processDependencies, toRenderValues, type Values } from "../chart/mod.ts";
import {
  checkCustomLabels,
  type Configuration,
  existingResourceConflict,
  setMetadata,
  validateReleaseName,
} from "./action.ts";
import { execHook } from "./hooks.ts";
import { waitForReady } from "./ready.ts";
import { Release } from "./release.ts";

/** How long hooks and waits may take unless told (`--timeout`). */
export const DEFAULT_TIMEOUT_MS = 300_000;
/** How long Helm waits for the chart's CRDs to be established. */
const CRD_WAIT_MS = 60_000;

/** `helm install` flags. */
export interface InstallOptions {
  /** The release name. */
  name: string;
  /** `--create-namespace`: create the release's namespace first. */
  createNamespace?: boolean;
  /** `--timeout` for hooks and the wait (default 5 minutes). */
  timeoutMs?: number;
  /** `--wait`: wait until the objects are ready; `waitForJobs` waits for Jobs to complete too. */
  wait?: boolean;
  waitForJobs?: boolean;
  /** `--labels`: custom labels of the release record. */
  labels?: Record<string, string>;
  /** `--skip-crds`. */
  skipCRDs?: boolean;
  /** `--no-hooks`. */
  disableHooks?: boolean;
}

/**
 * Installs `chart` with the user's `values` as release `options.name` in the configuration's namespace.
 *
 * @example
 * ```ts
 * const release = await install(new Configuration({ client, registry }, "apps"), chart, { replicas: 2 }, { name: "web" });
 * release.Info.Status; // "deployed"
 * ```
 */
export async function install(
  cfg: Configuration,
  chart: Chart,
  values: Values,
  options: InstallOptions,
): Promise<Release> {
  const name = options.name;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  validateReleaseName(name);
  if ((await cfg.storage.history(name)).length > 0) throw new Error("cannot re-use a name that is still in use");
  processDependencies(chart, values, { merge: true, warn: cfg.log });
  const crds = chart.crdObjects();
  if (!options.skipCRDs && crds.length > 0) await installCRDs(cfg, crds);
  const top = toRenderValues(
    chart,
    values,
    { name, namespace: cfg.namespace, revision: 1, isInstall: true, isUpgrade: false },
    { capabilities: cfg.capabilities(), warn: cfg.log },
  );
  checkCustomLabels(options.labels);
  const release = new Release();
  const now = new Date();
  Object.assign(release, { Name: name, Namespace: cfg.namespace, Chart: chart, Config: values, Version: 1 });
  Object.assign(release.Info, { FirstDeployed: now, LastDeployed: now, Status: "unknown" });
  release.Labels = { ...options.labels };
  const rendered = await cfg.renderResources(chart, top);
  Object.assign(release, { Hooks: rendered.hooks, Manifest: rendered.manifest });
  release.Info.Notes = rendered.notes;
  release.Info.Status = "pending-install";
  release.Info.Description = "Initial install underway";
  let resources;
  try {
    resources = cfg.kube.build(release.Manifest);
  } catch (error) {
    throw new Error(`unable to build kubernetes objects from release manifest: ${(error as Error).message}`);
  }
  setMetadata(resources, name, cfg.namespace);
  let adopted;
  try {
    adopted = await existingResourceConflict(cfg.kube, resources, name, cfg.namespace);
  } catch (error) {
    throw new Error(`Unable to continue with install: ${(error as Error).message}`);
  }
  if (options.createNamespace) {
    const namespace = {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: cfg.namespace, labels: { name: cfg.namespace } },
    };
    await cfg.deps.client.create(namespace, { fieldManager: "helm" }).catch((error) => {
      if (!isAlreadyExists(error)) throw error;
    });
  }
  await cfg.storage.create(release);
  try {
    if (!options.disableHooks) {
      await execHook(cfg, release, "pre-install", timeoutMs).catch((error) => {
        throw new Error(`failed pre-install: ${error.message}`);
      });
    }
    if (adopted.length === 0) await cfg.kube.create(resources);
    else await cfg.kube.update(adopted, resources);
    if (options.wait) await waitForReady(cfg.kube, resources, timeoutMs, { checkJobs: options.waitForJobs });
    if (!options.disableHooks) {
      await execHook(cfg, release, "post-install", timeoutMs).catch((error) => {
        throw new Error(`failed post-install: ${error.message}`);
      });
    }
  } catch (error) {
    release.Info.Status = "failed";
    release.Info.Description = `Release ${JSON.stringify(name)} failed: ${(error as Error).message}`;
    await cfg.storage.update(release).catch(() => {});
    throw error;
  }
  release.Info.Status = "deployed";
  release.Info.Description = "Install complete";
  await cfg.storage.update(release).catch((error) => cfg.log(`failed to record the release: ${error.message}`));
  return release;
}

/** Helm's `installCRDs`: creates each CRD file's objects (skipping ones that exist) and waits until they serve. */
async function installCRDs(cfg: Configuration, crds: ReturnType<Chart["crdObjects"]>): Promise<void> {
  const created = [];
  for (const crd of crds) {
    let resources;
    try {
      resources = cfg.kube.build(new TextDecoder().decode(crd.file.data));
    } catch (error) {
      throw new Error(`failed to install CRD ${crd.name}: ${(error as Error).message}`);
    }
    for (const r of resources) {
      try {
        await cfg.kube.create([r]);
        created.push(r);
      } catch (error) {
        if (isAlreadyExists(error)) {
          cfg.log(`CRD ${r.name} is already present. Skipping.`);
          continue;
        }
        throw new Error(`failed to install CRD ${crd.name}: ${(error as Error).message}`);
      }
    }
  }
  if (created.length > 0) await waitForReady(cfg.kube, created, CRD_WAIT_MS);
}
