// The acceptance scenarios from ../shared/scenarios, each run against a fresh `scripts/k3s server`
// exactly as the README starts it. A scenario prints one line per check; the test fails on any FAIL.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { startK3sServer } from "../support/k3s_process.ts";

const scenarios = new URL("../../../shared/scenarios/", import.meta.url).pathname;

/** The scenarios whose features have landed, with the server flags each file's header asks for. */
const LANDED: Record<string, string[]> = {
  "api-basics.sh": [],
  "workloads.sh": ["--simulated-nodes", "3"],
};

for (const [name, args] of Object.entries(LANDED)) {
  Deno.test({
    name: `scenario: ${name} passes against scripts/k3s server`,
    ignore: !existsSync(join(scenarios, name)),
    sanitizeOps: false,
    sanitizeResources: false,
    fn: async () => {
      await using server = await startK3sServer({ args });
      const run = await new Deno.Command("bash", {
        args: [join(scenarios, name)],
        env: { KUBECONFIG: server.kubeconfig, K3S_DATA_DIR: server.dataDir, HOME: server.dataDir },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const output = new TextDecoder().decode(run.stdout) + new TextDecoder().decode(run.stderr);
      console.log(output);
      assert.equal(
        run.code,
        0,
        `${name} failed:\n${output.split("\n").filter((l) => /FAIL|^\s+\|/.test(l)).join("\n")}\n--- server log ---\n${
          server.output().slice(-3000)
        }`,
      );
    },
  });
}
