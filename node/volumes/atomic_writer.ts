/**
 * The kubelet's AtomicWriter layout for ConfigMap, Secret, downward API and projected volumes: the files live in a
 * timestamped `..<time>` directory, `..data` is a symlink to it, and each visible entry is a symlink through
 * `..data`. An update writes a new directory and swaps `..data` with one rename, so a reader sees either all old
 * files or all new ones — never a mix.
 *
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  symlink,
  writeFile,
} from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** One file of a volume: its bytes and mode. */
export interface Payload {
  data: Uint8Array;
  mode: number;
}

const DATA_LINK = "..data";

/**
 * Make `dir` hold exactly `files` (relative paths), atomically; unchanged content writes nothing.
 *
 * @example
 * ```ts
 * await writeAtomically("/var/lib/kubelet/pods/u1/volumes/kubernetes.io~configmap/cfg",
 *   { key: { data: new TextEncoder().encode("v"), mode: 0o644 } });
 * ```
 */
export async function writeAtomically(dir: string, files: Record<string, Payload>): Promise<boolean> {
  await mkdir(dir, { recursive: true });
  const current = await currentPayload(dir);
  if (current && isDeepStrictEqual(current, files)) return false;
  // Upstream's name: `..2006_01_02_15_04_05.<random>`, UTC.
  const time = new Date().toISOString().slice(0, 19).replace(/[-T:]/g, "_");
  const target = await mkdtemp(join(dir, `..${time}.`));
  const stamp = basename(target);
  // Group and others must be able to walk into it whatever the umask, as upstream ensures.
  await chmod(target, 0o755);
  for (const [path, file] of Object.entries(files)) {
    const out = join(target, path);
    await mkdir(dirname(out), { recursive: true, mode: 0o755 });
    await writeFile(out, file.data);
    await chmod(out, file.mode);
  }
  const temporary = join(dir, "..data_tmp");
  await rm(temporary, { force: true });
  await symlink(stamp, temporary);
  const old = await readlink(join(dir, DATA_LINK)).catch(() => undefined);
  await rename(temporary, join(dir, DATA_LINK));
  const top = new Set(Object.keys(files).map((path) => path.split("/")[0]));
  for (const entry of top) {
    const link = join(dir, entry);
    const exists = await lstat(link).then(() => true, () => false);
    if (!exists) await symlink(join(DATA_LINK, entry), link);
  }
  for (const entry of await readdir(dir)) {
    if (entry.startsWith("..") || top.has(entry)) continue;
    await rm(join(dir, entry), { recursive: true, force: true });
  }
  if (old && old !== stamp) await rm(join(dir, old), { recursive: true, force: true });
  return true;
}

async function currentPayload(dir: string): Promise<Record<string, Payload> | undefined> {
  const link = await readlink(join(dir, DATA_LINK)).catch(() => undefined);
  if (!link) return undefined;
  const files: Record<string, Payload> = {};
  const walk = async (base: string, prefix: string): Promise<void> => {
    for (const entry of await readdir(base, { withFileTypes: true })) {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(join(base, entry.name), path);
      else {
        const full = join(base, entry.name);
        files[path] = { data: new Uint8Array(await readFile(full)), mode: (await lstat(full)).mode & 0o7777 };
      }
    }
  };
  await walk(join(dir, link), "");
  return files;
}
