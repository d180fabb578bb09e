import assert from "node:assert/strict";
import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CliError } from "../../../core/cli/errors.ts";
import { kubectlEnvironment, multicallName, runKubectl } from "../../../core/cli/kubectl.ts";
import { lookPath } from "../../../core/cli/lookpath.ts";

const root = new URL("../../..", import.meta.url).pathname;
const machineKubectl = lookPath("kubectl");

async function k3s(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await new Deno.Command(join(root, "scripts/k3s"), { args }).output();
  return { code, stdout: new TextDecoder().decode(stdout), stderr: new TextDecoder().decode(stderr) };
}

Deno.test({
  name: "kubectl: k3s kubectl version --client runs the machine's kubectl",
  ignore: !machineKubectl,
  fn: async () => {
    const { code, stdout } = await k3s("kubectl", "version", "--client");
    assert.equal(code, 0);
    assert.match(stdout, /^Client Version: v1\.\d+/m);
  },
});

Deno.test({
  name: "kubectl: k3s kubectl passes kubectl's exit code and messages through",
  ignore: !machineKubectl,
  fn: async () => {
    const { code, stderr } = await k3s("kubectl", "version", "--client", "--output=bogus");
    assert.equal(code, 1);
    assert.match(stderr, /^error: --output must be 'yaml' or 'json'$/m);
    assert.doesNotMatch(stderr, /^k3s:/m);
  },
});

Deno.test("kubectl: KUBECONFIG defaults to the admin kubeconfig only when it exists and nothing names another", () => {
  const dir = mkdtempSync(join(tmpdir(), "k3s-kubectl-"));
  const admin = join(dir, "k3s.yaml");
  const quiet = () => {};
  assert.equal(kubectlEnvironment(["get", "ns"], {}, admin, quiet).KUBECONFIG, undefined);
  writeFileSync(admin, "apiVersion: v1\nkind: Config\n");
  assert.equal(kubectlEnvironment(["get", "ns"], { HOME: dir }, admin, quiet).KUBECONFIG, admin);
  assert.equal(kubectlEnvironment(["get", "ns"], { KUBECONFIG: "/mine" }, admin, quiet).KUBECONFIG, "/mine");
  assert.equal(kubectlEnvironment(["--kubeconfig", "/x", "get", "ns"], {}, admin, quiet).KUBECONFIG, undefined);
  assert.equal(kubectlEnvironment(["--kubeconfig=/x", "get", "ns"], {}, admin, quiet).KUBECONFIG, undefined);
});

Deno.test("kubectl: with no kubectl on PATH k3s kubectl fails with one line saying so", async () => {
  const empty = mkdtempSync(join(tmpdir(), "k3s-kubectl-"));
  await assert.rejects(
    runKubectl(["version"], { env: { PATH: empty } }),
    new CliError("kubectl not found on PATH; install kubectl to use k3s kubectl"),
  );
});

Deno.test({
  name: "kubectl: the kubectl lookup passes over this program installed as kubectl",
  ignore: !machineKubectl,
  fn: () => {
    const dir = mkdtempSync(join(tmpdir(), "k3s-kubectl-"));
    symlinkSync(Deno.execPath(), join(dir, "kubectl"));
    const path = `${dir}:${Deno.env.get("PATH")}`;
    assert.equal(lookPath("kubectl", { path }), join(dir, "kubectl"));
    assert.equal(lookPath("kubectl", { path, skip: [Deno.execPath()] }), machineKubectl);
  },
});

Deno.test("kubectl: started under the name kubectl, the binary acts as kubectl", () => {
  assert.equal(multicallName("/usr/local/bin/kubectl"), "kubectl");
  assert.equal(multicallName("kubectl"), "kubectl");
  assert.equal(multicallName("/usr/local/bin/k3s"), undefined);
});
