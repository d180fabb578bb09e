/**
 * Installs the Debian packages a build step needs when its commands are missing, so a fresh Debian machine
 * with only Node/npm can build (the same rule tests/support/servers.ts follows for database servers).
 *
 * @module
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { run } from "./run.ts";

/**
 * Whether `command` is an executable on PATH.
 *
 * ```ts
 * onPath("aarch64-linux-gnu-gcc"); // false on a machine without Debian's arm64 cross compiler
 * ```
 */
export function onPath(command: string): boolean {
  return (Deno.env.get("PATH") ?? "").split(":").some((dir) => dir && existsSync(join(dir, command)));
}

/**
 * Makes every one of `commands` available, installing `packages` with apt-get (once) if any is missing.
 *
 * ```ts
 * await ensureCommands(["aarch64-linux-gnu-gcc"], ["gcc-aarch64-linux-gnu", "libc6-dev-arm64-cross"]);
 * ```
 */
export async function ensureCommands(commands: string[], packages: string[]): Promise<void> {
  const missing = commands.filter((c) => !onPath(c));
  if (missing.length === 0) return;
  console.log(`installing ${packages.join(" ")} with apt-get for ${missing.join(", ")} (once per machine) …`);
  const sudo = Deno.uid() === 0 ? [] : ["sudo", "-n"];
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update", "-qq"], ["install", "-y", "-qq", "--no-install-recommends", ...packages]]) {
    const [command, ...rest] = [...sudo, "apt-get", "-o", "DPkg::Lock::Timeout=600", ...args];
    await run(command, rest, { env });
  }
  const still = commands.filter((c) => !onPath(c));
  if (still.length > 0) throw new Error(`apt-get installed ${packages.join(" ")} but ${still.join(", ")} is missing`);
}
