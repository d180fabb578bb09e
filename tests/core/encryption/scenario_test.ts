// The "Secrets at rest" section of ../shared/scenarios/security.sh, run as written with
// K3S_SECRETS_ENCRYPTION=1 against a server started with secrets encryption (the rest of that scenario
// belongs to the authentication and authorization tests).
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../../../core/server/start.ts";

const scenarios = new URL("../../../../shared/scenarios/", import.meta.url).pathname;
const SCENARIO = join(scenarios, "security.sh");

/** The scenario's preamble, its namespace, the one section, and its closing lines. */
function secretsAtRestScript(): string {
  const lines = readFileSync(SCENARIO, "utf8").split("\n");
  const preambleEnd = lines.findIndex((l) => l.startsWith("SERVER="));
  const start = lines.findIndex((l) => l.startsWith("# Secrets at rest"));
  const end = lines.findIndex((l, i) => i > start && l === "fi");
  assert.ok(preambleEnd > 0 && start > 0 && end > start, "security.sh no longer has its Secrets at rest section");
  return [
    ...lines.slice(0, preambleEnd + 1),
    lines.find((l) => l.includes('"create namespace"'))!,
    ...lines.slice(start, end + 1),
    lines.find((l) => l.includes('"delete namespace (no wait)"'))!,
    "summary",
  ].join("\n");
}

Deno.test({
  name: "scenario: security.sh's Secrets at rest section passes with K3S_SECRETS_ENCRYPTION=1",
  ignore: !existsSync(SCENARIO),
  fn: async () => {
    const dir = mkdtempSync(join(tmpdir(), "scenario-"));
    copyFileSync(join(scenarios, "lib.sh"), join(dir, "lib.sh"));
    writeFileSync(join(dir, "security.sh"), secretsAtRestScript());
    const dataDir = mkdtempSync(join(tmpdir(), "k3s-enc-"));
    const server = await startServer({
      dataDir,
      httpsPort: 0,
      bindAddress: "127.0.0.1",
      kubeconfigPath: join(dataDir, "k3s.yaml"),
      secretsEncryption: true,
      log: () => {},
    });
    try {
      const run = await new Deno.Command("bash", {
        args: [join(dir, "security.sh")],
        env: { KUBECONFIG: server.kubeconfigPath, K3S_DATA_DIR: dataDir, HOME: dataDir, K3S_SECRETS_ENCRYPTION: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const output = new TextDecoder().decode(run.stdout) + new TextDecoder().decode(run.stderr);
      console.log(output);
      assert.equal(run.code, 0, output);
      assert.match(output, /PASS {2}secret values are encrypted in the database/);
      assert.match(output, /PASS {2}and readable through the API/);
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  },
});
