/**
 * Finding an executable on PATH, as Go's `exec.LookPath` does, optionally passing over given files
 * (so `k3s` installed as `kubectl` does not find itself).
 *
 * @module
 */
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";
import process from "node:process";

function sameFile(a: string, b: string): boolean {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/**
 * Whether `path` is a regular file this process may execute.
 *
 * ```ts
 * executable("/usr/bin/runc"); // true where runc is installed
 * ```
 */
export function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The first executable file called `name` in the PATH directories, skipping any that is the same
 * file as one of `skip`; `undefined` when there is none.
 *
 * @example
 * ```ts
 * lookPath("kubectl", { skip: [process.execPath] }); // "/usr/bin/kubectl"
 * ```
 */
export function lookPath(
  name: string,
  options: { path?: string; skip?: readonly string[] } = {},
): string | undefined {
  const path = options.path ?? process.env.PATH ?? "";
  for (const dir of path.split(delimiter)) {
    // A relative entry would resolve against the working directory; Go's LookPath refuses those too.
    if (!dir || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    if (!executable(candidate)) continue;
    if (options.skip?.some((self) => self && sameFile(candidate, self))) continue;
    return candidate;
  }
  return undefined;
}
