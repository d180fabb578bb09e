// Server-side apply and managedFields driven by the real kubectl against `scripts/k3s server`.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type K3sProcess, kubectl, startK3sServer } from "../../support/k3s_process.ts";

const options = { sanitizeOps: false, sanitizeResources: false };

async function ok(server: K3sProcess, ...args: string[]): Promise<string> {
  const r = await kubectl(server, ...args);
  assert.equal(r.code, 0, `kubectl ${args.join(" ")} failed: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

function manifest(server: K3sProcess, name: string, yaml: string): string {
  const path = join(server.dataDir, name);
  writeFileSync(path, yaml);
  return path;
}

const configMap = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {${data}}\n`;

type Entry = { manager: string; operation: string; fieldsV1: Record<string, unknown> };

async function managedFields(server: K3sProcess, ...object: string[]): Promise<Entry[]> {
  return JSON.parse(await ok(server, "get", ...object, "-o", "json", "--show-managed-fields")).metadata.managedFields;
}

Deno.test({
  name: "kubectl: apply --server-side creates, and --show-managed-fields shows the kubectl Apply entry",
  ...options,
  fn: async () => {
    await using server = await startK3sServer();
    const file = manifest(server, "ssa.yaml", configMap("owner: kubectl"));
    assert.match(await ok(server, "apply", "--server-side", "-f", file), /configmap\/ssa serverside-applied/);
    const hidden = JSON.parse(await ok(server, "get", "cm", "ssa", "-o", "json"));
    assert.equal(hidden.metadata.managedFields, undefined);
    const entries = await managedFields(server, "cm", "ssa");
    assert.deepEqual(entries.map((e) => [e.manager, e.operation, e.fieldsV1]), [
      ["kubectl", "Apply", { "f:data": { "f:owner": {} } }],
    ]);
    const before = await ok(server, "get", "cm", "ssa", "-o", "jsonpath={.metadata.resourceVersion}");
    await ok(server, "apply", "--server-side", "-f", file);
    assert.equal(await ok(server, "get", "cm", "ssa", "-o", "jsonpath={.metadata.resourceVersion}"), before);
  },
});

Deno.test({
  name: "kubectl: another manager's different value conflicts as kube words it; --force-conflicts takes the field",
  ...options,
  fn: async () => {
    await using server = await startK3sServer();
    await ok(server, "apply", "--server-side", "-f", manifest(server, "mine.yaml", configMap("owner: kubectl")));
    const other = manifest(server, "other.yaml", configMap("owner: other"));
    const refused = await kubectl(server, "apply", "--server-side", "--field-manager=other", "-f", other);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /Apply failed with 1 conflict: conflict with "kubectl": \.data\.owner/);
    assert.match(refused.stderr, /--force-conflicts/);
    await ok(server, "apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", other);
    assert.equal(await ok(server, "get", "cm", "ssa", "-o", "jsonpath={.data.owner}"), "other");
    const entries = await managedFields(server, "cm", "ssa");
    assert.deepEqual(entries.map((e) => `${e.manager}/${e.operation}`), ["other/Apply"]);
  },
});

Deno.test({
  name: "kubectl: a field dropped from a server-side apply is removed",
  ...options,
  fn: async () => {
    await using server = await startK3sServer();
    await ok(server, "apply", "--server-side", "-f", manifest(server, "two.yaml", configMap("a: '1', b: '2'")));
    await ok(server, "apply", "--server-side", "-f", manifest(server, "one.yaml", configMap("a: '1'")));
    assert.equal(await ok(server, "get", "cm", "ssa", "-o", "jsonpath={.data}"), '{"a":"1"}');
  },
});

Deno.test({
  name: "kubectl: client-side apply and kubectl label are recorded as Update managers",
  ...options,
  fn: async () => {
    await using server = await startK3sServer();
    await ok(server, "apply", "-f", manifest(server, "csa.yaml", configMap("owner: csa")));
    await ok(server, "label", "cm", "ssa", "tier=web");
    const entries = await managedFields(server, "cm", "ssa");
    assert.deepEqual(entries.map((e) => `${e.manager}/${e.operation}`), [
      "kubectl-client-side-apply/Update",
      "kubectl-label/Update",
    ]);
    const label = entries.find((e) => e.manager === "kubectl-label")!;
    assert.deepEqual(label.fieldsV1, { "f:metadata": { "f:labels": { ".": {}, "f:tier": {} } } });
    // The client-side-applied value now belongs to an updater: applying another one server-side is a conflict.
    const refused = await kubectl(
      server,
      "apply",
      "--server-side",
      "--field-manager=other",
      "-f",
      manifest(server, "ssa.yaml", configMap("owner: ssa")),
    );
    assert.match(refused.stderr, /conflict with "kubectl-client-side-apply" using v1: \.data\.owner/);
  },
});
