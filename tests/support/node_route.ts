/**
 * The program as the `k3s` binary runs it here: the bundle `deno task build` makes, under the Node.js
 * runtime the offline build route packs (built and fetched once per test run).
 *
 * ```ts
 * await using server = await startK3sServer({ command: await nodeRouteCommand() });
 * ```
 *
 * @module
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleProgram } from "../../scripts/build/bundle.ts";
import { nodeRuntime } from "../../scripts/build/node_runtime.ts";
import { TARGETS } from "../../scripts/build/targets.ts";

const root = new URL("../..", import.meta.url).pathname;
let command: Promise<string[]> | undefined;

/** `[node, bundle]`: prepend it to the `k3s` arguments. */
export function nodeRouteCommand(): Promise<string[]> {
  return command ??= (async () => {
    const host = TARGETS.find((t) => t.hostArch === Deno.build.arch);
    if (!host) throw new Error(`no Node.js runtime on npm for ${Deno.build.arch}`);
    const bundle = join(mkdtempSync(join(tmpdir(), "k3s-bundle-")), "k3s.mjs");
    await bundleProgram(root, bundle, "dev");
    return [await nodeRuntime(join(root, ".tools"), host), bundle];
  })();
}
