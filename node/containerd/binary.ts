/**
 * Finding the machine's containerd and runc. K3s bundles both; this distribution uses Debian's packages,
 * so a missing one is an error that names the package to install.
 *
 * @module
 */
import { accessSync, constants, statSync } from "node:fs";
import process from "node:process";
import { lookPath } from "../../core/cli/lookpath.ts";

/** The PATH to search: this process's, plus the sbin folders a non-login shell may leave out. */
function searchPath(path?: string): string {
  return path ?? `${process.env.PATH ?? ""}:/usr/local/sbin:/usr/sbin:/sbin`;
}

/**
 * The containerd executable: `explicit` if given (it must be executable), else the first on PATH; throws
 * an error saying what to install, or how to use a containerd that runs already. runc must be on PATH too,
 * since containerd's shim runs it.
 *
 * @example
 * ```ts
 * findContainerd(); // "/usr/bin/containerd"
 * ```
 */
export function findContainerd(explicit?: string, path?: string): string {
  const runc = lookPath("runc", { path: searchPath(path) });
  if (!runc) {
    throw new Error("runc not found on PATH: install Debian's runc package (apt-get install runc)");
  }
  if (explicit) {
    try {
      accessSync(explicit, constants.X_OK);
      if (statSync(explicit).isFile()) return explicit;
    } catch {
      // reported below
    }
    throw new Error(`containerd at ${explicit} is not an executable file`);
  }
  const found = lookPath("containerd", { path: searchPath(path) });
  if (found) return found;
  throw new Error(
    "containerd not found on PATH: install Debian's containerd package (apt-get install containerd runc), " +
      "or point --container-runtime-endpoint at a running container runtime",
  );
}
