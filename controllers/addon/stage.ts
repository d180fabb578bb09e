/**
 * Staging the packaged manifests at every start, as K3s does: each embedded manifest of a component that is not
 * disabled is written (again) into the manifests directory, mode 0600, after substituting K3s's template variables
 * (`%{CLUSTER_DNS}%`, `%{CLUSTER_DOMAIN}%`, `%{DEFAULT_LOCAL_STORAGE_PATH}%`, `%{SYSTEM_DEFAULT_REGISTRY}%`, …).
 *
 * @module
 */
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { manifestsDir, shouldDisableFile } from "./files.ts";

/**
 * The packaged manifests by path under the manifests directory (`coredns.yaml`, `metrics-server/service.yaml`).
 * Each component's manifest arrives with that component; none is packaged yet.
 */
export const PACKAGED_MANIFESTS: Readonly<Record<string, string>> = {};

/** What {@linkcode stageManifests} writes, besides the packaged manifests it writes by default. */
export interface StageOptions {
  /** The manifests to stage (default: {@linkcode PACKAGED_MANIFESTS}). */
  manifests?: Readonly<Record<string, string>>;
  /** Template variables and their values, e.g. `{ "%{CLUSTER_DNS}%": "10.43.0.10" }`. */
  vars?: Readonly<Record<string, string>>;
}

/**
 * Create `<data-dir>/server/manifests` and write the manifests of the components not in `disabled` (by file name
 * without extension, or sub-directory); resolves to the paths written.
 *
 * @example
 * ```ts
 * for (const path of await stageManifests("/var/lib/rancher/k3s", ["traefik"])) log(`Writing manifest: ${path}`);
 * ```
 */
export async function stageManifests(
  dataDir: string,
  disabled: Iterable<string>,
  options: StageOptions = {},
): Promise<string[]> {
  const dir = manifestsDir(dataDir);
  const skipped = new Set(disabled);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const written: string[] = [];
  for (const [name, template] of Object.entries(options.manifests ?? PACKAGED_MANIFESTS)) {
    const path = join(dir, name);
    if (shouldDisableFile(dir, path, skipped)) continue;
    let content = template;
    for (const [variable, value] of Object.entries(options.vars ?? {})) content = content.replaceAll(variable, value);
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await writeFile(path, content, { mode: 0o600 });
    // writeFile's mode only applies to a new file; a packaged file is not to be altered, whatever its mode was.
    await chmod(path, 0o600);
    written.push(path);
  }
  return written;
}
