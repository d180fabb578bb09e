// CRDs driven by the real kubectl against `scripts/k3s server`: the api-writes scenario's CRD section
// (establish, discovery, defaults, printer columns, short names, refusals, status, explain, watch, delete),
// kubectl scale through the scale subresource, and the CRD still served after the server restarts.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type K3sProcess, kubectl, startK3sServer } from "../../support/k3s_process.ts";

const options = { sanitizeOps: false, sanitizeResources: false };

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd], categories: [all]}
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
      scale: {specReplicasPath: .spec.size, statusReplicasPath: .status.size}
    additionalPrinterColumns:
    - {name: Size, type: integer, jsonPath: .spec.size}
    - {name: Color, type: string, jsonPath: .spec.color}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [size]
            x-kubernetes-validations:
            - {rule: "self.min <= self.max", message: "min must not exceed max"}
            properties:
              size: {type: integer, minimum: 1, maximum: 10, description: "How big the widget is."}
              color: {type: string, enum: [blue, red], default: blue}
              min: {type: integer, default: 0}
              max: {type: integer, default: 5}
          status:
            type: object
            properties:
              phase: {type: string}
              size: {type: integer}
`;

function widget(name: string, spec: string): string {
  return `apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: ${name}}\nspec: ${spec}\n`;
}

async function ok(server: K3sProcess, ...args: string[]): Promise<string> {
  const r = await kubectl(server, ...args);
  assert.equal(r.code, 0, `kubectl ${args.join(" ")} failed: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

async function fails(server: K3sProcess, ...args: string[]): Promise<string> {
  const r = await kubectl(server, ...args);
  assert.notEqual(r.code, 0, `kubectl ${args.join(" ")} should fail: ${r.stdout}`);
  return r.stderr;
}

/** Apply YAML text through a file, as the scenario's heredocs do. */
async function apply(server: K3sProcess, name: string, yaml: string, ...args: string[]): Promise<void> {
  const file = join(server.dataDir, `${name}.yaml`);
  writeFileSync(file, yaml);
  await ok(server, ...args, "apply", "-f", file);
}

async function refusedApply(server: K3sProcess, name: string, yaml: string): Promise<string> {
  const file = join(server.dataDir, `${name}.yaml`);
  writeFileSync(file, yaml);
  return await fails(server, "-n", "t1", "apply", "-f", file);
}

Deno.test({
  name: "kubectl: a CRD is established, discoverable and serves widgets with defaults, columns and short names",
  ...options,
  fn: async () => {
    await using server = await startK3sServer();
    await ok(server, "create", "ns", "t1");
    await apply(server, "crd", CRD);
    await ok(server, "wait", "--for", "condition=established", "--timeout=10s", "crd/widgets.example.com");
    assert.match(
      await ok(server, "api-resources", "--api-group=example.com"),
      /^widgets\s+wd\s+example\.com\/v1\s+true\s+Widget$/m,
    );
    await apply(server, "w1", widget("w1", "{size: 3}"), "-n", "t1");
    assert.equal(await ok(server, "-n", "t1", "get", "widget/w1", "-o", "jsonpath={.spec.color}"), "blue");
    const table = await ok(server, "-n", "t1", "get", "wd");
    assert.match(table, /^NAME +SIZE +COLOR *$/m);
    assert.match(table, /^w1 +3 +blue *$/m);
    assert.match(await ok(server, "-n", "t1", "get", "all"), /widget\.example\.com\/w1/);
    assert.match(
      await ok(server, "explain", "widget.spec.size"),
      /FIELD: size <integer>[\s\S]*How big the widget is\./,
    );
    assert.match(await ok(server, "get", "--raw", "/openapi/v2"), /"com\.example\.v1\.Widget"/);
  },
});

