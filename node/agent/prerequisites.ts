/**
 * What the agent needs before it starts anything, checked up front so a missing piece is one clear line (naming the
 * Debian package, as `k3s check-config` does) rather than a pod that never gets a network.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { CNI_BIN_DIRS, CNI_PLUGINS } from "../check_config.ts";
import { findContainerd } from "../containerd/mod.ts";

/** Where to look (tests point it elsewhere). */
export interface PrerequisiteOptions {
  /** Whether containerd is started here (false with `--container-runtime-endpoint`). */
  startsContainerd: boolean;
  /** The folders searched for the CNI plugins (default: Debian's, then upstream's). */
  cniBinDirs?: string[];
  /** The user id (default: this process's). */
  uid?: number;
  /** The PATH containerd and runc are looked up in. */
  path?: string;
}

/**
 * Throw one line saying what is missing: root, containerd and runc (unless an existing runtime is used), or the CNI
 * plugins; returns the CNI plugin folder to use.
 *
 * @example
 * ```ts
 * checkAgentPrerequisites({ startsContainerd: true }); // "/usr/lib/cni"
 * ```
 */
export function checkAgentPrerequisites(options: PrerequisiteOptions): string {
  const uid = options.uid ?? process.getuid?.();
  if (uid !== 0) throw new Error("the agent must run as root (or pass --disable-agent to run the server alone)");
  if (options.startsContainerd) {
    try {
      findContainerd(undefined, options.path);
    } catch (error) {
      throw new Error(`${(error as Error).message} (see k3s check-config)`);
    }
  }
  const dirs = options.cniBinDirs ?? CNI_BIN_DIRS;
  const dir = dirs.find((d) => CNI_PLUGINS.every((plugin) => existsSync(join(d, plugin))));
  if (!dir) {
    throw new Error(
      `CNI plugins ${CNI_PLUGINS.join(", ")} not found in ${dirs.join(" or ")}: ` +
        "install Debian's containernetworking-plugins package (apt-get install containernetworking-plugins)",
    );
  }
  return dir;
}
