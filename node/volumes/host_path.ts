/**
 * `hostPath` volume types and their checks, as the kubelet's hostPath plugin makes them: the `…OrCreate` types
 * create what is missing, the others insist it exists and is of the right kind.
 *
 * @module
 */
import { closeSync, mkdirSync, openSync, statSync } from "node:fs";
import { dirname } from "node:path";
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
export function checkHostPath(path: string, type: HostPathType): Promise<void> {
  const stat = statSync(path, { throwIfNoEntry: false });
  switch (type) {
    case "":
      break;
    case "DirectoryOrCreate":
      if (!stat) mkdirSync(path, { recursive: true, mode: 0o755 });
      else if (!stat.isDirectory()) throw new VolumeError(`hostPath type check failed: ${path} is not a directory`);
      break;
    case "FileOrCreate":
      if (!stat) {
        mkdirSync(dirname(path), { recursive: true });
        closeSync(openSync(path, "a", 0o644));
      } else if (!stat.isFile()) throw new VolumeError(`hostPath type check failed: ${path} is not a file`);
      break;
    default: {
      const is: Record<string, [boolean | undefined, string]> = {
        Directory: [stat?.isDirectory(), "directory"],
        File: [stat?.isFile(), "file"],
        Socket: [stat?.isSocket(), "socket file"],
        CharDevice: [stat?.isCharacterDevice(), "character device"],
        BlockDevice: [stat?.isBlockDevice(), "block device"],
      };
      const [ok, what] = is[type] ?? [false, type];
      if (!stat) throw new VolumeError(`hostPath type check failed: ${path} is not a ${what}`);
      if (!ok) throw new VolumeError(`hostPath type check failed: ${path} is not a ${what}`);
    }
  }
  return Promise.resolve();
}
