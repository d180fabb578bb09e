/**
 * `helm upgrade` (Helm 3's `action.Upgrade`): the chart rendered as the next revision over the last deployed one (or
 * the last failed or superseded one when none is deployed), stored `pending-upgrade`, then the pre-upgrade hooks,
 * the objects updated (new ones created, changed ones patched three-way, dropped ones deleted), an optional wait, the
 * post-upgrade hooks; the previous revision becomes `superseded` and this one `deployed` ("Upgrade complete"), or
 * this one `failed` ("Upgrade "<name>" failed: …"). CRDs in `crds/` are not touched, as in Helm 3.
 *
 * @module
 */
import { type Chart, processDependencies, toRenderValues, type Values } from "../chart/mod.ts";
import { checkCustomLabels, type Configuration, existingResourceConflict, setMetadata } from "./action.ts";
import { execHook } from "./hooks.ts";
import { DEFAULT_TIMEOUT_MS } from "./install.ts";
import { sameObject } from "./kube.ts";
import { waitForReady } from "./ready.ts";
import { Release } from "./release.ts";
import { ReleaseNotFoundError } from "./storage.ts";

/** `helm upgrade` flags. */
export interface UpgradeOptions {
  /** `--timeout` for hooks and the wait (default 5 minutes). */
  timeoutMs?: number;
  wait?: boolean;
  waitForJobs?: boolean;
  /** `--labels`: merged over the last revision's; a value "null" removes a label. */
  labels?: Record<string, string>;
  /** `--no-hooks`. */
  disableHooks?: boolean;
}

/**
 * Upgrades release `name` to `chart` with `values`.
 *
 * @example
 * ```ts
 * const release = await upgrade(cfg, "web", chart, { replicas: 3 });
 * release.Version; // 2
 * ```
 */
export async function upgrade(
  cfg: Configuration,
  name: string,
  chart: Chart,
  values: Values,
  options: UpgradeOptions = {},
): Promise<Release> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let last: Release;
  try {
    last = await cfg.storage.last(name);
  } catch (error) {
    if (error instanceof ReleaseNotFoundError) throw new Error(`${JSON.stringify(name)} has no deployed releases`);
    throw error;
  }
  if (last.Info.Status.startsWith("pending-")) {
    throw new Error("another operation (install/upgrade/rollback) is in progress");
  }
  let current = last;
  if (last.Info.Status !== "deployed") {
    try {
      current = await cfg.storage.deployed(name);
    } catch (error) {
      if (!(error instanceof ReleaseNotFoundError) || !["failed", "superseded"].includes(last.Info.Status)) throw error;
    }
  }
  processDependencies(chart, values, { merge: true, warn: cfg.log });
  const revision = last.Version + 1;
  const top = toRenderValues(
    chart,
    values,
    { name, namespace: current.Namespace, revision, isInstall: false, isUpgrade: true },
    { capabilities: cfg.capabilities(), warn: cfg.log },
  );
  const rendered = await cfg.renderResources(chart, top);
  checkCustomLabels(options.labels);
  const upgraded = new Release();
  Object.assign(upgraded, {
    Name: name,
    Namespace: current.Namespace,
    Chart: chart,
    Config: values,
    Version: revision,
    Manifest: rendered.manifest,
    Hooks: rendered.hooks,
    Labels: mergeCustomLabels(last.Labels, options.labels ?? {}),
  });
  Object.assign(upgraded.Info, {
    FirstDeployed: current.Info.FirstDeployed,
    LastDeployed: new Date(),
    Status: "pending-upgrade",
    Description: "Preparing upgrade",
    Notes: rendered.notes,
  });
  let original, target;
  try {
    original = cfg.kube.build(current.Manifest);
  } catch (error) {
    throw new Error(`unable to build kubernetes objects from current release manifest: ${(error as Error).message}`);
  }
  try {
    target = cfg.kube.build(upgraded.Manifest);
  } catch (error) {
    throw new Error(`unable to build kubernetes objects from new release manifest: ${(error as Error).message}`);
  }
  setMetadata(target, name, upgraded.Namespace);
  const created = target.filter((t) => !original.some((o) => sameObject(o, t)));
  try {
    original.push(...await existingResourceConflict(cfg.kube, created, name, upgraded.Namespace));
  } catch (error) {
    throw new Error(`Unable to continue with update: ${(error as Error).message}`);
  }
  await cfg.storage.create(upgraded);
  try {
    if (!options.disableHooks) {
      await execHook(cfg, upgraded, "pre-upgrade", timeoutMs).catch((error) => {
        throw new Error(`pre-upgrade hooks failed: ${error.message}`);
      });
    }
    await cfg.kube.update(original, target);
    if (options.wait) await waitForReady(cfg.kube, target, timeoutMs, { checkJobs: options.waitForJobs });
    if (!options.disableHooks) {
      await execHook(cfg, upgraded, "post-upgrade", timeoutMs).catch((error) => {
        throw new Error(`post-upgrade hooks failed: ${error.message}`);
      });
    }
  } catch (error) {
    upgraded.Info.Status = "failed";
    upgraded.Info.Description = `Upgrade ${JSON.stringify(name)} failed: ${(error as Error).message}`;
    await cfg.storage.update(upgraded).catch(() => {});
    throw error;
  }
  current.Info.Status = "superseded";
  await cfg.storage.update(current).catch(() => {});
  upgraded.Info.Status = "deployed";
  upgraded.Info.Description = "Upgrade complete";
  await cfg.storage.update(upgraded).catch((error) => cfg.log(`failed to record the release: ${error.message}`));
  return upgraded;
}

/** Helm's `mergeCustomLabels`: the desired labels over the current ones, "null" deleting. */
function mergeCustomLabels(current: Record<string, string>, desired: Record<string, string>): Record<string, string> {
  const labels: Record<string, string> = { ...current, ...desired };
  for (const [k, v] of Object.entries(labels)) if (v === "null") delete labels[k];
  return labels;
}
