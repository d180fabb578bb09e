// The API server driven by the real kubectl (1.32 via the machine's dispatcher), beyond what the
// api-basics scenario checks: describe, delete waiting, watch output, explain, raw paths, restart.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { kubectl, startK3sServer } from "../../support/k3s_process.ts";

const options = { sanitizeOps: false, sanitizeResources: false };

async function ok(server: { kubeconfig: string }, ...args: string[]): Promise<string> {
  const r = await kubectl(server, ...args);
  assert.equal(r.code, 0, `kubectl ${args.join(" ")} failed: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

async function fails(server: { kubeconfig: string }, ...args: string[]): Promise<string> {
  const r = await kubectl(server, ...args);
  assert.notEqual(r.code, 0, `kubectl ${args.join(" ")} should fail: ${r.stdout}`);
  return r.stderr;
}

Deno.test({
  name: "kubectl: version, api-resources, explain and raw discovery paths",
  ...options,
  fn: async () => {
    await using server = await startK3sServer();
    assert.match(await ok(server, "version"), /Server Version: v1\.32\./);
    const resources = await ok(server, "api-resources");
    assert.match(resources, /^pods\s+po\s+v1\s+true\s+Pod$/m);
    assert.match(resources, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    assert.match(await ok(server, "explain", "pod.spec.containers.image"), /FIELD: image <string>/);
    assert.match(await ok(server, "get", "--raw", "/apis/apps/v1"), /"kind":"APIResourceList"/);
    assert.match(await ok(server, "get", "--raw", "/readyz?verbose"), /\[\+\]etcd ok/);
  },
});

Deno.test({
  name: "kubectl: create, get in every output form, describe, label, scale and delete",
  ...options,
  fn: async () => {
    await using server = await startK3sServer();
    await ok(server, "create", "namespace", "t1");
    await ok(server, "-n", "t1", "create", "deployment", "web", "--image=busybox:1.36", "--replicas=2");
    assert.match(await ok(server, "-n", "t1", "get", "deploy", "web", "-o", "name"), /^deployment\.apps\/web$/m);
    assert.equal(await ok(server, "-n", "t1", "get", "deploy", "web", "-o", "jsonpath={.spec.replicas}"), "2");
    const json = JSON.parse(await ok(server, "-n", "t1", "get", "deploy", "web", "-o", "json"));
    assert.equal(json.metadata.generation, 1);
    assert.match(json.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.match(await ok(server, "-n", "t1", "get", "deploy", "-o", "wide"), /CONTAINERS\s+IMAGES\s+SELECTOR/);
    assert.match(await ok(server, "-n", "t1", "describe", "deploy", "web"), /Replicas:\s+2 desired/);
    await ok(server, "-n", "t1", "label", "deploy", "web", "tier=front");
    assert.match(await ok(server, "-n", "t1", "get", "deploy", "-l", "tier=front", "-o", "name"), /web/);
    await ok(server, "-n", "t1", "scale", "deploy", "web", "--replicas=4");
    assert.equal(await ok(server, "-n", "t1", "get", "deploy", "web", "-o", "jsonpath={.metadata.generation}"), "2");
    assert.match(await ok(server, "-n", "t1", "delete", "deploy", "web"), /deployment.apps "web" deleted/);
    assert.match(await fails(server, "-n", "t1", "get", "deploy", "web"), /NotFound/);
  },
});

Deno.test({
  name: "kubectl: get -w prints objects as they change",
  ...options,
  fn: async () => {
    await using server = await startK3sServer();
    const watch = new Deno.Command("kubectl", {
      args: ["get", "configmaps", "-n", "default", "-w", "--request-timeout=0"],
      env: { KUBECONFIG: server.kubeconfig, HOME: server.dataDir },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    let output = "";
    const reading = watch.stdout.pipeThrough(new TextDecoderStream()).pipeTo(
      new WritableStream({ write: (chunk) => void (output += chunk) }),
    );
    await new Promise((r) => setTimeout(r, 1500));
    await ok(server, "create", "configmap", "seen", "--from-literal=a=1");
    const deadline = Date.now() + 15_000;
    while (!/^seen\s+1\s+/m.test(output) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    watch.kill("SIGTERM");
    await watch.status;
    await reading.catch(() => {});
    assert.match(output, /^NAME\s+DATA\s+AGE/m);
    assert.match(output, /^seen\s+1\s+/m);
  },
});

Deno.test({
  name: "kubectl: objects and certificates survive a restart on the same data dir",
  ...options,
  fn: async () => {
    const first = await startK3sServer({ dataDir: Deno.makeTempDirSync({ prefix: "k3s-restart-" }) });
    await ok(first, "create", "configmap", "kept", "--from-literal=a=1");
    const ca = Deno.readTextFileSync(join(first.dataDir, "server", "tls", "server-ca.crt"));
    await first.stop();
    await using second = await startK3sServer({ dataDir: first.dataDir });
    assert.equal(await ok(second, "get", "configmap", "kept", "-o", "jsonpath={.data.a}"), "1");
    assert.equal(Deno.readTextFileSync(join(second.dataDir, "server", "tls", "server-ca.crt")), ca);
  },
});

Deno.test({
  name: "kubectl: errors read as kube-apiserver words them",
  ...options,
  fn: async () => {
    await using server = await startK3sServer();
    assert.match(
      await fails(server, "get", "configmap", "nope"),
      /Error from server \(NotFound\): configmaps "nope" not found/,
    );
    assert.match(
      await fails(server, "create", "configmap", "Bad_Name"),
      /ConfigMap "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name"/,
    );
    assert.match(await fails(server, "create", "configmap", "x", "-n", "missing"), /namespaces "missing" not found/);
    const manifest = join(server.dataDir, "svc.yaml");
    writeFileSync(manifest, "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 99999}]}\n");
    assert.match(await fails(server, "create", "-f", manifest), /spec\.ports\[0\]\.port: Invalid value: 99999/);
    assert.match(
      await fails(server, "get", "pods", "--field-selector", "spec.bogus=1"),
      /field label not supported: spec\.bogus/,
    );
  },
});

Deno.test({
  name: "kubectl: delete namespace waits until the namespace controller has emptied and removed it",
  ...options,
  fn: async () => {
    await using server = await startK3sServer();
    await ok(server, "create", "namespace", "doomed");
    await ok(server, "-n", "doomed", "create", "configmap", "inside", "--from-literal=a=1");
    await ok(server, "-n", "doomed", "create", "deployment", "d", "--image=busybox:1.36");
    assert.match(await ok(server, "delete", "namespace", "doomed", "--timeout=60s"), /namespace "doomed" deleted/);
    assert.match(await fails(server, "get", "namespace", "doomed"), /NotFound/);
    assert.equal(await ok(server, "get", "configmaps", "-n", "doomed", "-o", "name"), "");
  },
});

Deno.test({
  name: "kubectl: deleting an owner deletes what it owns, in the background or in the foreground",
  ...options,
  fn: async () => {
    await using server = await startK3sServer();
    for (const [owner, cascade] of [["bg", "background"], ["fg", "foreground"]]) {
      await ok(server, "create", "configmap", owner, "--from-literal=a=1");
      const uid = await ok(server, "get", "configmap", owner, "-o", "jsonpath={.metadata.uid}");
      const manifest = join(server.dataDir, `${owner}-dependent.json`);
      writeFileSync(
        manifest,
        JSON.stringify({
          apiVersion: "v1",
          kind: "Secret",
          metadata: {
            name: `${owner}-dependent`,
            ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name: owner, uid, blockOwnerDeletion: true }],
          },
          stringData: { b: "2" },
        }),
      );
      await ok(server, "create", "-f", manifest);
      await ok(server, "delete", "configmap", owner, `--cascade=${cascade}`, "--timeout=60s");
      const deadline = Date.now() + 30_000;
      while ((await kubectl(server, "get", "secret", `${owner}-dependent`)).code === 0) {
        assert.ok(Date.now() < deadline, `${owner}-dependent was not collected`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    await ok(server, "create", "configmap", "keep", "--from-literal=a=1");
    const uid = await ok(server, "get", "configmap", "keep", "-o", "jsonpath={.metadata.uid}");
    const orphan = join(server.dataDir, "orphan.json");
    writeFileSync(
      orphan,
      JSON.stringify({
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "orphaned", ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name: "keep", uid }] },
      }),
    );
    await ok(server, "create", "-f", orphan);
    await ok(server, "delete", "configmap", "keep", "--cascade=orphan", "--timeout=60s");
    assert.equal(await ok(server, "get", "secret", "orphaned", "-o", "jsonpath={.metadata.ownerReferences}"), "");
  },
});
