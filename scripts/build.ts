/**
 * `deno task build`: one self-contained `k3s` executable per architecture, `dist/k3s-amd64` and
 * `dist/k3s-arm64`, holding the whole program and its data, plus `dist/k3s.mjs`, the bundle both are made of.
 *
 * Two routes run the same bundle. Where Deno's release downloads are reachable, `deno compile --target`.
 * Where they are not (only npm and Debian's archive are), a Node.js 26 single-executable application built
 * from the official Node runtime on npm, gzip-compressed behind a small static launcher that unpacks it into
 * the data dir on first start, as K3s's own binary does with its userland. It prints the route it took and
 * each binary's size.
 *
 * ```sh
 * scripts/deno task build
 * ```
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleProgram } from "./build/bundle.ts";
import { denoCompile, denoCompileAvailable } from "./build/deno_compile.ts";
import { NODE_VERSION, nodeRuntime } from "./build/node_runtime.ts";
import { buildSea } from "./build/node_sea.ts";
import { run } from "./build/run.ts";
import { compileLauncher, packSelfExtracting } from "./build/self_extracting.ts";
import { binaryName, type Target, TARGETS } from "./build/targets.ts";

/** K3s's promise for its binary. */
const SIZE_LIMIT = 100_000_000;

const root = new URL("..", import.meta.url).pathname;
const dist = join(root, "dist");
mkdirSync(dist, { recursive: true });

const commit = await run("git", ["rev-parse", "--short=8", "HEAD"], { cwd: root }).then((s) => s.trim(), () => "dev");
const bundle = join(dist, "k3s.mjs");
console.log(`bundling cli.ts → dist/k3s.mjs (commit ${commit}) …`);
await bundleProgram(root, bundle, commit);

if ((await Promise.all(TARGETS.map(denoCompileAvailable))).every(Boolean)) {
  console.log("route: deno compile (Deno's runtime download is reachable)");
  for (const target of TARGETS) await denoCompile(bundle, target, join(dist, binaryName(target)));
} else {
  console.log(
    `route: Node.js ${NODE_VERSION} single-executable application behind a self-extracting launcher ` +
      "(Deno's runtime download is not reachable)",
  );
  const tools = join(root, ".tools");
  const host = TARGETS.find((t) => t.hostArch === Deno.build.arch);
  if (!host) throw new Error(`no Node.js runtime on npm runs on this machine (${Deno.build.arch})`);
  const builder = await nodeRuntime(tools, host);
  for (const target of TARGETS) await buildNodeBinary(target, builder, tools);
}

for (const target of TARGETS) {
  const { size } = statSync(join(dist, binaryName(target)));
  const verdict = size < SIZE_LIMIT ? "under" : "OVER";
  console.log(`built dist/${binaryName(target)}: ${(size / 1e6).toFixed(1)} MB (${verdict} K3s's 100 MB)`);
}

async function buildNodeBinary(target: Target, builder: string, tools: string): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), `k3s-build-${target.arch}-`));
  try {
    const runtime = await nodeRuntime(tools, target);
    console.log(`packing dist/${binaryName(target)} …`);
    await buildSea(bundle, builder, runtime, join(work, "sea"));
    await compileLauncher(target, join(work, "launcher"));
    packSelfExtracting(join(work, "launcher"), join(work, "sea"), join(dist, binaryName(target)));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
