/**
 * The manifests directory as K3s's deploy controller reads it: which files are manifests, which are skipped (a
 * `<file>.skip` marker) or disabled (`--disable`), and which Addon tracks each file.
 *
 * @module
 */
import { readdir, stat } from "node:fs/promises";
import { basename, extname, join, relative, sep } from "node:path";

/** A file found under the manifests directory. */
export interface ManifestFile {
  /** The path as found, through a followed directory symlink if there was one. */
  path: string;
  /** The file name (`traefik.yaml`). */
  name: string;
  /** The modification time; `0` on file systems that pin it (the Nix store), where only the checksum tells. */
  mtimeMs: number;
  /** Changes whenever the file is rewritten (mtime alone can repeat within one clock tick). */
  signature: string;
  /** False for files reached through a symlinked directory: disabling them must not delete what the link points at. */
  removeOnDisable: boolean;
}

const MANIFEST_EXTENSIONS = [".yaml", ".yml", ".json"];

/**
 * Whether a file name has a manifest extension (`.yaml`, `.yml`, `.json`, any case).
 *
 * @example
 * ```ts
 * isManifestName("coredns.YAML"); // true
 * ```
 */
export function isManifestName(name: string): boolean {
  const lower = name.toLowerCase();
  return MANIFEST_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/**
 * Every file under `base`, recursively, in sorted path order. Symlinked directories found in the tree are followed,
 * but not symlinked directories inside them, as K3s does; entries that cannot be read are left out.
 *
 * @example
 * ```ts
 * for (const file of await walkManifests("/var/lib/rancher/k3s/server/manifests")) console.log(file.path);
 * ```
 */
export async function walkManifests(base: string): Promise<ManifestFile[]> {
  const files: ManifestFile[] = [];
  await walk(base, base, true, true, files);
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function walk(
  dir: string,
  logical: string,
  followLinks: boolean,
  removeOnDisable: boolean,
  into: ManifestFile[],
): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    const real = join(dir, entry.name);
    const path = join(logical, entry.name);
    if (entry.isDirectory()) {
      await walk(real, path, followLinks, removeOnDisable, into);
      continue;
    }
    const info = await stat(real).catch(() => undefined);
    if (!info) continue;
    if (info.isDirectory()) {
      if (entry.isSymbolicLink() && followLinks) await walk(real, path, false, false, into).catch(() => {});
      continue;
    }
    into.push({
      path,
      name: entry.name,
      mtimeMs: info.mtimeMs,
      signature: `${info.mtimeMs}:${info.ctimeMs}:${info.size}:${info.ino}`,
      removeOnDisable,
    });
  }
}

/**
 * The file names `.skip` markers name: `traefik.yaml.skip` skips every `traefik.yaml`, in any sub-directory.
 *
 * @example
 * ```ts
 * skippedNames(files).has("traefik.yaml");
 * ```
 */
export function skippedNames(files: readonly ManifestFile[]): Set<string> {
  return new Set(files.filter((f) => f.name.endsWith(".skip")).map((f) => f.name.slice(0, -".skip".length)));
}

/**
 * Whether a file is ignored: dotfiles, files a `.skip` marker names, and anything that is not a manifest.
 *
 * @example
 * ```ts
 * shouldSkipFile(".hidden.yaml", new Set()); // true
 * ```
 */
export function shouldSkipFile(name: string, skips: ReadonlySet<string>): boolean {
  return name.startsWith(".") || skips.has(name) || !isManifestName(name);
}

/**
 * Whether a file belongs to a disabled component: a sub-directory on its path (relative to `base`, `/`-joined) is
 * disabled, or it is a manifest whose name without its last extension is.
 *
 * @example
 * ```ts
 * shouldDisableFile("/m", "/m/metrics-server/service.yaml", new Set(["metrics-server"])); // true
 * shouldDisableFile("/m", "/m/traefik.yaml", new Set(["traefik"])); // true
 * ```
 */
export function shouldDisableFile(base: string, path: string, disabled: ReadonlySet<string>): boolean {
  const parts = relative(base, path).split(sep);
  for (let i = 1; i < parts.length; i++) {
    if (disabled.has(parts.slice(0, i).join("/"))) return true;
  }
  if (!isManifestName(path)) return false;
  const name = basename(path);
  return disabled.has(name.slice(0, name.length - extname(name).length));
}

/**
 * The name of the Addon tracking a file: its name up to the first dot.
 *
 * @example
 * ```ts
 * addonName("/m/sub/foo.bar.yaml"); // "foo"
 * ```
 */
export function addonName(path: string): string {
  return basename(path).split(".", 1)[0];
}

/**
 * The auto-deploy directory of a server: `<data-dir>/server/manifests`.
 *
 * @example
 * ```ts
 * manifestsDir("/var/lib/rancher/k3s"); // "/var/lib/rancher/k3s/server/manifests"
 * ```
 */
export function manifestsDir(dataDir: string): string {
  return join(dataDir, "server", "manifests");
}
