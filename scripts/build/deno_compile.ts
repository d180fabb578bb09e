/**
 * The build route for machines that reach Deno's release downloads: `deno compile` embeds the bundle in
 * `denort`, Deno's runtime for compiled programs, which it downloads per target (or finds in DENO_DIR).
 *
 * @module
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { run } from "./run.ts";
import { V8_FLAGS } from "./v8_flags.ts";
import type { Target } from "./targets.ts";

const PROBE_TIMEOUT_MS = 5_000;

function denortZip(target: Target): string {
  return `release/v${Deno.version.deno}/denort-${target.denoTarget}.zip`;
}

/**
 * Whether `deno compile --target` can get its runtime for `target`: already cached in DENO_DIR, or the
 * download answers within a few seconds.
 *
 * ```ts
 * if (await denoCompileAvailable(TARGETS[0])) await denoCompile(bundle, TARGETS[0], "dist/k3s-amd64");
 * ```
 */
export async function denoCompileAvailable(target: Target): Promise<boolean> {
  const info = JSON.parse(await run(Deno.execPath(), ["info", "--json"])) as { denoDir: string };
  if (existsSync(join(info.denoDir, "dl", denortZip(target)))) return true;
  try {
    const response = await fetch(`https://dl.deno.land/${denortZip(target)}`, {
      method: "HEAD",
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Compiles the bundle into a self-contained executable for `target`.
 *
 * ```ts
 * await denoCompile("dist/k3s.mjs", TARGETS[1], "dist/k3s-arm64");
 * ```
 */
export async function denoCompile(bundle: string, target: Target, out: string): Promise<void> {
  await run(Deno.execPath(), [
    "compile",
    "--quiet",
    "--no-config",
    "-A",
    `--v8-flags=${V8_FLAGS.join(",")}`,
    "--target",
    target.denoTarget,
    "-o",
    out,
    bundle,
  ]);
}
