import assert from "node:assert/strict";

Deno.test("build: deno task build bundles one file that runs k3s", async () => {
  const root = new URL("../..", import.meta.url).pathname;
  const build = await new Deno.Command(Deno.execPath(), {
    args: ["task", "build"],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  assert.equal(build.code, 0, new TextDecoder().decode(build.stderr));
  const run = await new Deno.Command(Deno.execPath(), { args: ["run", "-A", "dist/k3s.mjs", "--version"], cwd: root })
    .output();
  assert.equal(run.code, 0);
  assert.match(new TextDecoder().decode(run.stdout), /^k3s version v1\.32\./);
});
