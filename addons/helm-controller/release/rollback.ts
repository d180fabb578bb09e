/**
 * `helm rollback` (Helm 3's `action.Rollback`): a new revision carrying an earlier revision's chart, values,
 * manifest and hooks ("Rollback to N"), stored `pending-rollback`, applied over the last revision's objects between
 * the pre- and post-rollback hooks; every deployed revision then becomes `superseded` and the new one `deployed`.
 *
 * @module
 */
import { type Configuration, setMetadata, validateReleaseName } from "./action.ts";
import { execHook } from "./hooks.ts";
import { DEFAULT_TIMEOUT_MS } from "./install.ts";
import { waitForReady } from "./ready.ts";
import { Release } from "./release.ts";

/** `helm rollback` arguments and flags. */
export interface RollbackOptions {
  /** The revision to roll back to; 0 (the default) is the one before the last. */
  version?: number;
  timeoutMs?: number;
  wait?: boolean;
  waitForJobs?: boolean;
  disableHooks?: boolean;
}

/**
 * Rolls release `name` back.
 *
 * @example
 * ```ts
 * await rollback(cfg, "web", { version: 1 }); // stores revision 3, "Rollback to 1"
 * ```
 */
export async function rollback(cfg: Configuration, name: string, options: RollbackOptions = {}): Promise<Release> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  try {
    validateReleaseName(name);
  } catch {
    throw new Error(`prepareRollback: Release name is invalid: ${name}`);
  }
  if ((options.version ?? 0) < 0) throw new Error("invalid release revision number");
  const current = await cfg.storage.last(name);
  const previousVersion = options.version || current.Version - 1;
  const history = await cfg.storage.history(name);
  const previous = history.find((r) => r.Version === previousVersion);
  if (!previous) throw new Error(`release has no ${previousVersion} version`);
  const target = new Release();
  Object.assign(target, {
    Name: name,
    Namespace: current.Namespace,
    Chart: previous.Chart,
    Config: previous.Config,
    Version: current.Version + 1,
    Labels: previous.Labels,
    Manifest: previous.Manifest,
    Hooks: previous.Hooks,
  });
  Object.assign(target.Info, {
    FirstDeployed: current.Info.FirstDeployed,
    LastDeployed: new Date(),
    Status: "pending-rollback",
    Notes: previous.Info.Notes,
    Description: `Rollback to ${previousVersion}`,
  });
  await cfg.storage.create(target);
  const currentResources = cfg.kube.build(current.Manifest);
  const targetResources = cfg.kube.build(target.Manifest);
  if (!options.disableHooks) await execHook(cfg, target, "pre-rollback", timeoutMs);
  setMetadata(targetResources, name, target.Namespace);
  try {
    await cfg.kube.update(currentResources, targetResources);
  } catch (error) {
    current.Info.Status = "superseded";
    target.Info.Status = "failed";
    target.Info.Description = `Rollback ${JSON.stringify(name)} failed: ${(error as Error).message}`;
    await cfg.storage.update(current).catch(() => {});
    await cfg.storage.update(target).catch(() => {});
    throw error;
  }
  if (options.wait) {
    try {
      await waitForReady(cfg.kube, targetResources, timeoutMs, { checkJobs: options.waitForJobs });
    } catch (error) {
      target.Info.Status = "failed";
      target.Info.Description = `Release ${JSON.stringify(name)} failed: ${(error as Error).message}`;
      await cfg.storage.update(target).catch(() => {});
      throw new Error(`release ${name} failed: ${(error as Error).message}`);
    }
  }
  if (!options.disableHooks) await execHook(cfg, target, "post-rollback", timeoutMs);
  for (const deployed of await cfg.storage.deployedAll(name)) {
    deployed.Info.Status = "superseded";
    await cfg.storage.update(deployed).catch(() => {});
  }
  target.Info.Status = "deployed";
  await cfg.storage.update(target);
  return target;
}
