// What issue 10 asks of pods beyond pods.sh, driven by the real kubectl against `k3s server` with its agent:
// readiness gating a Service's endpoints, graceful deletion running preStop before SIGTERM, `kubectl logs` options,
// `kubectl attach` and `kubectl cp` both ways.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type K3sProcess, kubectl, startK3sServer } from "../../support/k3s_process.ts";
import { eventually, RUNTIME_TESTS } from "../containerd/testenv.ts";

if (!RUNTIME_TESTS) console.warn("tests/node/agent/pods: skipped: the node agent runs real pods, which needs root");

/** `kubectl apply` of `yaml`, failing the test with kubectl's words. */
async function apply(server: K3sProcess, yaml: string): Promise<void> {
  const path = join(server.dataDir, `apply-${crypto.randomUUID()}.yaml`);
  writeFileSync(path, yaml);
  const applied = await kubectl(server, "apply", "-f", path);
  assert.equal(applied.code, 0, applied.stderr);
}

async function ready(server: K3sProcess, pod: string): Promise<void> {
  const waited = await kubectl(server, "wait", "--for=condition=Ready", `pod/${pod}`, "--timeout=60s");
  assert.equal(waited.code, 0, waited.stderr + server.output().slice(-2000));
}

async function jsonpath(server: K3sProcess, what: string, path: string): Promise<string> {
  return (await kubectl(server, "get", what, "-o", `jsonpath=${path}`)).stdout;
}

