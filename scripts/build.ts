/**
 * `deno task build`: bundles the whole program into `dist/k3s.mjs`, one file that `deno run -A dist/k3s.mjs`
 * (or Node.js 22+, which has `node:sqlite`) runs. Packing that bundle into self-contained per-architecture
 * executables (`dist/k3s-amd64`, `dist/k3s-arm64`) is the single-binary work, not done yet.
 */
const root = new URL("..", import.meta.url).pathname;
const out = "dist/k3s.mjs";
console.log(`bundling cli.ts → ${out} …`);
const { code } = await new Deno.Command(Deno.execPath(), {
  args: ["bundle", "--quiet", "--platform", "deno", "-o", out, "cli.ts"],
  cwd: root,
  stdout: "inherit",
  stderr: "inherit",
}).spawn().status;
if (code !== 0) Deno.exit(code);
const { size } = await Deno.stat(`${root}/${out}`);
console.log(`built ${out} (${(size / 1024 / 1024).toFixed(1)} MiB); run it with: deno run -A ${out} server`);
