/**
 * `emptyDir` volumes: a world-writable directory of the pod, or with `medium: Memory` a tmpfs mounted there (sized
 * by `sizeLimit`) that teardown unmounts before the pod's directory goes.
 *
 * @module
 */
import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { quantityValue } from "../../controllers/scheduler/resources.ts";
import { VolumeError } from "./errors.ts";

const run = promisify(execFile);

/**
 * Set up the emptyDir at `dir`; mounting tmpfs needs root, as it does for the kubelet.
 *
 * @example
 * ```ts
 * await setUpEmptyDir("/var/lib/kubelet/pods/u1/volumes/kubernetes.io~empty-dir/shm", { medium: "Memory", sizeLimit: "64Mi" });
 * ```
 */
export async function setUpEmptyDir(dir: string, source: { medium?: string; sizeLimit?: string }): Promise<void> {
  mkdirSync(dir, { recursive: true });
  // World-writable whatever the umask, as upstream's emptyDir is.
  chmodSync(dir, 0o777);
  if (source.medium !== "Memory" || isMountPoint(dir)) return;
  const size = source.sizeLimit ? `,size=${quantityValue(source.sizeLimit)}` : "";
  try {
    await run("mount", ["-t", "tmpfs", "-o", `mode=0777${size}`, "tmpfs", dir]);
  } catch (error) {
    throw new VolumeError(`mount of tmpfs on ${dir} failed: ${(error as { stderr?: string }).stderr ?? error}`);
  }
}

function isMountPoint(dir: string): boolean {
  try {
    return readFileSync("/proc/self/mountinfo", "utf8").split("\n").some((line) => line.split(" ")[4] === dir);
  } catch {
    return false;
  }
}

/**
 * Unmount the memory-backed emptyDirs under `pluginDir` (`…/volumes/kubernetes.io~empty-dir`).
 *
 * @example
 * ```ts
 * await tearDownEmptyDirs("/var/lib/kubelet/pods/u1/volumes/kubernetes.io~empty-dir");
 * ```
 */
export async function tearDownEmptyDirs(pluginDir: string): Promise<void> {
  if (!existsSync(pluginDir)) return;
  for (const name of readdirSync(pluginDir)) {
    const path = join(pluginDir, name);
    if (isMountPoint(path)) await run("umount", [path]).catch(() => {});
  }
}