Deno.test({
  name: "agent pods: readiness, preStop, kubectl logs options, attach and cp on real containers",
  ignore: !RUNTIME_TESTS,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    await using server = await startK3sServer({
      agent: true,
      args: ["--pause-image", "docker.io/rancher/mirrored-pause:3.6"],
    });

    await t.step("a failing readiness probe keeps the pod out of its Service's endpoints until it passes", async () => {
      await apply(
        server,
        `
apiVersion: v1
kind: Pod
metadata: {name: gated, labels: {app: gated}}
spec:
  containers:
  - name: main
    image: busybox:1.36
    command: [sleep, "3600"]
    readinessProbe: {exec: {command: [cat, /tmp/ready]}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: gated}
spec: {selector: {app: gated}, ports: [{port: 80}]}
`,
      );
      const readiness = () =>
        jsonpath(
          server,
          "endpointslices",
          "{.items[?(@.metadata.labels.kubernetes\\.io/service-name=='gated')].endpoints[*].conditions.ready}",
        );
      await eventually(async () => (await readiness()) === "false", "the endpoint is listed not ready");
      assert.equal(await jsonpath(server, "pod/gated", "{.status.conditions[?(@.type=='Ready')].status}"), "False");
      assert.equal((await kubectl(server, "exec", "gated", "--", "touch", "/tmp/ready")).code, 0);
      await eventually(async () => (await readiness()) === "true", "the endpoint turns ready once the probe passes");
      assert.equal((await kubectl(server, "exec", "gated", "--", "rm", "/tmp/ready")).code, 0);
      await eventually(async () => (await readiness()) === "false", "and not ready again when it fails");
      assert.equal(await jsonpath(server, "pod/gated", "{.status.containerStatuses[0].restartCount}"), "0");
    });

    await t.step("deleting a pod runs its preStop hook, then SIGTERM, within the grace period", async () => {
      const out = mkdtempSync(join(tmpdir(), "prestop-"));
      try {
        await apply(
          server,
          `
apiVersion: v1
kind: Pod
metadata: {name: polite}
spec:
  terminationGracePeriodSeconds: 20
  containers:
  - name: main
    image: busybox:1.36
    command: [sh, -c, "trap 'echo term >> /out/log; exit 0' TERM; echo started >> /out/log; while true; do sleep 1; done"]
    lifecycle: {preStop: {exec: {command: [sh, -c, "echo prestop >> /out/log"]}}}
    volumeMounts: [{name: out, mountPath: /out}]
  volumes:
  - {name: out, hostPath: {path: ${out}, type: Directory}}
`,
        );
        await ready(server, "polite");
        const deleted = await kubectl(server, "delete", "pod", "polite", "--timeout=60s");
        assert.equal(deleted.code, 0, deleted.stderr);
        assert.equal(readFileSync(join(out, "log"), "utf8"), "started\nprestop\nterm\n");
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });

    await t.step("kubectl logs: --previous, --tail, --timestamps, -c and -f", async () => {
      await apply(
        server,
        `
apiVersion: v1
kind: Pod
metadata: {name: chatty}
spec:
  containers:
  - name: talker
    image: busybox:1.36
    command: [sh, -c, "echo one; echo two; echo three; sleep 3; exit 1"]
  - name: quiet
    image: busybox:1.36
    command: [sleep, "3600"]
`,
      );
      await eventually(
        async () =>
          Number(
            await jsonpath(server, "pod/chatty", "{.status.containerStatuses[?(@.name=='talker')].restartCount}"),
          ) >= 1,
        "the talker restarted",
      );
      const previous = await kubectl(server, "logs", "chatty", "-c", "talker", "--previous");
      assert.equal(previous.stdout, "one\ntwo\nthree\n", previous.stderr);
      await eventually(
        async () => (await kubectl(server, "logs", "chatty", "-c", "talker", "--tail=1")).stdout === "three\n",
        "--tail keeps the last line",
      );
      const stamped = (await kubectl(server, "logs", "chatty", "-c", "talker", "--timestamps")).stdout.split("\n")[0];
      assert.match(stamped, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z one$/);
      // kubectl picks the first container itself; the API asks for one.
      const defaulted = await kubectl(server, "logs", "chatty");
      assert.match(defaulted.stderr, /Defaulted container "talker" out of: talker, quiet/);
      const raw = await kubectl(server, "get", "--raw", "/api/v1/namespaces/default/pods/chatty/log");
      assert.notEqual(raw.code, 0);
      assert.match(raw.stderr, /a container name must be specified for pod chatty, choose one of: \[talker quiet\]/);
      // -f follows the running container until it exits.
      const followed = await kubectl(server, "logs", "chatty", "-c", "talker", "-f");
      assert.match(followed.stdout, /one\ntwo\nthree\n$/);
    });

    await t.step("kubectl attach -i feeds the container's stdin and shows what it prints", async () => {
      await apply(
        server,
        `
apiVersion: v1
kind: Pod
metadata: {name: listener}
spec:
  restartPolicy: Never
  containers:
  - {name: main, image: busybox:1.36, stdin: true, stdinOnce: true, command: [sh, -c, 'read line; echo "got:$line"']}
`,
      );
      await ready(server, "listener");
      const attach = new Deno.Command("kubectl", {
        args: ["--request-timeout=20s", "attach", "-i", "listener"],
        env: { KUBECONFIG: server.kubeconfig },
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const writer = attach.stdin.getWriter();
      await writer.write(new TextEncoder().encode("hello\n"));
      await writer.close();
      const { stdout, stderr } = await attach.output();
      assert.match(new TextDecoder().decode(stdout), /got:hello/, new TextDecoder().decode(stderr));
    });

    await t.step("kubectl cp copies a file into a container and back out", async () => {
      await apply(
        server,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: box}\nspec:\n  containers:\n  - {name: main, image: busybox:1.36, command: [sleep, '3600']}\n",
      );
      await ready(server, "box");
      const dir = mkdtempSync(join(tmpdir(), "kubectl-cp-"));
      try {
        writeFileSync(join(dir, "in.txt"), "copied in\n");
        const into = await kubectl(server, "cp", join(dir, "in.txt"), "box:/tmp/in.txt");
        assert.equal(into.code, 0, into.stderr);
        assert.equal((await kubectl(server, "exec", "box", "--", "cat", "/tmp/in.txt")).stdout, "copied in\n");
        assert.equal(
          (await kubectl(server, "exec", "box", "--", "sh", "-c", "echo copied out > /tmp/out.txt")).code,
          0,
        );
        const out = await kubectl(server, "cp", "box:/tmp/out.txt", join(dir, "out.txt"));
        assert.equal(out.code, 0, out.stderr);
        assert.equal(readFileSync(join(dir, "out.txt"), "utf8"), "copied out\n");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
});
