// The acceptance scenarios from ../shared/scenarios, each run against a fresh `scripts/k3s server`
// exactly as the README starts it. A scenario prints one line per check; the test fails on any FAIL.
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startK3sServer } from "../support/k3s_process.ts";
import { nodeRouteCommand } from "../support/node_route.ts";
import { RUNTIME_TESTS } from "../node/containerd/testenv.ts";

const scenarios = new URL("../../../shared/scenarios/", import.meta.url).pathname;

/** A scenario that has landed: the server flags its header asks for, and corrections of wrong checks. */
interface Landed {
  args: string[];
  /**
   * Run the program as the `k3s` binary does (the bundle under Node.js) rather than `scripts/k3s` under Deno,
   * with the reason.
   */
  nodeRoute?: string;
  /**
   * Run the server with its node agent (root only): the test images go into `<data-dir>/agent/images` first, and
   * the pods are removed after.
   */
  agent?: boolean;
  /** Extra environment for the scenario. */
  env?: Record<string, string>;
  /**
   * Text replacements where the scenario contradicts upstream; each names its evidence. The uncorrected
   * behaviour is pinned by a test of its own.
   */
  corrections?: { from: string; to: string; why: string }[];
}

const LANDED: Record<string, Landed> = {
  "api-basics.sh": { args: [] },
  "workloads.sh": { args: ["--simulated-nodes", "3"] },
  "manifests.sh": { args: [] },
  "helm.sh": { args: [] },
  "security.sh": {
    args: ["--secrets-encryption"],
    env: { K3S_SECRETS_ENCRYPTION: "1" },
    nodeRoute: "its users' certificates are X.509 version 1 (openssl x509 -req without extensions), which Go " +
      "and OpenSSL accept but Deno's TLS cannot verify (core/auth/authentication/x509.ts)",
    corrections: [{
      from: "--verb='*' --resource=roles.rbac.authorization.k8s.io",
      to: "--verb=get,list,watch,create,update,patch,delete --resource=roles.rbac.authorization.k8s.io",
      why: "verb '*' includes 'escalate', and kube-apiserver lets a user with escalate on roles create any role " +
        "(pkg/registry/rbac/escalation_check.go RoleEscalationAuthorized; VerbMatches treats '*' as every verb); " +
        "tests/core/auth/rbac pins that upstream behaviour",
    }],
  },
  "api-writes.sh": {
    args: [],
    corrections: [{
      from: "{name: Y, ",
      to: '{name: "Y", ',
      why: "kubectl's YAML 1.1 parser reads a bare Y as true, and kube-apiserver answers 400 'json: cannot " +
        "unmarshal bool into Go struct field EnvVar…name of type string' (tests/core/api/field_validation_test.ts)",
    }],
  },
  // scripts/test-images builds the pause image under K3s's default --pause-image name; passed to say so.
  "pods.sh": { args: ["--pause-image", "docker.io/rancher/mirrored-pause:3.6"], agent: true },
};

if (!RUNTIME_TESTS) console.warn("scenario pods.sh: skipped: the node agent runs real pods, which needs root");

/** The scenario file to run: the shared one, or a corrected copy beside its lib.sh. */
function scenarioFile(name: string, landed: Landed): string {
  const original = join(scenarios, name);
  if (!landed.corrections?.length) return original;
  let text = readFileSync(original, "utf8");
  for (const { from, to } of landed.corrections) {
    assert.ok(text.includes(from), `${name} no longer contains ${JSON.stringify(from)}: drop the correction`);
    text = text.replaceAll(from, to);
  }
  const dir = mkdtempSync(join(tmpdir(), "scenario-"));
  copyFileSync(join(scenarios, "lib.sh"), join(dir, "lib.sh"));
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

for (const [name, landed] of Object.entries(LANDED)) {
  Deno.test({
    name: `scenario: ${name} passes against ${landed.nodeRoute ? "the bundle under Node.js" : "scripts/k3s server"}`,
    ignore: !existsSync(join(scenarios, name)) || (landed.agent && !RUNTIME_TESTS),
    sanitizeOps: false,
    sanitizeResources: false,
    fn: async () => {
      const command = landed.nodeRoute ? await nodeRouteCommand() : undefined;
      await using server = await startK3sServer({ args: landed.args, command, agent: landed.agent });
      const run = await new Deno.Command("bash", {
        args: [scenarioFile(name, landed)],
        env: { KUBECONFIG: server.kubeconfig, K3S_DATA_DIR: server.dataDir, HOME: server.dataDir, ...landed.env },
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