Deno.test({
  name: "kubectl: out-of-range, enum, CEL and unknown-field violations are refused with kube's messages",
  ...options,
  fn: async () => {
    await using server = await startK3sServer();
    await ok(server, "create", "ns", "t1");
    await apply(server, "crd", CRD);
    await ok(server, "wait", "--for", "condition=established", "--timeout=10s", "crd/widgets.example.com");
    assert.match(
      await refusedApply(server, "w2", widget("w2", "{size: 20}")),
      /spec\.size: Invalid value: 20: spec\.size in body should be less than or equal to 10/,
    );
    assert.match(
      await refusedApply(server, "w3", widget("w3", "{size: 2, color: green}")),
      /spec\.color: Unsupported value: "green": supported values: "blue", "red"/,
    );
    assert.match(
      await refusedApply(server, "w4", widget("w4", "{size: 2, min: 9, max: 3}")),
      /spec: Invalid value: "object": min must not exceed max/,
    );
    assert.match(
      await refusedApply(server, "w5", widget("w5", "{size: 2, colour: red}")),
      /strict decoding error: unknown field "spec\.colour"/,
    );
  },
});

Deno.test({
  name: "kubectl: status and scale subresources, and watch, on custom objects",
  ...options,
  fn: async () => {
    await using server = await startK3sServer();
    await ok(server, "create", "ns", "t1");
    await apply(server, "crd", CRD);
    await ok(server, "wait", "--for", "condition=established", "--timeout=10s", "crd/widgets.example.com");
    await apply(server, "w1", widget("w1", "{size: 3}"), "-n", "t1");
    await ok(
      server,
      "-n",
      "t1",
      "patch",
      "widget",
      "w1",
      "--subresource=status",
      "--type=merge",
      "-p",
      '{"status":{"phase":"ok"}}',
    );
    await ok(
      server,
      "-n",
      "t1",
      "patch",
      "widget",
      "w1",
      "--type=merge",
      "-p",
      '{"status":{"phase":"hacked"},"spec":{"size":4}}',
    );
    assert.equal(
      await ok(server, "-n", "t1", "get", "widget/w1", "-o", "jsonpath={.status.phase} {.spec.size}"),
      "ok 4",
    );
    await ok(server, "-n", "t1", "scale", "widget", "w1", "--replicas=6");
    assert.equal(await ok(server, "-n", "t1", "get", "widget/w1", "-o", "jsonpath={.spec.size}"), "6");
    const watch = await kubectl(server, "-n", "t1", "get", "widgets", "-w", "-o", "name", "--request-timeout=2s");
    assert.match(watch.stdout, /widget\.example\.com\/w1/);
  },
});

Deno.test({
  name: "kubectl: deleting the CRD deletes its widgets and the resource stops being served",
  ...options,
  fn: async () => {
    await using server = await startK3sServer();
    await ok(server, "create", "ns", "t1");
    await apply(server, "crd", CRD);
    await ok(server, "wait", "--for", "condition=established", "--timeout=10s", "crd/widgets.example.com");
    await apply(server, "w1", widget("w1", "{size: 3}"), "-n", "t1");
    await apply(server, "w2", widget("w2", "{size: 4}"), "-n", "t1");
    await ok(server, "delete", "crd", "widgets.example.com");
    assert.match(
      await fails(server, "-n", "t1", "get", "widgets"),
      /the server doesn't have a resource type "widgets"|NotFound|could not find/,
    );
    assert.doesNotMatch(await ok(server, "api-resources"), /widgets/);
    await apply(server, "crd", CRD);
    await ok(server, "wait", "--for", "condition=established", "--timeout=10s", "crd/widgets.example.com");
    assert.match(await ok(server, "-n", "t1", "get", "widgets"), /No resources found|^$/);
  },
});

Deno.test({
  name: "kubectl: after a restart on the same data the CRD and its widgets are served at once",
  ...options,
  fn: async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "k3s-crd-restart-"));
    try {
      const first = await startK3sServer({ dataDir });
      try {
        await ok(first, "create", "ns", "t1");
        await apply(first, "crd", CRD);
        await ok(first, "wait", "--for", "condition=established", "--timeout=10s", "crd/widgets.example.com");
        await apply(first, "w1", widget("w1", "{size: 3}"), "-n", "t1");
      } finally {
        await first.stop();
      }
      const second = await startK3sServer({ dataDir });
      try {
        assert.match(await ok(second, "-n", "t1", "get", "wd"), /^w1 +3 +blue *$/m);
        assert.match(await ok(second, "explain", "widget.spec.size"), /FIELD: size <integer>/);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});
