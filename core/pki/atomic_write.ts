/**
 * Replacing a file in one step: readers see the old content or the new, never a half-written key
 * or kubeconfig, even if the process dies mid-write.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * Write `data` to `path` with permission bits `mode`, creating parent directories (with `dirMode`)
 * as needed: the bytes go to a temporary sibling that is synced, given its mode, then renamed over
 * the target.
 *
 * @example
 * ```ts
 * await writeFileAtomic("/var/lib/rancher/k3s/server/tls/server-ca.key", keyPem, 0o600);
 * ```
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  mode: number,
  dirMode = 0o755,
): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: dirMode });
  const temp = `${path}.tmp-${randomUUID()}`;
  try {
    // Created private, then chmod: the umask must not widen or narrow what the caller asked for,
    // and a secret is never readable by others even for a moment.
    const file = await open(temp, "wx", 0o600);
    try {
      await file.writeFile(data);
      await file.chmod(mode);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
