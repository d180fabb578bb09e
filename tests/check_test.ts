// The repository stays formatted, lint-clean and type-checked: `deno task check`, run as a test so CI keeps it.
import assert from "node:assert/strict";

Deno.test("repository: deno fmt, lint and check are clean", async () => {
  const root = new URL("..", import.meta.url).pathname;
  for (
    const args of [
      ["fmt", "--check"],
      ["lint"],
      ["check", "mod.ts", "cli.ts", "datastore/", "core/", "tests/", "scripts/"],
    ]
  ) {
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), { args, cwd: root }).output();
    const text = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
    assert.equal(code, 0, `deno ${args.join(" ")} failed:\n${text}`);
  }
});
