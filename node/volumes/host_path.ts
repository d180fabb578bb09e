/**
 * `hostPath` volume types and their checks, as the kubelet's hostPath plugin makes them: the `…OrCreate` types
 * create what is missing, the others insist it exists and is of the right kind.
 *
 * @module
 */
import { mkdir, open, stat as statPath } from "node:fs/promises";
import { VolumeError } from "./errors.ts";

/** `v1.HostPathType`. */
export type HostPathType =
  | ""
  | "DirectoryOrCreate"
  | "Directory"
  | "FileOrCreate"
  | "File"
  | "Socket"
  | "CharDevice"
  | "BlockDevice";

/**
 * Check (or create) `path` for `type`; throws {@linkcode VolumeError} with the kubelet's wording.
 *
 * @example
 * ```ts
 * await checkHostPath("/var/log/app", "DirectoryOrCreate");
 * ```
 */
export async function checkHostPath(path: string, type: HostPathType): Promise<void> {
  if (path.split("/").includes("..")) throw new VolumeError(`invalid HostPath \`${path}\`: must not contain '..'`);
  if (type === "") return;
  const stat = await statPath(path).catch(() => undefined);
  if (!stat && type === "DirectoryOrCreate") {
    await mkdir(path, { recursive: true, mode: 0o755 });
    return;
  }
  if (!stat && type === "FileOrCreate") {
    // Like upstream, the parent directory is not created: a missing one fails the mount.
    const file = await open(path, "a", 0o644).catch((error: Error) => {
      throw new VolumeError(`open ${path}: ${error.message}`);
    });
    await file.close();
    return;
  }
  const checks: Record<string, [boolean | undefined, string]> = {
    Directory: [stat?.isDirectory(), "directory"],
    DirectoryOrCreate: [stat?.isDirectory(), "directory"],
    File: [stat?.isFile(), "file"],
    FileOrCreate: [stat?.isFile(), "file"],
    Socket: [stat?.isSocket(), "socket file"],
    CharDevice: [stat?.isCharacterDevice(), "character device"],
    BlockDevice: [stat?.isBlockDevice(), "block device"],
  };
  if (!checks[type]) throw new VolumeError(`${type} is an invalid volume type`);
  const [ok, what] = checks[type];
  if (!ok) throw new VolumeError(`hostPath type check failed: ${path} is not a ${what}`);
}
