import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildCli } from "../../../cli.ts";
import { completionScript } from "../../../core/cli/completion.ts";
import { CliError } from "../../../core/cli/errors.ts";

const root = new URL("../../..", import.meta.url).pathname;

async function bash(script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await new Deno.Command("bash", { args: ["-c", script], cwd: root }).output();
  return { code, stdout: new TextDecoder().decode(stdout), stderr: new TextDecoder().decode(stderr) };
}

/** What bash's completion offers for a command line typed so far (the last word is being completed). */
async function complete(words: string[]): Promise<string[]> {
  const file = join(mkdtempSync(join(tmpdir(), "k3s-completion-")), "k3s.bash");
  writeFileSync(file, completionScript("bash", buildCli()));
  const quoted = words.map((w) => `'${w}'`).join(" ");
  const { code, stdout, stderr } = await bash(
    `source ${file}; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _k3s_completion; ` +
      `printf '%s\\n' "\${COMPREPLY[@]}"`,
  );
  assert.equal(code, 0, stderr);
  return stdout.split("\n").filter(Boolean);
}

Deno.test("completion: k3s completion bash loads into bash and registers k3s", async () => {
  const { code, stdout, stderr } = await bash("source <(scripts/k3s completion bash) && complete -p k3s");
  assert.equal(code, 0, stderr);
  assert.equal(stdout, "complete -o default -F _k3s_completion k3s\n");
});

Deno.test("completion: bash offers the subcommands, then the chosen command's flags", async () => {
  assert.deepEqual(await complete(["k3s", "c"]), ["crictl", "ctr", "check-config", "certificate", "completion"]);
  assert.deepEqual(await complete(["k3s", "server", "--data-d"]), ["--data-dir"]);
  assert.deepEqual(await complete(["k3s", "--debug", "agen"]), ["agent"]);
  assert.ok((await complete(["k3s", "agent", "--"])).includes("--token"));
  assert.ok(!(await complete(["k3s", "agent", "--"])).includes("--cluster-init"));
  assert.deepEqual(await complete(["k3s", "server", "--no-"]), [], "the hidden --no-<flag> spellings are not offered");
  assert.deepEqual(await complete(["k3s", "completion", ""]), ["bash", "zsh", "--help", "-h"]);
});

Deno.test("completion: after a flag that takes a value bash falls back to file names", async () => {
  assert.deepEqual(await complete(["k3s", "server", "--config", ""]), []);
  assert.deepEqual(await complete(["k3s", "kubectl", ""]), []);
});

Deno.test("completion: the zsh script defines and registers _k3s", () => {
  const script = completionScript("zsh", buildCli());
  assert.match(script, /^#compdef k3s\n/);
  assert.match(script, /^ {4}\("server"\)\n {6}values=\(.*--data-dir.*\)\n {6}candidates=\(--config -c /m);
  assert.match(script, /^compdef _k3s k3s$/m);
});

Deno.test("completion: a shell other than bash or zsh is refused by name", () => {
  assert.throws(
    () => completionScript("fish", buildCli()),
    new CliError(
      'cannot complete for shell "fish": k3s completion supports bash and zsh',
    ),
  );
});
