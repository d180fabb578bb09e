/**
 * `helm uninstall` (Helm 3's `action.Uninstall`): the last revision marked `uninstalling`, the pre-delete hooks
 * run, the release's objects deleted in uninstall order (those annotated `helm.sh/resource-policy: keep` kept, and
 * reported), an optional wait until they are gone, the post-delete hooks, and then every revision's record purged —
 * or, with `keepHistory`, the last one kept as `uninstalled`.
 *
 * @module
 */
import { type Configuration, validateReleaseName } from "./action.ts";
import { execHook } from "./hooks.ts";
import { DEFAULT_TIMEOUT_MS } from "./install.ts";
import { RESOURCE_POLICY_ANNOTATION } from "./kube.ts";
import { sortManifests, splitManifests, UNINSTALL_ORDER } from "./manifests.ts";
import type { Release } from "./release.ts";

/** `helm uninstall` flags. */
export interface UninstallOptions {
  /** `--keep-history`: keep the records, the last marked `uninstalled`. */
  keepHistory?: boolean;
  timeoutMs?: number;
  /** `--wait`: wait until the deleted objects are gone. */
  wait?: boolean;
  disableHooks?: boolean;
  /** `--ignore-not-found`: no release is not an error. */
  ignoreNotFound?: boolean;
}

/** What an uninstall did: the release as it ended, and the objects kept by their resource policy. */
export interface UninstallResult {
  release?: Release;
  /** `[Kind] name` lines, as Helm prints them after "These resources were kept due to the resource policy:". */
  kept: string[];
}

/**
 * Uninstalls release `name`.
 *
 * @example
 * ```ts
 * const { kept } = await uninstall(cfg, "web");
 * ```
 */
export async function uninstall(
  cfg: Configuration,
  name: string,
  options: UninstallOptions = {},
): Promise<UninstallResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  try {
    validateReleaseName(name);
  } catch {
    throw new Error(`uninstall: Release name is invalid: ${name}`);
  }
  const history = await cfg.storage.history(name);
  if (history.length === 0) {
    if (options.ignoreNotFound) return { kept: [] };
    throw new Error(`uninstall: Release not loaded: ${name}: release: not found`);
  }
  const release = history[history.length - 1];
  if (release.Info.Status === "uninstalled") {
    if (options.keepHistory) throw new Error(`the release named ${JSON.stringify(name)} is already deleted`);
    for (const r of history) await cfg.storage.delete(r.Name, r.Version);
    return { release, kept: [] };
  }
  release.Info.Status = "uninstalling";
  release.Info.Deleted = new Date();
  release.Info.Description = "Deletion in progress (or silently failed)";
  if (!options.disableHooks) await execHook(cfg, release, "pre-delete", timeoutMs);
  await cfg.storage.update(release).catch((error) =>
    cfg.log(`uninstall: Failed to store updated release: ${error.message}`)
  );
  const files = Object.fromEntries(splitManifests(release.Manifest).map((doc, i) => [`manifest-${i}`, doc]));
  const { manifests } = sortManifests(files, UNINSTALL_ORDER);
  const keep = (m: (typeof manifests)[number]) =>
    m.head.annotations[RESOURCE_POLICY_ANNOTATION]?.trim().toLowerCase() === "keep";
  const kept = manifests.filter(keep).map((m) => `[${m.head.kind}] ${m.head.name}`);
  const doomed = cfg.kube.build(manifests.filter((m) => !keep(m)).map((m) => `---\n${m.content}`).join("\n"));
  const errors: Error[] = await cfg.kube.delete(doomed);
  if (errors.length > 0) throw new Error(`failed to delete release: ${name}`);
  if (options.wait) await cfg.kube.waitForDelete(doomed, timeoutMs).catch((error) => errors.push(error));
  if (!options.disableHooks) {
    await execHook(cfg, release, "post-delete", timeoutMs).catch((error) => errors.push(error));
  }
  release.Info.Status = "uninstalled";
  release.Info.Description = "Uninstallation complete";
  if (options.keepHistory) await cfg.storage.update(release).catch(() => {});
  else {
    for (const r of history) {
      await cfg.storage.delete(r.Name, r.Version).catch((error) => {
        errors.push(new Error(`uninstall: Failed to purge the release: ${error.message}`));
      });
    }
  }
  if (errors.length > 0) {
    throw new Error(
      `uninstallation completed with ${errors.length} error(s): ${errors.map((e) => e.message).join("; ")}`,
    );
  }
  return { release, kept };
}
