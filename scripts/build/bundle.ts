/**
 * The one JavaScript file every build route ships: `deno bundle` of cli.ts as an ES module (it runs under
 * `deno run`, `deno compile` and as a Node.js 26 single-executable main alike), stamped with the commit
 * it was built from, and checked to read no file of the source tree at run time.
 *
 * @module
 */
import { readFileSync, writeFileSync } from "node:fs";
import { run } from "./run.ts";

/**
 * Bundles `<root>/cli.ts` into `out` and stamps `commit` into it (see {@link stampCommit}).
 *
 * ```ts
 * await bundleProgram("/work/main", "/work/main/dist/k3s.mjs", "1a2b3c4d");
 * ```
 */
export async function bundleProgram(root: string, out: string, commit: string): Promise<void> {
  await run(Deno.execPath(), ["bundle", "--quiet", "--platform", "deno", "-o", out, "cli.ts"], { cwd: root });
  const code = readFileSync(out, "utf8");
  const reads = sourceTreeReads(code);
  if (reads.length > 0) {
    throw new Error(
      "these modules find files next to their source, which a binary does not have; import the data instead " +
        `(a JSON import with { type: "json" } or a generated .ts module):\n${reads.join("\n")}`,
    );
  }
  writeFileSync(out, stampCommit(code, commit));
}

/**
 * Sets core/version.ts's `GIT_COMMIT` in a bundle, as Go's `-ldflags -X` sets K3s's `version.GitCommit`.
 * A bundle that does not use it (the bundler drops unused declarations) is returned as it is; two
 * declarations are an error, since either could be the one that prints.
 *
 * ```ts
 * stampCommit('var GIT_COMMIT = "dev";', "1a2b3c4d"); // 'var GIT_COMMIT = "1a2b3c4d";'
 * ```
 */
export function stampCommit(code: string, commit: string): string {
  const declaration = /\b(var GIT_COMMIT\d* = )"dev"/g;
  const found = code.match(declaration)?.length ?? 0;
  if (found > 1) throw new Error(`expected one GIT_COMMIT declaration in the bundle, found ${found}`);
  return code.replace(declaration, `$1${JSON.stringify(commit)}`);
}

/**
 * The places in a bundle where first-party code locates files relative to its own module (`import.meta.url`,
 * `import.meta.dirname`, `__dirname` …), as `module: line`. npm packages are left alone: the ones bundled
 * here use such paths only on code paths k3s never takes (grpc's channelz and xDS protos).
 *
 * ```ts
 * sourceTreeReads('// core/x.ts\nconst f = readFileSync(new URL("./t.json", import.meta.url));');
 * // ['core/x.ts: const f = readFileSync(new URL("./t.json", import.meta.url));']
 * ```
 */
export function sourceTreeReads(code: string): string[] {
  const found: string[] = [];
  let module = "";
  for (const line of code.split("\n")) {
    const marker = /^\/\/ (\S+\.[cm]?[jt]sx?)$/.exec(line);
    if (marker) {
      module = marker[1];
      continue;
    }
    if (!module || module.includes("node_modules/")) continue;
    const statement = line.trim();
    if (statement.startsWith("//") || statement.startsWith("*") || statement.startsWith("/*")) continue;
    if (/import\.meta\.(url|dirname|filename)\b|\b__(dirname|filename)\b/.test(statement)) {
      found.push(`${module}: ${statement}`);
    }
  }
  return found;
}
